import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/main/http/server';
import { BundleData } from '../../src/shared/bundle';
import { BUNDLE_MAX_FILE_BYTES } from '../../src/shared/bundle-facts';
import { ImportInput } from '../../src/shared/hiring';
import { rpc, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

beforeAll(async () => {
  data = tempDataDir();
  serve = await startServe(data.dir);
});

afterAll(async () => {
  await serve.stop();
  data.remove();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the request went on a connection an earlier request had used. */
  reusedSocket: boolean;
  /** What went wrong sending the request (EPIPE, ECONNRESET: the server cut the connection under it). */
  sendError?: string;
}

/**
 * One request over node's own HTTP client, as raw as a script would send it: `body` is written
 * as it is (a Buffer keeps its exact bytes), `chunked` leaves Content-Length out. It settles once
 * the request is closed, so that an error after the answer (a reset connection) is seen too.
 */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent; chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const body = options.body ?? '';
    const headers: Record<string, string | number> = { ...options.headers };
    if (!options.chunked && options.method !== 'GET') headers['content-length'] = Buffer.byteLength(body);
    const answer: Answer = { status: 0, headers: {}, body: '', reusedSocket: false };
    const chunks: Buffer[] = [];
    let responseDone: Promise<void> = Promise.resolve();
    const req = request({ host: '127.0.0.1', port: serve.port, path, method: options.method ?? 'POST', headers, agent: options.agent ?? false }, (res) => {
      answer.status = res.statusCode ?? 0;
      answer.headers = res.headers;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      responseDone = new Promise((done) => res.once('close', done));
    });
    answer.reusedSocket = req.reusedSocket;
    req.on('error', (error: NodeJS.ErrnoException) => (answer.sendError = error.code ?? error.message));
    req.once('close', () => {
      void responseDone.then(() => {
        answer.body = Buffer.concat(chunks).toString('utf8');
        answer.reusedSocket = req.reusedSocket;
        resolve(answer);
      });
    });
    if (options.chunked && typeof body !== 'string') {
      for (let at = 0; at < body.length; at += 1024 * 1024) req.write(body.subarray(at, at + 1024 * 1024));
      req.end();
    } else req.end(body);
  });
}

const rpcHeaders = () => ({ 'content-type': 'application/json', 'x-panelist-token': serve.token });

async function appInfoWorks(agent?: Agent): Promise<Answer> {
  const answer = await send('/rpc/app:info', { headers: rpcHeaders(), body: '{}', ...(agent ? { agent } : {}) });
  expect(answer.status).toBe(200);
  expect(answer.sendError).toBeUndefined();
  expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
  return answer;
}

describe('a malformed percent-escape in the address', () => {
  const paths = ['/%E0%A4%A', '/assets/%E0%A4%A.js', '/%', '/%zz', '/rpc/%E0%A4%A', '/rpc/app:info%', '/rpc/%C0%AF'];

  it.each(paths)('%s answers 400 in one line, with or without the token', async (path) => {
    for (const headers of [{}, rpcHeaders()]) {
      for (const method of ['GET', 'POST']) {
        const answer = await send(path, { method, headers, body: method === 'POST' ? '{}' : '' });
        expect(answer.status, `${method} ${path}`).toBe(400);
        expect(answer.body).not.toContain('\n');
        const message = path.startsWith('/rpc/') ? (JSON.parse(answer.body) as { ok: boolean; error: { code: string; message: string } }) : null;
        if (message) expect(message).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/malformed percent-escape/) } });
        else expect(answer.body).toMatch(/malformed percent-escape/);
      }
    }
    await appInfoWorks();
  });

  it('still serves well-formed escapes', async () => {
    const page = await send('/%69ndex.html', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<!doctype html>');
    const info = await send('/rpc/app%3Ainfo', { headers: rpcHeaders(), body: '{}' });
    expect(JSON.parse(info.body)).toMatchObject({ ok: true });
  });
});

