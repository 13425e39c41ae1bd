import type { ParsedInputOf } from '../../../shared/contract';
import type { CandidateRecord, ErasurePreview, RetentionCandidate } from '../../../shared/hiring';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { refreshProjection } from './calibration/projection';
import { getSettings } from './people';
import { changedElsewhere } from './stale';

// Candidates: add, edit, archive, erase, and the retention list.

function existing(ctx: CoreContext, candidateId: string): CandidateRecord {
  const found = ctx.repos.candidates.record(candidateId);
  if (!found) throw new AppError('not_found', `No candidate with id ${candidateId}.`, 'candidateId');
  return found;
}

/** Refuses a second candidate with the same email for the same role. */
export function checkNotDuplicate(ctx: CoreContext, roleId: string, email: string, exceptId: string | null, path = 'email'): void {
  if (!email) return;
  const twin = ctx.repos.candidates.withEmail(roleId, email, exceptId);
  if (twin) throw new AppError('duplicate', `${twin.name} is already a candidate for this role (${email}).`, path);
}

export function addCandidate(ctx: CoreContext, input: ParsedInputOf<'candidates:add'>): CandidateRecord {
  return ctx.db.transaction((): CandidateRecord => {
    if (!ctx.repos.roles.get(input.roleId)) throw new AppError('not_found', `No role with id ${input.roleId}.`, 'roleId');
    checkNotDuplicate(ctx, input.roleId, input.email, null);
    const id = ctx.newId();
    ctx.repos.candidates.insert({ ...input, id, isDemo: false, now: nowOf(ctx) });
    return existing(ctx, id);
  }).immediate();
}

export function updateCandidate(ctx: CoreContext, input: ParsedInputOf<'candidates:update'>): CandidateRecord {
  return ctx.db.transaction((): CandidateRecord => {
    const before = existing(ctx, input.candidateId);
    checkNotDuplicate(ctx, before.roleId, input.email, input.candidateId);
    const { candidateId, ...fields } = input;
    if (!ctx.repos.candidates.update({ ...fields, id: candidateId, now: nowOf(ctx) })) {
      throw changedElsewhere(before.name);
    }
    return existing(ctx, candidateId);
  }).immediate();
}

/** An archived candidate keeps everything and drops out of the lists; un-archiving brings them back. */
export function setCandidateArchived(ctx: CoreContext, input: ParsedInputOf<'candidates:set-archived'>): CandidateRecord {
  return ctx.db.transaction((): CandidateRecord => {
    const before = existing(ctx, input.candidateId);
    if (!ctx.repos.candidates.setArchived(input.candidateId, input.archived, input.revision, nowOf(ctx))) {
      throw changedElsewhere(before.name);
    }
    return existing(ctx, input.candidateId);
  }).immediate();
}

export function erasurePreview(ctx: CoreContext, candidateId: string): ErasurePreview {
  const candidate = existing(ctx, candidateId);
  return { candidateId, candidateName: candidate.name, ...ctx.repos.erasures.counts(candidateId) };
}

/**
 * Erases candidates: their record, interviews, scorecards, evidence, notes, audit events and every
 * derived row go (the database runs with secure_delete on, so freed pages are zeroed), and the WAL is
 * checkpointed and truncated afterwards, so that their text is gone from the file. What stays is a
 * tombstone of ids (who, when, by whom) so that no import or restore brings them back.
 */
export function eraseCandidates(ctx: CoreContext, candidateIds: readonly string[]): { erased: number } {
  const unique = [...new Set(candidateIds)];
  ctx.db.transaction(() => {
    for (const [index, candidateId] of unique.entries()) {
      if (!ctx.repos.candidates.record(candidateId)) throw new AppError('not_found', `No candidate with id ${candidateId}.`, `candidateIds.${index}`);
      ctx.repos.erasures.record({
        candidateId,
        erasedAt: nowOf(ctx),
        erasedBy: ctx.meId,
        interviewIds: ctx.repos.interviews.idsOfCandidate(candidateId),
        scorecardIds: ctx.repos.erasures.scorecardIds(candidateId),
      });
      ctx.repos.candidates.delete(candidateId);
    }
    refreshProjection(ctx);
  }).immediate();
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'erased' } });
  return { erased: unique.length };
}

/** Candidates with no activity (record, interview, scorecard) for the retention period, ready to erase. */
export function retentionList(ctx: CoreContext): { months: number; candidates: RetentionCandidate[] } {
  const months = getSettings(ctx).retentionMonths;
  const before = new Date(ctx.clock().getTime());
  before.setUTCMonth(before.getUTCMonth() - months);
  return { months, candidates: ctx.repos.candidates.inactiveSince(before.toISOString()) };
}
