import { afterEach, describe, expect, it } from 'vitest';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';
import { tempDataDir } from '../support/cli';

let core: TestCore;
let other: TestCore | undefined;
afterEach(() => {
  core?.dispose();
  other?.dispose();
  other = undefined;
});

function myDraftCell(c: TestCore, status: 'draft' | 'submitted' = 'draft', mine = true) {
  const row = c.ctx.db
    .prepare<[string, string], { scorecardId: string; criterionId: string; revision: number }>(
      `SELECT s.id AS scorecardId, c.id AS criterionId, s.revision FROM scorecards s
       JOIN criteria c ON c.rubric_version_id = s.rubric_version_id
       WHERE s.status = ? AND (s.interviewer_id = ?) = ${mine ? 1 : 0} ORDER BY s.id, c.position LIMIT 1`,
    )
    .get(status, c.ctx.meId);
  if (!row) throw new Error(`no ${status} scorecard (mine: ${mine}) in the demo data`);
  return row;
}

describe('a new installation', () => {
  it('has "me", the example role with its four-session loop, and says where its data lives', async () => {
    core = await openTestCore();
    const info = await core.value('app:info', {});
    expect(info.counts).toEqual({ roles: 1, candidates: 0, interviewers: 1, scorecards: 0 });
    const [role] = await core.value('roles:list', {});
    expect(role).toMatchObject({ title: 'Software Engineer – Distribution', isDemo: false });
    const stages = core.ctx.db
      .prepare(`SELECT s.title, v.status, (SELECT count(*) FROM criteria c WHERE c.rubric_version_id = v.id) AS criteria
                FROM loop_stages s JOIN rubric_versions v ON v.id = s.rubric_version_id ORDER BY s.position`)
      .all();
    expect(stages).toEqual(
      ['Architecture', 'Technical experience', 'Team collaboration', 'CEO/CTO'].map((title) => ({ title, status: 'published', criteria: 5 })),
    );
    expect(info.hasDemoData).toBe(false);
    expect(info.databaseFile.startsWith(core.dir)).toBe(true);
    const [me] = await core.value('interviewers:list', {});
    expect(me).toMatchObject({ isMe: true, isDemo: false });
  });

  it('keeps the same "me" across restarts', async () => {
    const dir = tempDataDir();
    const first = await openTestCore({ dir: dir.dir, remove: () => {} });
    const meId = first.ctx.meId;
    first.close();
    core = await openTestCore(dir);
    expect(core.ctx.meId).toBe(meId);
  });
});

describe('demo data', () => {
  it('is realistic: two roles, a four-session loop, panels of two or three, submitted and draft scorecards', async () => {
    core = await openTestCore();
    const summary = await core.value('demo:load', { candidates: 60, interviewers: 12, seed: 5 });
    expect(summary).toMatchObject({ roles: 1, candidates: 60, interviewers: 12, interviews: 240 });
    const db = core.ctx.db;
    const panelSizes = db.prepare(`SELECT count(*) AS n FROM panel_assignments GROUP BY interview_id`).all() as { n: number }[];
    expect(new Set(panelSizes.map((p) => p.n))).toEqual(new Set([2, 3]));
    const stages = db.prepare(`SELECT session_kind FROM loop_stages ORDER BY loop_id, position`).all() as { session_kind: string }[];
    expect(stages.slice(0, 4).map((s) => s.session_kind)).toEqual(['architecture', 'technical_experience', 'team_collaboration', 'ceo_cto']);
    const statuses = db.prepare(`SELECT status, count(*) AS n FROM scorecards GROUP BY status`).all() as { status: string; n: number }[];
    expect(statuses.map((s) => s.status).sort()).toEqual(['draft', 'submitted']);
    const mine = db.prepare(`SELECT count(*) AS n FROM panel_assignments WHERE interviewer_id = ?`).get(core.ctx.meId) as { n: number };
    expect(mine.n).toBeGreaterThanOrEqual(4);
    const info = await core.value('app:info', {});
    expect(info.hasDemoData).toBe(true);
  });

  it('carries real interviewer leniency: lenient raters score higher on the same candidates', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 1500, interviewers: 40, seed: 11 });
    // Deviation of each rater from the mean of the other panelists on the same scorecard criterion.
    const rows = core.ctx.db
      .prepare(
        `SELECT s.interviewer_id AS rater, avg(x.score - (
            SELECT avg(y.score) FROM scorecard_scores y JOIN scorecards t ON t.id = y.scorecard_id
            WHERE t.interview_id = s.interview_id AND y.criterion_id = x.criterion_id AND t.id <> s.id)) AS deviation,
          count(*) AS n
         FROM scorecard_scores x JOIN scorecards s ON s.id = x.scorecard_id
         WHERE x.score IS NOT NULL GROUP BY s.interviewer_id HAVING n > 200`,
      )
      .all() as { deviation: number }[];
    const spread = Math.max(...rows.map((r) => r.deviation)) - Math.min(...rows.map((r) => r.deviation));
    expect(rows.length).toBeGreaterThan(10);
    expect(spread).toBeGreaterThan(0.5);
  });

  it('is the same for the same seed, demo id for demo id', async () => {
    core = await openTestCore();
    other = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 42 });
    await other.value('demo:load', { candidates: 30, interviewers: 6, seed: 42 });
    const dump = (c: TestCore) =>
      c.ctx.db
        .prepare(`SELECT x.scorecard_id, c.position, x.score, x.evidence FROM scorecard_scores x JOIN criteria c ON c.id = x.criterion_id ORDER BY 1, 2`)
        .all();
    const ids = (c: TestCore) => c.ctx.db.prepare(`SELECT id, name, email FROM candidates ORDER BY id`).all();
    expect(ids(core)).toEqual(ids(other));
    expect(dump(core)).toEqual(dump(other));
  });

  it('refuses a second load and is removed in one step, leaving my own records', async () => {
    core = await openTestCore();
    const loaded = await core.value('demo:load', { candidates: 40, interviewers: 8, seed: 1 });
    const again = await core.call('demo:load', { candidates: 40, interviewers: 8 });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const removed = await core.value('demo:remove', {});
    expect(removed).toEqual(loaded);
    const info = await core.value('app:info', {});
    expect(info.counts).toEqual({ roles: 1, candidates: 0, interviewers: 1, scorecards: 0 });
    const leftovers = core.ctx.db
      .prepare(`SELECT (SELECT count(*) FROM rubrics) AS rubrics, (SELECT count(*) FROM loop_stages) AS stages,
                  (SELECT count(*) FROM scorecard_events) + (SELECT count(*) FROM scorecard_scores) AS scoring`)
      .get();
    expect(leftovers).toEqual({ rubrics: 4, stages: 4, scoring: 0 });
  });
});

