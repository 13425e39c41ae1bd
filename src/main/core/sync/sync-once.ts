import type { Bundle } from '../../../shared/bundle';
import type { HubIdentity, HubRecordKind, HubRole, SyncSummary } from '../../../shared/hub';
import type { CoreContext } from '../context';
import { buildBundle } from '../exchange/export';
import type { WaitingRecord } from '../repositories/hub-records';
import { importChecked } from '../services/bundles';
import { onlyRecords, recordsOf } from './bundle-records';
import { HubError, pull, push, whoAmI, type HubAddress } from './hub-client';
import { hubState, saveCursor, saveIdentity } from './hub-settings';

/** How often a push refused as stale is merged and tried again within one sync. */
const ROUNDS = 3;

/** Others' signed work: an interviewer's desktop never pushes it, nor does a hiring manager's. */
const AUTHORED: readonly HubRecordKind[] = ['scorecards', 'revotes', 'key-events'];

function kindOf(key: string): HubRecordKind {
  return key.slice(0, key.indexOf('/')) as HubRecordKind;
}

/** What a user in this role may push: an interviewer their own work; a hiring manager also the roles, candidates, panels and people. */
export function mayPush(record: Pick<WaitingRecord, 'key' | 'mine'>, role: HubRole | null): boolean {
  if (role === 'admin') return false;
  if (record.mine) return true;
  return role === 'hiring-manager' && !AUTHORED.includes(kindOf(record.key));
}

/** The changes made here that the hub has not taken yet, for this user's role (before the first sync: my own work). */
export function waitingChanges(ctx: CoreContext, role: HubRole | null): WaitingRecord[] {
  return ctx.repos.hubRecords.waiting(ctx.meId).filter((record) => mayPush(record, role));
}

/** The settings changed to another hub (or none) while this sync ran: what it learnt must not be kept. */
function mustStillBe(ctx: CoreContext, hub: HubAddress): void {
  const now = hubState(ctx).hub;
  if (now?.address !== hub.address || now.token !== hub.token) throw new HubError('refused', 'The team hub was changed while a sync ran; the next sync starts afresh.');
}

function countInto(into: Record<string, number>, kind: string, n = 1): void {
  if (n) into[kind] = (into[kind] ?? 0) + n;
}

/** The waiting records as one bundle, without anything private (drafts, notes and keys never leave). */
function outgoing(ctx: CoreContext, waiting: WaitingRecord[]): Bundle {
  const { ownWork: _own, identity: _identity, ...full } = buildBundle(ctx, { kind: 'full' });
  return onlyRecords(full, new Set(waiting.map((w) => w.key)));
}

async function pushWaiting(ctx: CoreContext, hub: HubAddress, identity: HubIdentity, summary: SyncSummary): Promise<number> {
  const waiting = waitingChanges(ctx, identity.role);
  if (waiting.length === 0) return 0;
  const bundle = outgoing(ctx, waiting);
  const bases = Object.fromEntries(waiting.map((w) => [w.key, w.base]));
  const { results } = await push(hub, { bases, bundle });
  const revisions = new Map(waiting.map((w) => [w.key, w.revision]));
  let stale = 0;
  ctx.db.transaction(() => {
    mustStillBe(ctx, hub);
    for (const result of results) {
      const revision = revisions.get(result.key);
      if (revision === undefined) continue;
      if (result.outcome === 'accepted' || result.outcome === 'unchanged') {
        ctx.repos.hubRecords.known(result.key, result.revision ?? revision);
        if (result.outcome === 'accepted') countInto(summary.pushed, kindOf(result.key));
      } else if (result.outcome === 'stale') {
        stale++;
      } else {
        ctx.repos.hubRecords.refused(result.key, revision, result.reason ?? 'refused by the hub');
        summary.refused.push({ key: result.key, reason: result.reason ?? 'refused by the hub' });
      }
    }
  }).immediate();
  return stale;
}

async function pullChanges(ctx: CoreContext, hub: HubAddress, summary: SyncSummary): Promise<void> {
  const { file, cursor } = await pull(hub, hubState(ctx).cursor);
  const checked = await ctx.checkBundle(file);
  const records = recordsOf(checked.bundle);
  mustStillBe(ctx, hub);
  if (records.length > 0) {
    const imported = importChecked(ctx, checked, {}, 'synced');
    for (const [kind, n] of Object.entries(imported.added)) countInto(summary.pulled, kind, n);
    for (const [kind, n] of Object.entries(imported.updated)) countInto(summary.pulled, kind, n);
    summary.conflicts += imported.conflicts.length;
  }
  ctx.db.transaction(() => {
    mustStillBe(ctx, hub);
    for (const record of records) ctx.repos.hubRecords.known(record.key, record.revision);
    saveCursor(ctx, cursor);
  }).immediate();
}

/**
 * One sync: push what changed here (each record on the revision the hub had), pull what changed
 * there since the cursor and merge it by the exchange rules, and push again what the hub found
 * stale once it is merged. Refuses, with the reason, a token that is not this installation's person.
 */
export async function syncOnce(ctx: CoreContext, hub: HubAddress): Promise<SyncSummary> {
  const identity = await whoAmI(hub);
  mustStillBe(ctx, hub);
  saveIdentity(ctx, identity);
  const me = ctx.repos.interviewers.get(ctx.meId);
  if (identity.role !== 'admin' && me?.email.toLowerCase() !== identity.email.toLowerCase()) {
    throw new HubError(
      'refused',
      `This token is for ${identity.email}, but this installation's interviewer is ${me?.email || 'without an email'}: set your email under Settings, or ask the hub's admin for your own token.`,
    );
  }
  const summary: SyncSummary = { pushed: {}, pulled: {}, stale: 0, refused: [], conflicts: 0, identity };
  if (identity.role === 'admin') return summary;
  for (let round = 1; ; round++) {
    const stale = await pushWaiting(ctx, hub, identity, summary);
    await pullChanges(ctx, hub, summary);
    if (stale === 0 || round === ROUNDS) {
      summary.stale = stale;
      break;
    }
  }
  return summary;
}
