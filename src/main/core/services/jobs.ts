import type { CoreContext } from '../context';

/**
 * Long work a window may watch and stop: reading and checking a bundle, writing a role's packets.
 * The caller names each run with a ticket; progress goes to every window as `job:progress` under
 * it (a window shows only its own), and `jobs:cancel` with the ticket aborts the run's signal.
 */

export interface JobProgress {
  phase: 'reading' | 'verifying' | 'writing';
  done: number;
  total: number;
}

export interface Job {
  signal: AbortSignal;
  progress(progress: JobProgress): void;
}

const running = new WeakMap<CoreContext, Map<string, AbortController>>();

export async function runJob<T>(ctx: CoreContext, ticket: string, work: (job: Job) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const mine = running.get(ctx) ?? new Map<string, AbortController>();
  running.set(ctx, mine);
  mine.get(ticket)?.abort();
  mine.set(ticket, controller);
  try {
    return await work({ signal: controller.signal, progress: (p) => ctx.events.emit({ name: 'job:progress', payload: { ticket, ...p } }) });
  } finally {
    if (mine.get(ticket) === controller) mine.delete(ticket);
  }
}

/** Stops the run under this ticket; false when nothing runs under it (finished, or past the point of stopping). */
export function cancelJob(ctx: CoreContext, ticket: string): { cancelled: boolean } {
  const controller = running.get(ctx)?.get(ticket);
  controller?.abort();
  return { cancelled: !!controller };
}
