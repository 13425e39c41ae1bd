import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src/main/core';
import { FIXED_NOW, must, openEditor, openTestCore, type TestCore } from '../support/core';

let core: TestCore;
afterEach(() => core?.dispose());

async function exampleRole(c: TestCore) {
  const [role] = await c.value('roles:list', {});
  if (!role) throw new Error('no example role');
  return c.value('roles:get', { roleId: role.id });
}

/** A fresh installation with me named, two colleagues, and one candidate for the example role. */
async function smallTeam() {
  core = await openTestCore();
  const me = await core.value('me:get', {});
  await core.value('me:update', { name: 'Ana Lee', email: 'ana@example.com', revision: me.revision });
  const ben = await core.value('interviewers:add', { name: 'Ben Ode', email: 'ben@example.com' });
  const cy = await core.value('interviewers:add', { name: 'Cy Park', email: 'cy@example.com' });
  const role = await exampleRole(core);
  const jane = await core.value('candidates:add', { roleId: role.id, name: 'Jane Doe', email: 'jane@example.org', timeZone: 'America/New_York' });
  return { me, ben, cy, role, jane };
}

describe('people', () => {
  it('names me once, then keeps the welcome done, and refuses an email someone else has', async () => {
    const { ben } = await smallTeam();
    const me = await core.value('me:get', {});
    expect(me).toMatchObject({ name: 'Ana Lee', email: 'ana@example.com', isMe: true, welcomeDone: true });
    expect(await core.call('interviewers:add', { name: 'Ben Again', email: 'BEN@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'duplicate', path: 'email', message: 'Ben Ode already has the email ben@example.com.' },
    });
    expect(await core.call('interviewers:update', { interviewerId: ben.id, name: 'Ben O.', email: 'ben@example.com', revision: ben.revision + 1 })).toMatchObject({
      ok: false,
      error: { code: 'stale_revision' },
    });
  });

  it('deactivates an interviewer without losing anything, and keeps them off new panels', async () => {
    const { ben, role, jane } = await smallTeam();
    const off = await core.value('interviewers:set-active', { interviewerId: ben.id, active: false, revision: ben.revision });
    expect(off.active).toBe(false);
    const listed = await core.value('interviewers:list', {});
    expect(listed.find((i) => i.id === ben.id)).toMatchObject({ active: false, name: 'Ben Ode' });
    expect(await core.call('interviews:schedule', { candidateId: jane.id, stageId: role.stages[0]!.id, scheduledAt: '2026-12-03T14:00:00Z', panel: [ben.id] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', path: 'panel.0', message: expect.stringContaining('Ben Ode is deactivated') },
    });
  });
});

describe('candidates', () => {
  it('refuses a second candidate with the same email for the same role, whatever the case', async () => {
    const { role } = await smallTeam();
    expect(await core.call('candidates:add', { roleId: role.id, name: 'J. Doe', email: 'JANE@example.org' })).toMatchObject({
      ok: false,
      error: { code: 'duplicate', path: 'email', message: 'Jane Doe is already a candidate for this role (jane@example.org).' },
    });
    expect(await core.call('candidates:add', { roleId: role.id, name: 'Zed', timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'timeZone' } });
  });

  it('archives a candidate out of the list and back', async () => {
    const { jane } = await smallTeam();
    const archived = await core.value('candidates:set-archived', { candidateId: jane.id, archived: true, revision: jane.revision });
    expect(archived.archivedAt).toBe(FIXED_NOW.toISOString());
    expect((await core.value('candidates:list', {})).items).toHaveLength(0);
    expect((await core.value('candidates:list', { includeArchived: true })).items).toMatchObject([{ id: jane.id, archived: true }]);
    await core.value('candidates:set-archived', { candidateId: jane.id, archived: false, revision: archived.revision });
    expect((await core.value('candidates:list', {})).items).toHaveLength(1);
  });

  it('lists candidates with no activity for the retention period', async () => {
    await smallTeam();
    expect((await core.value('candidates:retention', {})).candidates).toEqual([]);
    core.ctx.clock = () => new Date('2028-01-01T00:00:00Z');
    await core.value('settings:update', { retentionMonths: 6 });
    const { months, candidates } = await core.value('candidates:retention', {});
    expect(months).toBe(6);
    expect(candidates).toMatchObject([{ name: 'Jane Doe', roleTitle: expect.any(String) }]);
  });
});

describe('scheduling', () => {
  it('schedules the loop, warns of double bookings, allows an extra interview for a stage, reschedules and cancels', async () => {
    const { me, ben, cy, role, jane } = await smallTeam();
    const [architecture, technical] = role.stages;
    const first = await core.value('interviews:schedule', {
      candidateId: jane.id,
      stageId: architecture!.id,
      scheduledAt: '2026-11-28T14:00:00+01:00',
      durationMinutes: 60,
      panel: [me.id, ben.id],
      videoLink: 'https://meet.example.com/abc',
    });
    expect(first.interview).toMatchObject({ scheduledAt: '2026-11-28T13:00:00.000Z', videoLink: 'https://meet.example.com/abc', candidateTimeZone: 'America/New_York', cancelledAt: null });
    expect(first.clashes).toEqual([]);
    const second = await core.value('interviews:schedule', { candidateId: jane.id, stageId: technical!.id, scheduledAt: '2026-11-28T13:30:00Z', panel: [ben.id, cy.id] });
    expect(second.clashes).toMatchObject([{ name: 'Ben Ode', interviewId: first.interview.interviewId }]);
    const extra = await core.value('interviews:schedule', { candidateId: jane.id, stageId: architecture!.id, scheduledAt: '2026-11-30T09:00:00Z', panel: [cy.id] });
    expect((await core.value('candidates:get', { candidateId: jane.id })).interviews).toHaveLength(3);

    // Today shows my interview; cancelled ones drop off it, and keep their place on the loop.
    expect((await core.value('today:list', {})).upcoming.map((i) => i.interviewId)).toEqual([first.interview.interviewId]);
    const moved = await core.value('interviews:update', { interviewId: first.interview.interviewId, revision: first.interview.revision, scheduledAt: '2026-11-29T10:00:00Z' });
    expect(moved.interview.scheduledAt).toBe('2026-11-29T10:00:00.000Z');
    expect(await core.call('interviews:update', { interviewId: first.interview.interviewId, revision: first.interview.revision, durationMinutes: 45 })).toMatchObject({ ok: false, error: { code: 'stale_revision' } });
    await core.value('interviews:cancel', { interviewId: extra.interview.interviewId, revision: extra.interview.revision });
    const loop = (await core.value('candidates:get', { candidateId: jane.id })).interviews;
    expect(loop.find((i) => i.interviewId === extra.interview.interviewId)?.cancelledAt).toBe(FIXED_NOW.toISOString());
    expect((await core.value('candidates:list', {})).items[0]).toMatchObject({ interviewsTotal: 2 });
  });

  it('keeps a scorecard when its author is taken off the panel, marks the seat, and gives it back when they return', async () => {
    const { me, ben, role, jane } = await smallTeam();
    const { interview } = await core.value('interviews:schedule', { candidateId: jane.id, stageId: role.stages[0]!.id, scheduledAt: '2026-11-28T09:00:00Z', panel: [me.id, ben.id] });
    const view = await core.value('scorecards:open', { interviewId: interview.interviewId });
    const editor = await openEditor(core, view.scorecard.id);
    must(await editor.setEvidence(view.rubric.criteria[0]!.id, 'asked about scale first'));
    expect(await core.call('panel:get', { interviewId: interview.interviewId })).toMatchObject({ ok: false, error: { code: 'hidden_until_submitted' } });

    const without = await core.value('interviews:update', { interviewId: interview.interviewId, revision: interview.revision, panel: [ben.id] });
    expect(without.interview.panel).toMatchObject([
      { name: 'Ben Ode', withdrawn: false },
      { name: 'Ana Lee', withdrawn: true },
    ]);
    expect((await core.value('scorecards:get', { scorecardId: view.scorecard.id })).scores[0]?.evidence).toBe('asked about scale first');
    // A withdrawn seat is no longer a seat: nothing waits for me, and the panel is no longer hidden from me.
    expect((await core.value('today:list', {})).unsubmitted).toEqual([]);
    expect((await core.call('panel:get', { interviewId: interview.interviewId })).ok).toBe(true);

    const back = await core.value('interviews:update', { interviewId: interview.interviewId, revision: without.interview.revision, panel: [me.id, ben.id] });
    expect(back.interview.panel.every((p) => !p.withdrawn)).toBe(true);
    expect((await core.value('scorecards:open', { interviewId: interview.interviewId })).scorecard.id).toBe(view.scorecard.id);
  });

  it('writes a calendar invite that calendars accept: folded lines, escaped text, UTC times, the panel as attendees', async () => {
    const { me, ben, role, jane } = await smallTeam();
    await core.value('candidates:update', { candidateId: jane.id, revision: jane.revision, name: 'Jane Doe, PhD; "JD"', email: jane.email, timeZone: jane.timeZone });
    const { interview } = await core.value('interviews:schedule', {
      candidateId: jane.id,
      stageId: role.stages[0]!.id,
      scheduledAt: '2026-12-03T14:00:00+01:00',
      durationMinutes: 90,
      panel: [me.id, ben.id],
      videoLink: 'https://meet.example.com/a-very-long-meeting-link-that-goes-on-and-on-and-on-beyond-seventy-five-octets',
    });
    const { fileName, text } = await core.value('interviews:calendar', { interviewId: interview.interviewId });
    expect(fileName).toMatch(/^jane-doe-phd-jd-architecture\.ics$/);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain(`UID:${interview.interviewId}@panelist`);
    expect(unfolded).toContain('DTSTART:20261203T130000Z');
    expect(unfolded).toContain('DTEND:20261203T143000Z');
    expect(unfolded).toContain('SUMMARY:Architecture · Jane Doe\\, PhD\\; "JD"');
    expect(unfolded).toContain('mailto:ben@example.com');
    expect(unfolded).toContain("The candidate's time zone: America/New_York.");
    const loop = await core.value('interviews:calendar', { candidateId: jane.id });
    expect(loop.text.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });
});

describe('CSV imports', () => {
  it('reads quotes, embedded newlines, a BOM and CRLF, and matches headers whatever their case', async () => {
    const { role } = await smallTeam();
    const csv = '\ufeffNAME,E-mail,Source,Note,Time_Zone\r\n"Doe, John","john@example.org",Referral,"Met at a meetup;\r\nstrong on Go",Europe/Berlin\r\n"Smith ""Sam""",sam@example.org,,,\r\n';
    const preview = await core.value('candidates:import-preview', { roleId: role.id, csv });
    expect(preview).toMatchObject({ adds: 2, errors: 0 });
    expect(preview.lines.map((l) => l.line)).toEqual([2, 4]);
    const done = await core.value('candidates:import', { roleId: role.id, csv });
    expect(done).toEqual({ added: 2, dropped: 0 });
    const john = (await core.value('candidates:list', { search: 'Doe, John' })).items[0];
    const record = await core.value('candidates:get', { candidateId: john!.id });
    expect(record.name).toBe('Doe, John');
    const smith = (await core.value('candidates:list', { search: 'Sam' })).items[0];
    expect(smith?.name).toBe('Smith "Sam"');
  });

  it('shows every bad line by line and column, writes nothing until they are fixed or dropped, and refuses a malformed file with its line', async () => {
    const { role } = await smallTeam();
    const good = Array.from({ length: 5000 }, (_, i) => `Candidate ${i},candidate.${i}@example.org,Job board,,`);
    good[1200] = `,no-name@example.org,,,`;
    good[3000] = `Bad Email,not-an-email,,,`;
    good[4000] = `Duplicate,candidate.5@example.org,,,`;
    good[4500] = `Zoned,zoned@example.org,,,Mars/Olympus`;
    const csv = `name,email,source,note,time zone\n${good.join('\n')}\n`;
    const preview = await core.value('candidates:import-preview', { roleId: role.id, csv });
    expect(preview.errors).toBe(4);
    expect(preview.adds).toBe(4996);
    expect(preview.lines.filter((l) => l.outcome === 'error').map((l) => [l.line, l.errors.map((e) => e.column).join()])).toEqual([
      [1202, 'name'],
      [3002, 'email'],
      [4002, 'email'],
      [4502, 'time zone'],
    ]);
    expect(preview.lines.find((l) => l.line === 4002)?.errors[0]?.message).toBe('the same email is on line 7');
    const before = (await core.value('candidates:list', {})).total;
    expect(await core.call('candidates:import', { roleId: role.id, csv })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'csv', message: expect.stringContaining('4 lines have errors (first: line 1202, name') } });
    expect((await core.value('candidates:list', {})).total).toBe(before);
    const done = await core.value('candidates:import', { roleId: role.id, csv, dropLines: [1202, 3002, 4002, 4502] });
    expect(done).toEqual({ added: 4996, dropped: 4 });
    expect((await core.value('candidates:list', {})).total).toBe(before + 4996);

    expect(await core.call('candidates:import-preview', { roleId: role.id, csv: 'name,email\n"unclosed,x@example.org\n' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^csv: line 2 is not valid CSV: a quote is opened and never closed/) },
    });
    expect(await core.call('interviewers:import-preview', { csv: 'full name,mail\nA,a@example.org\n' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('line 1 has no "name" column') },
    });
  });

  it('imports a schedule by candidate email, stage and interviewer emails', async () => {
    const { jane } = await smallTeam();
    const csv = 'candidate email,stage,start,duration,interviewer emails,video link\njane@example.org,Architecture,2026-12-03T14:00:00+01:00,45,ana@example.com; ben@example.com,https://meet.example.com/x\njane@example.org,2,2026-12-04T09:00:00Z,,cy@example.com,\n';
    expect(await core.value('schedule:import', { csv })).toEqual({ added: 2, dropped: 0 });
    const loop = (await core.value('candidates:get', { candidateId: jane.id })).interviews;
    expect(loop.map((i) => [i.stageTitle, i.scheduledAt, i.durationMinutes, i.panel.map((p) => p.name).join(', ')])).toEqual([
      ['Architecture', '2026-12-03T13:00:00.000Z', 45, 'Ana Lee, Ben Ode'],
      ['Technical experience', '2026-12-04T09:00:00.000Z', 60, 'Cy Park'],
    ]);
  });
});

