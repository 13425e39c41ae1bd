import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../support/cli';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

let core: TestCore;
afterEach(() => core?.dispose());

const RATER_EFFECTS = [1, 0, 0, -1];

/**
 * An organisation with known truth: score = 2 + candidate (0 or 1) + rater effect, no noise, on the
 * example role's Architecture stage; every candidate is scored by three of the four raters.
 */
function seedKnownOrganisation(c: TestCore, candidates = 24) {
  const { repos, db } = c.ctx;
  const now = '2026-11-01T10:00:00.000Z';
  let n = 0;
  const id = () => `019c0000-0000-7000-8000-${String(++n).padStart(12, '0')}`;
  const stage = db.prepare(`SELECT s.id, s.rubric_version_id AS versionId FROM loop_stages s WHERE s.position = 1`).get() as { id: string; versionId: string };
  const roleId = (db.prepare(`SELECT id FROM roles LIMIT 1`).get() as { id: string }).id;
  const criteria = repos.rubrics.criteria(stage.versionId);
  const raters = RATER_EFFECTS.map((_, j) => {
    const rid = id();
    repos.interviewers.insert({ id: rid, name: `Rater ${j + 1}`, email: '', isMe: false, isDemo: false, now });
    return rid;
  });
  db.transaction(() => {
    for (let i = 0; i < candidates; i++) {
      const candidateId = id();
      repos.candidates.insert({ id: candidateId, roleId, name: `Candidate ${i + 1}`, email: '', isDemo: false, now });
      const interviewId = id();
      repos.interviews.insert({ id: interviewId, candidateId, stageId: stage.id, scheduledAt: now, durationMinutes: 60, now });
      const ability = i % 2;
      raters.forEach((raterId, j) => {
        if (j === i % 4) return;
        repos.interviews.assign(interviewId, raterId, now);
        const scorecardId = id();
        repos.scorecards.insert({ id: scorecardId, interviewId, interviewerId: raterId, rubricVersionId: stage.versionId, status: 'submitted', recommendation: 'yes', takeaways: '', submittedAt: now, now });
        for (const criterion of criteria) {
          repos.scorecards.insertScore({ scorecardId, criterionId: criterion.id, value: 2 + ability + RATER_EFFECTS[j]!, evidence: '', now });
        }
      });
    }
  })();
  return { raters, criteria };
}

