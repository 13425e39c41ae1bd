import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Bundle } from '../../../shared/bundle';
import { AppError, type AppErrorShape } from '../../../shared/result';
import type { BundleChecker } from '../context';
import { checkBundleHere, type CheckedBundle, type CheckProgress } from './checked-bundle';

/** What a bundle worker says, in order: read, verified (now and then), then done or failed. */
export type WorkerMessage =
  | { type: 'read'; total: number; bundle: Bundle | null }
  | { type: 'verified'; done: number }
  | { type: 'done'; revisionProblems: (string | null)[][] }
  | { type: 'failed'; error: AppErrorShape };

export interface CheckRun {
  onProgress?: (progress: CheckProgress) => void;
  signal?: AbortSignal;
}

/** Built beside the main entries (out/main): see electron.vite.config.ts. */
const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'bundle-worker.js');

/**
 * Reads and checks a bundle in worker threads, one per core (at most two: the main thread must stay
 * free): each reads the file and checks the signatures of its share of the scorecards. Progress is
 * reported as revisions are checked; aborting the signal stops every worker at once and refuses
 * with `cancelled`.
 */
export function checkBundleInWorkers(file: Buffer, run: CheckRun = {}, script = WORKER_SCRIPT): Promise<CheckedBundle> {
  const threads = Math.max(1, Math.min(2, availableParallelism()));
  return new Promise<CheckedBundle>((resolve, reject) => {
    const workers: Worker[] = [];
    const verified = new Array<number>(threads).fill(0);
    const finished: (string | null)[][][] = [];
    let finishedCount = 0;
    let bundle: Bundle | null = null;
    let total = 0;
    let settled = false;
    const stop = () => {
      for (const worker of workers) void worker.terminate();
      run.signal?.removeEventListener('abort', cancel);
    };
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      stop();
      outcome();
    };
    let helperFailure: AppError | null = null;
    const finishIfAllDone = () => {
      if (finishedCount < threads || !bundle) return;
      const done = bundle;
      settle(() => (helperFailure ? reject(helperFailure) : resolve({ bundle: done, revisionProblems: merge(finished) })));
    };
    const cancel = () => settle(() => reject(new AppError('cancelled', 'The import was cancelled: nothing was written.')));
    if (run.signal?.aborted) return cancel();
    run.signal?.addEventListener('abort', cancel, { once: true });
    run.onProgress?.({ phase: 'reading', done: 0, total: 0 });

    const shared = new Uint8Array(new SharedArrayBuffer(file.length));
    shared.set(file);
    for (let index = 0; index < threads; index++) {
      const worker = new Worker(script, { workerData: { file: shared, share: { index, of: threads } } });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if (settled) return;
        switch (message.type) {
          case 'read':
            total = message.total;
            if (message.bundle) bundle = message.bundle;
            return;
          case 'verified':
            verified[index] = message.done;
            run.onProgress?.({ phase: 'verifying', done: verified.reduce((a, b) => a + b, 0), total });
            return;
          case 'failed': {
            const error = new AppError(message.error.code, message.error.message, message.error.path);
            // Only the first worker checks the format, so only its refusal names what is wrong with
            // the file; another worker's failure (on a file the first will refuse) waits for it.
            if (index === 0) return settle(() => reject(error));
            helperFailure = error;
            finishedCount++;
            return finishIfAllDone();
          }
          case 'done':
            finished[index] = message.revisionProblems;
            finishedCount++;
            return finishIfAllDone();
        }
      });
      worker.on('error', (error) => settle(() => reject(new AppError('internal', `A bundle worker failed: ${error.message}`))));
      worker.on('exit', (code) => {
        if (!settled && code !== 0) settle(() => reject(new AppError('internal', `A bundle worker stopped (exit code ${code}).`)));
      });
    }
  });
}

/** Each share filled its own scorecards' entries: one list with every entry. */
function merge(shares: (string | null)[][][]): (string | null)[][] {
  const all: (string | null)[][] = [];
  for (const share of shares) share.forEach((problems, s) => (all[s] = problems));
  return all;
}

/**
 * Worker threads in the built app, CLI and benchmarks. Running from the TypeScript sources (the
 * core's tests under vitest), a worker cannot load them, so the same checks run in-process there;
 * the CLI and end-to-end tests exercise the workers.
 */
export function defaultBundleChecker(): BundleChecker {
  if (import.meta.url.endsWith('.ts')) return async (file) => checkBundleHere(file);
  return (file, run) => checkBundleInWorkers(file, run);
}