describe('the request cap', () => {
  it("is the contract's largest valid input, a bundle in base64, with room for the rest of the call, and not much more", () => {
    const largestBundle = BundleData.maxLength ?? 0;
    expect(largestBundle).toBeGreaterThanOrEqual(Math.ceil(BUNDLE_MAX_FILE_BYTES / 3) * 4);
    // The largest bundles:import the contract accepts: a full-size bundle, a hundred accepted keys,
    // a passphrase of the longest, in characters JSON writes as \u escapes, and a ticket.
    const id = '019b0000-0000-7000-8000-000000000000';
    const largestCall = {
      data: 'A'.repeat(largestBundle - (largestBundle % 4)),
      acceptKeys: Array.from({ length: 100 }, () => id),
      adoptIdentity: { passphrase: '\u0001'.repeat(1000) },
      ticket: id,
    };
    expect(BundleData.safeParse(largestCall.data).success).toBe(true);
    const bytes = Buffer.byteLength(JSON.stringify(largestCall));
    expect(bytes).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(MAX_BODY_BYTES - bytes).toBeLessThan(2 * 1024 * 1024);
    // The largest CSV import, 20 million characters, fits even when every one takes three bytes.
    expect((ImportInput.shape.csv.maxLength ?? Infinity) * 3).toBeLessThan(MAX_BODY_BYTES);
  });

  it('takes a body of exactly the cap (the contract then judges it), and refuses one byte more with 413, naming the limit', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const bundle = 'A'.repeat((BundleData.maxLength ?? 0) - ((BundleData.maxLength ?? 0) % 4));
      const head = Buffer.from(`{"data":"${bundle}","surprise":true}`);
      const atCap = Buffer.concat([head, Buffer.alloc(MAX_BODY_BYTES - head.length, ' ')]);
      expect(atCap.length).toBe(MAX_BODY_BYTES);
      const judged = await send('/rpc/packets:verify', { headers: rpcHeaders(), body: atCap, agent });
      expect(judged.status).toBe(200);
      expect(JSON.parse(judged.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'surprise' } });

      // The next request on the same kept-alive connection is refused, and says why in one line.
      const over = Buffer.concat([atCap, Buffer.from(' ')]);
      const refused = await send('/rpc/packets:verify', { headers: rpcHeaders(), body: over, agent });
      expect(refused.reusedSocket).toBe(true);
      expect(refused.status).toBe(413);
      // The client could send its whole body and read the answer: the connection was not reset under it.
      expect(refused.sendError).toBeUndefined();
      expect(refused.headers.connection).toBe('close');
      const result = JSON.parse(refused.body) as { ok: boolean; error: { code: string; message: string } };
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(result.error.message).toContain(`${MAX_BODY_BYTES.toLocaleString('en')} bytes`);
      expect(refused.body).not.toContain('\n');

      // The agent opens a new connection for the next call, which works.
      const next = await appInfoWorks(agent);
      expect(next.reusedSocket).toBe(false);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a chunked body (no Content-Length) once it passes the cap, and the next call on the agent works', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await appInfoWorks(agent);
      const refused = await send('/rpc/bundles:preview', { headers: rpcHeaders(), body: Buffer.alloc(MAX_BODY_BYTES + 4 * 1024 * 1024, 'A'), agent, chunked: true });
      expect(refused.status).toBe(413);
      expect(refused.sendError).toBeUndefined();
      expect(refused.headers.connection).toBe('close');
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('MB') } });
      await appInfoWorks(agent);
      expect(serve.child.exitCode).toBeNull();
    } finally {
      agent.destroy();
    }
  });

  it('tells a client that asks first (Expect: 100-continue) to go on only when its body is within the cap', async () => {
    const ask = (length: number) =>
      new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const headers = { ...rpcHeaders(), 'content-length': String(length), expect: '100-continue' };
        const req = request({ host: '127.0.0.1', port: serve.port, path: '/rpc/app:info', method: 'POST', headers, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
        });
        req.on('continue', () => {
          continued = true;
          req.end(`{}${' '.repeat(length - 2)}`);
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    expect(await ask(MAX_BODY_BYTES + 1)).toEqual({ status: 413, continued: false });
    expect(await ask(1000)).toEqual({ status: 200, continued: true });
  });

  it('accepts a rubric draft the contract accepts: 30 criteria of CJK text, well over 1 MB of UTF-8', async () => {
    const draft = await rpc<{ id: string; revision: number }>(serve, 'rubrics:create', { name: '系统设计', sessionKind: 'architecture', scaleMax: 7 });
    const cjk = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((seed * 7919 + i) % 20_000))).join('');
    const criteria = Array.from({ length: 30 }, (_, c) => ({
      title: cjk(200, c),
      description: cjk(2000, c + 1),
      weight: 1,
      guidingQuestions: Array.from({ length: 20 }, (_, q) => cjk(500, c * 100 + q)),
      anchors: Array.from({ length: 7 }, (_, a) => cjk(1000, c * 1000 + a)),
    }));
    const input = { versionId: draft.id, expectedRevision: draft.revision, scaleMax: 7, scaleLabels: ['一', '二', '三', '四', '五', '六', '七'], criteria };
    const body = JSON.stringify(input);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1.5 * 1024 * 1024);

    const answer = await send('/rpc/rubrics:save-draft', { headers: rpcHeaders(), body });
    expect(answer.status).toBe(200);
    const result = JSON.parse(answer.body) as { ok: boolean; value: { criteria: { title: string; anchors: string[] }[] } };
    expect(result.ok).toBe(true);
    const saved = await rpc<{ criteria: { title: string; anchors: string[] }[] }>(serve, 'rubrics:get-version', { versionId: draft.id });
    expect(saved.criteria.map((c) => c.title)).toEqual(criteria.map((c) => c.title));
    expect(saved.criteria[29]?.anchors).toEqual(criteria[29]?.anchors);
  });
});
