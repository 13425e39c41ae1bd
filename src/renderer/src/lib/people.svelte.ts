import type { Interviewer } from '../../../shared/domain';
import type { Me, RetentionCandidate, Settings } from '../../../shared/hiring';
import type { AppErrorShape, Result } from '../../../shared/result';
import { call } from './api';
import { interviewersState } from './interviewers.svelte';

/**
 * This installation's interviewer ("me"), its settings, the retention list, and the writes on
 * interviewers. Every write sends the revision it saw; the core answers `stale_revision` when
 * someone else changed the record first, and `duplicate` (with the field's path) for a taken email.
 */

/** A failed write, said next to its field: the field from the error's path, or the form as a whole. */
export interface FieldError {
  field: string | null;
  message: string;
}

export function fieldError(error: AppErrorShape): FieldError {
  const field = error.path?.split('.')[0] ?? null;
  return { field: field === 'revision' ? null : field, message: sentence(error.message, error.path) };
}

/** One sentence for the screen: "email: not an email address" next to the email field reads "Not an email address." */
export function sentence(message: string, path?: string): string {
  const bare = path && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
  const text = bare.charAt(0).toUpperCase() + bare.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const ERASE_BATCH = 10_000;

class MeState {
  me = $state<Me | null>(null);
  error = $state<string | null>(null);

  /** The first-run welcome shows until it is answered or skipped. */
  welcomePending = $derived(this.me !== null && !this.me.welcomeDone);

  async load(): Promise<void> {
    const result = await call('me:get', {});
    if (result.ok) {
      this.me = result.value;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }

  /** Sets my name and email; `welcomeDone` also answers (or skips) the welcome. */
  async update(fields: { name: string; email: string }, welcomeDone = true): Promise<Result<Me>> {
    if (!this.me) await this.load();
    const revision = this.me?.revision ?? 1;
    const result = await call('me:update', { name: fields.name, email: fields.email, revision, welcomeDone });
    if (result.ok) {
      this.me = result.value;
      interviewersState.items = interviewersState.items.map((i) => (i.id === result.value.id ? { ...i, ...result.value } : i));
    } else if (result.error.code === 'stale_revision') {
      await this.load();
    }
    return result;
  }

  /** Skips the welcome: my name and email stay as they are. */
  async skipWelcome(): Promise<Result<Me>> {
    if (!this.me) await this.load();
    const me = this.me;
    if (!me) return { ok: false, error: { code: 'unavailable', message: this.error ?? 'Your profile could not be read.' } };
    return this.update({ name: me.name, email: me.email }, true);
  }
}

class SettingsState {
  settings = $state<Settings | null>(null);
  retention = $state<{ months: number; candidates: RetentionCandidate[] } | null>(null);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    const [settings, retention] = await Promise.all([call('settings:get', {}), call('candidates:retention', {})]);
    if (settings.ok) this.settings = settings.value;
    if (retention.ok) this.retention = retention.value;
    this.error = !settings.ok ? settings.error.message : !retention.ok ? retention.error.message : null;
  }

  async setRetentionMonths(months: number): Promise<Result<Settings>> {
    const result = await call('settings:update', { retentionMonths: months });
    if (result.ok) {
      this.settings = result.value;
      const retention = await call('candidates:retention', {});
      if (retention.ok) this.retention = retention.value;
    }
    return result;
  }

  /** Erases every candidate on the retention list (one confirmed step in Settings). */
  async eraseRetained(): Promise<Result<{ erased: number }>> {
    const ids = this.retention?.candidates.map((c) => c.candidateId) ?? [];
    let erased = 0;
    let result: Result<{ erased: number }> = { ok: true, value: { erased: 0 } };
    // The channel takes at most 10,000 ids a call; a longer list goes in several calls.
    for (let start = 0; start < ids.length; start += ERASE_BATCH) {
      result = await call('candidates:erase', { candidateIds: ids.slice(start, start + ERASE_BATCH) });
      if (!result.ok) break;
      erased += result.value.erased;
    }
    const retention = await call('candidates:retention', {});
    if (retention.ok) this.retention = retention.value;
    return result.ok ? { ok: true, value: { erased } } : result;
  }
}

/** Writes on interviewers; the list itself is interviewersState (also read by pickers). */
export const interviewerActions = {
  async add(fields: { name: string; email: string }): Promise<Result<Interviewer>> {
    const result = await call('interviewers:add', fields);
    if (result.ok) await interviewersState.load();
    return result;
  },

  async update(interviewer: Interviewer, fields: { name: string; email: string }): Promise<Result<Interviewer>> {
    const result = await call('interviewers:update', { interviewerId: interviewer.id, revision: interviewer.revision, ...fields });
    if (result.ok || result.error.code === 'stale_revision') await interviewersState.load();
    if (result.ok && interviewer.isMe) await meState.load();
    return result;
  },

  async setActive(interviewer: Interviewer, active: boolean): Promise<Result<Interviewer>> {
    const result = await call('interviewers:set-active', { interviewerId: interviewer.id, revision: interviewer.revision, active });
    if (result.ok || result.error.code === 'stale_revision') await interviewersState.load();
    return result;
  },
};

export const meState = new MeState();
export const settingsState = new SettingsState();
