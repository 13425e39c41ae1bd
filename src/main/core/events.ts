import type { CoreEvent } from '../../shared/contract';
import type { Db } from './db/connection';

export type EventListener = (event: CoreEvent) => void;

/** How often another process's commits are looked for while a window listens. */
const EXTERNAL_POLL_MS = 400;

/**
 * The core's push events, for every open window whatever its transport. While anyone listens, the
 * database is also watched for commits by other processes (a second serve process, a CLI import):
 * `PRAGMA data_version` changes exactly when another connection has committed.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private dataVersion = 0;

  constructor(private readonly db: Db) {}

  emit(event: CoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`Panelist: an event listener failed: ${String(error)}`);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.watchOtherProcesses();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  close(): void {
    this.listeners.clear();
    this.stopWatching();
  }

  private watchOtherProcesses(): void {
    this.dataVersion = this.readDataVersion();
    this.timer = setInterval(() => {
      if (!this.db.open) return this.stopWatching();
      const now = this.readDataVersion();
      if (now === this.dataVersion) return;
      this.dataVersion = now;
      this.emit({ name: 'data:changed', payload: { reason: 'external' } });
    }, EXTERNAL_POLL_MS);
    this.timer.unref();
  }

  private stopWatching(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
