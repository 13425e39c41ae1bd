/**
 * The team hub on a real PostgreSQL (a throw-away cluster, tests/support/postgres.ts), served by
 * two `panelist hub` processes (the built CLI, out/main/cli.js) on one database:
 *
 * - hub.push_10k_scorecards_ms: the ~10,000 signed scorecards of a demo, each author pushing their own;
 * - hub.pull_10k_scorecards_ms: a new installation of the hiring manager pulling them all (median of 3);
 * - hub.clients_500.*: 500 simulated desktops pushing and pulling for a minute.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, type Bundle } from '../src/shared/bundle';
import { recordKey, type HubRecordKind, type PushRequest, type PushResult } from '../src/shared/hub';
import { dispatch } from '../src/shared/dispatch';
import { openCore, type Core } from '../src/main/core';
import { buildBundle } from '../src/main/core/exchange/export';
import { publicKeyText, PRIVATE_KEY_FILE } from '../src/main/core/provenance/keys';
import { onlyRecords, recordsOf } from '../src/main/core/sync/bundle-records';
import { setHub } from '../src/main/core/sync/hub-settings';
import { migrateHub } from '../src/main/hub/schema';
import { addUser } from '../src/main/hub/users';
import { startHubProcess as startHub, type HubProcess } from '../tests/support/hub';
import { postgresMissing, startCluster, type Cluster } from '../tests/support/postgres';
import { median, percentile } from './stats';

type RecordRow = (name: string, unit: string, value: number) => void;

export const HUB_ROWS = ['hub.push_10k_scorecards_ms', 'hub.pull_10k_scorecards_ms', 'hub.clients_500.rps', 'hub.clients_500.p99_ms', 'hub.clients_500.converge_s'];

/** The built CLI, beside the built bench entry (out/main). */
const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));
/**
 * The hiring manager: not one of the demo's interviewers, so that their new installations (the pull
 * row) meet no scorecard signed for them with another installation's key.
 */
const MANAGER = 'hana.manager@example.com';
/** Scorecard pushes in flight at once, spread over both hub processes. */
const PUSH_CONCURRENCY = 8;
const PULL_RUNS = 3;
const CLIENTS = 500;
/**
 * Connections each hub process keeps to PostgreSQL in the 500-client run: its default. The pool is
 * not what limits that run (the machine's CPU is): 50 per process held no more requests per second.
 */
const CLIENT_POOL_SIZE = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `panelist hub` as its own process (tests/support/hub.ts), run from the built CLI beside this bench. */
const startHubProcess = (ownerUrl: string, extra: string[] = []): Promise<HubProcess> => startHub(ownerUrl, extra, CLI);

/** A database of the cluster with the hub's schema, and the owner's pool (what `hub init` and the admin commands use). */
async function hubDatabase(cluster: Cluster, name: string): Promise<{ ownerUrl: string; owner: pg.Pool }> {
  const ownerUrl = await cluster.createDatabase(name);
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  const client = await owner.connect();
  try {
    await migrateHub(client);
  } finally {
    client.release();
  }
  return { ownerUrl, owner };
}

