import { afterEach, describe, expect, it } from 'vitest';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

let core: TestCore;
afterEach(() => core?.dispose());

/** My first interview whose scorecard I have not submitted, opened. */
async function openMine(c: TestCore) {
  const { unsubmitted, upcoming } = await c.value('today:list', {});
  const interview = unsubmitted[0] ?? upcoming[0];
  if (!interview) throw new Error('no interview of mine');
  return c.value('scorecards:open', { interviewId: interview.interviewId });
}

async function fillAndSubmit(c: TestCore, view: Awaited<ReturnType<typeof openMine>>) {
  const editor = await openEditor(c, view.scorecard.id);
  for (const criterion of view.rubric.criteria) must(await editor.setScore(criterion.id, 3));
  must(await editor.setDetail('recommendation', 'yes'));
  must(await editor.setDetail('takeaways', 'Clear thinker.'));
  return must(await editor.submit());
}

describe('independent scoring', () => {
  it('hides the panel until I submit, then shows it without private notes, and marks later amendments', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await openMine(core);
    const interviewId = view.interview.interviewId;

    const hidden = await core.call('panel:get', { interviewId });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'hidden_until_submitted' } });
    const others = view.interview.panel.filter((p) => !p.isMe);
    expect(others.length).toBeGreaterThan(0);

    must(await (await openEditor(core, view.scorecard.id)).setDetail('privateNote', 'my eyes only'));
    await fillAndSubmit(core, view);
    const panel = await core.value('panel:get', { interviewId });
    expect(panel.scorecards.some((s) => s.isMe)).toBe(true);
    expect(panel.scorecards.every((s) => s.status === 'submitted')).toBe(true);
    expect(JSON.stringify(panel)).not.toContain('my eyes only');
    expect(JSON.stringify(panel)).not.toContain('privateNote');

    const criterion = view.rubric.criteria[0];
    if (!criterion) throw new Error('no criterion');
    const amended = must(await (await openEditor(core, view.scorecard.id)).amend({ reason: 'Second look at my notes', scores: [{ criterionId: criterion.id, value: 4 }] }));
    const history = await core.value('scorecards:history', { scorecardId: view.scorecard.id });
    expect(history.map((h) => h.kind)).toEqual(['created', 'submitted', 'amended']);
    const last = history.at(-1);
    expect(last).toMatchObject({ revision: amended.revision, reason: 'Second look at my notes', afterSeeingPanel: true });
    expect(last?.changes).toEqual([{ field: `${criterion.title}: score`, from: '3', to: '4' }]);
  });

  it('does not let me read another panelist\'s scorecard directly', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const someoneElses = core.ctx.db.prepare(`SELECT id FROM scorecards WHERE interviewer_id <> ? LIMIT 1`).get(core.ctx.meId) as { id: string };
    expect(await core.call('scorecards:get', { scorecardId: someoneElses.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.call('scorecards:history', { scorecardId: someoneElses.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('submitting and amending', () => {
  it('refuses an incomplete scorecard and names what is missing', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await core.value('scorecards:open', { interviewId: (await core.value('today:list', {})).upcoming.at(-1)?.interviewId ?? '' });
    const result = await (await openEditor(core, view.scorecard.id)).submit();
    expect(result).toMatchObject({ ok: false, error: { code: 'incomplete' } });
    if (!result.ok) {
      for (const c of view.rubric.criteria) expect(result.error.message).toContain(c.title);
      expect(result.error.message).toContain('choose a recommendation');
    }
  });

  it('makes a submitted scorecard read-only, and an amendment needs a reason and a change', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await openMine(core);
    await fillAndSubmit(core, view);
    const id = view.scorecard.id;
    const criterionId = view.rubric.criteria[0]?.id ?? '';
    const editor = await openEditor(core, id);
    expect(await editor.setScore(criterionId, 1)).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(await editor.setDetail('takeaways', 'x')).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(await editor.amend({ reason: '', scores: [] })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'reason' } });
    expect(await editor.amend({ reason: 'no change', scores: [{ criterionId, value: 3 }] })).toMatchObject({
      ok: false,
      error: { message: 'The amendment changes nothing: change a score, a note or the recommendation.' },
    });
    expect(await editor.amend({ reason: 'out of range', scores: [{ criterionId, value: 6 }] })).toMatchObject({ ok: false, error: { path: 'value' } });
    const history = await core.value('scorecards:history', { scorecardId: id });
    expect(history.at(-1)?.afterSeeingPanel).toBe(false);
  });

  it('refuses an over-long note and keeps what was saved', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await openMine(core);
    const criterionId = view.rubric.criteria[1]?.id ?? '';
    const editor = await openEditor(core, view.scorecard.id);
    must(await editor.setEvidence(criterionId, 'kept'));
    const tooLong = await editor.setEvidence(criterionId, 'x'.repeat(20_001));
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'evidence', message: 'evidence: at most 20,000 characters' } });
    const card = await core.value('scorecards:get', { scorecardId: view.scorecard.id });
    expect(card.scores.find((s) => s.criterionId === criterionId)?.evidence).toBe('kept');
  });
});

