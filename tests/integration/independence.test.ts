import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src/main/core';
import { PRIVATE_KEY_FILE } from '../../src/main/core/provenance/keys';
import { CHANNEL_ACCESS } from '../../src/main/core/visibility';
import { CHANNELS, type Channel, type InputOf } from '../../src/shared/contract';
import { tempDataDir } from '../support/cli';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

/**
 * Independent scoring, walked over every read channel of the contract: two installations that
 * differ only in what the other panelists wrote about one candidate on whose loop I hold a draft
 * seat must answer every read exactly alike (so no answer carries their scores, notes or anything
 * computed from them), and neither may contain a word of those notes.
 */

type ReadChannel = { [C in Channel]: (typeof CHANNEL_ACCESS)[C] extends 'writes' ? never : C }[Channel];

interface Ids {
  candidateId: string;
  roleId: string;
  myInterviewId: string;
  myScorecardId: string;
  theirScorecardId: string;
  otherInterviewerIds: string[];
  someoneElseIds: string[];
  rubricVersionId: string;
  sessionKind: string;
}

/** The inputs each read channel is called with, aimed at the hidden candidate. A new read channel needs an entry here. */
const READ_INPUTS: { [C in ReadChannel]: (ids: Ids) => InputOf<C>[] } = {
  'app:info': () => [{}],
  'roles:list': () => [{}],
  'interviewers:list': () => [{}, { search: 'a' }],
  'candidates:list': (ids) => [{}, { roleId: ids.roleId, limit: 500 }],
  'candidates:get': (ids) => [{ candidateId: ids.candidateId }],
  'today:list': () => [{}],
  'reminders:list': () => [{}],
  'scorecards:get': (ids) => [{ scorecardId: ids.myScorecardId }, { scorecardId: ids.theirScorecardId }],
  'scorecards:open': (ids) => [{ interviewId: ids.myInterviewId }],
  'scorecards:history': (ids) => [{ scorecardId: ids.myScorecardId }, { scorecardId: ids.theirScorecardId }],
  'panel:get': (ids) => [{ interviewId: ids.myInterviewId }],
  'rubrics:list': () => [{}],
  'rubrics:get-version': (ids) => [{ versionId: ids.rubricVersionId }],
  'roles:get': (ids) => [{ roleId: ids.roleId }],
  'calibration:report': (ids) => [
    {},
    { roleId: ids.roleId },
    { sessionKind: ids.sessionKind },
    ...ids.otherInterviewerIds.map((interviewerId) => ({ interviewerId })),
  ],
  'calibration:compare-groups': (ids) => [{ groupA: ids.otherInterviewerIds, groupB: ids.someoneElseIds }],
  'calibration:candidate': (ids) => [{ candidateId: ids.candidateId }],
  'debrief:get': (ids) => [{ candidateId: ids.candidateId }],
  'packets:export': (ids) => [{ candidateId: ids.candidateId, format: 'json' }, { candidateId: ids.candidateId, format: 'md' }],
  'packets:verify': () => [{ data: Buffer.from('{}').toString('base64') }],
  'me:get': () => [{}],
  'settings:get': () => [{}],
  'interviewers:import-preview': () => [{ csv: 'name,email\nNew Person,new.person@example.com\n' }],
  'candidates:erase-preview': (ids) => [{ candidateId: ids.candidateId }],
  'candidates:import-preview': (ids) => [{ roleId: ids.roleId, csv: 'name,email\nNew Candidate,new.candidate@example.com\n' }],
  'candidates:retention': () => [{}],
  'interviews:check-panel': (ids) => [{ scheduledAt: '2026-11-27T11:00:00.000Z', panel: ids.otherInterviewerIds }],
  'interviews:calendar': (ids) => [{ interviewId: ids.myInterviewId }, { candidateId: ids.candidateId }],
  'schedule:import-preview': () => [{ csv: 'candidate email,stage,start,interviewer emails\nnobody@example.com,1,2026-12-03T14:00:00Z,nobody@example.com\n' }],
  'search:all': () => [{ query: 'a' }, { query: 'Lee' }],
  'bundles:export': (ids) => [{ kind: 'full' }, { kind: 'scorecards', candidateId: ids.candidateId }, { kind: 'panel-kit', roleId: ids.roleId }],
  'bundles:preview': () => [{ data: Buffer.from('not a bundle').toString('base64') }],
  'conflicts:list': () => [{}],
  'hub:status': () => [{}],
};

