import type { HubRole, HubStatus } from '../../../shared/hub';
import type { Result } from '../../../shared/result';
import { call, onEvent } from './api';
import { countOf } from './format';
import { formatAgo } from './when';

/**
 * The team hub connection as this window knows it: the core's `hub:status`, kept current by its
 * `hub:status` events (a sync began, ended or failed) and re-read after changes here
 * (`data:changed`, `scorecard:changed`: the waiting count follows the user's edits). Nothing here
 * waits for the network: configure and sync answer at once, the outcome comes as events.
 * The token goes to the core and is never kept or shown here (the status never carries it).
 */

/** How long after a change here the waiting count is re-read (changes come in bursts). */
const REREAD_MS = 400;

/** How often the relative time ("Synced 2 min ago") is re-read. */
const TICK_MS = 20_000;

export const HUB_ROLE_WORDS: Record<HubRole, string> = {
  interviewer: 'interviewer',
  'hiring-manager': 'hiring manager',
  admin: 'admin',
};

/** A state the status line settles in (a sync running is not one: see `line`). */
type Settled = 'off' | 'synced' | 'offline' | 'error';

/** "3 changes waiting" (for the status line and Settings). */
export function waitingWords(waiting: number): string {
  return `${countOf(waiting, 'change')} waiting`;
}

/** The status line's words for a settled state. */
function settledLine(status: HubStatus, state: Settled, now: number): string {
  switch (state) {
    case 'synced': {
      const when = status.lastSyncAt ? `Synced ${formatAgo(status.lastSyncAt, now)}` : 'Synced';
      return status.waiting > 0 ? `${when}, ${waitingWords(status.waiting)}` : when;
    }
    case 'offline':
      return status.waiting > 0 ? `Offline, ${waitingWords(status.waiting)}` : 'Offline';
    case 'error':
      return `Sync failed: ${status.lastError ?? 'the hub did not say why.'}`;
    default:
      return '';
  }
}

class HubState {
  status = $state<HubStatus | null>(null);
  /** Why the status could not be read (the Settings section says it). */
  error = $state<string | null>(null);
  /** The clock the relative times are read against; ticks while a hub is set up. */
  now = $state(Date.now());
  /** Said once by a polite live region when the connection settles somewhere new; never on the clock's tick. */
  announcement = $state('');
  /**
   * Where the connection last settled (synced, offline, failed), kept while a background sync
   * runs: the status line keeps its words instead of flickering to "Syncing…" every half minute.
   */
  private settled = $state<Settled | null>(null);
  /** A sync asked for in this window (Connect, Sync now): the line says "Syncing…" until it ends. */
  private asked = $state(false);

  private started = false;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private reading = false;
  private readAgain = false;
  /** Counts `hub:status` events, so that a read answered after a newer event does not undo it. */
  private eventCount = 0;

  /** Whether a hub is set up (the status line shows; Settings shows the connection). */
  connected = $derived(this.status !== null && this.status.state !== 'off' && this.status.address !== null);

  /** The status line: "Synced 2 min ago", "Syncing…", "Offline, 3 changes waiting", "Sync failed: …"; empty when no hub is set up. */
  line = $derived.by(() => {
    const status = this.status;
    if (!status || !this.connected) return '';
    if (status.state !== 'syncing') return settledLine(status, status.state as Settled, this.now);
    if (this.asked || !this.settled || this.settled === 'off') return 'Syncing…';
    return settledLine(status, this.settled, this.now);
  });

  /** The line's tone: `error` when the sync failed (not merely offline), else calm. */
  tone = $derived.by((): Settled | 'syncing' => {
    const status = this.status;
    if (!status) return 'off';
    if (status.state !== 'syncing') return status.state;
    return this.asked || !this.settled ? 'syncing' : this.settled;
  });

  /** Follows the core's events for the life of the window; the first call also reads the status. */
  start(): void {
    if (this.started) return;
    this.started = true;
    onEvent((event) => {
      if (event.name === 'hub:status') {
        this.eventCount++;
        this.apply(event.payload);
      } else if (event.name === 'data:changed' || event.name === 'scorecard:changed') {
        this.refreshSoon();
      }
    });
    setInterval(() => {
      if (this.connected) this.now = Date.now();
    }, TICK_MS);
    void this.refresh();
  }

  /**
   * Reads the status a moment after the last of a burst of changes (a scorecard saves on every
   * key; only a hub that is set up counts what waits, and that reads the whole database).
   */
  private refreshSoon(): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => void this.refresh(), REREAD_MS);
  }

  /** Reads the status; calls that come while one read runs are answered by one more read after it. */
  async refresh(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const seen = this.eventCount;
        const result = await call('hub:status', {});
        if (!result.ok) {
          this.error = result.error.message;
        } else {
          this.error = null;
          if (this.eventCount === seen) this.apply(result.value);
        }
      } while (this.readAgain);
    } finally {
      this.reading = false;
    }
  }

  /** Sets the hub's address and my token; the first sync starts in the background. */
  connect(address: string, token: string): Promise<Result<HubStatus>> {
    // A new connection: where the old one settled says nothing about this one.
    return this.ask(() => call('hub:configure', { address, token }), { syncs: true, fresh: true });
  }

  /** Stops syncing; everything stays on this computer. */
  disconnect(): Promise<Result<HubStatus>> {
    return this.ask(() => call('hub:configure', { disconnect: true }), { syncs: false, fresh: false });
  }

  /** "Sync now": starts a sync; its outcome arrives as events. */
  syncNow(): Promise<Result<HubStatus>> {
    return this.ask(() => call('hub:sync', {}), { syncs: true, fresh: false });
  }

  /**
   * A call that answers with the status at once. The core also says every change as an event,
   * and an event can overtake the answer (a hub that is not there fails the sync within
   * milliseconds): once any event came while the call ran, the answer is not newer than the
   * events, so the events stand. A sync asked for here says "Syncing…" from the start.
   */
  private async ask(run: () => Promise<Result<HubStatus>>, { syncs, fresh }: { syncs: boolean; fresh: boolean }): Promise<Result<HubStatus>> {
    const seen = this.eventCount;
    const before = { asked: this.asked, settled: this.settled };
    if (syncs) this.asked = true;
    if (fresh) this.settled = 'off';
    const result = await run();
    if (!result.ok) {
      this.asked = before.asked;
      this.settled = before.settled;
    } else if (this.eventCount === seen) {
      this.apply(result.value);
    }
    return result;
  }

  private apply(status: HubStatus): void {
    const before = this.status;
    this.status = status;
    this.now = Date.now();
    if (status.state === 'syncing') return;
    this.asked = false;
    const settled: Settled = status.state;
    // Said when the connection settles somewhere new (or fails differently), not for the first
    // reading of the window, not for every background sync that ends where it began, and not
    // for a disconnect (Settings says that where it was asked).
    const changed = this.settled !== settled || (settled === 'error' && before?.lastError !== status.lastError);
    if (changed && this.settled !== null && settled !== 'off') this.announcement = `Team hub: ${settledLine(status, settled, this.now)}`;
    this.settled = settled;
  }
}

export const hubState = new HubState();
