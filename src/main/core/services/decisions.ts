import type { DecisionRevision } from '../../../shared/decisions';
import type { ParsedInputOf } from '../../../shared/contract';
import { RECOMMENDATION_LABELS } from '../../../shared/constants';
import { AppError } from '../../../shared/result';
import { nowOf, type CoreContext } from '../context';
import { signRevote } from '../provenance/revotes';
import { assertMayReadPanelOf } from '../visibility';
import { debrief, decisionOf } from './debrief';

/**
 * Records the decision for a candidate: hire, no hire or hold, with a rationale. A change is a new
 * revision naming why; the screen names the revision it showed, so that two people deciding at once
 * do not overwrite each other.
 */
export function decide(ctx: CoreContext, input: ParsedInputOf<'decisions:record'>): DecisionRevision {
  const { repos } = ctx;
  const saved = ctx.db
    .transaction((): DecisionRevision => {
      const candidate = repos.candidates.get(input.candidateId);
      if (!candidate) throw new AppError('not_found', `No candidate with id ${input.candidateId}.`, 'candidateId');
      assertMayReadPanelOf(ctx, candidate.id, candidate.name);
      const history = repos.decisions.history(candidate.id);
      const current = history.at(-1);
      const revision = current?.revision ?? 0;
      if (input.seenRevision !== revision) {
        throw new AppError(
          'stale_revision',
          current
            ? `The decision changed while you were looking: ${current.decidedByName} recorded revision ${current.revision} (${current.decision.replace('_', ' ')}). Read it, then decide again.`
            : 'There is no decision to change yet: record the first one.',
          'seenRevision',
        );
      }
      if (current && !input.changeReason) throw new AppError('invalid_input', 'changeReason: say why the decision changes.', 'changeReason');
      if (current && current.decision === input.decision && current.rationale === input.rationale) {
        throw new AppError('invalid_input', 'The new revision changes nothing: change the decision or its rationale.', 'rationale');
      }
      const id = ctx.newId();
      repos.decisions.insert({ id, candidateId: candidate.id, revision: revision + 1, decision: input.decision, rationale: input.rationale, changeReason: current ? input.changeReason! : null, decidedBy: ctx.meId, at: nowOf(ctx) });
      return decisionOf(repos.decisions.history(candidate.id).at(-1)!);
    })
    .immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'decided' } });
  return saved;
}

/**
 * A panelist's second-round vote after the debrief. My own is signed with my key (it can travel
 * like a scorecard); another panelist's, said aloud in the meeting, is recorded by me and marked
 * so, never as signed by them. A vote that differs from their first needs a reason.
 */
export function revote(ctx: CoreContext, input: ParsedInputOf<'votes:record'>): ReturnType<typeof debrief>['votes'][number] {
  const { repos } = ctx;
  ctx.db
    .transaction(() => {
      const candidate = repos.candidates.get(input.candidateId);
      if (!candidate) throw new AppError('not_found', `No candidate with id ${input.candidateId}.`, 'candidateId');
      assertMayReadPanelOf(ctx, candidate.id, candidate.name);
      const before = debrief(ctx, candidate.id).votes.find((v) => v.interviewer.id === input.interviewerId);
      if (!before) throw new AppError('invalid_input', 'interviewerId: only a panelist who submitted a scorecard for this candidate votes on them.', 'interviewerId');
      if (input.seenRevision !== before.revision) {
        const now = before.round2 ? `${RECOMMENDATION_LABELS[before.round2.recommendation]}, recorded by ${before.round2.recordedBy.name}` : 'none';
        throw new AppError('stale_revision', `${before.interviewer.name}'s vote changed while you were looking (now: ${now}). Read it, then vote again.`, 'seenRevision');
      }
      const reason = input.reason?.trim() || null;
      if (input.recommendation !== before.round1 && !reason) {
        const first = before.round1 ? RECOMMENDATION_LABELS[before.round1] : 'none';
        throw new AppError('invalid_input', `reason: the vote changes from the first round (${first}): say why.`, 'reason');
      }
      const at = nowOf(ctx);
      const vote = { id: ctx.newId(), candidateId: candidate.id, interviewerId: input.interviewerId, recommendation: input.recommendation, reason, at };
      if (input.interviewerId === ctx.meId) {
        repos.decisions.insertRevote({ ...signRevote(vote, ctx.keys.privateKey, ctx.keys.publicKey), recordedBy: ctx.meId });
      } else {
        repos.decisions.insertRevote({ ...vote, recordedBy: ctx.meId, bytes: null, signature: null, publicKey: null });
      }
    })
    .immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'decided' } });
  return debrief(ctx, input.candidateId).votes.find((v) => v.interviewer.id === input.interviewerId)!;
}
