import { parentPort, workerData } from 'node:worker_threads';
import { checkRevisions, revisionCount, type Share } from './core/exchange/checked-bundle';
import { parseBundleFile, readBundle } from './core/exchange/read';
import type { Bundle } from '../shared/bundle';
import { AppError } from '../shared/result';
import type { WorkerMessage } from './core/exchange/check-in-workers';

// A bundle worker: reads a .panelist file and checks the signatures of one share of its scorecards,
// off the main thread. Every worker inflates and parses the whole file (faster than copying parsed
// records between threads); the first also checks it against the bundle format and hands it over.
// The others only check signatures: if the format is wrong, the first refuses the whole file.

const { file, share } = workerData as { file: Uint8Array; share: Share };
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const bundle = share.index === 0 ? readBundle(bytes) : (parseBundleFile(bytes) as Bundle);
  // The first hands the bundle over before checking: the main thread takes it in meanwhile.
  post({ type: 'read', total: revisionCount(bundle), bundle: share.index === 0 ? bundle : null });
  const revisionProblems = checkRevisions(bundle, share, (done) => post({ type: 'verified', done }));
  post({ type: 'done', revisionProblems });
} catch (error) {
  post({ type: 'failed', error: error instanceof AppError ? error.toShape() : { code: 'internal', message: `The bundle could not be read: ${String(error)}` } });
}
