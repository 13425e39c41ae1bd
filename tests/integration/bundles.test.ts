import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src/main/core';
import { signStatement, statementOf } from '../../src/main/core/provenance/revisions';
import { exportBundle, importBundle, previewBundle } from '../../src/main/core/services/bundles';
import { rotateMyKey } from '../../src/main/core/services/keys';
import { fingerprint } from '../../src/main/core/provenance/keys';
import { panelSentence, type Bundle } from '../../src/shared/bundle';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

/**
 * A real panel on separate installations: a hiring manager sends a panel kit to three
 * interviewers, each scores offline and sends their scorecards back, one amends after sending,
 * one bundle is edited by hand on the way, and the hiring manager imports them in every order.
 */

let cores: TestCore[] = [];
afterEach(() => {
  cores.forEach((c) => c.dispose());
  cores = [];
});

async function installation(name: string, email: string): Promise<TestCore> {
  const core = await openTestCore();
  cores.push(core);
  const me = await core.value('me:get', {});
  await core.value('me:update', { name, email, revision: me.revision });
  return core;
}

/** The hiring manager's installation: three interviewers, a candidate, and the first two stages scheduled. */
async function hiringManager() {
  const hm = await installation('Hana Manager', 'hana@example.com');
  const ana = await hm.value('interviewers:add', { name: 'Ana Lee', email: 'ana@example.com' });
  const ben = await hm.value('interviewers:add', { name: 'Ben Ode', email: 'ben@example.com' });
  const cy = await hm.value('interviewers:add', { name: 'Cy Park', email: 'cy@example.com' });
  const [role] = await hm.value('roles:list', {});
  const detail = await hm.value('roles:get', { roleId: role!.id });
  const jane = await hm.value('candidates:add', { roleId: role!.id, name: 'Jane Doe', email: 'jane@example.org' });
  const architecture = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[0]!.id, scheduledAt: '2026-11-27T14:00:00Z', panel: [ana.id, ben.id] });
  const technical = await hm.value('interviews:schedule', { candidateId: jane.id, stageId: detail.stages[1]!.id, scheduledAt: '2026-11-27T16:00:00Z', panel: [cy.id] });
  return { hm, jane, roleId: role!.id, interviews: [architecture.interview.interviewId, technical.interview.interviewId] };
}

/** An interviewer scores their interview on their own installation and submits. */
async function scoreAndSubmit(core: TestCore, score: number, evidence: string) {
  const { unsubmitted } = await core.value('today:list', {});
  expect(unsubmitted).toHaveLength(1);
  const view = await core.value('scorecards:open', { interviewId: unsubmitted[0]!.interviewId });
  const editor = await openEditor(core, view.scorecard.id);
  for (const c of view.rubric.criteria) must(await editor.setScore(c.id, score));
  must(await editor.setEvidence(view.rubric.criteria[0]!.id, evidence));
  must(await editor.setDetail('privateNote', `private to ${evidence}`));
  must(await editor.setDetail('recommendation', score >= 3 ? 'yes' : 'no'));
  must(await editor.submit());
  return { view, editor };
}

const bundleOf = (file: Buffer) => JSON.parse(gunzipSync(file).toString('utf8')) as Bundle;
const fileOf = (bundle: unknown) => gzipSync(Buffer.from(JSON.stringify(bundle)));

/** A logical dump of what the import writes, to compare databases. */
function dump(core: TestCore): string {
  const q = (sql: string) => core.ctx.db.prepare(sql).all();
  return createHash('sha256')
    .update(
      JSON.stringify([
        q(`SELECT id, interview_id, interviewer_id, status, recommendation, takeaways, private_note, revision, submitted_at FROM scorecards ORDER BY id`),
        q(`SELECT * FROM scorecard_scores ORDER BY scorecard_id, criterion_id`),
        q(`SELECT scorecard_id, revision, hash FROM scorecard_revisions ORDER BY scorecard_id, revision`),
        q(`SELECT id, name, email, public_key FROM interviewers ORDER BY id`),
        q(`SELECT * FROM candidates ORDER BY id`),
        q(`SELECT * FROM interviews ORDER BY id`),
        q(`SELECT interview_id, interviewer_id, withdrawn_at FROM panel_assignments ORDER BY interview_id, interviewer_id`),
        q(`SELECT kind, record_id, message FROM exchange_conflicts ORDER BY kind, record_id, message`),
        q(`SELECT id, scorecard_id, kind FROM scorecard_events ORDER BY id`),
      ]),
    )
    .digest('hex');
}

