import { gzipSync } from 'node:zlib';
import { HubIdentity, PushResponse, type PushRequest } from '../../../shared/hub';

/** Why talking to the hub failed: `offline` (not reached), `refused` (it answered no), `broken` (it answered nonsense). */
export class HubError extends Error {
  override name = 'HubError';
  constructor(
    readonly kind: 'offline' | 'refused' | 'broken',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface HubAddress {
  address: string;
  token: string;
}

/** How long one request may take before the hub counts as unreachable. */
const REQUEST_TIMEOUT_MS = 120_000;

/** A hub that says "too many requests" or "busy, try again" is asked again this often, if it asks for a short wait. */
const RETRIES = 2;
const LONGEST_WAIT_S = 10;

/** How long the hub asked us to wait before trying again, when it is short enough to wait here. */
function retryAfterMs(response: Response): number | null {
  if (response.status !== 429 && response.status !== 503) return null;
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= LONGEST_WAIT_S ? Math.max(seconds, 0.1) * 1000 : null;
}

async function request(hub: HubAddress, path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, hub.address.endsWith('/') ? hub.address : `${hub.address}/`);
  let response: Response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${hub.token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
      throw new HubError('offline', `The hub at ${url.origin} cannot be reached (${cause}).`);
    }
    const wait = attempt < RETRIES ? retryAfterMs(response) : null;
    if (wait === null) break;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  if (response.ok) return response;
  let message = `The hub answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') message = `The hub refused: ${body.error.message}`;
  } catch {
    // keep the status line
  }
  // Behind a proxy, a hub that is down or busy answers 502–504: as good as offline, the next sync tries again.
  const kind = [502, 503, 504].includes(response.status) ? 'offline' : response.status >= 500 ? 'broken' : 'refused';
  throw new HubError(kind, message, response.status);
}

async function json(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new HubError('broken', 'The hub answered with something that is not JSON.');
  }
}

/** Who the hub says the token belongs to (refused for a revoked or unknown token). */
export async function whoAmI(hub: HubAddress): Promise<HubIdentity> {
  const parsed = HubIdentity.safeParse(await json(await request(hub, 'v1/me')));
  if (!parsed.success) throw new HubError('broken', 'The hub did not say who this token belongs to.');
  return parsed.data;
}

export async function push(hub: HubAddress, body: PushRequest): Promise<PushResponse> {
  const response = await request(hub, 'v1/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(JSON.stringify(body), 'utf8')),
  });
  const parsed = PushResponse.safeParse(await json(response));
  if (!parsed.success) throw new HubError('broken', 'The hub answered a push with something this Panelist cannot read.');
  return parsed.data;
}

/** What changed since the cursor that this user may see: a .panelist file, and the cursor to ask from next time. */
export async function pull(hub: HubAddress, cursor: string | null): Promise<{ file: Buffer; cursor: string }> {
  const response = await request(hub, `v1/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
  const next = response.headers.get('x-panelist-cursor');
  if (!next || !/^\d{1,20}$/.test(next)) throw new HubError('broken', 'The hub answered a pull without a cursor.');
  return { file: Buffer.from(await response.arrayBuffer()), cursor: next };
}
