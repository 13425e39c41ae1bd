import type { HubConfigureInput, HubStatus, SyncSummary } from '../../../shared/hub';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { HubError } from './hub-client';
import { hubState, saveOutcome, setHub } from './hub-settings';
import { syncOnce, waitingChanges } from './sync-once';

export interface SyncSchedule {
  /** Sync this often while the app runs. */
  everyMs: number;
  /** And this long after a change here (changes in a burst sync once). */
  afterChangeMs: number;
}

export const DEFAULT_SCHEDULE: SyncSchedule = { everyMs: 30_000, afterChangeMs: 2_000 };

/** One sentence for the status line, whatever went wrong. */
function sentence(error: unknown): string {
  if (error instanceof HubError || error instanceof AppError) return error.message;
  return `The sync failed: ${error instanceof Error ? error.message : String(error)}.`;
}

/**
 * The desktop's connection to its team hub: syncs in the background (on a timer and shortly after
 * each change here), one sync at a time, and says how it stands. Nothing a window asks for waits
 * for the network: `syncNow` starts a sync and answers at once; `hub:status` events follow.
 */
export class HubSyncer {
  private running: Promise<SyncSummary> | null = null;
  /** The sync that starts when the running one ends (asked for meanwhile, so it sees the latest changes). */
  private following: Promise<SyncSummary> | null = null;
  /** Moves on each change of the settings: a sync that began before must not record how it ended. */
  private generation = 0;
  private stopped = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: CoreContext) {}

  status(): HubStatus {
    const state = hubState(this.ctx);
    if (!state.hub) return { address: null, identity: null, state: 'off', lastSyncAt: null, waiting: 0, lastError: null };
    const phase = this.running ? 'syncing' : state.lastError ? (state.offline ? 'offline' : 'error') : state.lastSyncAt ? 'synced' : 'syncing';
    return {
      address: state.hub.address,
      identity: state.identity,
      state: phase,
      lastSyncAt: state.lastSyncAt,
      waiting: waitingChanges(this.ctx, state.identity?.role ?? null).length,
      lastError: state.lastError,
    };
  }

  configure(input: HubConfigureInput): HubStatus {
    this.generation++;
    if (input.disconnect || !input.address || !input.token) {
      setHub(this.ctx, null);
    } else {
      setHub(this.ctx, { address: input.address.replace(/\/+$/, ''), token: input.token });
      this.syncNow();
    }
    return this.announce();
  }

  /** Starts a sync unless one is running (then another follows it); answers at once. */
  syncNow(): HubStatus {
    void this.run().catch(() => undefined);
    return this.status();
  }

  /**
   * One sync, awaited (the CLI, tests); a failure is recorded for the status line and thrown. Asked
   * while one runs, it answers with the sync that follows it, which sees the changes made meanwhile.
   */
  run(): Promise<SyncSummary> {
    if (this.running) {
      this.following ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.following = null;
          if (this.stopped) throw new AppError('unavailable', 'The team hub connection was closed before this sync could start.');
          return this.run();
        });
      return this.following;
    }
    const hub = hubState(this.ctx).hub;
    if (!hub) return Promise.reject(new AppError('invalid_input', 'No team hub is set up: give its address and your token under Settings → Team hub.', 'address'));
    const generation = this.generation;
    const outcome = (error: unknown) => {
      if (generation !== this.generation || !this.ctx.db.open) return;
      saveOutcome(this.ctx, { at: nowOf(this.ctx), error: error === null ? null : sentence(error), offline: error instanceof HubError && error.kind === 'offline' });
    };
    this.running = (async () => {
      try {
        const summary = await syncOnce(this.ctx, hub);
        outcome(null);
        return summary;
      } catch (error) {
        outcome(error);
        throw error;
      } finally {
        this.running = null;
        if (this.ctx.db.open) this.announce();
      }
    })();
    this.announce();
    return this.running;
  }

  /** Syncs in the background while the app runs: on the schedule, and after changes here. */
  start(schedule: SyncSchedule = DEFAULT_SCHEDULE): void {
    this.stop();
    this.stopped = false;
    this.timer = setInterval(() => this.syncIfConfigured(), schedule.everyMs);
    this.timer.unref();
    // A change here syncs soon, if it left anything for the hub (typing in a draft does not).
    this.unsubscribe = this.ctx.events.subscribe((event) => {
      if (event.name === 'scorecard:changed' || (event.name === 'data:changed' && event.payload.reason !== 'synced')) this.syncSoon(schedule.afterChangeMs, true);
    });
    this.syncSoon(0);
  }

  /** No more syncs start (a sync already running ends on its own). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.unsubscribe?.();
    this.timer = this.soon = this.unsubscribe = undefined;
  }

  private syncSoon(ms: number, onlyIfWaiting = false): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.syncIfConfigured(onlyIfWaiting), ms);
    this.soon.unref();
  }

  private syncIfConfigured(onlyIfWaiting = false): void {
    if (this.stopped || !this.ctx.db.open) return;
    const state = hubState(this.ctx);
    if (!state.hub) return;
    if (onlyIfWaiting && waitingChanges(this.ctx, state.identity?.role ?? null).length === 0) return;
    this.syncNow();
  }

  private announce(): HubStatus {
    const status = this.status();
    this.ctx.events.emit({ name: 'hub:status', payload: status });
    return status;
  }
}
