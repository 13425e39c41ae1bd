import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushRequest, PushResponse } from '../../src/shared/hub';
import { buildBundle } from '../../src/main/core/exchange/export';
import { onlyRecords } from '../../src/main/core/sync/bundle-records';
import { waitingChanges } from '../../src/main/core/sync/sync-once';
import { signKeyEvent } from '../../src/main/core/provenance/key-events';
import { publicKeyText } from '../../src/main/core/provenance/keys';
import { rotateMyKey } from '../../src/main/core/services/keys';
import { tokenHash } from '../../src/main/hub/tokens';
import { revokeUser, shareRole } from '../../src/main/hub/users';
import { runCli } from '../support/cli';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';
import { joinHub, startHubProcess, startTestHub, type HubProcess, type TestHub } from '../support/hub';
import { postgresMissing, serviceUrl } from '../support/postgres';

/**
 * The team hub on a real PostgreSQL: hiring managers and interviewers, each on their own
 * installation (data folder), sync through two hub processes on one database.
 */

let hub: TestHub;
let hubs: HubProcess[] = [];
let service: pg.Pool;
const cores: TestCore[] = [];
const tokens = new Map<TestCore, string>();
let team = 0;

async function installation(name: string, email: string): Promise<TestCore> {
  const core = await openTestCore();
  cores.push(core);
  const me = await core.value('me:get', {});
  await core.value('me:update', { name, email, revision: me.revision });
  return core;
}

async function join(core: TestCore, role: 'interviewer' | 'hiring-manager', via = 0): Promise<TestCore> {
  tokens.set(core, await joinHub(hub, core, hubs[via]!.url, role));
  return core;
}

/** A hiring manager and three interviewers on the hub (emails unique to this test), and a candidate with two panels. */
async function panel() {
  const domain = `t${++team}.example.com`;
  const hm = await join(await installation('Hana Manager', `hana@${domain}`), 'hiring-manager', 0);
  const ana = await join(await installation('Ana Lee', `ana@${domain}`), 'interviewer', 0);
  const ben = await join(await installation('Ben Ode', `ben@${domain}`), 'interviewer', 1);
  const cy = await join(await installation('Cy Park', `cy@${domain}`), 'interviewer', 1);
  const ids = await Promise.all(['Ana Lee', 'Ben Ode', 'Cy Park'].map((name) => hm.value('interviewers:add', { name, email: `${name.split(' ')[0]!.toLowerCase()}@${domain}` })));
  const [role] = await hm.value('roles:list', {});
  const detail = await hm.value('roles:get', { roleId: role!.id });
  const jane = await hm.value('candidates:add', { roleId: role!.id, name: 'Jane Doe', email: `jane@${domain}` });
  const architecture = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[0]!.id, scheduledAt: '2026-11-27T14:00:00Z', panel: [ids[0]!.id, ids[1]!.id] });
  const technical = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[1]!.id, scheduledAt: '2026-11-27T16:00:00Z', panel: [ids[2]!.id] });
  return { domain, hm, ana, ben, cy, jane, roleId: role!.id, stages: detail.stages, architecture: architecture.interview.interviewId, technical: technical.interview.interviewId };
}

async function scoreAndSubmit(core: TestCore, interviewId: string, score: number, evidence: string) {
  const view = await core.value('scorecards:open', { interviewId });
  const editor = await openEditor(core, view.scorecard.id);
  for (const c of view.rubric.criteria) must(await editor.setScore(c.id, score));
  must(await editor.setEvidence(view.rubric.criteria[0]!.id, evidence));
  must(await editor.setDetail('privateNote', `SECRET note of ${evidence}`));
  must(await editor.setDetail('recommendation', score >= 3 ? 'yes' : 'no'));
  must(await editor.submit());
  return { view, editor };
}

