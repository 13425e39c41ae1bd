import type { ParsedInputOf } from '../../../shared/contract';
import type { InterviewSummary } from '../../../shared/domain';
import type { BookingClash, ScheduledInterview } from '../../../shared/hiring';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { changedElsewhere } from './stale';

// Scheduling: a candidate's interviews, their panels, moves and cancellations.

const MINUTE_MS = 60_000;

function endOf(scheduledAt: string, minutes: number): string {
  return new Date(Date.parse(scheduledAt) + minutes * MINUTE_MS).toISOString();
}

function summary(ctx: CoreContext, interviewId: string): InterviewSummary {
  const found = ctx.repos.interviewSummaries.byId(ctx.meId, interviewId);
  if (!found) throw new Error(`interview ${interviewId} vanished`);
  return found;
}

/** Other interviews of these interviewers that overlap the time, for a warning (never a refusal). */
export function panelClashes(ctx: CoreContext, panel: readonly string[], scheduledAt: string, minutes: number, exceptId: string | null): BookingClash[] {
  if (panel.length === 0) return [];
  const start = new Date(scheduledAt).toISOString();
  return ctx.repos.interviews.clashes(panel, start, endOf(start, minutes), exceptId);
}

/** Every interviewer exists and is active (a deactivated one cannot be put on a new panel). */
function checkPanel(ctx: CoreContext, panel: readonly string[], keep: ReadonlySet<string> = new Set()): void {
  const seen = new Set<string>();
  panel.forEach((interviewerId, index) => {
    if (seen.has(interviewerId)) throw new AppError('invalid_input', `panel.${index}: that interviewer is on the panel twice.`, `panel.${index}`);
    seen.add(interviewerId);
    const interviewer = ctx.repos.interviewers.get(interviewerId);
    if (!interviewer) throw new AppError('not_found', `No interviewer with id ${interviewerId}.`, `panel.${index}`);
    if (!interviewer.active && !keep.has(interviewerId)) {
      throw new AppError('invalid_input', `${interviewer.name} is deactivated: reactivate them to put them on a panel.`, `panel.${index}`);
    }
  });
}

export interface NewSchedule {
  candidateId: string;
  stageId: string;
  scheduledAt: string;
  durationMinutes: number;
  panel: readonly string[];
  videoLink: string;
}

/** Inserts an interview with its panel (inside the caller's transaction); returns its id. */
export function insertInterview(ctx: CoreContext, input: NewSchedule): string {
  const candidate = ctx.repos.candidates.record(input.candidateId);
  if (!candidate) throw new AppError('not_found', `No candidate with id ${input.candidateId}.`, 'candidateId');
  if (candidate.archivedAt) throw new AppError('invalid_input', `${candidate.name} is archived: restore them before scheduling.`, 'candidateId');
  if (!ctx.repos.loops.stagesOfRole(candidate.roleId).some((s) => s.id === input.stageId)) {
    throw new AppError('not_found', `That stage is not part of the ${candidate.roleTitle} loop.`, 'stageId');
  }
  checkPanel(ctx, input.panel);
  const id = ctx.newId();
  const now = nowOf(ctx);
  const scheduledAt = new Date(input.scheduledAt).toISOString();
  ctx.repos.interviews.insert({ id, candidateId: input.candidateId, stageId: input.stageId, scheduledAt, durationMinutes: input.durationMinutes, videoLink: input.videoLink, now });
  for (const interviewerId of input.panel) ctx.repos.interviews.assign(id, interviewerId, now);
  return id;
}

export function scheduleInterview(ctx: CoreContext, input: ParsedInputOf<'interviews:schedule'>): ScheduledInterview {
  const scheduled = ctx.db.transaction((): ScheduledInterview => {
    const id = insertInterview(ctx, input);
    const interview = summary(ctx, id);
    return { interview, clashes: panelClashes(ctx, input.panel, interview.scheduledAt, interview.durationMinutes, id) };
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'schedule-changed' } });
  return scheduled;
}

/**
 * Reschedules an interview, changes its length, link or panel. A panelist taken off keeps their
 * scorecard: the seat is withdrawn (marked), not deleted; one put back gets the same seat again.
 */
export function updateInterview(ctx: CoreContext, input: ParsedInputOf<'interviews:update'>): ScheduledInterview {
  const updated = ctx.db.transaction((): ScheduledInterview => {
    const before = ctx.repos.interviews.get(input.interviewId);
    if (!before) throw new AppError('not_found', `No interview with id ${input.interviewId}.`, 'interviewId');
    if (before.cancelledAt) throw new AppError('read_only', 'This interview is cancelled; schedule a new one instead.');
    if (before.revision !== input.revision) throw changedElsewhere('The interview');
    const now = nowOf(ctx);
    const times = {
      id: before.id,
      revision: before.revision,
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt).toISOString() : before.scheduledAt,
      durationMinutes: input.durationMinutes ?? before.durationMinutes,
      videoLink: input.videoLink ?? before.videoLink,
      now,
    };
    if (input.panel) {
      const seats = ctx.repos.interviews.seats(before.id);
      const seated = new Set(seats.filter((s) => !s.withdrawn).map((s) => s.interviewerId));
      checkPanel(ctx, input.panel, seated);
      const wanted = new Set(input.panel);
      for (const seat of seats) {
        if (wanted.has(seat.interviewerId)) {
          if (seat.withdrawn) ctx.repos.interviews.reinstate(before.id, seat.interviewerId);
        } else if (!seat.withdrawn) {
          if (seat.hasScorecard) ctx.repos.interviews.withdraw(before.id, seat.interviewerId, now);
          else ctx.repos.interviews.unassign(before.id, seat.interviewerId);
        }
      }
      const existing = new Set(seats.map((s) => s.interviewerId));
      for (const interviewerId of input.panel) if (!existing.has(interviewerId)) ctx.repos.interviews.assign(before.id, interviewerId, now);
    }
    if (!ctx.repos.interviews.setTimes(times)) throw changedElsewhere('The interview');
    const interview = summary(ctx, before.id);
    const panel = interview.panel.filter((p) => !p.withdrawn).map((p) => p.interviewerId);
    return { interview, clashes: panelClashes(ctx, panel, interview.scheduledAt, interview.durationMinutes, before.id) };
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'schedule-changed' } });
  return updated;
}

/** Cancels an interview: it stays on the loop, marked cancelled, with any scorecards it has. */
export function cancelInterview(ctx: CoreContext, input: ParsedInputOf<'interviews:cancel'>): ScheduledInterview {
  const cancelled = ctx.db.transaction((): ScheduledInterview => {
    const before = ctx.repos.interviews.get(input.interviewId);
    if (!before) throw new AppError('not_found', `No interview with id ${input.interviewId}.`, 'interviewId');
    if (before.cancelledAt) throw new AppError('read_only', 'This interview is already cancelled.');
    if (!ctx.repos.interviews.cancel(before.id, input.revision, nowOf(ctx))) throw changedElsewhere('The interview');
    return { interview: summary(ctx, before.id), clashes: [] };
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'schedule-changed' } });
  return cancelled;
}

export function checkPanelClashes(ctx: CoreContext, input: ParsedInputOf<'interviews:check-panel'>): BookingClash[] {
  return panelClashes(ctx, input.panel, input.scheduledAt, input.durationMinutes, input.interviewId ?? null);
}
