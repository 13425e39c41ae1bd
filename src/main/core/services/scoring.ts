import type { ParsedInputOf } from '../../../shared/contract';
import type { SavedChange, Scorecard } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';

export function getScorecard(ctx: CoreContext, scorecardId: string): Scorecard {
  const scorecard = ctx.repos.scorecards.get(scorecardId);
  if (!scorecard) throw new AppError('not_found', `No scorecard with id ${scorecardId}.`, 'scorecardId');
  return scorecard;
}

/**
 * Sets one criterion's score (1..scale, 'not_assessed', or null to clear) on my draft scorecard.
 * The write and the revision bump commit together; the returned revision is what was committed.
 */
export function setScore(ctx: CoreContext, input: ParsedInputOf<'scorecards:set-score'>): SavedChange {
  const { repos } = ctx;
  return ctx.db.transaction((): SavedChange => {
    const head = repos.scorecards.head(input.scorecardId);
    if (!head) throw new AppError('not_found', `No scorecard with id ${input.scorecardId}.`, 'scorecardId');
    if (head.interviewerId !== ctx.meId) {
      throw new AppError('forbidden', 'This scorecard belongs to another interviewer; only its author can change it.');
    }
    if (head.status === 'submitted') {
      throw new AppError('read_only', 'This scorecard is submitted and read-only; amend it to change a score.');
    }
    if (input.expectedRevision !== undefined && input.expectedRevision !== head.revision) {
      throw new AppError(
        'stale_revision',
        `The scorecard changed elsewhere (revision ${head.revision}, you had ${input.expectedRevision}); reload it before changing it.`,
        'expectedRevision',
      );
    }
    const scale = repos.rubrics.criterionScale(input.scorecardId, input.criterionId);
    if (!scale) {
      throw new AppError('not_found', `Criterion ${input.criterionId} is not part of this scorecard's rubric.`, 'criterionId');
    }
    if (typeof input.value === 'number' && input.value > scale.scaleMax) {
      throw new AppError('invalid_input', `value: ${input.value} is outside this rubric's scale of 1–${scale.scaleMax}.`, 'value');
    }
    const now = nowOf(ctx);
    repos.scorecards.setScore(input.scorecardId, input.criterionId, input.value, now);
    const { revision, updatedAt } = repos.scorecards.touch(input.scorecardId, now);
    return { scorecardId: input.scorecardId, revision, updatedAt };
  }).immediate();
}
