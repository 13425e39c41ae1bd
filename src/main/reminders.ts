import { Notification } from 'electron';
import type { Handlers } from '../shared/contract';
import { dispatch } from '../shared/dispatch';
import type { Reminder } from '../shared/domain';

const CHECK_EVERY_MS = 5 * 60_000;

/**
 * Late feedback, as desktop notifications: a scorecard still in draft an hour after its
 * interview raises one, and again each day until it is submitted.
 */
export function startReminderNotifications(handlers: Handlers, open: (interviewId: string) => void): () => void {
  const notifiedOn = new Map<string, string>();

  async function check(): Promise<void> {
    if (!Notification.isSupported()) return;
    const result = await dispatch(handlers, 'reminders:list', {});
    if (!result.ok) return;
    const today = new Date().toDateString();
    for (const reminder of result.value as Reminder[]) {
      const { interview } = reminder;
      if (notifiedOn.get(interview.interviewId) === today) continue;
      notifiedOn.set(interview.interviewId, today);
      const notification = new Notification({
        title: `Scorecard waiting: ${interview.candidateName}`,
        body: `${interview.stageTitle} · feedback is best written within the hour after the interview.`,
      });
      notification.on('click', () => open(interview.interviewId));
      notification.show();
    }
  }

  void check();
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  return () => clearInterval(timer);
}
