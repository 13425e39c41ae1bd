import type { BundleRevision, ConflictChoice, OpenConflict } from '../../../shared/bundle';
import { AppError } from '../../../shared/result';
import { nowOf, type CoreContext } from '../context';
import type { ConflictDetail, RecordKind } from '../exchange/conflict-detail';
import { acceptedKey } from '../provenance/key-events';
import { arrived, revisionProblem, signedStatement } from '../provenance/revisions';
import type { ConflictRow } from '../repositories/conflicts';
import { refreshProjection } from './calibration/projection';
import { amendScorecard } from './scoring';

// What imports could not merge on their own, and the user's choice for each: keep this machine's
// version, or take the other one where this installation can (a record, a key, my own scorecard).

const detailOf = (row: ConflictRow) => JSON.parse(row.detail) as ConflictDetail;

/** The scorecard here that a scorecard conflict is about. */
function ourScorecard(row: ConflictRow): string {
  const detail = detailOf(row);
  return 'ours' in detail && detail.ours ? detail.ours : row.recordId;
}

/** What the user may choose for a conflict: the other version only where this installation can take it. */
function choicesOf(ctx: CoreContext, row: ConflictRow): ConflictChoice[] {
  switch (row.kind) {
    case 'key':
    case 'draft-superseded':
      return ['keep-this', 'take-theirs'];
    case 'record': {
      const detail = detailOf(row) as Extract<ConflictDetail, { recordKind: RecordKind }>;
      return detail.recordKind === 'interviewers' && detail.incoming.id === ctx.meId ? ['keep-this'] : ['keep-this', 'take-theirs'];
    }
    case 'scorecard-fork': {
      // Only the author can sign a scorecard: another panelist's fork is theirs to settle by amending.
      const here = ctx.repos.exchange.scorecard(ourScorecard(row));
      return here?.interviewerId === ctx.meId && here.status === 'submitted' ? ['keep-this', 'take-theirs'] : ['keep-this'];
    }
  }
}

export function listConflicts(ctx: CoreContext): OpenConflict[] {
  return ctx.repos.conflicts.open().map((row) => ({
    id: row.id,
    kind: row.kind,
    recordId: row.recordId,
    message: row.message,
    recordedAt: row.recordedAt,
    choices: choicesOf(ctx, row),
  }));
}

/** Settles a conflict as the user chose, in one transaction, and says so to every window. */
export function resolveConflict(ctx: CoreContext, conflictId: string, choice: ConflictChoice): { conflictId: string; choice: ConflictChoice } {
  ctx.db
    .transaction(() => {
      const row = ctx.repos.conflicts.get(conflictId);
      if (!row) throw new AppError('not_found', `There is no conflict ${conflictId}.`, 'conflictId');
      if (row.resolvedAt) throw new AppError('conflict', `This conflict was already resolved (${row.resolvedAt}).`, 'conflictId');
      if (!choicesOf(ctx, row).includes(choice)) {
        throw new AppError('invalid_input', row.kind === 'scorecard-fork' ? 'Only its author can take the other version of a scorecard: they settle it by amending it on their machine.' : 'This installation cannot take the other version of that record.', 'choice');
      }
      if (choice === 'take-theirs') takeTheirs(ctx, row);
      else keepThis(ctx, row);
      ctx.repos.conflicts.resolve(conflictId, choice, nowOf(ctx));
    })
    .immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'conflict-resolved' } });
  return { conflictId, choice };
}

function takeTheirs(ctx: CoreContext, row: ConflictRow): void {
  const detail = detailOf(row);
  if ('recordKind' in detail) return takeRecord(ctx, detail);
  if ('offered' in detail) return takeKey(ctx, row.recordId, detail);
  if ('revisions' in detail) return takeSubmitted(ctx, row.recordId, detail.revisions);
  return takeBranch(ctx, ourScorecard(row), detail.theirs);
}

const stale = (what: string) => new AppError('stale_revision', `The ${what} changed here after the conflict was recorded: keep this version, or import the other one again.`);

/** The other machine's record becomes ours, one revision on, so that it wins wherever it travels next. */
function takeRecord(ctx: CoreContext, detail: Extract<ConflictDetail, { recordKind: RecordKind }>): void {
  putNextRevision(ctx, detail, (local, incoming) => ({ ...local, ...incoming }));
}

/**
 * Keeping this machine's record writes it one revision on too: the other machine (or the team hub)
 * has a different record at the same revision, and only a higher one wins there.
 */
function keepThis(ctx: CoreContext, row: ConflictRow): void {
  const detail = detailOf(row);
  if (row.kind === 'record' && 'recordKind' in detail) putNextRevision(ctx, detail, (local) => local);
}

