import { evidenceField, scoreField, type ScorecardField } from '../../../shared/constants';
import type { ParsedInputOf } from '../../../shared/contract';
import type { HistoryEntry, SavedChange, Scorecard, ScorecardView, ScoreValue } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { signScorecard } from '../provenance/sign-scorecard';
import type { ScorecardHead } from '../repositories/scorecards';

export function getScorecard(ctx: CoreContext, scorecardId: string): Scorecard {
  const head = ctx.repos.scorecards.head(scorecardId);
  if (!head) throw new AppError('not_found', `No scorecard with id ${scorecardId}.`, 'scorecardId');
  // Another panelist's scorecard is read through the panel, which hides it until I submitted mine.
  if (head.interviewerId !== ctx.meId) {
    throw new AppError('forbidden', 'This is another panelist\'s scorecard; open the panel view to read it.');
  }
  const scorecard = ctx.repos.scorecards.get(scorecardId);
  if (!scorecard) throw new AppError('not_found', `No scorecard with id ${scorecardId}.`, 'scorecardId');
  return scorecard;
}

/** My scorecard for an interview, created as a draft the first time I open it. */
export function openScorecard(ctx: CoreContext, interviewId: string): ScorecardView {
  const { repos } = ctx;
  return ctx.db.transaction((): ScorecardView => {
    const seat = repos.interviews.seat(interviewId, ctx.meId);
    if (!seat) {
      if (!repos.interviewSummaries.byId(ctx.meId, interviewId)) throw new AppError('not_found', `No interview with id ${interviewId}.`, 'interviewId');
      throw new AppError('forbidden', 'You are not on this interview\'s panel, so you have no scorecard for it.');
    }
    let scorecardId = repos.scorecards.findFor(interviewId, ctx.meId);
    if (!scorecardId) {
      scorecardId = ctx.newId();
      const now = nowOf(ctx);
      repos.scorecards.insert({
        id: scorecardId,
        interviewId,
        interviewerId: ctx.meId,
        rubricVersionId: seat.rubricVersionId,
        status: 'draft',
        recommendation: null,
        takeaways: '',
        submittedAt: null,
        now,
      });
      repos.audit.append({ id: ctx.newId(), scorecardId, at: now, actorId: ctx.meId, kind: 'created', detail: { revision: 1 } });
    }
    const scorecard = repos.scorecards.get(scorecardId);
    const rubric = repos.rubrics.version(seat.rubricVersionId);
    const interview = repos.interviewSummaries.byId(ctx.meId, interviewId);
    if (!scorecard || !rubric || !interview) throw new Error(`scorecard ${scorecardId} is missing its rubric or interview`);
    return { scorecard, rubric, interview, sawPanel: repos.panelViews.firstSeen(ctx.meId, seat.candidateId) !== undefined };
  }).immediate();
}

function myScorecard(ctx: CoreContext, scorecardId: string): ScorecardHead {
  const head = ctx.repos.scorecards.head(scorecardId);
  if (!head) throw new AppError('not_found', `No scorecard with id ${scorecardId}.`, 'scorecardId');
  if (head.interviewerId !== ctx.meId) {
    throw new AppError('forbidden', 'This scorecard belongs to another interviewer; only its author can change it.');
  }
  return head;
}

/** My scorecard, checked to be a draft. */
function myDraft(ctx: CoreContext, scorecardId: string): ScorecardHead {
  const head = myScorecard(ctx, scorecardId);
  if (head.status === 'submitted') {
    throw new AppError('read_only', 'This scorecard is submitted and read-only; amend it to change it.');
  }
  return head;
}

/** Refuses a submit or an amendment from a screen that has not seen the scorecard's latest revision. */
function checkSeenWhole(head: ScorecardHead, seenRevision: number): void {
  if (seenRevision !== head.revision) {
    throw new AppError(
      'stale_revision',
      'The scorecard changed in another window since this one last showed it: look at the latest before you go on.',
      'seenRevision',
    );
  }
}

function checkScore(ctx: CoreContext, scorecardId: string, criterionId: string, value: ScoreValue): void {
  const scale = ctx.repos.rubrics.criterionScale(scorecardId, criterionId);
  if (!scale) throw new AppError('not_found', `Criterion ${criterionId} is not part of this scorecard's rubric.`, 'criterionId');
  if (typeof value === 'number' && value > scale.scaleMax) {
    throw new AppError('invalid_input', `value: ${value} is outside this rubric's scale of 1–${scale.scaleMax}.`, 'value');
  }
}