const submitted = (core: TestCore) => core.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE status = 'submitted'`).pluck().get();

/** What every installation should agree on once all have synced: the shared records, by content. */
function shared(core: TestCore): string {
  const q = (sql: string) => core.ctx.db.prepare(sql).all();
  return createHash('sha256')
    .update(
      JSON.stringify([
        q(`SELECT id, role_id, name, email, source, note, revision FROM candidates ORDER BY id`),
        q(`SELECT id, candidate_id, stage_id, scheduled_at, revision FROM interviews ORDER BY id`),
        q(`SELECT s.id, s.interview_id, s.status, s.recommendation, s.takeaways FROM scorecards s WHERE s.status = 'submitted' ORDER BY s.id`),
        q(`SELECT scorecard_id, revision, hash FROM scorecard_revisions ORDER BY scorecard_id, revision`),
        // Every installation has its own example role; the roles that travel are the ones with candidates.
        q(`SELECT id, title, revision FROM roles WHERE id IN (SELECT role_id FROM candidates) ORDER BY id`),
      ]),
    )
    .digest('hex');
}

const HUB_TABLES = ['users', 'tokens', 'secret', 'role_managers', 'grants', 'interviewers', 'interviewer_ids', 'rubric_versions', 'roles', 'candidates', 'interviews', 'seats', 'scorecards', 'revotes', 'key_events', 'tombstones'];

/** Everything the hub holds, as one hash (read as the owner). */
async function hubState(): Promise<string> {
  const parts: string[] = [];
  for (const table of HUB_TABLES) {
    const { rows } = await hub.owner.query<{ h: string | null }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h FROM hub.${table} t`);
    parts.push(`${table}:${rows[0]!.h ?? ''}`);
  }
  return parts.join(',');
}

