import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../support/core';

let core: TestCore | undefined;
afterEach(() => {
  core?.dispose();
  core = undefined;
});

const naiveScorecards = (c: TestCore) =>
  (
    c.ctx.db
      .prepare(`SELECT count(*) AS n FROM scorecards s JOIN interviews i ON i.id = s.interview_id JOIN candidates c ON c.id = i.candidate_id WHERE c.is_demo = 1`)
      .get() as { n: number }
  ).n;

describe('app:info says what "Remove demo data" would remove', () => {
  it('is null without demo data, then counts the demo records, the same as the removal reports', async () => {
    core = await openTestCore();
    expect((await core.value('app:info', {})).demoRecords).toBeNull();

    const loaded = await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 3 });
    const { roles, candidates, interviewers, scorecards } = loaded;
    expect((await core.value('app:info', {})).demoRecords).toEqual({ roles, candidates, interviewers, scorecards });

    const removed = await core.value('demo:remove', {});
    expect({ roles: removed.roles, candidates: removed.candidates, interviewers: removed.interviewers, scorecards: removed.scorecards }).toEqual({
      roles,
      candidates,
      interviewers,
      scorecards,
    });
    expect((await core.value('app:info', {})).demoRecords).toBeNull();
  });

  it('counts the same whether the demo or the real candidates are the larger part', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 3 });
    // Most candidates become real ones: the count now walks from the (smaller) demo side.
    core.ctx.db.prepare(`UPDATE candidates SET is_demo = 0 WHERE id IN (SELECT id FROM candidates ORDER BY id LIMIT 20)`).run();
    const info = await core.value('app:info', {});
    expect(info.demoRecords).toMatchObject({ candidates: 10, scorecards: naiveScorecards(core) });
    expect(info.demoRecords?.scorecards).toBeGreaterThan(0);
  });
});
