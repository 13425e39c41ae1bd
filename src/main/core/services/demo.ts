import { createHash } from 'node:crypto';
import type { DemoOptions, DemoSummary } from '../../../shared/contract';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { keysFromSeed, type KeyPair } from '../provenance/keys';
import { ScorecardSigner } from '../provenance/sign-scorecard';
import { buildDemo } from '../seed/demo';
import { refreshProjection } from './calibration/projection';
import { EXAMPLE_ROLE_KEY } from './first-run';

/**
 * Demo data is signed like real data, so that every path can be tried on it: each demo interviewer
 * gets a key derived from the seed (the same seed, the same keys), and my demo scorecards are
 * signed with this installation's own key.
 */
function signDemoScorecards(ctx: CoreContext, seed: number): void {
  const keys = new Map<string, KeyPair>([[ctx.meId, ctx.keys]]);
  const keysOf = (interviewerId: string): KeyPair => {
    let pair = keys.get(interviewerId);
    if (!pair) {
      pair = keysFromSeed(createHash('sha256').update(`panelist-demo-key:${seed}:${interviewerId}`).digest());
      keys.set(interviewerId, pair);
      ctx.repos.interviewers.setPublicKey(interviewerId, pair.publicKey);
    }
    return pair;
  };
  const signer = new ScorecardSigner(ctx.repos);
  for (const s of ctx.repos.demo.unsignedSubmitted()) signer.sign(s.id, keysOf(s.interviewerId), s.submittedAt, null);
}

export function loadDemo(ctx: CoreContext, options: DemoOptions): DemoSummary {
  const summary = ctx.db.transaction(() => {
    if (ctx.repos.demo.present()) {
      throw new AppError('conflict', 'Demo data is already loaded; remove it first to load a different set.');
    }
    const summary = buildDemo(ctx.repos, options, ctx.meId, ctx.repos.settings.get(EXAMPLE_ROLE_KEY), ctx.clock());
    signDemoScorecards(ctx, options.seed);
    // A bulk load brings the calibration projection up to date before it commits, as an import would.
    refreshProjection(ctx);
    return summary;
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'demo-loaded' } });
  return summary;
}

/** Removes every demo record in one transaction; returns what was removed. Their text is gone from the file too (secure_delete, and the WAL checkpointed). */
export function removeDemo(ctx: CoreContext): DemoSummary {
  const removed = ctx.db.transaction(() => {
    const counts = ctx.repos.demo.counts();
    ctx.repos.demo.deleteAll();
    refreshProjection(ctx);
    return counts;
  }).immediate();
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'demo-removed' } });
  return removed;
}