function fileHash(core: TestCore): string {
  const file = join(core.dir, DATABASE_FILE_NAME);
  const hash = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) hash.update(readFileSync(`${file}-wal`));
  return hash.digest('hex');
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

async function panelRound() {
  const { hm, jane, roleId, interviews } = await hiringManager();
  const kit = exportBundle(hm.ctx, { kind: 'panel-kit', candidateId: jane.id }).file;

  const interviewers: Record<string, TestCore> = {};
  for (const [name, email] of [['Ana Lee', 'ana@example.com'], ['Ben Ode', 'ben@example.com'], ['Cy Park', 'cy@example.com']] as const) {
    const core = await installation(name, email);
    const preview = await previewBundle(core.ctx, kit);
    expect(preview.forMe).toHaveLength(1);
    await importBundle(core.ctx, kit);
    interviewers[name] = core;
  }
  expect((await previewBundle(interviewers['Ana Lee']!.ctx, kit)).forMe).toEqual([{ interviewId: interviews[0], session: 'Architecture', candidateName: 'Jane Doe', scheduledAt: '2026-11-27T14:00:00.000Z' }]);

  const ana = await scoreAndSubmit(interviewers['Ana Lee']!, 4, 'ANA: asked about scale first');
  const anaFirst = exportBundle(interviewers['Ana Lee']!.ctx, { kind: 'scorecards', candidateId: jane.id }).file;
  must(await ana.editor.amend({ reason: 'Re-read my notes', scores: [{ criterionId: ana.view.rubric.criteria[1]!.id, value: 3 }] }));
  const anaAmended = exportBundle(interviewers['Ana Lee']!.ctx, { kind: 'scorecards', candidateId: jane.id }).file;
  await scoreAndSubmit(interviewers['Ben Ode']!, 2, 'BEN: needed prompting');
  const ben = exportBundle(interviewers['Ben Ode']!.ctx, { kind: 'scorecards', candidateId: jane.id }).file;
  await scoreAndSubmit(interviewers['Cy Park']!, 3, 'CY: solid on trade-offs');
  const cy = exportBundle(interviewers['Cy Park']!.ctx, { kind: 'scorecards', candidateId: jane.id }).file;

  // Ben's bundle is edited by hand on the way: his evidence changed inside the signed bytes.
  const edited = bundleOf(ben);
  const revision = edited.scorecards[0]!.revisions[0]!;
  revision.bytes = Buffer.from(Buffer.from(revision.bytes, 'base64').toString('utf8').replace('needed prompting', 'was excellent')).toString('base64');
  const tampered = fileOf(edited);
  return { hm, jane, roleId, interviews, interviewers, bundles: { anaFirst, anaAmended, ben, cy, tampered } };
}