/** Tells every open window (this one included) that one of my scorecards is now at this revision. */
function announce(ctx: CoreContext, change: SavedChange): SavedChange {
  ctx.events.emit({ name: 'scorecard:changed', payload: { scorecardId: change.scorecardId, revision: change.revision } });
  return change;
}

/**
 * Runs a change to one field of my draft, all in one transaction: refused with `stale_revision`
 * when the field changed since the screen last saw it (another window wrote it), whatever happened
 * to the other fields. The field's revision becomes the scorecard's new revision.
 */
function changeField(
  ctx: CoreContext,
  scorecardId: string,
  field: ScorecardField,
  seenRevision: number,
  change: (now: string) => void,
): SavedChange {
  const saved = ctx.db.transaction((): SavedChange => {
    myDraft(ctx, scorecardId);
    if (ctx.repos.scorecards.fieldRevision(scorecardId, field) !== seenRevision) {
      throw new AppError(
        'stale_revision',
        'This was changed in another window since this one showed it; your text is kept here: load the latest, or keep yours.',
        'seenRevision',
      );
    }
    const now = nowOf(ctx);
    change(now);
    const { revision, updatedAt } = ctx.repos.scorecards.touch(scorecardId, now);
    ctx.repos.scorecards.setFieldRevision(scorecardId, field, revision);
    return { scorecardId, revision, updatedAt };
  }).immediate();
  return announce(ctx, saved);
}

/**
 * Sets one criterion's score (1..scale, 'not_assessed', or null to clear) on my draft scorecard.
 * The write and the revision bump commit together; the returned revision is what was committed.
 */
export function setScore(ctx: CoreContext, input: ParsedInputOf<'scorecards:set-score'>): SavedChange {
  return changeField(ctx, input.scorecardId, scoreField(input.criterionId), input.seenRevision, (now) => {
    checkScore(ctx, input.scorecardId, input.criterionId, input.value);
    ctx.repos.scorecards.setScore(input.scorecardId, input.criterionId, input.value, now);
  });
}

export function setEvidence(ctx: CoreContext, input: ParsedInputOf<'scorecards:set-evidence'>): SavedChange {
  return changeField(ctx, input.scorecardId, evidenceField(input.criterionId), input.seenRevision, (now) => {
    checkScore(ctx, input.scorecardId, input.criterionId, null);
    ctx.repos.scorecards.setEvidence(input.scorecardId, input.criterionId, input.evidence, now);
  });
}

export function setDetails(ctx: CoreContext, input: ParsedInputOf<'scorecards:set-details'>): SavedChange {
  const { scorecardId, field, value, seenRevision } = input;
  return changeField(ctx, scorecardId, field, seenRevision, () => ctx.repos.scorecards.setDetails(scorecardId, { [field]: value }));
}

export function submitScorecard(ctx: CoreContext, input: ParsedInputOf<'scorecards:submit'>): SavedChange {
  const { scorecardId, seenRevision } = input;
  const saved = ctx.db.transaction((): SavedChange => {
    checkSeenWhole(myDraft(ctx, scorecardId), seenRevision);
    const missing = ctx.repos.scorecards.unscoredCriteria(scorecardId);
    const scorecard = ctx.repos.scorecards.get(scorecardId);
    const problems = [
      ...(missing.length ? [`score or mark "not assessed": ${missing.join(', ')}`] : []),
      ...(scorecard?.recommendation ? [] : ['choose a recommendation']),
    ];
    if (problems.length) throw new AppError('incomplete', `Before you submit, ${problems.join('; and ')}.`);
    const now = nowOf(ctx);
    ctx.repos.scorecards.submit(scorecardId, now);
    const { revision, updatedAt } = ctx.repos.scorecards.touch(scorecardId, now);
    ctx.repos.audit.append({ id: ctx.newId(), scorecardId, at: now, actorId: ctx.meId, kind: 'submitted', detail: { revision } });
    signScorecard(ctx.repos, scorecardId, ctx.keys, now, null);
    return { scorecardId, revision, updatedAt };
  }).immediate();
  return announce(ctx, saved);
}

function describeValue(value: ScoreValue | undefined): string {
  if (value === 'not_assessed') return 'not assessed';
  return value === null || value === undefined ? '—' : String(value);
}

