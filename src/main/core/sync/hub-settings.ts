import { HubIdentity } from '../../../shared/hub';
import type { CoreContext } from '../context';
import type { HubAddress } from './hub-client';

// Where this installation's hub connection is kept: the settings table of its private database.

const KEYS = {
  address: 'hub.address',
  token: 'hub.token',
  cursor: 'hub.cursor',
  identity: 'hub.identity',
  lastSyncAt: 'hub.last-sync-at',
  lastError: 'hub.last-error',
  offline: 'hub.offline',
} as const;

export interface HubState {
  hub: HubAddress | null;
  cursor: string | null;
  identity: HubIdentity | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Whether the last failure was not reaching the hub (rather than the hub refusing). */
  offline: boolean;
}

function text(ctx: CoreContext, key: string): string | null {
  const value = ctx.repos.settings.get(key);
  return value === undefined || value === '' ? null : value;
}

export function hubState(ctx: CoreContext): HubState {
  const address = text(ctx, KEYS.address);
  const token = text(ctx, KEYS.token);
  let identity: HubIdentity | null;
  try {
    identity = HubIdentity.parse(JSON.parse(text(ctx, KEYS.identity) ?? 'null'));
  } catch {
    identity = null;
  }
  return {
    hub: address && token ? { address, token } : null,
    cursor: text(ctx, KEYS.cursor),
    identity,
    lastSyncAt: text(ctx, KEYS.lastSyncAt),
    lastError: text(ctx, KEYS.lastError),
    offline: text(ctx, KEYS.offline) === 'yes',
  };
}

/** A new hub (or none): nothing is known about what it holds, so the next sync starts from the beginning. */
export function setHub(ctx: CoreContext, hub: HubAddress | null): void {
  ctx.db.transaction(() => {
    ctx.repos.settings.set(KEYS.address, hub?.address ?? '');
    ctx.repos.settings.set(KEYS.token, hub?.token ?? '');
    for (const key of [KEYS.cursor, KEYS.identity, KEYS.lastSyncAt, KEYS.lastError, KEYS.offline]) ctx.repos.settings.set(key, '');
    ctx.repos.hubRecords.forget();
  }).immediate();
}

/** The same hub with another token (a new one from its admin): what it holds is still known. */
export function setToken(ctx: CoreContext, token: string): void {
  ctx.repos.settings.set(KEYS.token, token);
}

export function saveCursor(ctx: CoreContext, cursor: string): void {
  ctx.repos.settings.set(KEYS.cursor, cursor);
}

export function saveIdentity(ctx: CoreContext, identity: HubIdentity): void {
  ctx.repos.settings.set(KEYS.identity, JSON.stringify(identity));
}

export function saveOutcome(ctx: CoreContext, outcome: { at: string; error: string | null; offline: boolean }): void {
  ctx.db.transaction(() => {
    if (!outcome.error) ctx.repos.settings.set(KEYS.lastSyncAt, outcome.at);
    ctx.repos.settings.set(KEYS.lastError, outcome.error ?? '');
    ctx.repos.settings.set(KEYS.offline, outcome.offline ? 'yes' : '');
  }).immediate();
}
