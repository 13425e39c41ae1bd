import type { CandidateDetail, InterviewSummary, Reminder } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';

const HOUR_MS = 3_600_000;
/** A scorecard still in draft this long after its interview ended raises a reminder. */
export const REMINDER_AFTER_MS = HOUR_MS;

function endOf(interview: InterviewSummary): number {
  return Date.parse(interview.scheduledAt) + interview.durationMinutes * 60_000;
}

/** My interviews from a day ago to a week ahead, and every ended one I have not submitted. */
export function today(ctx: CoreContext): { upcoming: InterviewSummary[]; unsubmitted: InterviewSummary[] } {
  const now = ctx.clock().getTime();
  const from = new Date(now - 24 * HOUR_MS).toISOString();
  const to = new Date(now + 7 * 24 * HOUR_MS).toISOString();
  const unsubmitted = ctx.repos.interviewSummaries.mineUnsubmitted(ctx.meId, new Date(now).toISOString());
  const upcoming = ctx.repos.interviewSummaries.mineBetween(ctx.meId, from, to).filter((i) => endOf(i) > now || i.myScorecard?.status === 'submitted');
  return { upcoming, unsubmitted };
}

/** Late feedback: my drafts (or unopened scorecards) an hour or more after the interview ended. */
export function reminders(ctx: CoreContext): Reminder[] {
  const now = ctx.clock().getTime();
  return ctx.repos.interviewSummaries
    .mineUnsubmitted(ctx.meId, new Date(now).toISOString())
    .filter((i) => endOf(i) + REMINDER_AFTER_MS <= now)
    .map((interview) => ({ interview, overdueSince: new Date(endOf(interview) + REMINDER_AFTER_MS).toISOString() }));
}

export function candidateDetail(ctx: CoreContext, candidateId: string): CandidateDetail {
  const candidate = ctx.repos.candidates.get(candidateId);
  if (!candidate) throw new AppError('not_found', `No candidate with id ${candidateId}.`, 'candidateId');
  return { ...candidate, interviews: ctx.repos.interviewSummaries.byCandidate(ctx.meId, candidateId) };
}
