import type { DemoOptions, DemoSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { buildDemo } from '../seed/demo';

export function loadDemo(ctx: CoreContext, options: DemoOptions): DemoSummary {
  return ctx.db.transaction(() => {
    if (ctx.repos.demo.present()) {
      throw new AppError('conflict', 'Demo data is already loaded; remove it first to load a different set.');
    }
    return buildDemo(ctx.repos, options, ctx.meId, ctx.clock());
  }).immediate();
}

/** Removes every demo record in one transaction; returns what was removed. */
export function removeDemo(ctx: CoreContext): DemoSummary {
  return ctx.db.transaction(() => {
    const removed = ctx.repos.demo.counts();
    ctx.repos.demo.deleteAll();
    return removed;
  }).immediate();
}
