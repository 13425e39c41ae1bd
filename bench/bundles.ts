import { join } from 'node:path';
import { dispatch } from '../src/shared/dispatch';
import { openCore } from '../src/main/core';
import { exportBundle, importBundle } from '../src/main/core/services/bundles';
import { median } from './stats';

const IMPORTS = 3;

/**
 * A full bundle of about 10,000 signed scorecards (a demo of 1,100 candidates), exported, then
 * imported into new installations with every signature verified (in the app's worker threads):
 * the median milliseconds of three imports.
 */
export async function bundleRoundTrip(scratch: string): Promise<{ scorecards: number; exportMs: number; importMs: number; kilobytes: number }> {
  const from = await openCore({ dataDir: join(scratch, 'bundle-from'), version: 'bench' });
  try {
    const loaded = await dispatch(from.handlers, 'demo:load', { candidates: 1100, interviewers: 120, seed: 11 });
    if (!loaded.ok) throw new Error(loaded.error.message);
    let t = performance.now();
    const { file } = exportBundle(from.ctx, { kind: 'full' });
    const exportMs = performance.now() - t;
    const importMs: number[] = [];
    let scorecards = 0;
    for (let i = 0; i < IMPORTS; i++) {
      const to = await openCore({ dataDir: join(scratch, `bundle-to-${i}`), version: 'bench' });
      try {
        t = performance.now();
        await importBundle(to.ctx, file);
        importMs.push(performance.now() - t);
        scorecards = to.ctx.db.prepare(`SELECT count(*) FROM scorecards`).pluck().get() as number;
      } finally {
        to.close();
      }
    }
    return { scorecards, exportMs, importMs: median(importMs), kilobytes: file.length / 1024 };
  } finally {
    from.close();
  }
}