describe('listing candidates', () => {
  it('searches by name or email, literally, and pages', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 300, interviewers: 10, seed: 2 });
    const all = await core.value('candidates:list', { limit: 500 });
    expect(all.total).toBe(300);
    expect(all.items.map((c) => c.name)).toEqual([...all.items.map((c) => c.name)].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    const target = all.items[123];
    if (!target) throw new Error('missing candidate');
    const byEmail = await core.value('candidates:list', { search: target.email.toUpperCase() });
    expect(byEmail.items.map((c) => c.id)).toEqual([target.id]);
    const wildcard = await core.value('candidates:list', { search: '%' });
    expect(wildcard.total).toBe(0);
    const page2 = await core.value('candidates:list', { limit: 100, offset: 100 });
    expect(page2.items.map((c) => c.id)).toEqual(all.items.slice(100, 200).map((c) => c.id));
    const roles = await core.value('roles:list', {});
    const byRole = await core.value('candidates:list', { roleId: roles[0]?.id ?? '', limit: 500 });
    expect(byRole.items.every((c) => c.roleId === roles[0]?.id)).toBe(true);
    expect(byRole.total).toBeLessThan(300);
  });
});

describe('setting a score', () => {
  it('commits the score and bumps the revision, and reads back the same', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 6, seed: 3 });
    const cell = myDraftCell(core);
    const editor = await openEditor(core, cell.scorecardId);
    const saved = must(await editor.setScore(cell.criterionId, 3));
    expect(saved.revision).toBe(cell.revision + 1);
    const notAssessed = must(await editor.setScore(cell.criterionId, 'not_assessed'));
    expect(notAssessed.revision).toBe(cell.revision + 2);
    const card = await core.value('scorecards:get', { scorecardId: cell.scorecardId });
    expect(card.revision).toBe(cell.revision + 2);
    expect(card.scores.find((s) => s.criterionId === cell.criterionId)?.value).toBe('not_assessed');
  });

  it('refuses a stale revision, a value outside the scale, a foreign criterion, a submitted or someone else\'s scorecard', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 6, seed: 3 });
    const cell = myDraftCell(core);
    const base = { scorecardId: cell.scorecardId, criterionId: cell.criterionId, seenRevision: 0 };
    expect(await core.call('scorecards:set-score', { ...base, value: 2, seenRevision: 5 })).toMatchObject({
      ok: false,
      error: { code: 'stale_revision', path: 'seenRevision' },
    });
    expect(await core.call('scorecards:set-score', { ...base, value: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', path: 'value', message: "value: 5 is outside this rubric's scale of 1–4." },
    });
    const foreign = myDraftCell(core, 'submitted', false);
    expect(await core.call('scorecards:set-score', { ...base, criterionId: foreign.criterionId === cell.criterionId ? '019b0000-0000-7000-8000-000000000000' : foreign.criterionId, value: 2 })).toMatchObject({
      ok: false,
      error: { code: 'not_found', path: 'criterionId' },
    });
    expect(await core.call('scorecards:set-score', { scorecardId: foreign.scorecardId, criterionId: foreign.criterionId, value: 2, seenRevision: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const submitted = myDraftCell(core, 'submitted', true);
    expect(await core.call('scorecards:set-score', { scorecardId: submitted.scorecardId, criterionId: submitted.criterionId, value: 2, seenRevision: 0 })).toMatchObject({
      ok: false,
      error: { code: 'read_only' },
    });
    const card = await core.value('scorecards:get', { scorecardId: cell.scorecardId });
    expect(card.revision).toBe(cell.revision);
  });
});
