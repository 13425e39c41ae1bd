import type { DemoOptions, DemoSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { buildDemo } from '../seed/demo';
import { EXAMPLE_ROLE_KEY } from './first-run';

export function loadDemo(ctx: CoreContext, options: DemoOptions): DemoSummary {
  return ctx.db.transaction(() => {
    if (ctx.repos.demo.present()) {
      throw new AppError('conflict', 'Demo data is already loaded; remove it first to load a different set.');
    }
    return buildDemo(ctx.repos, options, ctx.meId, ctx.repos.settings.get(EXAMPLE_ROLE_KEY), ctx.clock());
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
