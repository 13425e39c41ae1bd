import { join } from 'node:path';
import { dispatch } from '../src/shared/dispatch';
import { openCore } from '../src/main/core';
import { exportBundle, importBundle } from '../src/main/core/services/bundles';

/**
 * A full bundle of about 10,000 signed scorecards (a demo of 1,100 candidates), exported, then
 * imported into a new installation with every signature verified: milliseconds for each.
 */
export async function bundleRoundTrip(scratch: string): Promise<{ scorecards: number; exportMs: number; importMs: number; kilobytes: number }> {
  const from = await openCore({ dataDir: join(scratch, 'bundle-from'), version: 'bench' });
  const to = await openCore({ dataDir: join(scratch, 'bundle-to'), version: 'bench' });
  try {
    const loaded = await dispatch(from.handlers, 'demo:load', { candidates: 1100, interviewers: 120, seed: 11 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    let t = performance.now();
    const { file } = exportBundle(from.ctx, { kind: 'full' });
    const exportMs = performance.now() - t;
    t = performance.now();
    importBundle(to.ctx, file);
    const importMs = performance.now() - t;
    const scorecards = to.ctx.db.prepare(`SELECT count(*) FROM scorecards`).pluck().get() as number;
    return { scorecards, exportMs, importMs, kilobytes: file.length / 1024 };
  } finally {
    from.close();
    to.close();
  }
}
