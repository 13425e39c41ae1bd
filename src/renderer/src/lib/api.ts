import type { Channel, CoreEvent, InputOf, OutputOf } from '../../../shared/contract';
import type { Result } from '../../../shared/result';

/** What the preload exposes in Electron; absent in the browser. */
interface Bridge {
  invoke(channel: Channel, input: unknown): Promise<unknown>;
  onEvent(listener: (event: unknown) => void): () => void;
}

declare global {
  interface Window {
    panelist?: Bridge;
  }
}

type Transport = (channel: Channel, input: unknown) => Promise<unknown>;
type EventListener = (event: CoreEvent) => void;
type EventSource = (deliver: EventListener) => void;

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

const RECONNECT_MS = [500, 1000, 2000, 5000, 10_000];

/**
 * Serve mode's push events: a fetch of /events with the token in a header, read as server-sent
 * events for as long as the tab lives, reconnecting after a drop. Events missed while the stream
 * was down are unknown, so a reconnect is delivered as "anything may have changed".
 */
function httpEvents(token: string | null): EventSource {
  return (deliver) => {
    if (!token) return;
    let attempt = 0;
    const connect = async (): Promise<void> => {
      try {
        const response = await fetch('/events', { headers: { 'x-panelist-token': token }, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`event stream refused (${response.status})`);
        if (attempt > 0) deliver({ name: 'data:changed', payload: { reason: 'external' } });
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = message.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
            if (data) deliver(JSON.parse(data) as CoreEvent);
          }
        }
      } catch {
        /* dropped or refused: try again below */
      }
      const delay = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)] ?? 10_000;
      attempt++;
      setTimeout(() => void connect(), delay);
    };
    void connect();
  };
}

function pickTransport(): { transport: Transport; events: EventSource } {
  const bridge = window.panelist;
  if (bridge) {
    return {
      transport: (channel, input) => bridge.invoke(channel, input),
      events: (deliver) => void bridge.onEvent((event) => deliver(event as CoreEvent)),
    };
  }
  const token = takeServeToken();
  return { transport: httpTransport(token), events: httpEvents(token) };
}

const { transport, events } = pickTransport();
const listeners = new Set<EventListener>();
let listening = false;

/**
 * Calls the listener with every push event from the core (a scorecard changed in another window,
 * another process wrote the database), whichever transport carries them. Returns the unsubscribe.
 */
export function onEvent(listener: EventListener): () => void {
  listeners.add(listener);
  if (!listening) {
    listening = true;
    events((event) => listeners.forEach((l) => l(event)));
  }
  return () => listeners.delete(listener);
}

/** The one way the renderer calls the core; it never knows which transport carries the call. */
export async function call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
  return (await transport(channel, input)) as Result<OutputOf<C>>;
}

/**
 * A page that shows what other windows and processes may change: while it is open (start), every
 * `data:changed` reloads it; stop when it closes.
 */
export function reloadOnDataChanges(reload: () => void): { start(): void; stop(): void } {
  let off: (() => void) | null = null;
  return {
    start() {
      off ??= onEvent((event) => {
        if (event.name === 'data:changed') reload();
      });
    },
    stop() {
      off?.();
      off = null;
    },
  };
}