/** Writes the record chosen (from ours and the incoming one) at the revision after the conflict's, if ours is still the one it conflicted with. */
function putNextRevision(ctx: CoreContext, { recordKind, incoming }: Extract<ConflictDetail, { recordKind: RecordKind }>, choose: <T extends object>(local: T, incoming: object) => T): void {
  const x = ctx.repos.exchange;
  const what = recordKind.replace(/s$/, '');
  const next = <T extends { revision: number }>(local: T | undefined): T => {
    if (!local) throw new AppError('not_found', `The ${what} ${incoming.id} is no longer here.`);
    if (local.revision !== incoming.revision) throw stale(what);
    return { ...choose(local, incoming), revision: incoming.revision + 1, updatedAt: nowOf(ctx) };
  };
  switch (recordKind) {
    case 'interviewers': {
      const local = x.interviewer(incoming.id);
      return x.putInterviewer({ ...next(local), publicKey: local!.publicKey }, true);
    }
    case 'roles':
      return x.putRole(next(x.role(incoming.id)), true);
    case 'candidates':
      return x.putCandidate(next(x.candidate(incoming.id)), true);
    case 'interviews':
      return x.putInterview(next(ctx.repos.interviews.get(incoming.id)), true);
  }
}

function takeKey(ctx: CoreContext, interviewerId: string, { offered, pinned }: { offered: string; pinned: string }): void {
  if (ctx.repos.interviewers.publicKey(interviewerId) !== pinned) throw stale('key');
  const me = ctx.repos.interviewers.get(ctx.meId)?.name ?? 'this installation';
  ctx.repos.keyEvents.record(acceptedKey({ interviewerId, oldKey: pinned, newKey: offered, reason: `Accepted by ${me} when resolving a conflict`, at: nowOf(ctx) }, ctx.keys));
  ctx.repos.interviewers.setPublicKey(interviewerId, offered);
}


/** My draft here gives way to my submitted revisions from another machine (checked again: mine, unbroken). */
function takeSubmitted(ctx: CoreContext, scorecardId: string, revisions: BundleRevision[]): void {
  const repos = ctx.repos;
  const here = repos.exchange.scorecard(scorecardId);
  if (!here || here.status !== 'draft' || here.interviewerId !== ctx.meId) throw stale('scorecard');
  const myKey = repos.interviewers.publicKey(ctx.meId) ?? ctx.keys.publicKey;
  const chain = [...revisions].sort((a, b) => a.revision - b.revision).map((r) => arrived(scorecardId, r));
  chain.forEach((signed, i) => {
    const problem = revisionProblem(signed, myKey) ?? (signed.parentHash === (i ? chain[i - 1]!.hash : null) ? null : 'its chain is broken');
    if (problem) throw new AppError('invalid_input', `The submitted version of scorecard ${scorecardId} cannot be taken: revision ${signed.revision} ${problem.replace(/^its /, 'has ')}.`);
  });
  const head = signedStatement(chain.at(-1)!.bytes);
  repos.exchange.putScorecard(
    { id: scorecardId, interviewId: here.interviewId, interviewerId: ctx.meId, rubricVersionId: head.rubricVersionId, recommendation: head.recommendation, takeaways: head.takeaways, submittedAt: chain[0]!.signedAt, revision: head.revision, now: head.signedAt, scores: head.scores },
    true,
  );
  for (const signed of chain) repos.scorecardRevisions.insert(signed);
  refreshProjection(ctx);
}

/** My scorecard here takes the content of the other branch as a new amendment, signed here. */
function takeBranch(ctx: CoreContext, scorecardId: string, theirs: BundleRevision[]): void {
  const last = [...theirs].sort((a, b) => a.revision - b.revision).at(-1);
  const here = ctx.repos.scorecards.get(scorecardId);
  if (!last || !here) throw stale('scorecard');
  const head = signedStatement(Buffer.from(last.bytes, 'base64'));
  try {
    amendScorecard(ctx, {
      scorecardId,
      seenRevision: here.revision,
      reason: 'Took the version from the other machine (the scorecard was edited on two machines).',
      scores: head.scores.flatMap((s) => (s.value === null ? [] : [{ criterionId: s.criterionId, value: s.value, evidence: s.evidence }])),
      ...(head.recommendation ? { recommendation: head.recommendation as never } : {}),
      takeaways: head.takeaways,
    });
  } catch (error) {
    // The two versions say the same: nothing to amend, the conflict is settled as it stands.
    if (!(error instanceof AppError && /changes nothing/.test(error.message))) throw error;
  }
}
