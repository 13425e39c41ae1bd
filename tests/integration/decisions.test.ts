import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Debrief } from '../../src/shared/decisions';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

/**
 * The debrief, the votes in two rounds and the decision, on demo data (other panelists' signed
 * scorecards) where I sat on the panel too.
 */

let core: TestCore;
let debrief: Debrief;

beforeAll(async () => {
  core = await openTestCore();
  must(await core.call('demo:load', { candidates: 30, interviewers: 10, seed: 7 }));
  const { items } = await core.value('candidates:list', { limit: 500 });
  // A candidate whose panel I sat on and submitted, with others on it too.
  for (const candidate of items) {
    const result = await core.call('debrief:get', { candidateId: candidate.id });
    if (!result.ok) continue;
    const people = result.value.votes.map((v) => v.interviewer.id);
    if (people.includes(core.ctx.meId) && people.length >= 3) {
      debrief = result.value;
      break;
    }
  }
  expect(debrief).toBeDefined();
}, 120_000);

afterAll(() => core.dispose());

const reread = () => core.value('debrief:get', { candidateId: debrief.candidate.id });

describe('the debrief', () => {
  it('shows every session and criterion with everyone\'s score, the anchor of the level chosen and the evidence, never a private note', async () => {
    const d = await reread();
    expect(d.sessions.length).toBeGreaterThan(0);
    for (const session of d.sessions) {
      const rubric = core.ctx.repos.rubrics.version(session.rubric.versionId)!;
      for (const criterion of session.criteria) {
        const anchors = rubric.criteria.find((c) => c.id === criterion.criterionId)!.anchors;
        for (const score of criterion.scores) {
          if (typeof score.value === 'number') expect(score.anchor).toBe(anchors[score.value - 1]);
        }
      }
    }
    const privateNotes = core.ctx.db
      .prepare(`SELECT private_note FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? AND private_note <> ''`)
      .pluck()
      .all(d.candidate.id) as string[];
    for (const note of privateNotes) expect(JSON.stringify(d)).not.toContain(note);
  });

  it('lists the disagreements widest first, naming who scored lowest and highest', async () => {
    const d = await reread();
    const spreads = d.disagreements.map((x) => x.spread);
    expect(spreads).toEqual([...spreads].sort((a, b) => b - a));
    for (const x of d.disagreements) expect(x.highest[0]!.value - x.lowest[0]!.value).toBe(x.spread);
  });
});

describe('votes in two rounds', () => {
  it('keeps round one as first submitted, even after an amendment, and a changed vote needs a reason', async () => {
    const me = core.ctx.meId;
    const mine = (await reread()).votes.find((v) => v.interviewer.id === me)!;
    const first = mine.round1!;
    // I amend my scorecard's recommendation: round one does not change.
    const myCard = core.ctx.db
      .prepare(`SELECT s.id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? AND s.interviewer_id = ? AND s.status = 'submitted' ORDER BY s.submitted_at LIMIT 1`)
      .pluck()
      .get(debrief.candidate.id, me) as string;
    const other = first === 'yes' ? 'no' : 'yes';
    const editor = await openEditor(core, myCard);
    must(await editor.amend({ reason: 'Thought again', recommendation: other }));
    expect((await reread()).votes.find((v) => v.interviewer.id === me)!.round1).toBe(first);

    expect(await core.call('votes:record', { candidateId: debrief.candidate.id, interviewerId: me, recommendation: other, seenRevision: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', path: 'reason' },
    });
    const vote = await core.value('votes:record', { candidateId: debrief.candidate.id, interviewerId: me, recommendation: other, reason: 'The system design answer was better than I scored it', seenRevision: 0 });
    expect(vote).toMatchObject({ round1: first, round2: { recommendation: other, signed: true, recordedBy: { id: me } }, changedMind: true });
  });

  it('marks a vote said aloud in the meeting as recorded by me, not signed by the panelist', async () => {
    const someone = debrief.votes.find((v) => v.interviewer.id !== core.ctx.meId)!;
    const vote = await core.value('votes:record', { candidateId: debrief.candidate.id, interviewerId: someone.interviewer.id, recommendation: someone.round1 ?? 'yes', seenRevision: 0 });
    expect(vote.round2).toMatchObject({ signed: false, recordedBy: { id: core.ctx.meId } });
    expect(vote.changedMind).toBe(false);
    expect(vote.revision).toBe(1);
    // A second screen that still showed no re-vote for them does not overwrite this one.
    expect(await core.call('votes:record', { candidateId: debrief.candidate.id, interviewerId: someone.interviewer.id, recommendation: 'strong_no', reason: 'Other screen', seenRevision: 0 })).toMatchObject({
      ok: false,
      error: { code: 'stale_revision', path: 'seenRevision' },
    });
    const d = await reread();
    const total = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
    expect(total(d.tally.current)).toBe(d.votes.length);
    expect(await core.call('votes:record', { candidateId: debrief.candidate.id, interviewerId: core.ctx.newId(), recommendation: 'yes', seenRevision: 0 })).toMatchObject({ ok: false, error: { path: 'interviewerId' } });
  });
});

describe('the decision', () => {
  it('is recorded with a rationale; a change is a new revision with its reason; a stale screen is refused', async () => {
    const candidateId = debrief.candidate.id;
    const first = await core.value('decisions:record', { candidateId, decision: 'hold', rationale: 'Waiting for the reference check', seenRevision: 0 });
    expect(first).toMatchObject({ revision: 1, decision: 'hold', changeReason: null, decidedBy: { id: core.ctx.meId } });
    expect(await core.call('decisions:record', { candidateId, decision: 'hire', rationale: 'Strong loop', seenRevision: 0 })).toMatchObject({ ok: false, error: { code: 'stale_revision' } });
    expect(await core.call('decisions:record', { candidateId, decision: 'hire', rationale: 'Strong loop', seenRevision: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'changeReason' } });
    const second = await core.value('decisions:record', { candidateId, decision: 'hire', rationale: 'Strong loop', seenRevision: 1, changeReason: 'References came back positive' });
    expect(second).toMatchObject({ revision: 2, decision: 'hire', changeReason: 'References came back positive' });
    const d = await reread();
    expect(d.decision.current?.revision).toBe(2);
    expect(d.decision.history.map((h) => h.decision)).toEqual(['hold', 'hire']);
    // A decision is never rewritten, even by hand.
    expect(() => core.ctx.db.prepare(`UPDATE decisions SET decision = 'no_hire'`).run()).toThrow(/never rewritten/);
  });

  it('fills in "Did recommendations match the decisions?" in calibration', async () => {
    const report = await core.value('calibration:report', {});
    expect(report.outcomes.available).toBe(true);
    expect(report.outcomes.candidates).toBe(1);
    const recommendations = core.ctx.db
      .prepare(`SELECT s.recommendation FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? AND s.status = 'submitted'`)
      .pluck()
      .all(debrief.candidate.id) as string[];
    const matched = recommendations.filter((r) => r === 'yes' || r === 'strong_yes').length;
    expect(report.outcomes.byInterviewer.reduce((a, r) => a + r.matched, 0)).toBe(matched);
    expect(report.outcomes.bySession.reduce((a, r) => a + r.scorecards, 0)).toBe(recommendations.length);
  });
});
