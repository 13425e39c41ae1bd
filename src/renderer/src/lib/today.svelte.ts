import type { InterviewSummary, Reminder } from '../../../shared/domain';
import { call } from './api';

/** My interviews around today, my unsubmitted scorecards, and the late-feedback reminders. */
class TodayState {
  upcoming = $state<InterviewSummary[]>([]);
  unsubmitted = $state<InterviewSummary[]>([]);
  reminders = $state<Reminder[]>([]);
  error = $state<string | null>(null);
  loaded = $state(false);

  async load(): Promise<void> {
    const result = await call('today:list', {});
    if (result.ok) {
      this.upcoming = result.value.upcoming;
      this.unsubmitted = result.value.unsubmitted;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
    this.loaded = true;
  }

  async loadReminders(): Promise<void> {
    const result = await call('reminders:list', {});
    if (result.ok) this.reminders = result.value;
  }
}

export const todayState = new TodayState();