describe('today and reminders', () => {
  it('lists my interviews around today and reminds me of drafts an hour after the interview', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const { upcoming, unsubmitted } = await core.value('today:list', {});
    for (const i of [...upcoming, ...unsubmitted]) expect(i.panel.some((p) => p.isMe)).toBe(true);
    expect(unsubmitted.length).toBeGreaterThan(0);
    const reminders = await core.value('reminders:list', {});
    expect(reminders.length).toBeGreaterThan(0);
    for (const r of reminders) {
      const ended = Date.parse(r.interview.scheduledAt) + r.interview.durationMinutes * 60_000;
      expect(Date.parse(r.overdueSince)).toBe(ended + 3_600_000);
      expect(Date.parse(r.overdueSince)).toBeLessThanOrEqual(Date.parse('2026-11-28T12:00:00.000Z'));
    }
  });
});

describe('call mode', () => {
  it('opens a call-mode window through the desktop shell, and says what to do without one', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 10, interviewers: 4, seed: 4 });
    const { upcoming, unsubmitted } = await core.value('today:list', {});
    const interviewId = (unsubmitted[0] ?? upcoming[0])?.interviewId ?? '';
    expect(await core.call('desktop:open-call-window', { interviewId })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect((await core.value('app:info', {})).desktop).toBe(false);

    const opened: string[] = [];
    core.ctx.desktop = { openCallWindow: (id) => opened.push(id), printPdf: () => Promise.reject(new Error('no printing in this test')) };
    expect(await core.value('desktop:open-call-window', { interviewId })).toEqual({ opened: true });
    expect(opened).toEqual([interviewId]);
    const notMine = core.ctx.db.prepare(`SELECT interview_id AS id FROM panel_assignments WHERE interview_id NOT IN (SELECT interview_id FROM panel_assignments WHERE interviewer_id = ?) LIMIT 1`).get(core.ctx.meId) as { id: string };
    expect(await core.call('desktop:open-call-window', { interviewId: notMine.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('two windows on one draft', () => {
  it('refuses only a write to a field that changed since the window saw it, and keeps both windows\' other fields', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await openMine(core);
    const [first, second] = view.rubric.criteria;
    if (!first || !second) throw new Error('rubric without criteria');
    const tabA = await openEditor(core, view.scorecard.id);
    const tabB = await openEditor(core, view.scorecard.id);

    must(await tabA.setEvidence(first.id, 'Alpha'));
    const bravo = await tabB.setEvidence(first.id, 'Bravo');
    expect(bravo).toMatchObject({ ok: false, error: { code: 'stale_revision', path: 'seenRevision' } });
    // A score in one window and evidence in the other: neither makes the other stale.
    must(await tabB.setScore(second.id, 2));
    must(await tabA.setEvidence(second.id, 'asked about scale first'));
    must(await tabA.setDetail('takeaways', 'from A'));
    must(await tabB.setDetail('privateNote', 'from B'));

    const card = await core.value('scorecards:get', { scorecardId: view.scorecard.id });
    expect(card.scores.find((s) => s.criterionId === first.id)?.evidence).toBe('Alpha');
    expect(card.scores.find((s) => s.criterionId === second.id)).toMatchObject({ value: 2, evidence: 'asked about scale first' });
    expect(card).toMatchObject({ takeaways: 'from A', privateNote: 'from B' });
    expect(card.fieldRevisions[`evidence:${first.id}`]).toBe(tabA.seen[`evidence:${first.id}`]);

    // Tab B, having loaded the latest, may write the field again; tab A's submit is refused until it has seen B's changes.
    const reloaded = await openEditor(core, view.scorecard.id);
    must(await reloaded.setEvidence(first.id, 'Bravo, after reading Alpha'));
    expect(await tabA.submit()).toMatchObject({ ok: false, error: { code: 'stale_revision' } });
  });

  it('tells every listener which scorecard changed, after the write committed', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 30, interviewers: 6, seed: 4 });
    const view = await openMine(core);
    const seen: unknown[] = [];
    const stop = core.subscribe((event) => seen.push({ ...event, committed: core.ctx.repos.scorecards.head(view.scorecard.id)?.revision }));
    const editor = await openEditor(core, view.scorecard.id);
    const saved = must(await editor.setScore(view.rubric.criteria[0]!.id, 4));
    await editor.setScore(view.rubric.criteria[0]!.id, 9);
    stop();
    must(await editor.setScore(view.rubric.criteria[0]!.id, 3));
    expect(seen).toEqual([{ name: 'scorecard:changed', payload: { scorecardId: view.scorecard.id, revision: saved.revision }, committed: saved.revision }]);
  });
});