const SECRET = 'SECRET';

let dirs: { remove: () => void }[] = [];
let cores: TestCore[] = [];
afterEach(() => {
  cores.forEach((c) => c.close());
  dirs.forEach((d) => d.remove());
  cores = [];
  dirs = [];
});

/** A candidate with my draft scorecard on one interview, other panelists' submitted ones on it, and no other seat of mine. */
function findHiddenCandidate(core: TestCore): Ids {
  const db = core.ctx.db;
  const me = core.ctx.meId;
  const row = db
    .prepare<[string, string, string], { candidateId: string; roleId: string; interviewId: string; scorecardId: string; rubricVersionId: string; sessionKind: string }>(
      `SELECT i.candidate_id AS candidateId, c.role_id AS roleId, i.id AS interviewId, s.id AS scorecardId, s.rubric_version_id AS rubricVersionId, st.session_kind AS sessionKind
       FROM scorecards s JOIN interviews i ON i.id = s.interview_id JOIN candidates c ON c.id = i.candidate_id JOIN loop_stages st ON st.id = i.stage_id
       WHERE s.interviewer_id = ? AND s.status = 'draft'
         AND EXISTS (SELECT 1 FROM scorecards o WHERE o.interview_id = i.id AND o.interviewer_id <> ? AND o.status = 'submitted')
         AND (SELECT count(*) FROM panel_assignments p JOIN interviews j ON j.id = p.interview_id WHERE p.interviewer_id = ? AND j.candidate_id = i.candidate_id) = 1
       LIMIT 1`,
    )
    .get(me, me, me);
  if (!row) throw new Error('the demo gave me no draft seat beside submitted panelists');
  const others = db
    .prepare<[string, string], { id: string; interviewer: string }>(
      `SELECT s.id, s.interviewer_id AS interviewer FROM scorecards s WHERE s.interview_id = ? AND s.interviewer_id <> ? AND s.status = 'submitted'`,
    )
    .all(row.interviewId, me);
  const someoneElse = db
    .prepare<string[], string>(`SELECT id FROM interviewers WHERE id NOT IN (${others.map(() => '?').join(',')}) AND is_me = 0 LIMIT 3`)
    .pluck()
    .all(...others.map((o) => o.interviewer));
  return {
    candidateId: row.candidateId,
    roleId: row.roleId,
    myInterviewId: row.interviewId,
    myScorecardId: row.scorecardId,
    theirScorecardId: others[0]!.id,
    otherInterviewerIds: others.map((o) => o.interviewer),
    someoneElseIds: someoneElse,
    rubricVersionId: row.rubricVersionId,
    sessionKind: row.sessionKind,
  };
}

/** Rewrites what the other panelists wrote about the candidate: other scores, notes marked with `mark`. */
function rewriteTheirWork(file: string, ids: Ids, mark: string, score: (old: number) => number): void {
  const db = new Database(file);
  try {
    const theirs = db
      .prepare<[string, string], string>(
        `SELECT s.id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? AND s.interviewer_id <> (SELECT id FROM interviewers WHERE is_me = 1) AND s.id <> ?`,
      )
      .pluck()
      .all(ids.candidateId, ids.myScorecardId);
    db.function('rescore', (old: unknown) => (typeof old === 'number' ? score(old) : old));
    db.transaction(() => {
      for (const id of theirs) {
        db.prepare(`UPDATE scorecard_scores SET score = rescore(score), evidence = ? || '-evidence-' || criterion_id WHERE scorecard_id = ?`).run(`${SECRET}-${mark}`, id);
        db.prepare(`UPDATE scorecards SET takeaways = ?, private_note = ?, recommendation = ? WHERE id = ?`).run(
          `${SECRET}-${mark}-takeaways`,
          `${SECRET}-${mark}-private`,
          mark === 'A' ? 'strong_yes' : 'strong_no',
          id,
        );
      }
    })();
  } finally {
    db.close();
  }
}

