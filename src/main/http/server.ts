import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { CoreEvent, Handlers } from '../../shared/contract';
import { dispatch } from '../../shared/dispatch';
import { fail, type Result } from '../../shared/result';
import { CONTENT_SECURITY_POLICY } from '../security';

export const RPC_PREFIX = '/rpc/';
/** The push events, streamed to a fetch that carries the token header (never a token in a URL). */
export const EVENTS_PATH = '/events';
const HEARTBEAT_MS = 15_000;
export const TOKEN_HEADER = 'x-panelist-token';
/** The largest body the contract accepts: a bundle of 64 MB in base64, and a little room. */
const MAX_BODY_BYTES = 90_000_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ServeOptions {
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Defaults to 32 random bytes, new on every run. */
  token?: string;
  /** The core's push events; without it, the event stream only sends heartbeats. */
  subscribe?: (listener: (event: CoreEvent) => void) => () => void;
}

export interface RunningServer {
  server: Server;
  port: number;
  token: string;
  /** The address to open, token included. */
  url: string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' } : {}),
  });
  res.end(body);
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serve mode: the renderer and the contract over HTTP on 127.0.0.1 only. Every RPC needs the
 * run's secret token; a foreign Host (DNS rebinding) or Origin (another site in the browser) is
 * refused before anything else happens.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return send(res, 404, 'Not found', 'text/plain');
    try {
      if (!(await stat(file)).isFile()) return send(res, 404, 'Not found', 'text/plain');
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      send(res, 200, await readFile(file), type);
    } catch {
      send(res, 404, 'Not found', 'text/plain');
    }
  }

  /** Server-sent events: one `data:` line of JSON per event, and a comment now and then to keep it open. */
  function streamEvents(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = options.subscribe?.((event) => res.write(`data: ${JSON.stringify(event)}\n\n`)) ?? (() => undefined);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return sendResult(res, 403, fail('forbidden', `Host ${host.slice(0, 100)} is not this server.`));
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(originHost(origin))) {
      return sendResult(res, 403, fail('forbidden', `Requests from ${origin.slice(0, 100)} are not allowed.`));
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const isEvents = url.pathname === EVENTS_PATH;
    if (!url.pathname.startsWith(RPC_PREFIX) && !isEvents) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain');
      return serveStatic(url.pathname, res);
    }
    const given = req.headers[TOKEN_HEADER];
    if (typeof given !== 'string' || !sameSecret(given, token)) {
      return sendResult(res, 401, fail('unauthorized', 'Missing or wrong session token: open the address that `panelist serve` printed.'));
    }
    if (isEvents) {
      if (req.method !== 'GET') return sendResult(res, 405, fail('invalid_input', 'Use GET for the event stream.'));
      return streamEvents(res);
    }
    if (req.method !== 'POST') return sendResult(res, 405, fail('invalid_input', 'Use POST for RPC calls.'));
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendResult(res, 415, fail('invalid_input', 'RPC bodies must be application/json.'));
    }
    let input: unknown;
    try {
      const body = await readBody(req);
      input = body.length === 0 ? {} : JSON.parse(body);
    } catch {
      return sendResult(res, 400, fail('invalid_input', 'The request body is not valid JSON (or is over 90 MB).'));
    }
    const channel = decodeURIComponent(url.pathname.slice(RPC_PREFIX.length));
    const result = await dispatch(options.handlers, channel, input);
    sendResult(res, 200, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendResult(res, 500, fail('internal', `Server error: ${String(error)}`));
      else res.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

function originHost(origin: string): string {
  try {
    const parsed = new URL(origin);
    return parsed.protocol === 'http:' ? parsed.host : '';
  } catch {
    return '';
  }
}