/** A query through the service's own connection pool, in a transaction acting for the token's user, as the service runs them. */
async function asUser<T>(token: string, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await service.connect();
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query('SELECT * FROM hub.act_as($1)', [tokenHash(token)]);
    expect(rowCount).toBe(1);
    return await run(client);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const rows = (token: string, table: string) => asUser(token, async (db) => (await db.query(`SELECT * FROM hub.${table}`)).rowCount);

/** A push as a client might send it, built from an installation's records. */
function pushBody(core: TestCore, keys: string[]): PushRequest {
  const { ownWork: _own, ...full } = buildBundle(core.ctx, { kind: 'full' });
  return { bases: Object.fromEntries(keys.map((k) => [k, null])), bundle: onlyRecords(full, new Set(keys)) };
}

async function rawPush(token: string, body: PushRequest): Promise<{ status: number; json: PushResponse & { error?: { message: string } } }> {
  const response = await fetch(`${hubs[0]!.url}/v1/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.from(JSON.stringify(body))),
  });
  return { status: response.status, json: (await response.json()) as PushResponse & { error?: { message: string } } };
}

describe.skipIf(postgresMissing)('the team hub', () => {
  beforeAll(async () => {
    hub = await startTestHub();
    hubs = [await startHubProcess(hub.ownerUrl), await startHubProcess(hub.ownerUrl)];
    service = new pg.Pool({ connectionString: serviceUrl(hub.ownerUrl), max: 2 });
  }, 120_000);
  afterAll(async () => {
    cores.forEach((c) => c.dispose());
    await service?.end();
    await Promise.all(hubs.map((h) => h.stop()));
    await hub?.stop();
  });

  it('carries a panel from the hiring manager to three interviewers and their scorecards back, with independent scoring held by the hub', async () => {
    const { hm, ana, ben, cy, architecture, technical } = await panel();
    const first = await hm.hub.run();
    expect(first.pushed).toMatchObject({ candidates: 1, interviews: 2, roles: 1 });
    expect(first.refused).toEqual([]);
    expect(hm.hub.status()).toMatchObject({ state: 'synced', waiting: 0, lastError: null, identity: { role: 'hiring-manager' } });

    // The interviewers sync at once, through both hub processes: each finds their interview on Today.
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    expect((await ana.value('today:list', {})).unsubmitted.map((i) => i.interviewId)).toEqual([architecture]);
    expect((await cy.value('today:list', {})).unsubmitted.map((i) => i.interviewId)).toEqual([technical]);

    await scoreAndSubmit(ana, architecture, 4, 'ANA: asked about scale first');
    expect(ana.hub.status().waiting).toBe(1);
    expect((await ana.hub.run()).pushed).toEqual({ scorecards: 1 });

    // Ben holds an unsubmitted seat on Jane's loop: Ana's scorecard does not reach him.
    await ben.hub.run();
    expect(submitted(ben)).toBe(0);
    // Nor does PostgreSQL show it to him: a query with no WHERE, as each user, under row-level security.
    expect(await rows(tokens.get(ben)!, 'scorecards')).toBe(0);
    expect(await rows(tokens.get(cy)!, 'scorecards')).toBe(0);
    expect(await rows(tokens.get(ana)!, 'scorecards')).toBe(1);
    expect(await rows(tokens.get(hm)!, 'scorecards')).toBe(1);
    expect(await rows(tokens.get(ben)!, 'candidates')).toBe(1);
    const admin = await hub.addUser(`admin@t${team}.example.com`, 'admin');
    for (const table of ['scorecards', 'candidates', 'interviews', 'roles', 'revotes', 'interviewers', 'seats']) expect(await rows(admin, table)).toBe(0);
    expect(await rows(admin, 'users')).toBeGreaterThanOrEqual(5);
    expect(await rows(admin, 'tokens')).toBeGreaterThanOrEqual(5);
    expect(await rows(tokens.get(ana)!, 'users')).toBe(1);
    expect(await rows(tokens.get(ana)!, 'tokens')).toBe(0);
    // Who a transaction acts for cannot be set around act_as: settings the service writes itself make it nobody.
    const anaUser = (await hub.owner.query<{ id: string; email: string }>(`SELECT id, email FROM hub.users WHERE email = $1`, [`ana@t${team}.example.com`])).rows[0]!;
    const spoof = (db: pg.PoolClient) => db.query(`SELECT set_config('panelist.user_id', $1, true), set_config('panelist.email', $2, true), set_config('panelist.role', 'hiring-manager', true)`, [anaUser.id, anaUser.email]);
    const spoofedAna = await asUser(tokens.get(ana)!, async (db) => {
      await spoof(db);
      return (await db.query('SELECT * FROM hub.scorecards')).rowCount;
    });
    expect(spoofedAna).toBe(0);
    const bare = await service.connect();
    try {
      await bare.query('BEGIN');
      await spoof(bare);
      expect((await bare.query('SELECT * FROM hub.scorecards')).rowCount).toBe(0);
      await expect(bare.query(`SELECT hub.seal($1, $2, 'interviewer')`, [anaUser.id, anaUser.email])).rejects.toThrow(/permission denied/);
    } finally {
      await bare.query('ROLLBACK');
      bare.release();
    }

    // Submit, pull, receive the earlier scorecard (older than Ben's cursor).
    await scoreAndSubmit(ben, architecture, 2, 'BEN: needed prompting');
    const benSync = await ben.hub.run();
    expect(benSync.pushed).toEqual({ scorecards: 1 });
    expect(benSync.pulled).toMatchObject({ scorecards: 1 });
    expect(submitted(ben)).toBe(2);

    await scoreAndSubmit(cy, technical, 3, 'CY: solid on trade-offs');
    await cy.hub.run();
    await Promise.all([hm.hub.run(), ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    expect(submitted(hm)).toBe(3);
    expect(new Set([hm, ana, ben, cy].map(shared)).size).toBe(1);
    // Private notes never leave their installation.
    expect(hm.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE private_note LIKE '%SECRET%'`).pluck().get()).toBe(0);
  }, 120_000);

  it('refuses hostile clients and changes nothing: a forged revision, a write to someone else\'s scorecard, a revoked token, a replayed push', async () => {
    const { hm, ana, ben, cy, architecture, technical } = await panel();
    await hm.hub.run();
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    await scoreAndSubmit(ana, architecture, 4, 'ANA: honest evidence');
    const anaCard = `scorecards/${ana.ctx.db.prepare(`SELECT id FROM scorecards WHERE status = 'submitted'`).pluck().get() as string}`;
    const honest = pushBody(ana, [anaCard]);

    await revokeUser(hub.owner, (await cy.value('me:get', {})).email);
    const before = await hubState();
    // A forged revision: Ana's evidence changed inside the signed bytes on the way.
    const forged = structuredClone(honest);
    const revision = forged.bundle.scorecards[0]!.revisions[0]!;
    revision.bytes = Buffer.from(Buffer.from(revision.bytes, 'base64').toString('utf8').replace('honest evidence', 'forged evidence')).toString('base64');
    const forgedAnswer = await rawPush(tokens.get(ana)!, forged);
    expect(forgedAnswer.json.results).toEqual([{ key: anaCard, outcome: 'refused', revision: null, reason: expect.stringMatching(/revision \d+ is refused: its content does not match its hash/) }]);
    // Ana's genuine scorecard, pushed by Ben.
    const stolen = await rawPush(tokens.get(ben)!, honest);
    expect(stolen.json.results[0]).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/only be pushed by its author/) });
    // A scorecard Ben signed himself, for an interview he is not on.
    await scoreAndSubmit(ben, architecture, 2, 'BEN');
    const benCard = ben.ctx.db.prepare(`SELECT id FROM scorecards WHERE status = 'submitted'`).pluck().get() as string;
    const moved = pushBody(ben, [`scorecards/${benCard}`]);
    moved.bundle.scorecards[0]!.interviewId = technical;
    expect((await rawPush(tokens.get(ben)!, moved)).json.results[0]).toMatchObject({ outcome: 'refused' });
    // An interviewer cannot change the candidate, nor make a role.
    const candidateKey = `candidates/${hm.ctx.db.prepare(`SELECT id FROM candidates`).pluck().get() as string}`;
    const hmRecords = pushBody(hm, [candidateKey]);
    hmRecords.bundle.candidates[0]!.note = 'changed by an interviewer';
    hmRecords.bundle.candidates[0]!.revision = 5;
    expect((await rawPush(tokens.get(ben)!, hmRecords)).json.results[0]).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/only a hiring manager/) });
    // A hiring manager cannot give Ana another key for desktops to pin.
    const anaRecord = `interviewers/${hm.ctx.db.prepare(`SELECT id FROM interviewers WHERE email LIKE 'ana@%'`).pluck().get() as string}`;
    const fakeKey = pushBody(hm, [anaRecord]);
    fakeKey.bundle.interviewers[0]!.publicKey = ben.ctx.keys.publicKey;
    fakeKey.bases[anaRecord] = 1;
    fakeKey.bundle.interviewers[0]!.revision = 2;
    expect((await rawPush(tokens.get(hm)!, fakeKey)).json.results[0]).toMatchObject({ outcome: 'refused', reason: expect.stringMatching(/not the one the hub has for ana@/) });
    // A stolen token and a key made up by the thief: a rotation from that key is not Ben's, so nothing
    // signed with it (or with the key it rotates to) will pass as his.
    const made = generateKeyPairSync('ed25519');
    const madeKey = publicKeyText(made.privateKey);
    const statement = { type: 'panelist/key-rotation', version: 1, interviewerId: ben.ctx.meId, oldKey: madeKey, newKey: publicKeyText(generateKeyPairSync('ed25519').privateKey), reason: null, at: '2026-01-01T00:00:00.000Z' } as const;
    const rotation = signKeyEvent(statement, made.privateKey, madeKey);
    const thief = pushBody(ben, []);
    thief.bundle.keyEvents = [{ ...rotation, bytes: rotation.bytes.toString('base64'), signature: rotation.signature.toString('base64') }];
    expect((await rawPush(tokens.get(ben)!, thief)).json.results).toEqual([
      { key: `key-events/${rotation.hash}`, outcome: 'refused', revision: null, reason: 'a key rotation must start from the key the hub has for you now' },
    ]);
    // Ben names an id the hub has not met yet as his: it stays free for whoever it belongs to.
    const colleague = randomUUID();
    const claim = pushBody(ben, [`interviewers/${ben.ctx.meId}`]);
    claim.bundle.interviewers[0]!.aliases = [colleague];
    await rawPush(tokens.get(ben)!, claim);
    expect((await hub.owner.query('SELECT 1 FROM hub.interviewer_ids WHERE id = $1', [colleague])).rowCount).toBe(0);
    const anaEmail = (await ana.value('me:get', {})).email;
    await expect(asUser(tokens.get(ben)!, (db) => db.query('INSERT INTO hub.interviewer_ids (id, email) VALUES ($1, $2)', [colleague, anaEmail]))).rejects.toThrow(/row-level security/);
    // A revoked user's token, and an unknown one with a body the hub does not read before it knows who asks.
    expect((await rawPush(tokens.get(cy)!, honest)).status).toBe(401);
    expect((await rawPush('pnl_made-up-token-of-nobody-at-all', { garbage: true } as unknown as PushRequest)).status).toBe(401);
    await expect(cy.hub.run()).rejects.toThrow(/not valid on this hub/);
    expect(cy.hub.status()).toMatchObject({ state: 'error', lastError: expect.stringMatching(/not valid on this hub/) });
    expect(await hubState()).toBe(before);

    // The honest push goes through once; replayed, it changes nothing.
    expect((await rawPush(tokens.get(ana)!, honest)).json.results[0]).toMatchObject({ outcome: 'accepted' });
    const after = await hubState();
    expect((await rawPush(tokens.get(ana)!, honest)).json.results[0]).toMatchObject({ outcome: 'unchanged' });
    expect(await hubState()).toBe(after);
    // Garbage is refused with the place it went wrong.
    const bad = await rawPush(tokens.get(ana)!, { bases: {}, bundle: { ...honest.bundle, scorecards: [{ ...honest.bundle.scorecards[0]!, interviewId: 'nope' }] } } as PushRequest);
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toMatch(/bundle\.scorecards\.0\.interviewId/);
    expect(await hubState()).toBe(after);
  }, 120_000);

  it('sends what an open seat hid once the seat goes: removed from a panel, a panelist receives the scorecards she waited for', async () => {
    const { hm, ana, ben, cy, architecture, technical } = await panel();
    const anaId = hm.ctx.db.prepare(`SELECT id FROM interviewers WHERE email LIKE 'ana@%'`).pluck().get() as string;
    const cyId = hm.ctx.db.prepare(`SELECT id FROM interviewers WHERE email LIKE 'cy@%'`).pluck().get() as string;
    const revision = () => hm.ctx.db.prepare(`SELECT revision FROM interviews WHERE id = ?`).pluck().get(technical) as number;
    await hm.value('interviews:update', { interviewId: technical, revision: revision(), panel: [cyId, anaId] });
    await hm.hub.run();
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    await scoreAndSubmit(ben, architecture, 2, 'BEN first');
    await ben.hub.run();
    await scoreAndSubmit(ana, architecture, 4, 'ANA second');
    await ana.hub.run();
    // Ana still has an open seat on Jane's technical interview: Ben's scorecard stays hidden.
    expect(submitted(ana)).toBe(1);

    await hm.value('interviews:update', { interviewId: technical, revision: revision(), panel: [cyId] });
    await hm.hub.run();
    const after = await ana.hub.run();
    expect(after.pulled).toMatchObject({ scorecards: 1 });
    expect(submitted(ana)).toBe(2);
  }, 120_000);

  it('answers a sync asked for while one runs with the one that follows it, which takes the changes made meanwhile', async () => {
    const { hm, roleId, domain } = await panel();
    const first = hm.hub.run();
    const omar = await hm.value('candidates:add', { roleId, name: 'Omar Other', email: `omar@${domain}` });
    const second = hm.hub.run();
    expect(second).not.toBe(first);
    await first;
    await second;
    expect(waitingChanges(hm.ctx, 'hiring-manager')).toEqual([]);
    expect((await hub.owner.query('SELECT 1 FROM hub.candidates WHERE id = $1', [omar.id])).rowCount).toBe(1);
    // An admin lists the users through the service; others may not.
    const admin = await hub.addUser(`admin@${domain}`, 'admin');
    const listed = await fetch(`${hubs[0]!.url}/v1/users`, { headers: { authorization: `Bearer ${admin}` } });
    expect(listed.status).toBe(200);
    const { users } = (await listed.json()) as { users: { email: string; role: string; tokens: number }[] };
    expect(users).toContainEqual(expect.objectContaining({ email: `hana@${domain}`, role: 'hiring-manager', tokens: 1 }));
    expect((await fetch(`${hubs[0]!.url}/v1/users`, { headers: { authorization: `Bearer ${tokens.get(hm)!}` } })).status).toBe(403);
  }, 120_000);

  it('never skips a change whose transaction commits after a younger one', async () => {
    const { hm, jane, roleId } = await panel();
    const other = await hm.value('candidates:add', { roleId, name: 'Omar Other', email: `omar@t${team}.example.com` });
    await hm.hub.run();
    const token = tokens.get(hm)!;
    const bump = (client: pg.PoolClient, id: string, note: string) =>
      client.query(`UPDATE hub.candidates SET revision = revision + 1, record = jsonb_set(jsonb_set(record, '{note}', to_jsonb($2::text)), '{revision}', to_jsonb(revision + 1)) WHERE id = $1`, [id, note]);
    const older = await service.connect();
    const younger = await service.connect();
    try {
      await older.query('BEGIN');
      await older.query('SELECT * FROM hub.act_as($1)', [tokenHash(token)]);
      await bump(older, jane.id, 'written first, committed last');
      await younger.query('BEGIN');
      await younger.query('SELECT * FROM hub.act_as($1)', [tokenHash(token)]);
      await bump(younger, other.id, 'written second, committed first');
      await younger.query('COMMIT');
      // The younger change arrives; the older, still uncommitted, cannot.
      await hm.hub.run();
      const note = (id: string) => hm.ctx.db.prepare(`SELECT note FROM candidates WHERE id = ?`).pluck().get(id);
      expect(note(other.id)).toBe('written second, committed first');
      expect(note(jane.id)).toBe('');
      await older.query('COMMIT');
      // A cursor on the change sequence would now skip Jane: her change took its number first.
      const { rows: seqs } = await hub.owner.query<{ id: string; seq: string }>('SELECT id, seq FROM hub.candidates WHERE id = ANY($1)', [[jane.id, other.id]]);
      const seqOf = (id: string) => BigInt(seqs.find((r) => r.id === id)!.seq);
      expect(seqOf(jane.id) < seqOf(other.id)).toBe(true);
      await hm.hub.run();
      expect(note(jane.id)).toBe('written first, committed last');
    } finally {
      older.release();
      younger.release();
    }
  }, 120_000);

  it('lets offline edits meet on reconnect: a stale push is merged, the conflict settled, and every desktop converges; an erasure reaches every desktop', async () => {
    const { domain, hm, ana, ben, cy, jane, roleId, architecture } = await panel();
    await hm.hub.run();
    const hm2 = await join(await installation('Hugo Second', `hugo@${domain}`), 'hiring-manager', 1);
    await shareRole(hub.owner, roleId, `hugo@${domain}`);
    await hm2.hub.run();
    expect(hm2.ctx.db.prepare(`SELECT name FROM candidates WHERE id = ?`).pluck().get(jane.id)).toBe('Jane Doe');
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);

    // Both hiring managers change Jane while offline.
    const at = (core: TestCore) => core.value('candidates:get', { candidateId: jane.id });
    const one = await at(hm);
    await hm.value('candidates:update', { candidateId: jane.id, revision: one.revision, name: 'Jane Doe', email: one.email, source: 'Referral', note: one.note, timeZone: one.timeZone });
    const two = await at(hm2);
    await hm2.value('candidates:update', { candidateId: jane.id, revision: two.revision, name: 'Jane Doe', email: two.email, source: 'Job board', note: two.note, timeZone: two.timeZone });
    await scoreAndSubmit(ana, architecture, 3, 'ANA offline');
    expect(hm2.hub.status().waiting).toBe(1);

    await Promise.all([hm.hub.run(), ana.hub.run()]);
    const second = await hm2.hub.run();
    expect(second.stale).toBe(0);
    expect(second.conflicts).toBe(1);
    // Hugo's version stays on his screen as a conflict to settle, and is not pushed until he does.
    const [conflict] = await hm2.value('conflicts:list', {});
    expect(conflict).toMatchObject({ kind: 'record', recordId: jane.id });
    expect(hm2.hub.status().waiting).toBe(0);
    await hm2.value('conflicts:resolve', { conflictId: conflict!.id, choice: 'keep-this' });
    expect(hm2.hub.status().waiting).toBe(1);
    expect((await hm2.hub.run()).pushed).toEqual({ candidates: 1 });
    await Promise.all([hm, ana, ben, cy].map((c) => c.hub.run()));
    expect((await at(hm)).source).toBe('Job board');
    await scoreAndSubmit(ben, architecture, 2, 'BEN');
    await ben.hub.run();
    await Promise.all([hm, hm2, ana].map((c) => c.hub.run()));
    expect(new Set([hm, hm2, ana, ben].map(shared)).size).toBe(1);

    // Hana erases Jane: the tombstone reaches every desktop, and the hub keeps nothing of her.
    await hm.value('candidates:erase', { candidateIds: [jane.id] });
    expect((await hm.hub.run()).pushed).toEqual({ tombstones: 1 });
    await Promise.all([hm2, ana, ben, cy].map((c) => c.hub.run()));
    for (const core of [hm2, ana, ben, cy]) {
      expect(core.ctx.db.prepare(`SELECT count(*) FROM candidates WHERE id = ?`).pluck().get(jane.id)).toBe(0);
      expect(submitted(core)).toBe(0);
    }
    const { rows: left } = await hub.owner.query(`SELECT (SELECT count(*) FROM hub.candidates WHERE id = $1) + (SELECT count(*) FROM hub.scorecards WHERE candidate_id = $1) + (SELECT count(*) FROM hub.interviews WHERE candidate_id = $1) AS n`, [jane.id]);
    expect(Number(left[0].n)).toBe(0);
  }, 120_000);

  it('syncs from the command line, prints what moved, and exits non-zero with the reason when refused', async () => {
    const { hm } = await panel();
    const json = runCli(['sync', '--hub', hubs[1]!.url, '--token', tokens.get(hm)!, '--data-dir', hm.dir, '--json']);
    // The test's core holds the database open too; the CLI is a second process on the same file.
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout) as { pushed: Record<string, number>; waiting: number };
    expect(summary.pushed).toMatchObject({ candidates: 1, interviews: 2 });
    expect(summary.waiting).toBe(0);
    const text = runCli(['sync', '--hub', hubs[1]!.url, '--token', tokens.get(hm)!, '--data-dir', hm.dir]);
    expect(text.stdout).toMatch(/Synced with .* as hana@.* \(hiring-manager\)\.\nPushed nothing; pulled/);
    const refused = runCli(['sync', '--hub', hubs[1]!.url, '--token', 'pnl_not-a-token-of-this-hub-at-all', '--data-dir', hm.dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not valid on this hub/);
    expect(waitingChanges(hm.ctx, 'hiring-manager')).toEqual([]);
    const offline = runCli(['sync', '--hub', 'http://127.0.0.1:9', '--token', tokens.get(hm)!, '--data-dir', hm.dir]);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/cannot be reached/);
  }, 120_000);

  it('cannot forge: a scorecard changed inside the hub is refused by the desktop that pulls it, and published rubric versions never change', async () => {
    const { hm, ana, ben, cy, architecture } = await panel();
    await hm.hub.run();
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    // Ana rotates her key (signed by the old one) and amends after it: the hub follows the rotation.
    const { editor } = await scoreAndSubmit(ana, architecture, 2, 'ANA before rotating');
    rotateMyKey(ana.ctx);
    const criterion = (await ana.value('scorecards:open', { interviewId: architecture })).rubric.criteria[1]!.id;
    must(await editor.amend({ reason: 'Second look', scores: [{ criterionId: criterion, value: 3 }] }));
    const pushed = await ana.hub.run();
    expect(pushed.refused).toEqual([]);
    expect(pushed.pushed).toMatchObject({ scorecards: 1, 'key-events': 1 });
    await hm.hub.run();
    expect(submitted(hm)).toBe(1);

    // Someone with the database's keys edits Ana's evidence in the hub: the trigger stops a signed
    // revision from being rewritten, so they switch it off first.
    const rewrite = `UPDATE hub.scorecards SET record = jsonb_set(record, '{revisions,0,bytes}', to_jsonb(translate(encode(convert_to(replace(convert_from(decode(record #>> '{revisions,0,bytes}', 'base64'), 'UTF8'), 'ANA before rotating', 'ANA was brilliant'), 'UTF8'), 'base64'), E'\\n', '')))`;
    await expect(hub.owner.query(rewrite)).rejects.toThrow(/signed revisions are only ever added to/);
    await hub.owner.query(`ALTER TABLE hub.scorecards DISABLE TRIGGER scorecards_append_only`);
    await hub.owner.query(rewrite);
    await hub.owner.query(`ALTER TABLE hub.scorecards ENABLE TRIGGER scorecards_append_only`);
    const fresh = await join(await installation('Hana Laptop', (await hm.value('me:get', {})).email.replace('hana@', 'hana2@')), 'hiring-manager', 1);
    await shareRole(hub.owner, (await hm.value('roles:list', {}))[0]!.id, (await fresh.value('me:get', {})).email);
    await expect(fresh.hub.run()).rejects.toThrow(/revision \d+ is refused/);
    expect(fresh.hub.status()).toMatchObject({ state: 'error', lastError: expect.stringMatching(/refused/) });
    expect(submitted(fresh)).toBe(0);

    await expect(hub.owner.query(`UPDATE hub.rubric_versions SET content_hash = repeat('0', 64)`)).rejects.toThrow(/a published rubric version never changes/);
  }, 120_000);

  it('limits the rate of every token, and serves over TLS', async () => {
    const { hm } = await panel();
    const slow = await startHubProcess(hub.ownerUrl, ['--rate', '2']);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`${slow.url}/v1/me`, { headers: { authorization: `Bearer ${tokens.get(hm)!}` } })));
      const limited = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200).length).toBe(6);
      expect(limited.length).toBe(6);
      expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Made-up tokens from one address: after a burst of refusals the address waits, whatever token it sends next.
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await fetch(`${slow.url}/v1/me`, { headers: { authorization: `Bearer pnl_guess-number-${i}-of-many-guesses` } })).status);
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await slow.stop();
    }
    const dir = mkdtempSync(joinPath(tmpdir(), 'panelist-tls-'));
    try {
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', joinPath(dir, 'key.pem'), '-out', joinPath(dir, 'cert.pem')], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const tls = await startHubProcess(hub.ownerUrl, ['--tls-cert', joinPath(dir, 'cert.pem'), '--tls-key', joinPath(dir, 'key.pem')]);
      try {
        expect(tls.url).toMatch(/^https:/);
        const synced = runCli(['sync', '--hub', tls.url, '--token', tokens.get(hm)!, '--data-dir', hm.dir, '--json'], { NODE_EXTRA_CA_CERTS: joinPath(dir, 'cert.pem') });
        expect(synced.code, synced.stderr).toBe(0);
        expect(JSON.parse(synced.stdout).pushed).toMatchObject({ candidates: 1 });
      } finally {
        await tls.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('will not serve as a role that could read past row-level security', () => {
    const asOwner = runCli(['hub', '--database', hub.ownerUrl, '--port', '0']);
    expect(asOwner.code).toBe(2);
    expect(asOwner.stderr).toMatch(/panelist_service.*superuser/);
  });
});