describe('calibration', () => {
  it('recovers known interviewer leniency and flags only the clear cases', async () => {
    core = await openTestCore();
    const { raters } = seedKnownOrganisation(core);
    const report = await core.value('calibration:report', {});
    expect(report.totals).toMatchObject({ candidates: 24, interviewers: 4, scorecards: 72, ratings: 360 });
    expect(report.model.connected).toBe(true);
    const byId = new Map(report.leniency.map((r) => [r.interviewerId, r]));
    raters.forEach((id, j) => expect(byId.get(id)?.fixedEffect).toBeCloseTo(RATER_EFFECTS[j]!, 9));
    expect(byId.get(raters[0]!)?.flag).toBe('lenient');
    expect(byId.get(raters[3]!)?.flag).toBe('severe');
    // Naive deviation: rater 1 is +1 against raters at 0, 0 and −1 → between 1 and 2.
    expect(byId.get(raters[0]!)?.naiveDeviation).toBeGreaterThan(1);
    expect(report.leniency.map((r) => r.effect)).toEqual([...report.leniency.map((r) => r.effect)].sort((a, b) => b - a));
  });

  it('adjusts a candidate for the leniency of their panel, raw beside adjusted', async () => {
    core = await openTestCore();
    seedKnownOrganisation(core);
    const candidate = core.ctx.db.prepare(`SELECT id FROM candidates WHERE name = 'Candidate 1'`).get() as { id: string };
    // Candidate 1 (ability 0) was scored by raters 2, 3, 4: raw (2 + 2 + 1)/3, adjusted 2 + 0 (+ μ shift 0).
    const adjustment = await core.value('calibration:candidate', { candidateId: candidate.id });
    expect(adjustment.raw).toBeCloseTo(5 / 3, 9);
    expect(adjustment.adjusted).toBeCloseTo(2, 9);
    expect(adjustment.reason).toBeNull();
    const unknown = await core.call('calibration:candidate', { candidateId: '019c0000-0000-7000-8000-999999999999' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', path: 'candidateId' } });
  });

  it('reports agreement per session and criterion, session comparisons, hotspots and filters on the demo', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 300, interviewers: 20, seed: 9 });
    const report = await core.value('calibration:report', {});
    const sessions = report.agreement.filter((a) => a.scope === 'session');
    expect(sessions.map((s) => s.label).sort()).toEqual(['architecture', 'ceo_cto', 'team_collaboration', 'technical_experience']);
    expect(report.agreement.filter((a) => a.scope === 'criterion')).toHaveLength(20);
    for (const a of report.agreement) {
      expect(a.alphaInterval).not.toBeNull();
      expect(a.alphaInterval!).toBeLessThanOrEqual(1);
      expect(['good', 'tentative', 'low', 'too few']).toContain(a.reading);
    }
    expect(report.sessions).toHaveLength(6);
    for (const s of report.sessions) if (s.raw) expect(s.raw.ci95[0]).toBeLessThanOrEqual(s.raw.difference);
    expect(report.hotspots.length).toBeGreaterThan(0);
    expect(report.hotspots.map((h) => h.spread)).toEqual([...report.hotspots.map((h) => h.spread)].sort((a, b) => b - a));
    for (const r of report.leniency) {
      if (r.flag) expect(r.ci95[0] > 0 || r.ci95[1] < 0).toBe(true);
      if (r.tooFew) expect(r.flag).toBeNull();
    }

    const architecture = await core.value('calibration:report', { sessionKind: 'architecture' });
    expect(architecture.agreement.filter((a) => a.scope === 'session').map((a) => a.label)).toEqual(['architecture']);
    expect(architecture.totals.ratings).toBeLessThan(report.totals.ratings);

    const clarity = await core.value('calibration:report', { criterion: 'Clarity' });
    expect(clarity.agreement.filter((a) => a.scope === 'criterion').map((a) => a.label)).toEqual(['Clarity']);
    expect(clarity.totals.ratings).toBeLessThan(architecture.totals.ratings);

    const [first, second] = report.options.interviewers;
    expect(await core.call('calibration:compare-groups', { groupA: [first!.id], groupB: [first!.id] })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'groupB' } });
    const groups = await core.value('calibration:compare-groups', { groupA: [first!.id], groupB: [second!.id] });
    expect(groups.sharedCandidates).toBeGreaterThanOrEqual(0);
  });

  it('says there is nothing to calibrate on a new installation', async () => {
    core = await openTestCore();
    const report = await core.value('calibration:report', {});
    expect(report.totals).toEqual({ ratings: 0, scorecards: 0, candidates: 0, interviewers: 0 });
    expect(report.leniency).toEqual([]);
    expect(report.outcomes.available).toBe(false);
  });
});

describe('the calibration cache', () => {
  it('serves the same report until a scorecard is submitted, then recomputes', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 40, interviewers: 6, seed: 3 });
    const before = await core.value('calibration:report', {});
    expect(await core.value('calibration:report', {})).toEqual(before);
    const { unsubmitted } = await core.value('today:list', {});
    const view = await core.value('scorecards:open', { interviewId: unsubmitted[0]!.interviewId });
    const editor = await openEditor(core, view.scorecard.id);
    for (const criterion of view.rubric.criteria) must(await editor.setScore(criterion.id, 4));
    must(await editor.setDetail('recommendation', 'strong_yes'));
    must(await editor.submit());
    const after = await core.value('calibration:report', {});
    // Submitting my scorecard brings the candidate back into my calibration: mine and the panel's
    // (counted as the report counts scorecards: one per interviewer and candidate).
    const candidateId = view.interview.candidateId;
    const theirs = core.ctx.db
      .prepare(`SELECT count(DISTINCT s.interviewer_id) FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? AND s.status = 'submitted'`)
      .pluck()
      .get(candidateId) as number;
    expect(before.withheld.candidates).toBeGreaterThan(after.withheld.candidates);
    expect(after.totals.scorecards).toBe(before.totals.scorecards + theirs);
    expect(after.totals.candidates).toBe(before.totals.candidates + 1);

    // An amendment changes no count, and still the report follows it.
    const criterionId = view.rubric.criteria[0]!.id;
    must(await editor.amend({ reason: 'Re-read my notes', scores: [{ criterionId, value: 1 }] }));
    const amended = await core.value('calibration:report', {});
    expect(amended.totals).toEqual(after.totals);
    expect(amended.leniency).not.toEqual(after.leniency);
  });
});