describe('search', () => {
  it('finds candidates, interviewers, roles and rubrics by part of a name, best first', async () => {
    await smallTeam();
    expect((await core.value('search:all', { query: 'doe' })).map((h) => [h.kind, h.label])).toEqual([['candidate', 'Jane Doe']]);
    const hits = await core.value('search:all', { query: 'a' });
    expect(hits[0]).toMatchObject({ kind: 'interviewer', label: 'Ana Lee' });
    expect((await core.value('search:all', { query: 'archi' })).map((h) => h.kind)).toContain('rubric');
    expect(await core.value('search:all', { query: '%' })).toEqual([]);
  });
});

describe('erasure', () => {
  it('leaves none of a candidate\'s text in the database file or its WAL, keeps a tombstone of ids, and says what went', async () => {
    const { me, ben, role } = await smallTeam();
    const marker = 'Quenby Xylophone-Erasure';
    const victim = await core.value('candidates:add', { roleId: role.id, name: marker, email: 'quenby.xylophone@example.org', note: 'NOTE-MARKER-5521', source: 'SOURCE-MARKER-5521' });
    const { interview } = await core.value('interviews:schedule', { candidateId: victim.id, stageId: role.stages[0]!.id, scheduledAt: '2026-11-28T09:00:00Z', panel: [me.id, ben.id] });
    const view = await core.value('scorecards:open', { interviewId: interview.interviewId });
    const editor = await openEditor(core, view.scorecard.id);
    for (const c of view.rubric.criteria) must(await editor.setScore(c.id, 3));
    must(await editor.setEvidence(view.rubric.criteria[0]!.id, 'EVIDENCE-MARKER-5521 asked about scale first'));
    must(await editor.setDetail('takeaways', 'TAKEAWAYS-MARKER-5521'));
    must(await editor.setDetail('privateNote', 'PRIVATE-MARKER-5521'));
    must(await editor.setDetail('recommendation', 'yes'));
    must(await editor.submit());
    must(await editor.amend({ reason: 'REASON-MARKER-5521', scores: [{ criterionId: view.rubric.criteria[0]!.id, value: 4, evidence: 'AMENDED-MARKER-5521' }] }));
    await core.value('calibration:report', {});

    expect(await core.value('candidates:erase-preview', { candidateId: victim.id })).toEqual({ candidateId: victim.id, candidateName: marker, interviews: 1, scorecards: 1, interviewers: 1 });
    expect(await core.value('candidates:erase', { candidateIds: [victim.id] })).toEqual({ erased: 1 });
    expect(await core.call('candidates:get', { candidateId: victim.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const tombstone = core.ctx.db.prepare(`SELECT candidate_id, erased_by, ids FROM erasures`).get() as { candidate_id: string; erased_by: string; ids: string };
    expect(tombstone).toMatchObject({ candidate_id: victim.id, erased_by: me.id });
    expect(JSON.parse(tombstone.ids)).toEqual({ interviews: [interview.interviewId], scorecards: [view.scorecard.id] });
    expect(core.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');

    const file = join(core.dir, DATABASE_FILE_NAME);
    const bytes = [readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])];
    for (const text of [marker, 'quenby.xylophone', 'NOTE-MARKER', 'SOURCE-MARKER', 'EVIDENCE-MARKER', 'TAKEAWAYS-MARKER', 'PRIVATE-MARKER', 'REASON-MARKER', 'AMENDED-MARKER']) {
      for (const content of bytes) expect(content.includes(Buffer.from(text, 'utf8')), `${text} is still in the file`).toBe(false);
    }
    // The rest is intact: Jane is still there.
    expect((await core.value('candidates:list', {})).items.map((c) => c.name)).toEqual(['Jane Doe']);
  });
});