/** Changes a submitted scorecard of mine, with a reason; the history records what changed. */
export function amendScorecard(ctx: CoreContext, input: ParsedInputOf<'scorecards:amend'>): SavedChange {
  const { repos } = ctx;
  const saved = ctx.db.transaction((): SavedChange => {
    const head = myScorecard(ctx, input.scorecardId);
    if (head.status !== 'submitted') throw new AppError('invalid_input', 'Only a submitted scorecard is amended; a draft is simply edited.');
    checkSeenWhole(head, input.seenRevision);
    const changedFields: ScorecardField[] = [];
    const before = repos.scorecards.get(input.scorecardId);
    if (!before) throw new Error('scorecard vanished');
    const titles = new Map(repos.rubrics.criteria(head.rubricVersionId).map((c) => [c.id, c.title]));
    const changes: { field: string; from: string; to: string }[] = [];
    const now = nowOf(ctx);
    for (const [index, score] of input.scores.entries()) {
      const title = titles.get(score.criterionId);
      if (!title) throw new AppError('not_found', `Criterion ${score.criterionId} is not part of this scorecard's rubric.`, `scores.${index}.criterionId`);
      if (score.value === null) throw new AppError('invalid_input', `scores.${index}.value: a submitted scorecard keeps a score or "not assessed" for every criterion.`, `scores.${index}.value`);
      checkScore(ctx, input.scorecardId, score.criterionId, score.value);
      const old = before.scores.find((s) => s.criterionId === score.criterionId);
      if (old?.value !== score.value) {
        changes.push({ field: `${title}: score`, from: describeValue(old?.value), to: describeValue(score.value) });
        changedFields.push(scoreField(score.criterionId));
        repos.scorecards.setScore(input.scorecardId, score.criterionId, score.value, now);
      }
      if (score.evidence !== undefined && score.evidence !== (old?.evidence ?? '')) {
        changes.push({ field: `${title}: evidence`, from: old?.evidence ?? '', to: score.evidence });
        changedFields.push(evidenceField(score.criterionId));
        repos.scorecards.setEvidence(input.scorecardId, score.criterionId, score.evidence, now);
      }
    }
    if (input.recommendation !== undefined && input.recommendation !== before.recommendation) {
      changes.push({ field: 'Recommendation', from: before.recommendation ?? '—', to: input.recommendation });
      changedFields.push('recommendation');
    }
    if (input.takeaways !== undefined && input.takeaways !== before.takeaways) {
      changes.push({ field: 'Take-aways', from: before.takeaways, to: input.takeaways });
      changedFields.push('takeaways');
    }
    if (changes.length === 0) throw new AppError('invalid_input', 'The amendment changes nothing: change a score, a note or the recommendation.');
    repos.scorecards.setDetails(input.scorecardId, { recommendation: input.recommendation, takeaways: input.takeaways });
    const { revision, updatedAt } = repos.scorecards.touch(input.scorecardId, now);
    for (const field of changedFields) repos.scorecards.setFieldRevision(input.scorecardId, field, revision);
    const afterSeeingPanel = repos.panelViews.firstSeen(ctx.meId, head.candidateId) !== undefined;
    repos.audit.append({
      id: ctx.newId(),
      scorecardId: input.scorecardId,
      at: now,
      actorId: ctx.meId,
      kind: 'amended',
      detail: { revision, reason: input.reason, changes, afterSeeingPanel },
    });
    signScorecard(repos, input.scorecardId, ctx.keys, now, input.reason);
    return { scorecardId: input.scorecardId, revision, updatedAt };
  }).immediate();
  return announce(ctx, saved);
}

export function scorecardHistory(ctx: CoreContext, scorecardId: string): HistoryEntry[] {
  myScorecard(ctx, scorecardId);
  return ctx.repos.audit.list(scorecardId).map((e) => {
    const detail = e.detail as { revision?: number; reason?: string; changes?: HistoryEntry['changes']; afterSeeingPanel?: boolean };
    return {
      id: e.id,
      at: e.at,
      actorId: e.actorId,
      actorName: e.actorName,
      kind: e.kind as HistoryEntry['kind'],
      revision: detail.revision ?? 1,
      reason: detail.reason ?? null,
      changes: detail.changes ?? [],
      afterSeeingPanel: detail.afterSeeingPanel ?? false,
    };
  });
}
