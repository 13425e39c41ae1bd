import type { InterviewSummary } from '../../../shared/domain';
import type { BookingClash } from '../../../shared/hiring';
import { call } from './api';
import type { FieldErrors } from './field-errors';
import { fromLocalInput, toLocalInput } from './when';

export const INTERVIEW_FIELDS = ['scheduledAt', 'durationMinutes', 'panel', 'videoLink'] as const;
export const MIN_MINUTES = 5;
export const MAX_MINUTES = 480;

/** Someone who can be put on a panel. */
export interface PanelOption {
  id: string;
  name: string;
  email: string;
  isMe: boolean;
}

/** What a schedule or reschedule sends (times as UTC ISO 8601). */
export interface InterviewPlan {
  scheduledAt: string;
  durationMinutes: number;
  panel: string[];
  videoLink: string;
}

/**
 * One interview's time, length, panel and link while they are chosen: a new one for a stage, or
 * an existing one being rescheduled. The time is typed in the viewer's zone (datetime-local) and
 * sent as UTC. Whoever on the panel is already booked then is looked up as things change: a
 * warning, never a refusal.
 */
export class InterviewDraft {
  /** The datetime-local value, in the viewer's zone. */
  when = $state('');
  minutes = $state<number | null>(60);
  panel = $state<string[]>([]);
  videoLink = $state('');
  errors = $state<FieldErrors>({});
  clashes = $state<BookingClash[]>([]);
  busy = $state(false);
  private clashSeq = 0;

  scheduledAt = $derived(fromLocalInput(this.when));

  constructor(
    /** The interview being rescheduled, or null for a new one. */
    readonly interview: InterviewSummary | null,
    init: { at?: Date | string | null; minutes?: number } = {},
  ) {
    if (interview) {
      this.when = toLocalInput(interview.scheduledAt);
      this.minutes = interview.durationMinutes;
      this.panel = interview.panel.filter((p) => !p.withdrawn).map((p) => p.interviewerId);
      this.videoLink = interview.videoLink;
    } else {
      this.when = init.at ? toLocalInput(init.at) : '';
      this.minutes = init.minutes ?? 60;
    }
  }

  validate(): FieldErrors {
    const errors: FieldErrors = {};
    if (!this.when) errors.scheduledAt = 'Give a date and a time.';
    else if (!this.scheduledAt) errors.scheduledAt = 'Not a date and time (e.g. 2026-12-03 14:00).';
    const m = this.minutes;
    if (m === null || !Number.isInteger(m) || m < MIN_MINUTES || m > MAX_MINUTES) {
      errors.durationMinutes = `A whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}.`;
    }
    if (this.panel.length === 0) errors.panel = 'Put at least one interviewer on the panel.';
    const link = this.videoLink.trim();
    if (link && !/^https:\/\/[^\s]+$/i.test(link)) errors.videoLink = 'A video link starts with https:// (or leave it empty).';
    return errors;
  }

  plan(): InterviewPlan | null {
    if (!this.scheduledAt || this.minutes === null) return null;
    return { scheduledAt: this.scheduledAt, durationMinutes: this.minutes, panel: [...this.panel], videoLink: this.videoLink.trim() };
  }

  /** Only what changed, for a reschedule (an unchanged panel is not sent, so no seat moves). */
  changes(): Partial<InterviewPlan> {
    const plan = this.plan();
    const before = this.interview;
    if (!plan || !before) return plan ?? {};
    const changed: Partial<InterviewPlan> = {};
    if (Date.parse(plan.scheduledAt) !== Date.parse(before.scheduledAt)) changed.scheduledAt = plan.scheduledAt;
    if (plan.durationMinutes !== before.durationMinutes) changed.durationMinutes = plan.durationMinutes;
    const seated = before.panel.filter((p) => !p.withdrawn).map((p) => p.interviewerId);
    if (seated.length !== plan.panel.length || seated.some((id) => !plan.panel.includes(id))) changed.panel = plan.panel;
    if (plan.videoLink !== before.videoLink) changed.videoLink = plan.videoLink;
    return changed;
  }

  /** Who on the panel is already booked at the chosen time (other interviews than this one). */
  async checkClashes(): Promise<void> {
    const seq = ++this.clashSeq;
    const at = this.scheduledAt;
    const minutes = this.minutes;
    if (!at || this.panel.length === 0 || minutes === null || minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      this.clashes = [];
      return;
    }
    const result = await call('interviews:check-panel', {
      scheduledAt: at,
      durationMinutes: minutes,
      panel: [...this.panel],
      ...(this.interview ? { interviewId: this.interview.interviewId } : {}),
    });
    if (seq !== this.clashSeq) return;
    this.clashes = result.ok ? result.value : [];
  }
}
