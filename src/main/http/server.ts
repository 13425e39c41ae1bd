import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { BUNDLE_MAX_FILE_BYTES } from '../../shared/bundle-facts';
import type { CoreEvent, Handlers } from '../../shared/contract';
import { dispatch } from '../../shared/dispatch';
import { fail, type Result } from '../../shared/result';
import { CONTENT_SECURITY_POLICY } from '../security';

export const RPC_PREFIX = '/rpc/';
/** The push events, streamed to a fetch that carries the token header (never a token in a URL). */
export const EVENTS_PATH = '/events';
const HEARTBEAT_MS = 15_000;
export const TOKEN_HEADER = 'x-panelist-token';
/**
 * The largest body a call may have, in bytes: the contract's largest valid input is a bundle
 * (bundles:import, bundles:preview, packets:verify), whose file is at most BUNDLE_MAX_FILE_BYTES and
 * travels as base64 (ASCII: one byte a character), plus room for the rest of the call (field names,
 * a hundred accepted keys, a passphrase of 1000 characters even written as \u escapes). Every other
 * input is smaller: the largest CSV import, 20 million characters, is at most 60 MB of UTF-8.
 */
export const MAX_BODY_BYTES = Math.ceil(BUNDLE_MAX_FILE_BYTES / 3) * 4 + 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

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

export function send(res: ServerResponse, status: number, body: string | Buffer, type: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...(type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-frame-options': 'DENY' } : {}),
  });
  res.end(body);
}

export function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  send(res, status, JSON.stringify(result), 'application/json; charset=utf-8');
}

/** How long a refused upload may go on sending into the void before its connection is cut. */
const LINGER_MS = 5_000;

/**
 * Refuses a body over the cap: 413 with `Connection: close`, so the client's next request goes on
 * a new connection. Nothing more of the body is kept. The connection is not cut the moment the
 * answer is out, though: closing a socket with unread bytes makes the kernel reset it, and a
 * client still sending would then often lose the 413 to EPIPE/ECONNRESET. So, as web servers do
 * (a "lingering close"), our side is shut for writing and whatever still arrives is thrown away
 * until the client closes, or LINGER_MS has passed.
 */
export function sendTooLarge(req: IncomingMessage, res: ServerResponse, max = MAX_BODY_BYTES): void {
  const socket = req.socket;
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  res.shouldKeepAlive = false;
  res.setHeader('connection', 'close');
  req.resume();
  sendResult(res, 413, fail('invalid_input', `The request body is over ${megabytes(max)} (${max.toLocaleString('en')} bytes), the most a call may send.`));
}

/** The body as bytes, or null once it is over the cap (nothing more is kept). */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer | null> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        chunks.length = 0;
        resolvePromise(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => resolvePromise(Buffer.concat(chunks, size));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    // A client that goes away mid-body: nothing to answer (a no-op once the body was read).
    req.once('close', () => reject(new Error('The client closed the connection before sending the whole body.')));
  });
}

/** A URL path with its percent-escapes decoded, or null when one is malformed (`%E0%A4%A`). */
function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
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

  /** `decoded`: the path with its percent-escapes decoded. */
  async function serveStatic(decoded: string, res: ServerResponse): Promise<void> {
    const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
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
    const isRpc = url.pathname.startsWith(RPC_PREFIX);
    const decoded = decodePath(url.pathname);
    if (decoded === null) {
      const message = 'The address has a malformed percent-escape (a % must be followed by two hex digits making UTF-8).';
      return isRpc ? sendResult(res, 400, fail('invalid_input', message)) : send(res, 400, message, 'text/plain; charset=utf-8');
    }
    if (!isRpc && !isEvents) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain');
      return serveStatic(decoded, res);
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
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return sendTooLarge(req, res);
    const body = await readBody(req);
    if (body === null) return sendTooLarge(req, res);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return sendResult(res, 400, fail('invalid_input', 'The request body is not valid JSON.'));
    }
    const channel = decoded.slice(RPC_PREFIX.length);
    const result = await dispatch(options.handlers, channel, input);
    sendResult(res, 200, result);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendResult(res, 500, fail('internal', `Server error: ${String(error)}`));
      else res.destroy();
    });
  };
  const server = createServer(onRequest);
  // A client that asks first (`Expect: 100-continue`, as curl does for large bodies) is told to go
  // on only when its body is within the cap; otherwise it gets the 413 without sending the body.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) <= MAX_BODY_BYTES) res.writeContinue();
    onRequest(req, res);
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
