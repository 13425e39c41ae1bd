import type { Channel, InputOf, OutputOf } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

/** What the preload exposes in Electron; absent in the browser. */
interface Bridge {
  invoke(channel: Channel, input: unknown): Promise<unknown>;
}

declare global {
  interface Window {
    panelist?: Bridge;
  }
}

type Transport = (channel: Channel, input: unknown) => Promise<unknown>;

const TOKEN_KEY = 'panelist.token';

/** Serve mode prints an address with #token=…; keep the token for this tab and clear it from the bar. */
function takeServeToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search + '#/today');
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpTransport(token: string | null): Transport {
  return async (channel, input) => {
    if (!token) {
      return { ok: false, error: { code: 'unauthorized', message: 'No session token: open the address that `panelist serve` printed.' } };
    }
    try {
      const response = await fetch(`/rpc/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-panelist-token': token },
        body: JSON.stringify(input ?? {}),
      });
      return await response.json();
    } catch (error) {
      return { ok: false, error: { code: 'unavailable', message: `Panelist's server did not answer (${String(error)}). Is \`panelist serve\` still running?` } };
    }
  };
}

function pickTransport(): Transport {
  const bridge = window.panelist;
  if (bridge) return (channel, input) => bridge.invoke(channel, input);
  return httpTransport(takeServeToken());
}

const transport = pickTransport();

/** The one way the renderer calls the core; it never knows which transport carries the call. */
export async function call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  return (await transport(channel, input)) as Result<OutputOf<C>>;
}
