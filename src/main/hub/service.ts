import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { promisify } from 'node:util';
import { constants, gunzipSync, gzip } from 'node:zlib';
import pg from 'pg';
import { BUNDLE_MAX_FILE_BYTES, BUNDLE_MAX_JSON_BYTES } from '../../shared/bundle-facts';
import { PushRequest } from '../../shared/hub';
import { fail, ok } from '../../shared/result';
import { readBody, send, sendResult, sendTooLarge } from '../http/server';
import { asUser, mustBeKnown, Unauthorized } from './acting';
import { FIRST_CURSOR, pullFor } from './pull';
import { Push } from './push';
import { RateLimiter } from './rate-limit';
import { tokenHash } from './tokens';
import { listUsers } from './users';

export interface HubOptions {
  /** The service role's connection URL (see schema.ts: SERVICE_ROLE). */
  database: string;
  port?: number;
  host?: string;
  tls?: { cert: string; key: string } | undefined;
  /** Connections this process keeps to PostgreSQL. */
  poolSize?: number;
  /** Requests per second per token (and per address before a token is checked), with this burst. */
  rate?: { perSecond: number; burst: number };
  log?: (line: string) => void;
}

export interface RunningHub {
  server: Server;
  pool: pg.Pool;
  port: number;
  url: string;
  close(): Promise<void>;
}

const DEFAULT_RATE = { perSecond: 20, burst: 60 };
/** Requests with a token the hub does not know, per address: a made-up token gets no bucket of its own. */
const FAILED_SIGN_INS = { perSecond: 1, burst: 20 };

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  return match?.[1] ?? null;
}

function refuse(res: ServerResponse, status: number, code: 'invalid_input' | 'forbidden' | 'unavailable' | 'internal', message: string, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(fail(code, message)), 'application/json; charset=utf-8', headers);
}

/** A push body: gzip-compressed JSON, read within the bundle limits, with NUL refused (PostgreSQL's jsonb cannot hold it). */
function pushRequest(body: Buffer, gzipped: boolean): PushRequest {
  let text: string;
  try {
    text = (gzipped ? gunzipSync(body, { maxOutputLength: BUNDLE_MAX_JSON_BYTES }) : body).toString('utf8');
  } catch {
    throw new BadRequest('The push body is not gzip data within the bundle limits.');
  }
  if (text.includes('\\u0000')) throw new BadRequest('The push holds a NUL character, which no Panelist text may contain.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadRequest('The push body is not JSON.');
  }
  const parsed = PushRequest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadRequest(`The push does not follow the format at ${issue.path.map(String).join('.') || 'the top'}: ${issue.message}.`);
  }
  return parsed.data;
}

class BadRequest extends Error {}

const gzipAsync = promisify(gzip);

/**
 * The team hub's service: authentication, push and pull, nothing else. Stateless (but for each
 * process's rate buckets): run several against one database behind a load balancer.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const pool = new pg.Pool({ connectionString: options.database, max: options.poolSize ?? 10 });
  pool.on('error', (error) => options.log?.(`PostgreSQL connection error: ${error.message}`));
  const limiter = new RateLimiter((options.rate ?? DEFAULT_RATE).perSecond, (options.rate ?? DEFAULT_RATE).burst);
  const failedSignIns = new RateLimiter(FAILED_SIGN_INS.perSecond, FAILED_SIGN_INS.burst);
  const maxBody = BUNDLE_MAX_FILE_BYTES;
  const addressOf = (req: IncomingMessage) => `address:${req.socket.remoteAddress ?? ''}`;
  const tooMany = (res: ServerResponse, wait: number) => refuse(res, 429, 'unavailable', `Too many requests: try again in ${wait} s.`, { 'retry-after': String(wait) });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    const token = bearer(req);
    const wait = failedSignIns.waitFor(addressOf(req)) ?? limiter.take(token ? tokenHash(token) : addressOf(req));
    if (wait !== null) return tooMany(res, wait);
    if (url.pathname === '/v1/health' && req.method === 'GET') {
      await pool.query('SELECT 1');
      return sendResult(res, 200, ok({ ok: true }));
    }
    if (!token) return refuse(res, 401, 'forbidden', 'Send your hub token as "Authorization: Bearer TOKEN".');
    if (url.pathname === '/v1/me' && req.method === 'GET') {
      const user = await asUser(pool, token, 'read', async (_db, user) => user);
      return send(res, 200, JSON.stringify({ email: user.email, role: user.role }), 'application/json; charset=utf-8');
    }
    if (url.pathname === '/v1/push' && req.method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBody) return sendTooLarge(req, res, maxBody);
      // Who is asking before reading and parsing up to a bundle's worth of body; the write checks again.
      await mustBeKnown(pool, token);
      const body = await readBody(req, maxBody);
      if (body === null) return sendTooLarge(req, res, maxBody);
      const request = pushRequest(body, req.headers['content-encoding'] === 'gzip');
      const results = await asUser(pool, token, 'write', (db, user) => new Push(db, user, request).apply());
      return send(res, 200, JSON.stringify({ results }), 'application/json; charset=utf-8');
    }
    if (url.pathname === '/v1/pull' && req.method === 'GET') {
      const cursor = url.searchParams.get('cursor') ?? FIRST_CURSOR;
      if (!/^\d{1,20}$/.test(cursor)) throw new BadRequest('The cursor is not one this hub gave.');
      const pulled = await asUser(pool, token, 'read', (db, user) => {
        if (user.role === 'admin') throw new Forbidden('An admin manages users and tokens, and reads no scorecards.');
        return pullFor(db, user, cursor, new Date().toISOString());
      });
      // Compressed off the event loop, and lightly: pulls are many and mostly small.
      const body = await gzipAsync(Buffer.from(pulled.json, 'utf8'), { level: constants.Z_BEST_SPEED });
      return send(res, 200, body, 'application/octet-stream', {
        'x-panelist-cursor': pulled.cursor,
        'x-panelist-records': String(pulled.records),
      });
    }
    if (url.pathname === '/v1/users' && req.method === 'GET') {
      const users = await asUser(pool, token, 'read', async (db, user) => {
        if (user.role !== 'admin') throw new Forbidden('Only an admin lists the users.');
        return listUsers(db);
      });
      return send(res, 200, JSON.stringify({ users }), 'application/json; charset=utf-8');
    }
    return refuse(res, 404, 'invalid_input', `No ${req.method} ${url.pathname} on this hub.`);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof Unauthorized) {
        failedSignIns.take(addressOf(req));
        return refuse(res, 401, 'forbidden', error.message);
      }
      if (error instanceof Forbidden) return refuse(res, 403, 'forbidden', error.message);
      if (error instanceof BadRequest) return refuse(res, 400, 'invalid_input', error.message);
      const code = (error as { code?: string }).code;
      // Row-level security stopped a write the service let through: a bug in the service, logged.
      if (code === '42501') options.log?.(`hub: row-level security refused ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (code === '42501') return refuse(res, 403, 'forbidden', 'The hub refused a write this user may not make (row-level security).');
      if (code === '40001' || code === '40P01') return refuse(res, 503, 'unavailable', 'The hub was busy with the same records: try again.', { 'retry-after': '1' });
      options.log?.(`hub: ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
      refuse(res, 500, 'internal', 'The hub failed on this request; its log says why.');
    });
  };
  const server = options.tls ? createHttpsServer({ cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) }, handler) : createHttpServer(handler);
  server.requestTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    pool,
    port,
    url: `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}

class Forbidden extends Error {}