/** Two installations alike but for the other panelists' work on the hidden candidate. */
async function twoInstallations(): Promise<{ a: TestCore; b: TestCore; ids: Ids }> {
  const dirA = tempDataDir();
  const dirB = tempDataDir();
  dirs.push(dirA, dirB);
  const seed = await openTestCore(dirA);
  await seed.value('demo:load', { candidates: 40, interviewers: 8, seed: 4 });
  const ids = findHiddenCandidate(seed);
  seed.close();
  const fileA = join(dirA.dir, DATABASE_FILE_NAME);
  const fileB = join(dirB.dir, DATABASE_FILE_NAME);
  expect(existsSync(`${fileA}-wal`)).toBe(false);
  copyFileSync(fileA, fileB);
  copyFileSync(join(dirA.dir, PRIVATE_KEY_FILE), join(dirB.dir, PRIVATE_KEY_FILE));
  rewriteTheirWork(fileA, ids, 'A', (s) => (s <= 2 ? 1 : 4));
  rewriteTheirWork(fileB, ids, 'B', (s) => (s <= 2 ? 4 : 1));
  const a = await openTestCore(dirA);
  const b = await openTestCore(dirB);
  cores.push(a, b);
  return { a, b, ids };
}

/** An answer with the installation's own folder taken out, for comparing two installations. */
function comparable(core: TestCore, result: unknown): string {
  return JSON.stringify(result).replaceAll(core.dir, '<data-dir>');
}

