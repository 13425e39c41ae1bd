import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';
import { joinHub, startHubProcess, startTestHub, type HubProcess, type TestHub } from '../support/hub';
import { postgresMissing, serviceUrl } from '../support/postgres';

/**
 * The team hub on a real PostgreSQL: a hiring manager and three interviewers, each on their own
 * installation, sync through two hub processes on one database.
 */

let hub: TestHub;
let hubs: HubProcess[] = [];
const cores: TestCore[] = [];

async function installation(name: string, email: string): Promise<TestCore> {
  const core = await openTestCore();
  cores.push(core);
  const me = await core.value('me:get', {});
  await core.value('me:update', { name, email, revision: me.revision });
  return core;
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

/** What every installation should agree on once all have synced: the shared records, by content. */
function shared(core: TestCore): string {
  const q = (sql: string) => core.ctx.db.prepare(sql).all();
  return createHash('sha256')
    .update(
      JSON.stringify([
        q(`SELECT id, role_id, name, email, revision FROM candidates ORDER BY id`),
        q(`SELECT id, candidate_id, stage_id, scheduled_at, revision FROM interviews ORDER BY id`),
        q(`SELECT s.id, s.interview_id, s.status, s.recommendation, s.takeaways FROM scorecards s WHERE s.status = 'submitted' ORDER BY s.id`),
        q(`SELECT scorecard_id, revision, hash FROM scorecard_revisions ORDER BY scorecard_id, revision`),
        // Every installation has its own example role; the roles that travel are the ones with candidates.
        q(`SELECT id, title, revision FROM roles WHERE id IN (SELECT role_id FROM candidates) ORDER BY id`),
      ]),
    )
    .digest('hex');
}

async function asHubUser<T>(email: string, run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: serviceUrl(hub.ownerUrl), max: 1 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await hub.owner.query<{ id: string }>('SELECT id FROM hub.users WHERE email = $1', [email]);
    await client.query(`SELECT set_config('panelist.user_id', $1, true)`, [rows[0]!.id]);
    const result = await run(client);
    await client.query('ROLLBACK');
    return result;
  } finally {
    client.release();
    await pool.end();
  }
}

describe.skipIf(postgresMissing)('the team hub', () => {
  beforeAll(async () => {
    hub = await startTestHub();
    hubs = [await startHubProcess(hub.ownerUrl), await startHubProcess(hub.ownerUrl)];
  }, 120_000);
  afterAll(async () => {
    cores.forEach((c) => c.dispose());
    await Promise.all(hubs.map((h) => h.stop()));
    await hub?.stop();
  });

  it('carries a panel from the hiring manager to three interviewers and their scorecards back, with independent scoring held by the hub', async () => {
    const hm = await installation('Hana Manager', 'hana@example.com');
    const ana = await installation('Ana Lee', 'ana@example.com');
    const ben = await installation('Ben Ode', 'ben@example.com');
    const cy = await installation('Cy Park', 'cy@example.com');
    await joinHub(hub, hm, hubs[0]!.url, 'hiring-manager');
    await joinHub(hub, ana, hubs[0]!.url, 'interviewer');
    await joinHub(hub, ben, hubs[1]!.url, 'interviewer');
    await joinHub(hub, cy, hubs[1]!.url, 'interviewer');

    const ids = await Promise.all(
      [['Ana Lee', 'ana@example.com'], ['Ben Ode', 'ben@example.com'], ['Cy Park', 'cy@example.com']].map(([name, email]) => hm.value('interviewers:add', { name: name!, email: email! })),
    );
    const [role] = await hm.value('roles:list', {});
    const detail = await hm.value('roles:get', { roleId: role!.id });
    const jane = await hm.value('candidates:add', { roleId: role!.id, name: 'Jane Doe', email: 'jane@example.org' });
    const architecture = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[0]!.id, scheduledAt: '2026-11-27T14:00:00Z', panel: [ids[0]!.id, ids[1]!.id] });
    const technical = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[1]!.id, scheduledAt: '2026-11-27T16:00:00Z', panel: [ids[2]!.id] });

    const first = await hm.hub.run();
    expect(first.pushed).toMatchObject({ candidates: 1, interviews: 2, roles: 1 });
    expect(first.refused).toEqual([]);
    expect(hm.hub.status()).toMatchObject({ state: 'synced', waiting: 0, lastError: null, identity: { email: 'hana@example.com', role: 'hiring-manager' } });

    // The interviewers sync at once, through both hub processes: each finds their interview on Today.
    await Promise.all([ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    expect((await ana.value('today:list', {})).unsubmitted.map((i) => i.interviewId)).toEqual([architecture.interview.interviewId]);
    expect((await cy.value('today:list', {})).unsubmitted.map((i) => i.interviewId)).toEqual([technical.interview.interviewId]);

    await scoreAndSubmit(ana, architecture.interview.interviewId, 4, 'ANA: asked about scale first');
    expect(ana.hub.status().waiting).toBe(1);
    const anaSync = await ana.hub.run();
    expect(anaSync.pushed).toEqual({ scorecards: 1 });

    // Ben still holds an unsubmitted seat on Jane's loop: Ana's scorecard does not reach him.
    await ben.hub.run();
    const count = (core: TestCore) => core.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE status = 'submitted'`).pluck().get();
    expect(count(ben)).toBe(0);
    // Nor does PostgreSQL show it to him: a query with no WHERE, as Ben, under row-level security.
    expect(await asHubUser('ben@example.com', async (db) => (await db.query('SELECT id FROM hub.scorecards')).rows)).toEqual([]);
    expect(await asHubUser('ana@example.com', async (db) => (await db.query('SELECT id FROM hub.scorecards')).rowCount)).toBe(1);

    // Submit, pull, receive the earlier scorecards (older than Ben's cursor).
    await scoreAndSubmit(ben, architecture.interview.interviewId, 2, 'BEN: needed prompting');
    const benSync = await ben.hub.run();
    expect(benSync.pushed).toEqual({ scorecards: 1 });
    expect(benSync.pulled).toMatchObject({ scorecards: 1 });
    expect(count(ben)).toBe(2);

    await scoreAndSubmit(cy, technical.interview.interviewId, 3, 'CY: solid on trade-offs');
    await cy.hub.run();
    await Promise.all([hm.hub.run(), ana.hub.run(), ben.hub.run(), cy.hub.run()]);
    expect(count(hm)).toBe(3);
    const hashes = [hm, ana, ben, cy].map(shared);
    expect(new Set(hashes).size).toBe(1);
    // Private notes never leave their installation.
    expect(hm.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE private_note LIKE '%SECRET%'`).pluck().get()).toBe(0);
  }, 120_000);
});