function newKeys(): { publicKey: string; pem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKeyText(privateKey), pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function gzipJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

/** POST /v1/push with a body gzipped beforehand; throws unless the hub answers 200. */
async function rawPush(url: string, token: string, body: Buffer): Promise<PushResult[]> {
  const response = await fetch(`${url}/v1/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`the hub answered a push ${response.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { results: PushResult[] }).results;
}

function mustAccept(results: PushResult[], expected: number, what: string): void {
  const refused = results.filter((r) => r.outcome !== 'accepted');
  if (refused.length > 0 || results.length !== expected) {
    throw new Error(`${what}: ${results.length - refused.length} of ${expected} accepted; first other: ${JSON.stringify(refused[0] ?? null)}`);
  }
}

async function value<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const result = await dispatch(core.handlers, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

interface Pushed {
  scorecards: number;
  managerToken: string;
  managerPem: string;
}

/**
 * hub.push_10k_scorecards_ms. The demo's records (is_demo, which a desktop never syncs) are pushed
 * from a full bundle of the demo installation: the people, rubric versions, roles, candidates and
 * interviews by the hiring manager (not timed), then every author's scorecards by that author, as
 * their own hub user with the key the demo signed with, PUSH_CONCURRENCY pushes at a time over
 * both hub processes. Timed from the first scorecard push to the last accepted.
 */
async function pushDemo(scratch: string, owner: pg.Pool, hubs: HubProcess[], record: RecordRow): Promise<Pushed> {
  const demo = await openCore({ dataDir: join(scratch, 'hub-demo'), version: 'bench' });
  let full: Bundle;
  let keyOf: Map<string, { email: string; publicKey: string | null }>;
  try {
    const me = await value<{ revision: number }>(demo, 'me:get', {});
    await value(demo, 'me:update', { name: 'Demo Me', email: 'demo.me@example.com', revision: me.revision });
    await value(demo, 'demo:load', { candidates: 1100, interviewers: 120, seed: 11 });
    const { ownWork: _own, identity: _identity, ...bundle } = buildBundle(demo.ctx, { kind: 'full' });
    full = bundle;
    const rows = demo.ctx.db.prepare<[], { id: string; email: string; public_key: string | null }>('SELECT id, email, public_key FROM interviewers').all();
    keyOf = new Map(rows.map((r) => [r.id, { email: r.email, publicKey: r.public_key }]));
  } finally {
    demo.close();
  }

  const manager = newKeys();
  const { token: managerToken } = await addUser(owner, { email: MANAGER, role: 'hiring-manager', publicKey: manager.publicKey });
  // The hiring manager's records, in the order others refer to them, a few thousand per push.
  const managed: readonly HubRecordKind[] = ['interviewers', 'rubric-versions', 'roles', 'candidates', 'interviews'];
  const setup = recordsOf(full).filter((r) => managed.includes(r.kind));
  let t = performance.now();
  for (let i = 0; i < setup.length; i += 2000) {
    const chunk = setup.slice(i, i + 2000);
    const body: PushRequest = { bases: Object.fromEntries(chunk.map((r) => [r.key, null])), bundle: onlyRecords(full, new Set(chunk.map((r) => r.key))) };
    mustAccept(await rawPush(hubs[0]!.url, managerToken, gzipJson(body)), chunk.length, "the hiring manager's push");
  }
  console.log(`(the hiring manager pushed ${setup.length.toLocaleString('en')} records in ${Math.round(performance.now() - t).toLocaleString('en')} ms, not timed)`);

  // Each author: a hub user with the key the demo signed with, and one push of all their scorecards.
  const byAuthor = new Map<string, string[]>();
  for (const s of full.scorecards) {
    const keys = byAuthor.get(s.interviewerId) ?? [];
    keys.push(recordKey('scorecards', s.id));
    byAuthor.set(s.interviewerId, keys);
  }
  const authors: { email: string; token: string; count: number; body: Buffer }[] = [];
  for (const [interviewerId, keys] of byAuthor) {
    const person = keyOf.get(interviewerId);
    if (!person?.publicKey) throw new Error(`demo interviewer ${interviewerId} has no public key in the demo database`);
    const { token } = await addUser(owner, { email: person.email, role: 'interviewer', publicKey: person.publicKey });
    const body: PushRequest = { bases: Object.fromEntries(keys.map((k) => [k, null])), bundle: onlyRecords(full, new Set(keys)) };
    authors.push({ email: person.email, token, count: keys.length, body: gzipJson(body) });
  }
  // The busiest authors first, so that the last push is not one long one started late.
  authors.sort((a, b) => b.count - a.count);
  const counts = authors.map((a) => a.count);
  console.log(
    `(${full.scorecards.length.toLocaleString('en')} scorecards by ${authors.length} authors: ${Math.min(...counts)}–${Math.max(...counts)} each, median ${median(counts)}; ` +
      `${(authors.reduce((n, a) => n + a.body.length, 0) / 1024 / 1024).toFixed(1)} MB gzipped; ${PUSH_CONCURRENCY} pushes at a time over 2 hub processes)`,
  );

  let next = 0;
  let accepted = 0;
  const pushMs: number[] = [];
  t = performance.now();
  let lastAccepted = t;
  await Promise.all(
    Array.from({ length: PUSH_CONCURRENCY }, async (_, lane) => {
      for (let i = next++; i < authors.length; i = next++) {
        const author = authors[i]!;
        const started = performance.now();
        const results = await rawPush(hubs[lane % hubs.length]!.url, author.token, author.body);
        mustAccept(results, author.count, `${author.email}'s scorecards`);
        lastAccepted = performance.now();
        pushMs.push(lastAccepted - started);
        accepted += results.length;
      }
    }),
  );
  const elapsed = lastAccepted - t;
  const { rows } = await owner.query<{ n: string }>('SELECT count(*) AS n FROM hub.scorecards');
  if (accepted !== full.scorecards.length || Number(rows[0]!.n) !== full.scorecards.length) {
    throw new Error(`the hub holds ${rows[0]!.n} scorecards (${accepted} accepted), not ${full.scorecards.length}`);
  }
  console.log(`(one author's push: median ${Math.round(median(pushMs))} ms, slowest ${Math.round(Math.max(...pushMs))} ms; ${Math.round((full.scorecards.length / elapsed) * 1000)} scorecards/s)`);
  record('hub.push_10k_scorecards_ms', 'ms', elapsed);
  return { scorecards: full.scorecards.length, managerToken, managerPem: manager.pem };
}

/**
 * hub.pull_10k_scorecards_ms. A new installation of the hiring manager (their key in its data
 * folder, as on a second machine of theirs, so that installations do not meet each other's keys)
 * runs one sync: it pushes its own few records (its profile, its example role) and pulls everything
 * the hiring manager may see, verifying every signature and merging it into SQLite. Median of 3.
 */
async function pullDemo(scratch: string, hubs: HubProcess[], pushed: Pushed, record: RecordRow): Promise<void> {
  // The hub's own part, once, for the report: the answer to a first pull, read whole.
  let t = performance.now();
  const raw = await fetch(`${hubs[1]!.url}/v1/pull?cursor=0`, { headers: { authorization: `Bearer ${pushed.managerToken}` } });
  const file = Buffer.from(await raw.arrayBuffer());
  if (!raw.ok) throw new Error(`a raw pull answered ${raw.status}: ${file.toString('utf8').slice(0, 300)}`);
  console.log(`(the hub answers the hiring manager's first pull in ${Math.round(performance.now() - t)} ms: ${raw.headers.get('x-panelist-records')} records, ${Math.round(file.length / 1024).toLocaleString('en')} KB gzipped)`);

  const samples: number[] = [];
  for (let run = 0; run < PULL_RUNS; run++) {
    const dataDir = join(scratch, `hub-pull-${run}`);
    const core = await openCore({ dataDir: withKey(dataDir, pushed.managerPem), version: 'bench' });
    try {
      const me = await value<{ revision: number }>(core, 'me:get', {});
      await value(core, 'me:update', { name: 'Hana Manager', email: MANAGER, revision: me.revision });
      setHub(core.ctx, { address: hubs[run % hubs.length]!.url, token: pushed.managerToken });
      t = performance.now();
      const summary = await core.hub.run();
      samples.push(performance.now() - t);
      const submitted = core.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE status = 'submitted'`).pluck().get() as number;
      if (submitted !== pushed.scorecards) throw new Error(`the pull left ${submitted} submitted scorecards in SQLite, not ${pushed.scorecards}`);
      if (summary.refused.length || summary.conflicts) throw new Error(`the pull had ${summary.refused.length} refusals and ${summary.conflicts} conflicts`);
      if (run === 0) console.log(`(one sync pushed ${JSON.stringify(summary.pushed)} and pulled ${JSON.stringify(summary.pulled)})`);
    } finally {
      core.close();
    }
  }
  console.log(`(syncs: ${samples.map((s) => Math.round(s).toLocaleString('en')).join(', ')} ms)`);
  record('hub.pull_10k_scorecards_ms', 'ms', median(samples));
}

/** A data folder holding this private key as the installation's key. */
function withKey(dataDir: string, pem: string): string {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, PRIVATE_KEY_FILE), pem, { mode: 0o600 });
  return dataDir;
}

interface SimClient {
  index: number;
  id: string;
  name: string;
  email: string;
  publicKey: string;
  token: string;
  url: string;
  /** The revision of my interviewer record the hub last accepted (0: none yet). */
  revision: number;
  cursor: string | null;
  lastAcceptedAt: number;
}

/**
 * hub.clients_500.*: CLIENTS desktops, each its own hub user (interviewer, its own key and token),
 * half on each of two hub processes. Each loops: push a new revision of its own interviewer record
 * (based on the revision the hub last accepted), pull from its cursor, think 0.5–1.5 s. 429s wait
 * out Retry-After and try again. After `seconds`, writes stop and clients keep pulling until each
 * has seen every other client's last revision.
 */
async function clients(cluster: Cluster, seconds: number, record: RecordRow, stops: (() => Promise<void>)[]): Promise<void> {
  const { ownerUrl, owner } = await hubDatabase(cluster, 'hub_clients');
  stops.push(() => owner.end());
  const hubs: HubProcess[] = [];
  stops.push(() => Promise.all(hubs.map((h) => h.stop())).then(() => undefined));
  for (let i = 0; i < 2; i++) hubs.push(await startHubProcess(ownerUrl, ['--pool-size', String(CLIENT_POOL_SIZE)]));

  const all: SimClient[] = [];
  for (let index = 0; index < CLIENTS; index++) {
    const email = `client-${index}@bench.example.com`;
    const { publicKey } = newKeys();
    const { token } = await addUser(owner, { email, role: 'interviewer', publicKey });
    all.push({ index, id: randomUUID(), name: `Bench Client ${index}`, email, publicKey, token, url: hubs[index % 2]!.url, revision: 0, cursor: null, lastAcceptedAt: 0 });
  }
  const indexOf = new Map(all.map((c) => [c.id, c.index]));
  // What each client's pulls have shown it of each other client: the revision, and when it arrived.
  const seen = all.map(() => new Int32Array(CLIENTS));
  const seenAt = all.map(() => new Float64Array(CLIENTS));

  const errors = new Map<string, number>();
  const countError = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
  /** Any failure but a 429 fails the run (and stops waiting for convergence). */
  const failures = () => [...errors].filter(([what]) => !what.endsWith(' 429'));
  const failed = () => failures().length > 0;
  /** Every answered request (but 429s): when it started and ended, from t0. */
  const latency: { kind: 'push' | 'pull'; ms: number; start: number; end: number }[] = [];
  const think = () => sleep(500 + Math.random() * 1000);

  /** One request, again after Retry-After while the hub answers 429; null when it failed otherwise (counted). */
  async function request(kind: 'push' | 'pull', url: string, init: RequestInit): Promise<{ response: Response; body: Buffer } | null> {
    for (;;) {
      const started = performance.now();
      let response: Response;
      let body: Buffer;
      try {
        response = await fetch(url, init);
        body = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        countError(`${kind} network: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
        return null;
      }
      const end = performance.now();
      if (response.status === 429) {
        countError(`${kind} 429`);
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      if (!response.ok) {
        countError(`${kind} ${response.status}`);
        return null;
      }
      latency.push({ kind, ms: end - started, start: started - t0, end: end - t0 });
      return { response, body };
    }
  }

  async function push(c: SimClient): Promise<void> {
    const revision = c.revision + 1;
    const now = new Date().toISOString();
    const interviewer: Bundle['interviewers'][number] = { id: c.id, aliases: [], name: c.name, email: c.email, publicKey: c.publicKey, deactivatedAt: null, revision, updatedAt: now };
    const bundle: Bundle = {
      format: BUNDLE_FORMAT,
      schemaVersion: BUNDLE_SCHEMA_VERSION,
      kind: 'full',
      createdAt: now,
      createdBy: { interviewerId: c.id, name: c.name, publicKey: c.publicKey },
      interviewers: [interviewer],
      rubrics: [],
      roles: [],
      candidates: [],
      interviews: [],
      scorecards: [],
      tombstones: [],
      keyEvents: [],
      revotes: [],
    };
    const body: PushRequest = { bases: { [recordKey('interviewers', c.id)]: c.revision || null }, bundle };
    const answer = await request('push', `${c.url}/v1/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipJson(body),
    });
    if (!answer) return;
    const result = (JSON.parse(answer.body.toString('utf8')) as { results: PushResult[] }).results[0];
    if (result?.outcome === 'accepted' && result.revision === revision) {
      c.revision = revision;
      c.lastAcceptedAt = performance.now();
    } else {
      countError(`push ${result?.outcome ?? 'without result'}`);
      if (result?.revision) c.revision = result.revision;
    }
  }

  async function pull(c: SimClient): Promise<void> {
    const answer = await request('pull', `${c.url}/v1/pull${c.cursor ? `?cursor=${c.cursor}` : ''}`, { headers: { authorization: `Bearer ${c.token}` } });
    if (!answer) return;
    const bundle = JSON.parse(gunzipSync(answer.body).toString('utf8')) as Bundle;
    const now = performance.now();
    const mine = seen[c.index]!;
    const mineAt = seenAt[c.index]!;
    for (const r of bundle.interviewers) {
      const other = indexOf.get(r.id);
      if (other === undefined || r.revision <= mine[other]!) continue;
      mine[other] = r.revision;
      mineAt[other] = now;
    }
    c.cursor = answer.response.headers.get('x-panelist-cursor') ?? c.cursor;
  }

  const converged = (c: SimClient) => {
    const mine = seen[c.index]!;
    return all.every((o) => o === c || mine[o.index]! >= o.revision);
  };

  console.log(`(${CLIENTS} clients for ${seconds} s on 2 hub processes with --pool-size ${CLIENT_POOL_SIZE}, think 0.5–1.5 s)`);
  const t0 = performance.now();
  const writeUntil = t0 + seconds * 1000;
  let writesDone!: () => void;
  const allWritten = new Promise<void>((resolve) => (writesDone = resolve));
  let writing = CLIENTS;
  /** A bug that loses writes would keep clients pulling for ever: they give up this long after the last write. */
  let convergeUntil = Number.POSITIVE_INFINITY;
  await Promise.all(
    all.map(async (c) => {
      await think();
      while (performance.now() < writeUntil) {
        await push(c);
        await pull(c);
        await think();
      }
      if (--writing === 0) {
        convergeUntil = performance.now() + 120_000;
        writesDone();
      }
      await allWritten;
      // Every client's last revision is known now: pull until this one has seen them all.
      while (!converged(c) && performance.now() < convergeUntil && !failed()) {
        await pull(c);
        if (!converged(c)) await think();
      }
    }),
  );
  const window = seconds * 1000;
  // The rate: requests answered within the window; the latencies: of requests started within it.
  const answered = latency.filter((l) => l.end <= window).length;
  const inWindow = latency.filter((l) => l.start < window);
  const lastWrite = Math.max(...all.map((c) => c.lastAcceptedAt));
  let convergedAt = lastWrite;
  for (const c of all) for (const o of all) if (o !== c) convergedAt = Math.max(convergedAt, seenAt[c.index]![o.index]!);
  const writes = all.reduce((n, c) => n + c.revision, 0);
  const byKind = (kind: string) => inWindow.filter((l) => l.kind === kind).map((l) => l.ms);
  console.log(
    `(${answered.toLocaleString('en')} requests answered in the window, ${writes.toLocaleString('en')} revisions accepted in all; ` +
      `push p50 ${Math.round(percentile(byKind('push'), 50))} ms p99 ${Math.round(percentile(byKind('push'), 99))} ms; ` +
      `pull p50 ${Math.round(percentile(byKind('pull'), 50))} ms p99 ${Math.round(percentile(byKind('pull'), 99))} ms)`,
  );
  console.log(`(errors by status: ${errors.size ? [...errors].map(([k, n]) => `${k} × ${n}`).join(', ') : 'none'})`);
  if (failed()) {
    for (const hub of hubs) console.log(`hub log:\n${hub.output().slice(-3000)}`);
    throw new Error(`the hub failed requests under load: ${failures().map(([what, n]) => `${what} × ${n}`).join(', ')}`);
  }
  const behind = all.filter((c) => !converged(c)).length;
  if (behind) throw new Error(`${behind} clients had not seen every other client's last revision 120 s after the writes stopped`);
  record('hub.clients_500.rps', 'req/s', answered / seconds);
  record('hub.clients_500.p99_ms', 'ms', percentile(inWindow.map((l) => l.ms), 99));
  record('hub.clients_500.converge_s', 's', (convergedAt - lastWrite) / 1000);
}

/** Every hub row, or each skipped with the reason when PostgreSQL is not installed. */
export async function hubRows(scratch: string, record: RecordRow): Promise<void> {
  if (postgresMissing) {
    for (const name of HUB_ROWS) console.log(`${name}: skipped, ${postgresMissing}`);
    return;
  }
  const seconds = Number(process.env.PANELIST_BENCH_HUB_SECONDS ?? 60);
  if (!(seconds > 0)) throw new Error(`PANELIST_BENCH_HUB_SECONDS must be a number of seconds, not "${process.env.PANELIST_BENCH_HUB_SECONDS}"`);
  const stops: (() => Promise<void>)[] = [];
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster();
    const { ownerUrl, owner } = await hubDatabase(cluster, 'hub');
    stops.push(() => owner.end());
    const hubs: HubProcess[] = [];
    stops.push(() => Promise.all(hubs.map((h) => h.stop())).then(() => undefined));
    for (let i = 0; i < 2; i++) hubs.push(await startHubProcess(ownerUrl));
    const pushed = await pushDemo(scratch, owner, hubs, record);
    await pullDemo(scratch, hubs, pushed, record);
    await Promise.all(hubs.map((h) => h.stop()));
    await clients(cluster, seconds, record, stops);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`stopping: ${String(error)}`));
    cluster?.stop();
  }
}