describe('the calibration projection', () => {
  const stale = (c: TestCore) => (c.ctx.db.prepare(`SELECT count(*) AS n FROM calibration_stale`).get() as { n: number }).n;

  it('follows changes made straight to the database: a reschedule, a new role, a removal', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 60, interviewers: 8, seed: 5 });
    expect(stale(core)).toBe(0);
    const { db } = core.ctx;
    const all = await core.value('calibration:report', {});
    const interview = db
      .prepare(`SELECT i.id, i.candidate_id AS candidateId, (SELECT count(*) FROM scorecard_scores x JOIN scorecards s ON s.id = x.scorecard_id WHERE s.interview_id = i.id AND s.status = 'submitted' AND x.score IS NOT NULL) AS ratings FROM interviews i ORDER BY ratings DESC LIMIT 1`)
      .get() as { id: string; candidateId: string; ratings: number };

    // Moved to 2031, it leaves a window that ends in 2030.
    db.prepare(`UPDATE interviews SET scheduled_at = '2031-01-05T10:00:00.000Z' WHERE id = ?`).run(interview.id);
    const before2030 = await core.value('calibration:report', { to: '2030-01-01T00:00:00.000Z' });
    expect(before2030.totals.ratings).toBe(all.totals.ratings - interview.ratings);
    expect(stale(core)).toBe(0);

    const newRole = db.prepare(`SELECT id FROM roles WHERE id != (SELECT role_id FROM candidates WHERE id = ?) LIMIT 1`).get(interview.candidateId) as { id: string };
    db.prepare(`UPDATE candidates SET role_id = ? WHERE id = ?`).run(newRole.id, interview.candidateId);
    const inNewRole = await core.value('calibration:report', { roleId: newRole.id });
    expect(inNewRole.totals.candidates).toBeGreaterThan(0);
    const onlyThisOne = await core.value('calibration:report', { roleId: newRole.id, from: '2031-01-01T00:00:00.000Z' });
    expect(onlyThisOne.totals).toMatchObject({ candidates: 1, ratings: interview.ratings });

    db.prepare(`DELETE FROM candidates WHERE id = ?`).run(interview.candidateId);
    const after = await core.value('calibration:report', {});
    expect(after.totals.candidates).toBe(all.totals.candidates - 1);
    expect(db.prepare(`SELECT count(*) AS n FROM calibration_candidates WHERE candidate_id = ?`).get(interview.candidateId)).toEqual({ n: 0 });
  });

  it('is not touched while a draft is scored', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 5, seed: 4 });
    await core.value('calibration:report', {});
    const { unsubmitted } = await core.value('today:list', {});
    const view = await core.value('scorecards:open', { interviewId: unsubmitted[0]!.interviewId });
    must(await (await openEditor(core, view.scorecard.id)).setScore(view.rubric.criteria[0]!.id, 3));
    expect(stale(core)).toBe(0);
  });

  it('is built for every scored candidate when an older database is migrated', async () => {
    const dir = tempDataDir();
    core = await openTestCore(dir);
    // More candidates than one rebuild batch (500), so that the batches are stitched together.
    await core.value('demo:load', { candidates: 1100, interviewers: 12, seed: 8 });
    const expected = await core.value('calibration:report', {});
    // Back to schema 30: as if this file had been written before the projection existed.
    const triggers = core.ctx.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'calibration_%'`).pluck().all() as string[];
    for (const name of triggers) core.ctx.db.exec(`DROP TRIGGER ${name}`);
    core.ctx.db.exec(`
      DROP TABLE hub_records; DROP TABLE packet_exports; DROP TABLE revotes; DROP TABLE decisions;
      DROP TABLE key_events; DROP TABLE exchange_conflicts; DROP TABLE interviewer_aliases;
      DROP TABLE scorecard_revisions; ALTER TABLE interviewers DROP COLUMN public_key;
      DROP TABLE scorecard_field_revisions;
      DROP TABLE erasures;
      DROP INDEX candidates_role_email;
      ALTER TABLE interviewers DROP COLUMN deactivated_at;
      ALTER TABLE candidates DROP COLUMN source; ALTER TABLE candidates DROP COLUMN note;
      ALTER TABLE candidates DROP COLUMN time_zone; ALTER TABLE candidates DROP COLUMN archived_at;
      ALTER TABLE panel_assignments DROP COLUMN withdrawn_at;
      ALTER TABLE interviews DROP COLUMN video_link; ALTER TABLE interviews DROP COLUMN cancelled_at;
      DROP TABLE calibration_candidates; DROP TABLE calibration_keys; DROP TABLE calibration_stale; DROP TABLE calibration_projection;
      CREATE INDEX scorecards_status_revision ON scorecards (status, revision);
      PRAGMA user_version = 30;`);
    core.close();
    core = await openTestCore(dir);
    const migrated = await core.value('calibration:report', {});
    expect(migrated.totals.candidates).toBeGreaterThan(1000);
    expect(migrated.totals).toEqual(expected.totals);
    expect(migrated.leniency).toEqual(expected.leniency);
    expect(migrated.agreement).toEqual(expected.agreement);
  });
});