describe('independent scoring, over every read channel', () => {
  it('classifies every channel of the contract, and has inputs for every read channel', () => {
    expect(Object.keys(CHANNEL_ACCESS).sort()).toEqual([...CHANNELS].sort());
    const reads = CHANNELS.filter((c) => CHANNEL_ACCESS[c] !== 'writes');
    expect(Object.keys(READ_INPUTS).sort()).toEqual([...reads].sort());
  });

  it('answers every read alike while my scorecard is a draft, whatever the others wrote, and never with their notes', async () => {
    const { a, b, ids } = await twoInstallations();
    let calls = 0;
    for (const channel of Object.keys(READ_INPUTS) as ReadChannel[]) {
      const inputs = (READ_INPUTS[channel] as (ids: Ids) => unknown[])(ids);
      for (const input of inputs) {
        const fromA = comparable(a, await a.call(channel, input as never));
        const fromB = comparable(b, await b.call(channel, input as never));
        expect(fromA, `${channel} ${JSON.stringify(input)}`).not.toContain(SECRET);
        expect(fromB, `${channel} ${JSON.stringify(input)}`).not.toContain(SECRET);
        expect(fromA, `${channel} ${JSON.stringify(input)} differs with the others' scores`).toEqual(fromB);
        calls++;
      }
    }
    expect(calls).toBeGreaterThan(20);

    const report = await a.value('calibration:report', {});
    expect(report.withheld.candidates).toBeGreaterThan(0);
    expect(report.withheld.message).toMatch(/left out until you submit your scorecards? for them/);
    expect(report.hotspots.some((h) => h.candidateId === ids.candidateId)).toBe(false);
    expect(await a.value('calibration:candidate', { candidateId: ids.candidateId })).toMatchObject({ raw: null, adjusted: null, reason: expect.stringMatching(/^Hidden until you submit/) });
  });

  it('shows the candidate once I submit, and the answers then follow what the others wrote (the check above can fail)', async () => {
    const { a, b, ids } = await twoInstallations();
    for (const core of [a, b]) {
      const editor = await openEditor(core, ids.myScorecardId);
      const view = await core.value('scorecards:open', { interviewId: ids.myInterviewId });
      for (const c of view.rubric.criteria) must(await editor.setScore(c.id, 3));
      must(await editor.setDetail('recommendation', 'yes'));
      must(await editor.submit());
    }
    const adjustedA = await a.value('calibration:candidate', { candidateId: ids.candidateId });
    const adjustedB = await b.value('calibration:candidate', { candidateId: ids.candidateId });
    expect(adjustedA.raw).not.toBeNull();
    expect(adjustedA.raw).not.toEqual(adjustedB.raw);
    const panelA = comparable(a, await a.call('panel:get', { interviewId: ids.myInterviewId }));
    expect(panelA).toContain(`${SECRET}-A-evidence`);
    expect(panelA).not.toContain(`${SECRET}-A-private`);
    expect(panelA).not.toEqual(comparable(b, await b.call('panel:get', { interviewId: ids.myInterviewId })));
  });

  it('hides a candidate at once when I get a seat on their panel, even with a report cached', async () => {
    const { a, ids } = await twoInstallations();
    const editor = await openEditor(a, ids.myScorecardId);
    const view = await a.value('scorecards:open', { interviewId: ids.myInterviewId });
    for (const c of view.rubric.criteria) must(await editor.setScore(c.id, 2));
    must(await editor.setDetail('recommendation', 'no'));
    must(await editor.submit());
    const visible = await a.value('calibration:report', {});
    expect(visible.hotspots.length + visible.totals.candidates).toBeGreaterThan(0);
    expect((await a.value('calibration:candidate', { candidateId: ids.candidateId })).raw).not.toBeNull();

    // A new seat for me on another interview of the same candidate: hidden again, before any scorecard changes.
    const other = a.ctx.db
      .prepare<[string, string], string>(
        `SELECT i.id FROM interviews i WHERE i.candidate_id = ? AND i.id NOT IN (SELECT interview_id FROM panel_assignments WHERE interviewer_id = ?) LIMIT 1`,
      )
      .pluck()
      .get(ids.candidateId, a.ctx.meId);
    if (!other) throw new Error('no other interview of the candidate');
    a.ctx.repos.interviews.assign(other, a.ctx.meId, new Date().toISOString());
    const hidden = await a.value('calibration:report', {});
    expect(hidden.withheld.candidates).toBe(visible.withheld.candidates + 1);
    expect(hidden.totals.candidates).toBe(visible.totals.candidates - 1);
    expect((await a.value('calibration:candidate', { candidateId: ids.candidateId })).raw).toBeNull();
  });

  it('counts reading the candidate\'s figures as having seen the panel, for a later amendment', async () => {
    const { a, ids } = await twoInstallations();
    const editor = await openEditor(a, ids.myScorecardId);
    const view = await a.value('scorecards:open', { interviewId: ids.myInterviewId });
    for (const c of view.rubric.criteria) must(await editor.setScore(c.id, 3));
    must(await editor.setDetail('recommendation', 'yes'));
    must(await editor.submit());
    expect((await a.value('scorecards:open', { interviewId: ids.myInterviewId })).sawPanel).toBe(false);
    await a.value('calibration:candidate', { candidateId: ids.candidateId });
    expect((await a.value('scorecards:open', { interviewId: ids.myInterviewId })).sawPanel).toBe(true);
    must(await editor.amend({ reason: 'Second look', scores: [{ criterionId: view.rubric.criteria[0]!.id, value: 4 }] }));
    const history = await a.value('scorecards:history', { scorecardId: ids.myScorecardId });
    expect(history.at(-1)).toMatchObject({ kind: 'amended', afterSeeingPanel: true });
  });
});
