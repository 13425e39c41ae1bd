import type { DemoOptions, DemoSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { buildDemo } from '../seed/demo';
import { refreshProjection } from './calibration/projection';
import { EXAMPLE_ROLE_KEY } from './first-run';

export function loadDemo(ctx: CoreContext, options: DemoOptions): DemoSummary {
  const summary = ctx.db.transaction(() => {
    if (ctx.repos.demo.present()) {
      throw new AppError('conflict', 'Demo data is already loaded; remove it first to load a different set.');
    }
    const summary = buildDemo(ctx.repos, options, ctx.meId, ctx.repos.settings.get(EXAMPLE_ROLE_KEY), ctx.clock());
    // A bulk load brings the calibration projection up to date before it commits, as an import would.
    refreshProjection(ctx);
    return summary;
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'demo-loaded' } });
  return summary;
}

/** Removes every demo record in one transaction; returns what was removed. */
export function removeDemo(ctx: CoreContext): DemoSummary {
  const removed = ctx.db.transaction(() => {
    const counts = ctx.repos.demo.counts();
    ctx.repos.demo.deleteAll();
    refreshProjection(ctx);
    return counts;
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'demo-removed' } });
  return removed;
}