describe('a panel across machines', () => {
  it('merges every interviewer\'s signed scorecards into the hiring manager\'s database, the same whatever the order', async () => {
    const round = await panelRound();
    const { bundles, jane } = round;
    const good = [bundles.anaFirst, bundles.anaAmended, bundles.ben, bundles.cy];
    const results = new Set<string>();
    const orders = permutations(good);
    for (const [n, order] of orders.entries()) {
      // Each order on a fresh copy of the hiring manager's database.
      const copy = n === 0 ? round.hm : await copyOf(round.hm);
      const before = fileHash(copy);
      await expect(importBundle(copy.ctx, bundles.tampered)).rejects.toThrow(/refused: its content does not match its hash/);
      expect(fileHash(copy)).toBe(before);
      for (const file of order) await importBundle(copy.ctx, file);
      const twice = dump(copy);
      for (const file of order) await importBundle(copy.ctx, file);
      expect(dump(copy)).toBe(twice);
      results.add(twice);
    }
    expect(orders.length).toBe(24);
    expect(results.size).toBe(1);

    const hm = round.hm;
    const panel = await hm.value('panel:get', { interviewId: round.interviews[0]! });
    expect(panel.scorecards.map((s) => [s.interviewerName, s.recommendation, s.revision > 0])).toEqual([
      ['Ana Lee', 'yes', true],
      ['Ben Ode', 'no', true],
    ]);
    const anaCard = panel.scorecards.find((s) => s.interviewerName === 'Ana Lee')!;
    expect(anaCard.scores[0]?.evidence).toBe('ANA: asked about scale first');
    expect(anaCard.scores[1]?.value).toBe(3);
    expect(JSON.stringify(panel)).not.toContain('private to');
    const report = await hm.value('calibration:report', {});
    expect(report.totals).toMatchObject({ candidates: 1, scorecards: 3 });
    const adjustment = await hm.value('calibration:candidate', { candidateId: jane.id });
    expect(adjustment.ratings).toBe(15);
    expect(hm.ctx.db.prepare(`SELECT count(*) FROM scorecard_revisions`).pluck().get()).toBe(4);
  });

  it('leaves drafts and private notes at home, and keeps a fork as a conflict rather than choosing', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const sent = bundleOf(round.bundles.anaAmended);
    expect(JSON.stringify(sent)).not.toContain('private to');
    expect(sent.scorecards).toHaveLength(1);
    await importBundle(round.hm.ctx, round.bundles.anaFirst);

    // Ana restores an old backup and amends again from revision one: the same parent, another child.
    await importBundle(round.hm.ctx, round.bundles.anaAmended);
    const forked = structuredClone(sent);
    forked.scorecards[0]!.revisions.pop();
    forked.scorecards[0]!.revisions.push(await forkedRevision(ana));
    const summary = await importBundle(round.hm.ctx, fileOf(forked));
    expect(summary.conflicts).toMatchObject([{ kind: 'scorecard-fork', message: expect.stringContaining('two different revisions after the same one') }]);
    const kept = round.hm.ctx.repos.scorecardRevisions.list(sent.scorecards[0]!.id);
    expect(kept.map((r) => r.hash)).toEqual(sent.scorecards[0]!.revisions.map((r) => r.hash));
    expect((await importBundle(round.hm.ctx, fileOf(forked))).conflicts).toHaveLength(1);
    expect(round.hm.ctx.repos.conflicts.open()).toHaveLength(1);
  });

  it('keeps an erased candidate erased, whatever arrives later', async () => {
    const round = await panelRound();
    await importBundle(round.hm.ctx, round.bundles.cy);
    await round.hm.value('candidates:erase', { candidateIds: [round.jane.id] });
    const tombstones = exportBundle(round.hm.ctx, { kind: 'full' }).file;
    await importBundle(round.hm.ctx, round.bundles.anaFirst);
    expect(await round.hm.call('candidates:get', { candidateId: round.jane.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The tombstone travels: Cy's installation erases Jane on import, and her later bundles change nothing.
    const cy = round.interviewers['Cy Park']!;
    await importBundle(cy.ctx, tombstones);
    expect(await cy.call('candidates:get', { candidateId: round.jane.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await importBundle(cy.ctx, round.bundles.ben);
    expect(cy.ctx.db.prepare(`SELECT count(*) FROM scorecards`).pluck().get()).toBe(0);
  });

  it('pins keys on first sight and refuses scorecards signed by another key unless the user accepts it', async () => {
    const round = await panelRound();
    await importBundle(round.hm.ctx, round.bundles.anaFirst);
    // The same Ana, but the bundle now carries another key for her (a new machine, no rotation record).
    const stranger = await installation('Ana Lee', 'ana@example.com');
    await importBundle(stranger.ctx, exportBundle(round.hm.ctx, { kind: 'panel-kit', candidateId: round.jane.id }).file);
    await scoreAndSubmit(stranger, 1, 'ANA on a new laptop');
    const fromNewKey = exportBundle(stranger.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file;
    const before = fileHash(round.hm);
    const anaLocalId = round.hm.ctx.repos.interviewers.list(null).find((i) => i.email === 'ana@example.com')!.id;
    // The preview asks, with both fingerprints to compare with Ana; her scorecard waits for the answer.
    const asked = await previewBundle(round.hm.ctx, fromNewKey);
    expect(asked.keyQuestions).toEqual([{ interviewerId: anaLocalId, name: 'Ana Lee', offered: fingerprint(stranger.ctx.keys.publicKey), pinned: fingerprint(round.interviewers['Ana Lee']!.ctx.keys.publicKey) }]);
    expect(asked.added.scorecards ?? 0).toBe(0);
    await expect(importBundle(round.hm.ctx, fromNewKey)).rejects.toMatchObject({ path: 'acceptKeys', message: expect.stringMatching(/Ana Lee's key in this bundle \(.*\) is not the one pinned here .* accept it explicitly/) });
    expect(fileHash(round.hm)).toBe(before);
    const summary = await importBundle(round.hm.ctx, fromNewKey, { acceptKeys: [anaLocalId] });
    expect(summary.conflicts.map((c) => c.kind)).toEqual(['key', 'scorecard-fork']);
    expect(summary.conflicts[0]?.message).toContain('Accepted by the user');
    expect(summary.conflicts[1]?.message).toContain('two scorecards by the same interviewer for one interview');
    expect(round.hm.ctx.repos.interviewers.publicKey(anaLocalId)).toBe(stranger.ctx.keys.publicKey);
    // The accepted key is a record, settled already; the second scorecard for Ana's seat waits for her.
    const open = await round.hm.value('conflicts:list', {});
    expect(open.map((c) => [c.kind, c.choices])).toEqual([['scorecard-fork', ['keep-this']]]);
    expect(await round.hm.call('conflicts:resolve', { conflictId: open[0]!.id, choice: 'take-theirs' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('Only its author') } });
    must(await round.hm.call('conflicts:resolve', { conflictId: open[0]!.id, choice: 'keep-this' }));
    expect(await round.hm.value('conflicts:list', {})).toEqual([]);
    expect(await round.hm.call('conflicts:resolve', { conflictId: open[0]!.id, choice: 'keep-this' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('second-round votes', () => {
  it('travel signed by their panelist, and an edited one is refused', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const vote = await ana.value('votes:record', { candidateId: round.jane.id, interviewerId: ana.ctx.meId, recommendation: 'no', reason: 'The debrief showed what I missed', seenRevision: 0 });
    expect(vote).toMatchObject({ round1: 'yes', round2: { recommendation: 'no', signed: true } });
    const sent = exportBundle(ana.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file;
    expect(bundleOf(sent).revotes).toHaveLength(1);

    const edited = bundleOf(sent);
    edited.revotes[0]!.reason = 'Someone else wrote this';
    await expect(importBundle(round.hm.ctx, fileOf(edited))).rejects.toMatchObject({ path: 'revotes.0', message: expect.stringContaining('does not match the record it came with') });

    expect((await importBundle(round.hm.ctx, sent)).added).toMatchObject({ scorecards: 1, 're-votes': 1 });
    expect((await importBundle(round.hm.ctx, sent)).added).toEqual({});
    const debrief = await round.hm.value('debrief:get', { candidateId: round.jane.id });
    expect(debrief.votes.find((v) => v.interviewer.name === 'Ana Lee')).toMatchObject({
      round1: 'yes',
      round2: { recommendation: 'no', reason: 'The debrief showed what I missed', signed: true, recordedBy: { name: 'Ana Lee' } },
      changedMind: true,
    });
    // And onward from the hiring manager's full bundle, still verifiable as Ana's.
    const onward = await installation('Ola Other', 'ola@example.com');
    expect((await importBundle(onward.ctx, exportBundle(round.hm.ctx, { kind: 'full' }).file)).added['re-votes']).toBe(1);
  });
});

describe('resolving conflicts', () => {
  it('lets the author take the other branch of a forked scorecard: a new revision, signed here, on top of this chain', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const sent = bundleOf(round.bundles.anaAmended);
    const forked = structuredClone(sent);
    forked.scorecards[0]!.revisions.pop();
    forked.scorecards[0]!.revisions.push(await forkedRevision(ana));
    // Ana's other machine (a restored backup) amended differently; its bundle comes back to her.
    await importBundle(ana.ctx, fileOf(forked));
    const [conflict] = await ana.value('conflicts:list', {});
    expect(conflict).toMatchObject({ kind: 'scorecard-fork', choices: ['keep-this', 'take-theirs'] });
    must(await ana.call('conflicts:resolve', { conflictId: conflict!.id, choice: 'take-theirs' }));
    const scorecardId = sent.scorecards[0]!.id;
    const chain = ana.ctx.repos.scorecardRevisions.list(scorecardId);
    expect(chain).toHaveLength(3);
    expect(chain[2]!.parentHash).toBe(chain[1]!.hash);
    expect(ana.ctx.repos.scorecards.get(scorecardId)!.takeaways).toBe('A different amendment on another machine');
    expect(await ana.value('conflicts:list', {})).toEqual([]);
    // The hiring manager takes the settled chain as it stands.
    await importBundle(round.hm.ctx, round.bundles.anaAmended);
    const settled = await importBundle(round.hm.ctx, exportBundle(ana.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file);
    expect(settled).toMatchObject({ updated: { scorecards: 1 }, conflicts: [] });
  });

  it('takes the other machine\'s version of a record at the next revision, so that both machines end up the same', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const jane = round.jane;
    const edit = async (core: TestCore, note: string) => {
      const here = await core.value('candidates:get', { candidateId: jane.id });
      await core.value('candidates:update', { candidateId: jane.id, revision: here.revision, name: here.name, note });
    };
    await edit(ana, 'Prefers mornings (Ana)');
    await edit(round.hm, 'Relocating in March (Hana)');
    const summary = await importBundle(round.hm.ctx, exportBundle(ana.ctx, { kind: 'full' }).file);
    expect(summary.conflicts.map((c) => c.kind)).toEqual(['record']);
    const [conflict] = await round.hm.value('conflicts:list', {});
    expect(conflict!.choices).toEqual(['keep-this', 'take-theirs']);
    must(await round.hm.call('conflicts:resolve', { conflictId: conflict!.id, choice: 'take-theirs' }));
    const taken = await round.hm.value('candidates:get', { candidateId: jane.id });
    expect(taken.note).toBe('Prefers mornings (Ana)');
    await importBundle(ana.ctx, exportBundle(round.hm.ctx, { kind: 'panel-kit', candidateId: jane.id }).file);
    const back = await ana.value('candidates:get', { candidateId: jane.id });
    expect([back.note, back.revision]).toEqual([taken.note, taken.revision]);
  });
});

describe('bad bundles', () => {
  it('refuses each kind of bad file with one line naming the problem, and leaves the database as it was', async () => {
    const round = await panelRound();
    const hm = round.hm;
    const good = bundleOf(round.bundles.cy);
    const cases: [string, Buffer, RegExp][] = [
      ['not a bundle', Buffer.from('name,email\nA,a@example.org\n'), /^This is not a Panelist bundle/],
      ['truncated gzip', round.bundles.cy.subarray(0, round.bundles.cy.length - 20), /truncated or corrupt/],
      ['invalid JSON', gzipSync(Buffer.from('{"format": "panelist-bundle", ')), /not valid JSON/],
      ['a newer Panelist', fileOf({ ...good, schemaVersion: 2 }), /written by a newer Panelist \(bundle version 2/],
      ['a schema violation', fileOf({ ...good, candidates: [{ ...good.candidates[0], name: 42 }] }), /at candidates\.0\.name/],
      ['an unresolvable reference', fileOf({ ...good, candidates: [{ ...good.candidates[0], roleId: '019b0000-0000-7000-8000-000000000001' }], roles: [] }), /neither the bundle nor this database has/],
      ['duplicate ids', fileOf({ ...good, interviewers: [...good.interviewers, good.interviewers[0]] }), /has the id .* twice in interviewers/],
      ['over the size limit', Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(65 * 1024 * 1024)]), /a bundle may be at most 64 MB/],
      ['a gzip bomb', gzipSync(Buffer.alloc(600 * 1024 * 1024, 0x20)), /gzip bomb/],
      ['a rubric version with other content', fileOf(withRubricAnchor(good, 'Changed anchor text')), /does not match its own content hash/],
      ['a bad signature', fileOf(withSignatureFlipped(good)), /its signature does not verify/],
      ['a missing signature', fileOf(withoutSignature(good)), /at scorecards\.0\.revisions\.0\.signature/],
      ['an author whose key is unknown', fileOf(withoutAuthorKey(good)), /whose key is neither known here nor in the bundle/],
      ['the tampered bundle', round.bundles.tampered, /content does not match its hash/],
    ];
    for (const [what, file, message] of cases) {
      const before = fileHash(hm);
      let error: Error | undefined;
      try {
        await importBundle(hm.ctx, file);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message, what).toMatch(message);
      expect(error?.message.includes('\n'), `${what}: one line`).toBe(false);
      expect(fileHash(hm), `${what}: database unchanged`).toBe(before);
    }
  }, 60_000);
});

function withRubricAnchor(bundle: Bundle, anchor: string): Bundle {
  const copy = structuredClone(bundle);
  copy.rubrics[0]!.versions[0]!.criteria[0]!.anchors[0] = anchor;
  return copy;
}

function withSignatureFlipped(bundle: Bundle): Bundle {
  const copy = structuredClone(bundle);
  const r = copy.scorecards[0]!.revisions[0]!;
  const signature = Buffer.from(r.signature, 'base64');
  signature[10] = signature[10]! ^ 0x01;
  r.signature = signature.toString('base64');
  return copy;
}

function withoutSignature(bundle: Bundle): unknown {
  const copy = structuredClone(bundle) as unknown as { scorecards: { revisions: Record<string, unknown>[] }[] };
  delete copy.scorecards[0]!.revisions[0]!.signature;
  return copy;
}

function withoutAuthorKey(bundle: Bundle): Bundle {
  const copy = structuredClone(bundle);
  const author = copy.scorecards[0]!.interviewerId;
  copy.interviewers = copy.interviewers.map((i) => (i.id === author ? { ...i, publicKey: null, email: 'someone.new@example.com', aliases: [] } : i));
  return copy;
}

/** Another installation with the same database and key (as a restore would make). */
async function copyOf(core: TestCore): Promise<TestCore> {
  core.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  const dir = mkdtempSync(join(tmpdir(), 'panelist-copy-'));
  copyFileSync(join(core.dir, DATABASE_FILE_NAME), join(dir, DATABASE_FILE_NAME));
  copyFileSync(join(core.dir, 'identity.key'), join(dir, 'identity.key'));
  const copy = await openTestCore({ dir, remove: () => rmSync(dir, { recursive: true, force: true }) });
  cores.push(copy);
  return copy;
}

/** A second revision after the first, signed by Ana's key but other than her real amendment (a fork). */
async function forkedRevision(ana: TestCore) {
  const copy = await copyOf(ana);
  const card = copy.ctx.db.prepare(`SELECT id FROM scorecards WHERE status = 'submitted'`).pluck().get() as string;
  const view = copy.ctx.repos.scorecards.get(card)!;
  const [first] = copy.ctx.repos.scorecardRevisions.list(card);
  const rubric = copy.ctx.repos.rubrics.version(view.rubricVersionId)!;
  const head = copy.ctx.repos.scorecards.head(card)!;
  const statement = statementOf({
    scorecard: { ...view, revision: first!.revision + 1, takeaways: 'A different amendment on another machine' },
    candidateId: head.candidateId,
    rubric,
    signedAt: '2026-11-28T13:00:00.000Z',
    amendmentReason: 'From the restored backup',
    parentHash: first!.hash,
  });
  const signed = signStatement(statement, copy.ctx.keys.privateKey, copy.ctx.keys.publicKey);
  return {
    revision: signed.revision,
    authorId: signed.authorId,
    hash: signed.hash,
    parentHash: signed.parentHash,
    bytes: signed.bytes.toString('base64'),
    signature: signed.signature.toString('base64'),
    publicKey: signed.publicKey,
    signedAt: signed.signedAt,
  };
}

describe('bundles through the contract (what the screens use)', () => {
  it('exports as base64, previews without writing, imports, and lists what is left to resolve', async () => {
    const { hm, jane } = await hiringManager();
    const ana = await installation('Ana Lee', 'ana@example.com');
    const kit = await hm.value('bundles:export', { kind: 'panel-kit', candidateId: jane.id });
    expect(kit.fileName).toMatch(/^panelist-panel-kit-\d{4}-\d{2}-\d{2}\.panelist$/);
    const before = fileHash(ana);
    const preview = await ana.value('bundles:preview', { data: kit.data });
    expect(preview).toMatchObject({ kind: 'panel-kit', createdBy: { name: 'Hana Manager' }, added: { candidates: 1, interviews: 2 } });
    expect(preview.forMe.map((seat) => panelSentence(seat, (iso) => iso.slice(0, 16)))).toEqual(['You are on the Architecture panel for Jane Doe, 2026-11-27T14:00.']);
    expect(fileHash(ana)).toBe(before);
    expect(await ana.value('bundles:import', { data: kit.data })).toMatchObject({ added: { candidates: 1 } });
    expect((await ana.value('today:list', {})).unsubmitted.map((i) => i.candidateName)).toEqual(['Jane Doe']);
    expect(await ana.value('conflicts:list', {})).toEqual([]);
    expect(await ana.call('bundles:import', { data: 'not base64!' })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'data' } });
  });
});

describe('moving to a new machine', () => {
  it('makes a new installation the same person with a full bundle and its passphrase: key, drafts and private notes included', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const card = ana.ctx.db.prepare(`SELECT id FROM scorecards WHERE status = 'submitted'`).pluck().get() as string;
    const passphrase = 'correct horse battery staple';
    const full = exportBundle(ana.ctx, { kind: 'full', passphrase, includePrivateNotes: true }).file;
    const withoutKey = exportBundle(ana.ctx, { kind: 'full' }).file;
    expect(bundleOf(withoutKey).identity).toBeUndefined();
    expect(JSON.stringify(bundleOf(withoutKey))).not.toContain('private to');
    expect(JSON.stringify(bundleOf(full))).not.toContain('BEGIN PRIVATE KEY');

    const laptop = await installation('Me', '');
    const keyFile = join(laptop.dir, 'identity.key');
    const before = [fileHash(laptop), readFileSync(keyFile, 'utf8')];
    await expect(importBundle(laptop.ctx, full, { adoptIdentity: { passphrase: 'not the passphrase' } })).rejects.toThrow(/wrong passphrase/);
    expect([fileHash(laptop), readFileSync(keyFile, 'utf8')]).toEqual(before);
    expect((await previewBundle(laptop.ctx, full)).identity).toMatchObject({ name: 'Ana Lee', adopted: false });

    const summary = await importBundle(laptop.ctx, full, { adoptIdentity: { passphrase } });
    expect(summary.identity).toMatchObject({ name: 'Ana Lee', adopted: true });
    expect(laptop.ctx.meId).toBe(ana.ctx.meId);
    expect((await laptop.value('me:get', {})).keyFingerprint).toBe((await ana.value('me:get', {})).keyFingerprint);
    expect((await laptop.value('scorecards:get', { scorecardId: card })).privateNote).toBe('private to ANA: asked about scale first');
    // The same person goes on: an amendment on the new machine extends the same signed chain.
    const editor = await openEditor(laptop, card);
    must(await editor.amend({ reason: 'On my new laptop', takeaways: 'Still a yes.' }));
    const chain = laptop.ctx.repos.scorecardRevisions.list(card);
    expect(chain.at(-1)?.parentHash).toBe(chain.at(-2)?.hash);
    await importBundle(round.hm.ctx, round.bundles.anaAmended);
    expect((await importBundle(round.hm.ctx, exportBundle(laptop.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file)).updated).toEqual({ scorecards: 1 });

    // An installation with work of its own does not become someone else.
    await expect(importBundle(round.hm.ctx, full, { adoptIdentity: { passphrase } })).rejects.toThrow(/already has work of its own/);
  });
});

describe('keys that change', () => {
  it('accepts a rotated key without asking, in either order, and keeps trusting what the old key signed', async () => {
    const round = await panelRound();
    const ana = round.interviewers['Ana Lee']!;
    const hmFirst = await copyOf(round.hm);
    await importBundle(round.hm.ctx, round.bundles.anaFirst);
    rotateMyKey(ana.ctx);
    const afterRotation = exportBundle(ana.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file;
    expect(bundleOf(afterRotation).keyEvents).toHaveLength(1);
    const card = ana.ctx.db.prepare(`SELECT id FROM scorecards WHERE status = 'submitted'`).pluck().get() as string;
    const editor = await openEditor(ana, card);
    must(await editor.amend({ reason: 'Signed with my new key', takeaways: 'New key, same view.' }));
    const newlySigned = exportBundle(ana.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file;

    // In order: the old key pinned first, then the rotation and the new signatures.
    const summary = await importBundle(round.hm.ctx, newlySigned);
    expect(summary.conflicts).toEqual([]);
    expect(summary.updated).toMatchObject({ scorecards: 1 });
    // The other order: everything at once on a copy that never saw Ana's old bundle.
    await importBundle(hmFirst.ctx, newlySigned);
    await importBundle(hmFirst.ctx, round.bundles.anaFirst);
    expect(dump(hmFirst)).toBe(dump(round.hm));
    const anaHere = round.hm.ctx.repos.interviewers.list(null).find((i) => i.email === 'ana@example.com')!.id;
    expect(round.hm.ctx.repos.interviewers.publicKey(anaHere)).toBe(ana.ctx.keys.publicKey);

    // A rotation whose signature is not the old key's is refused (on an installation that has not seen it).
    const forged = bundleOf(newlySigned);
    forged.keyEvents[0]!.signature = Buffer.alloc(64, 1).toString('base64');
    const stranger = await installation('Sam Stranger', 'sam@example.com');
    await expect(importBundle(stranger.ctx, fileOf(forged))).rejects.toThrow(/A key change for interviewer .* is refused: its signature does not verify/);
  });

  it('records an explicitly accepted key as a revocation that travels, so the next installation accepts it too', async () => {
    const round = await panelRound();
    await importBundle(round.hm.ctx, round.bundles.anaFirst);
    const other = await copyOf(round.hm);
    const laptop = await installation('Ana Lee', 'ana@example.com');
    await importBundle(laptop.ctx, exportBundle(round.hm.ctx, { kind: 'panel-kit', candidateId: round.jane.id }).file);
    const anaHere = round.hm.ctx.repos.interviewers.list(null).find((i) => i.email === 'ana@example.com')!.id;
    const fromLaptop = exportBundle(laptop.ctx, { kind: 'scorecards', candidateId: round.jane.id }).file;
    await importBundle(round.hm.ctx, fromLaptop, { acceptKeys: [anaHere] });
    expect(round.hm.ctx.repos.keyEvents.all()).toMatchObject([{ kind: 'revocation', newKey: laptop.ctx.keys.publicKey }]);
    // The other copy pins the hiring manager's key through the revocation's own bundle.
    await importBundle(other.ctx, exportBundle(round.hm.ctx, { kind: 'panel-kit', candidateId: round.jane.id }).file);
    expect((await importBundle(other.ctx, fromLaptop)).conflicts).toEqual([]);
    // A new installation pins Ana's new key from the hiring manager's full bundle, and still trusts
    // what her old key signed before it was revoked.
    const fresh = await installation('Nina New', 'nina@example.com');
    const everything = await importBundle(fresh.ctx, exportBundle(round.hm.ctx, { kind: 'full' }).file);
    expect(everything.added).toMatchObject({ scorecards: 1 });
  });
});
