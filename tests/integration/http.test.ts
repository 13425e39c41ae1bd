import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/main/core/db/migrations';
import { startServer, type RunningServer } from '../../src/main/http/server';
import { CHANNELS } from '../../src/shared/channels';
import { tempDataDir } from '../support/cli';
import { openTestCore, type TestCore } from '../support/core';

let core: TestCore;
let server: RunningServer;
let renderer: ReturnType<typeof tempDataDir>;

beforeAll(async () => {
  core = await openTestCore();
  renderer = tempDataDir();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${renderer.dir}/index.html`, '<!doctype html><title>Panelist</title>');
  server = await startServer({ handlers: core.handlers, rendererDir: renderer.dir });
});

afterAll(async () => {
  await server.close();
  core.dispose();
  renderer.remove();
});

/** A raw request, so that Host and Origin can be forged as an attacker's page would. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const rpcHeaders = () => ({ 'content-type': 'application/json', 'x-panelist-token': server.token });

describe('serve mode', () => {
  it('listens on 127.0.0.1 only and prints the token in the fragment, not the query', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
  });

  it('answers a call that carries the token', async () => {
    const res = await send('/rpc/app:info', { headers: rpcHeaders(), body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { schemaVersion: LATEST_SCHEMA_VERSION } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const missing = await send('/rpc/app:info', { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await send('/rpc/app:info', { headers: { ...rpcHeaders(), 'x-panelist-token': 'guess' }, body: '{}' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const host = await send('/rpc/app:info', { headers: { ...rpcHeaders(), host: `evil.example:${server.port}` }, body: '{}' });
    expect(host.status).toBe(403);
    const origin = await send('/rpc/app:info', { headers: { ...rpcHeaders(), origin: 'http://evil.example' }, body: '{}' });
    expect(origin.status).toBe(403);
    const page = await send('/', { method: 'GET', headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
    const own = await send('/rpc/app:info', { headers: { ...rpcHeaders(), origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(own.status).toBe(200);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const page = await send('/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Panelist</title>');
    const traversal = await send('/..%2f..%2fetc%2fpasswd', { method: 'GET' });
    expect(traversal.status).toBe(404);
    const dotdot = await send('/../../etc/passwd', { method: 'GET' });
    expect(dotdot.status).toBe(404);
  });

  it('refuses malformed bodies and unknown channels with a clear code', async () => {
    const notJson = await send('/rpc/app:info', { headers: rpcHeaders(), body: '{nope' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await send('/rpc/system:shutdown', { headers: rpcHeaders(), body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const get = await send('/rpc/app:info', { method: 'GET', headers: rpcHeaders() });
    expect(get.status).toBe(405);
  });

  it.each(CHANNELS)('%s refuses malformed input with invalid_input and the field path', async (channel) => {
    for (const bad of [{ surprise: true }, [], 'text', 42]) {
      const res = await send(`/rpc/${channel}`, { headers: rpcHeaders(), body: JSON.stringify(bad) });
      const result = JSON.parse(res.body) as { ok: boolean; error?: { code: string; message: string; path?: string } };
      expect(result.ok, `${channel} accepted ${JSON.stringify(bad)}`).toBe(false);
      expect(result.error?.code).toBe('invalid_input');
      expect(result.error?.message.length).toBeGreaterThan(5);
    }
    // The first problem is named by its path: a missing required field, else the unknown one.
    const unknownField = await send(`/rpc/${channel}`, { headers: rpcHeaders(), body: JSON.stringify({ surprise: true }) });
    const { error } = JSON.parse(unknownField.body) as { error: { path: string; message: string } };
    expect(error.message).toMatch(/^\w+: (required \([\w, -]+\)|not a field of this call)$/);
    expect(error.message.startsWith(`${error.path}: `)).toBe(true);
  });

  it('names the bad field of a nested input', async () => {
    const res = await send('/rpc/scorecards:set-score', {
      headers: rpcHeaders(),
      body: JSON.stringify({ scorecardId: 'not-a-uuid', criterionId: '019b0000-0000-7000-8000-000000000000', value: 2, seenRevision: 0 }),
    });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'scorecardId' } });
    const range = await send('/rpc/demo:load', { headers: rpcHeaders(), body: JSON.stringify({ candidates: 0, interviewers: 5 }) });
    expect(JSON.parse(range.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'candidates' } });
  });
});
