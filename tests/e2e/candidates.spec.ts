import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { rpc, startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { addToPanel, localTime, press } from '../support/e2e';

/**
 * Real hiring work from an empty data folder, the way a person does it, by keyboard: add a
 * candidate, schedule their loop, find it on Today, reschedule and cancel, import candidates from
 * CSV, refuse a duplicate, and erase someone after saying what will go. Interviewers are set up
 * through the RPC (their screen is tested elsewhere); everything about candidates and scheduling
 * goes through the screens.
 *
 * The browser runs in UTC and the candidate lives in Asia/Kolkata (UTC+5:30, no daylight saving),
 * so the times "for the candidate" are the same whatever the date the test runs on.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.use({ locale: 'en-GB', timezoneId: 'UTC', acceptDownloads: true });

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

/** A fresh installation with me ("Me", the welcome answered) and two more interviewers. */
async function freshInstallation(): Promise<void> {
  data = tempDataDir();
  serve = await startServe(data.dir);
  const me = await rpc<{ revision: number }>(serve, 'me:get', {});
  await rpc(serve, 'me:update', { name: 'Me', email: 'me@example.com', revision: me.revision, welcomeDone: true });
  await rpc(serve, 'interviewers:add', { name: 'Ana Lopez', email: 'ana@example.com' });
  await rpc(serve, 'interviewers:add', { name: 'Ben Okafor', email: 'ben@example.com' });
}

async function openNewCandidate(page: Page): Promise<void> {
  await page.goto(serve.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.evaluate("window.location.hash = '#/candidates/new'");
  await expect(page.getByRole('form', { name: 'New candidate' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
}

const status = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });

test('a candidate is added, their loop scheduled, found on Today, rescheduled and cancelled, by keyboard', async ({ page }) => {
  await freshInstallation();
  await openNewCandidate(page);

  // One screen: name, email, role (the only one, chosen), source, their time zone, a note.
  await page.keyboard.type('Jane Doe');
  await page.keyboard.press('Tab');
  await page.keyboard.type('jane@example.com');
  await page.keyboard.press('Tab');
  const role = page.getByRole('form', { name: 'New candidate' }).getByLabel('Role');
  await expect(role).toBeFocused();
  await expect(role.locator('option:checked')).toHaveText('Software Engineer – Distribution');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Referral');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Their time zone')).toBeFocused();
  await page.keyboard.type('Asia/Kolkata');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Note')).toBeFocused();
  await page.keyboard.type('Met at the Rust meetup.');
  await page.keyboard.press('Control+Enter');

  await expect(page.getByRole('heading', { name: 'Jane Doe is a candidate for Software Engineer – Distribution' })).toBeVisible();
  const scheduleNow = page.getByRole('button', { name: "Schedule Jane Doe's loop" });
  await expect(scheduleNow).toBeFocused();
  await page.keyboard.press('Enter');

  // Her page opens at the first stage still to schedule, its time field focused.
  await expect(page.getByRole('heading', { name: 'Jane Doe', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Jane Doe — Panelist');
  await expect(page.getByText('4 stages still to schedule.')).toBeVisible();
  const architecture = page.getByRole('form', { name: 'Schedule Architecture' });
  await expect(architecture.getByLabel('Date and time')).toBeFocused();
  await expect(architecture.getByLabel('Duration (minutes)')).toHaveValue('60');

  // Architecture: tomorrow 10:00 UTC (15:30 for her), me and Ana, a video link; Enter schedules it.
  await architecture.getByLabel('Date and time').fill(await localTime(page, 1, 10));
  await expect(architecture.getByText('That is 15:30 for Jane Doe (Asia/Kolkata).')).toBeVisible();
  await addToPanel(architecture, 'me');
  await addToPanel(architecture, 'ana');
  await expect(architecture.getByText('On the panel: Me (you) and Ana Lopez.')).toBeVisible();
  await architecture.getByLabel('Video link').focus();
  await page.keyboard.type('https://meet.example.com/jane');
  await page.keyboard.press('Enter');
  await expect(status(page)).toContainText(/Architecture scheduled: .*10:00–11:00 \(15:30 for the candidate, Asia\/Kolkata\)\./);

  // Technical experience: the focus moved on to it. At 10:30 I am already booked: a warning, not a refusal.
  const technical = page.getByRole('form', { name: 'Schedule Technical experience' });
  await expect(technical.getByLabel('Date and time')).toBeFocused();
  await technical.getByLabel('Date and time').fill(await localTime(page, 1, 10, 30));
  await addToPanel(technical, 'me');
  const clash = technical.getByText('Already booked then');
  await expect(clash).toBeVisible();
  await expect(technical.getByText(/You are interviewing Jane Doe, .*10:00–11:00/)).toBeVisible();
  await technical.getByLabel('Date and time').fill(await localTime(page, 1, 13));
  await expect(clash).toBeHidden();
  await addToPanel(technical, 'ben');
  await press(technical.getByRole('button', { name: 'Schedule Technical experience' }));
  await expect(status(page)).toContainText('Technical experience scheduled');

  // Team collaboration: an http link is refused beside the field, in one sentence.
  const team = page.getByRole('form', { name: 'Schedule Team collaboration' });
  await expect(team.getByLabel('Date and time')).toBeFocused();
  await team.getByLabel('Date and time').fill(await localTime(page, 1, 15));
  await addToPanel(team, 'ana');
  await team.getByLabel('Video link').focus();
  await page.keyboard.type('http://meet.example.com/x');
  await page.keyboard.press('Enter');
  await expect(team.getByText('A video link starts with https:// (or leave it empty).')).toBeVisible();
  await expect(team.getByLabel('Video link')).toBeFocused();
  await expect(team.getByLabel('Video link')).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  await expect(status(page)).toContainText('Team collaboration scheduled');

  // CEO/CTO: the day after tomorrow, me and Ben.
  const ceo = page.getByRole('form', { name: 'Schedule CEO/CTO' });
  await expect(ceo.getByLabel('Date and time')).toBeFocused();
  await ceo.getByLabel('Date and time').fill(await localTime(page, 2, 10));
  await addToPanel(ceo, 'me');
  await addToPanel(ceo, 'ben');
  await press(ceo.getByRole('button', { name: 'Schedule CEO/CTO' }));
  await expect(status(page)).toContainText('CEO/CTO scheduled');
  await expect(page.getByText('Every stage is scheduled.')).toBeVisible();
  await expect(page.getByRole('form', { name: /^Schedule / })).toHaveCount(0);

  // Today lists the three interviews I sit on, not Ana's.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await press(nav.getByRole('link', { name: 'Today' }));
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  const mine = page.getByRole('listitem').filter({ hasText: 'Jane Doe' });
  await expect(mine.filter({ hasText: 'Architecture' })).toContainText('15:30 for the candidate, Asia/Kolkata');
  await expect(mine.filter({ hasText: 'Technical experience' })).toContainText('13:00–14:00');
  await expect(mine.filter({ hasText: 'CEO/CTO' })).toHaveCount(1);
  await expect(mine.filter({ hasText: 'Team collaboration' })).toHaveCount(0);

  // Back on her page: reschedule Technical experience to the day after tomorrow, 16:00.
  await press(nav.getByRole('link', { name: 'Candidates' }));
  // Today lists Jane's interviews too: wait for the list before looking for her.
  await expect(page.getByRole('heading', { name: 'Candidates', level: 1 })).toBeVisible();
  await press(page.getByRole('link', { name: 'Jane Doe', exact: true }));
  await expect(page.getByRole('heading', { name: 'Jane Doe', level: 1 })).toBeVisible();
  await press(page.getByRole('button', { name: /^Reschedule Technical experience/ }));
  const moving = page.getByRole('form', { name: 'Reschedule Technical experience' });
  await expect(moving.getByLabel('Date and time')).toBeFocused();
  await expect(moving.getByText('On the panel: Me (you) and Ben Okafor.')).toBeVisible();
  await moving.getByLabel('Date and time').fill(await localTime(page, 2, 16));
  await page.keyboard.press('Enter');
  await expect(status(page)).toContainText(/Technical experience moved to .*16:00–17:00 \(21:30 for the candidate, Asia\/Kolkata\)\./);
  await expect(moving).toBeHidden();
  await expect(page.getByRole('button', { name: /^Reschedule Technical experience/ })).toBeFocused();

  // Cancel CEO/CTO: asked first, "Keep it" is the safe default; it stays listed, marked cancelled.
  await press(page.getByRole('button', { name: /^Cancel CEO\/CTO/ }));
  const dialog = page.getByRole('dialog', { name: 'Cancel this interview?' });
  await expect(dialog).toContainText('CEO/CTO with Jane Doe');
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Cancel the interview' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(status(page)).toContainText('is cancelled; it stays on the loop, marked so.');
  const ceoStage = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /CEO\/CTO/ }) });
  await expect(ceoStage.getByText('cancelled', { exact: true })).toBeVisible();
  await expect(ceoStage).toContainText('its scorecards are kept');
  await expect(page.getByRole('form', { name: 'Schedule CEO/CTO' })).toBeVisible();
  await expect(page.getByText('1 stage still to schedule.')).toBeVisible();

  // The whole loop as a calendar file: four events, the cancelled one marked so.
  const download = page.waitForEvent('download');
  await press(page.getByRole('button', { name: 'Download the whole loop (.ics)' }));
  const file = await download;
  expect(file.suggestedFilename()).toBe('jane-doe-loop.ics');
  const ics = readFileSync((await file.path()) ?? '', 'utf8');
  expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(4);
  expect(ics).toContain('STATUS:CANCELLED');

  // Today: the cancelled interview is gone, the moved one at its new time.
  await press(nav.getByRole('link', { name: 'Today' }));
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await expect(mine.filter({ hasText: 'Technical experience' })).toContainText('16:00–17:00');
  await expect(mine.filter({ hasText: 'Architecture' })).toHaveCount(1);
  await expect(mine.filter({ hasText: 'CEO/CTO' })).toHaveCount(0);

  // A second candidate with her email, for the same role, is refused beside the email field.
  await page.evaluate("window.location.hash = '#/candidates/new'");
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type('J. Doe');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Jane@Example.com');
  const email = page.getByRole('form', { name: 'New candidate' }).getByLabel('Email');
  await expect(page.getByText('Jane Doe is already a candidate for this role.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Enter');
  await expect(email).toBeFocused();
  await expect(page.getByRole('form', { name: 'New candidate' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open Jane Doe' })).toBeVisible();
});

test('candidates are imported from a CSV with quotes, line breaks, a BOM and CRLF, after a preview that shows the bad line', async ({ page }) => {
  await freshInstallation();
  await openNewCandidate(page);
  await press(page.getByRole('button', { name: 'Import candidates' }));
  await expect(page.getByLabel('Import candidates for the role')).toBeFocused();

  const csv =
    '\uFEFFName,Email,Source,Note,Time Zone\r\n' +
    '"Doe, Jane",jane@example.com,Referral,"Said ""hello"",\r\nthen left",Europe/Berlin\r\n' +
    'Ana Ng,ana.ng@example.com,LinkedIn,,Asia/Tokyo\r\n' +
    'Bad Zone,bad@example.com,,,Mars/Olympus\r\n';
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'candidates.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });

  const summary = page.getByRole('heading', { name: /^Preview:/ });
  await expect(summary).toHaveText('Preview: 2 candidates to add, 1 line with errors.');
  await expect(summary).toBeFocused();
  const lines = page.getByRole('table', { name: 'Lines of the file' });
  await expect(lines.getByRole('row', { name: /Doe, Jane/ })).toContainText('Said "hello",');
  const bad = lines.getByRole('row', { name: /Bad Zone/ });
  await expect(bad.getByRole('rowheader')).toHaveText('line 5');
  await expect(bad).toContainText('time zone: "Mars/Olympus" is not a time zone');
  await expect(page.getByRole('button', { name: 'Import 2 candidates' })).toBeDisabled();

  // Drop the bad line, then import the rest in one step.
  await press(bad.getByRole('checkbox', { name: 'Drop line 5' }), 'Space');
  await expect(summary).toHaveText('Preview: 2 candidates to add, 1 line dropped.');
  await press(page.getByRole('button', { name: 'Import 2 candidates' }));
  await expect(status(page)).toHaveText('Imported 2 candidates (1 line left out).');
  await expect(status(page).getByText('Imported 2 candidates')).toBeFocused();

  const table = page.getByRole('table', { name: 'Candidates' });
  await expect(table.getByRole('link', { name: 'Doe, Jane' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Ana Ng' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'Bad Zone' })).toHaveCount(0);

  // A schedule for one of them: stage by number, a time with its offset, the panel by email.
  await press(page.getByRole('button', { name: 'Import schedule' }));
  const schedule =
    'Candidate email,Stage,Start,Duration,Interviewer emails,Video link\r\n' +
    'jane@example.com,1,2030-03-04T09:00:00+01:00,45,ana@example.com;ben@example.com,https://meet.example.com/j\r\n' +
    'nobody@example.com,Architecture,2030-03-04T11:00:00Z,,ana@example.com,\r\n';
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'schedule.csv', mimeType: 'text/csv', buffer: Buffer.from(schedule, 'utf8') });
  await expect(summary).toHaveText('Preview: 1 interview to add, 1 line with errors.');
  await expect(lines.getByRole('row', { name: /nobody@example\.com/ })).toContainText('no current candidate has the email nobody@example.com');
  await press(lines.getByRole('checkbox', { name: 'Drop line 3' }), 'Space');
  await press(page.getByRole('button', { name: 'Import 1 interview' }));
  await expect(status(page)).toHaveText('Imported 1 interview (1 line left out).');
  await expect(status(page).getByText('Imported 1 interview')).toBeFocused();
  await press(table.getByRole('link', { name: 'Doe, Jane' }));
  const architecture = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Architecture/ }) });
  await expect(architecture).toContainText('08:00–08:45');
  await expect(architecture).toContainText('panel: Ana Lopez, Ben Okafor');
  await expect(page.getByText('3 stages still to schedule.')).toBeVisible();
  await page.goBack();

  // The same file again: both emails are taken for the role, said per line.
  await press(page.getByRole('button', { name: 'Import candidates' }));
  await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'candidates.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await expect(summary).toHaveText('Preview: 0 candidates to add, 3 lines with errors.');
  await expect(lines.getByRole('row', { name: /Ana Ng/ })).toContainText('email: Ana Ng is already a candidate for this role');
});

test('a candidate is erased after a confirmation that says what goes; a panelist taken off keeps their scorecard', async ({ page }) => {
  await freshInstallation();
  await openNewCandidate(page);
  await page.keyboard.type('Kim Lee');
  await page.keyboard.press('Tab');
  await page.keyboard.type('kim@example.com');
  await page.keyboard.press('Enter');
  await press(page.getByRole('button', { name: "Schedule Kim Lee's loop" }));

  const architecture = page.getByRole('form', { name: 'Schedule Architecture' });
  await expect(architecture.getByLabel('Date and time')).toBeFocused();
  await architecture.getByLabel('Date and time').fill(await localTime(page, -1, 9));
  await addToPanel(architecture, 'me');
  await addToPanel(architecture, 'ana');
  await press(architecture.getByRole('button', { name: 'Schedule Architecture' }));
  await expect(status(page)).toContainText('Architecture scheduled');
  const technical = page.getByRole('form', { name: 'Schedule Technical experience' });
  await technical.getByLabel('Date and time').fill(await localTime(page, 3, 9));
  await addToPanel(technical, 'ben');
  await press(technical.getByRole('button', { name: 'Schedule Technical experience' }));
  await expect(status(page)).toContainText('Technical experience scheduled');

  // An extra interview for a stage that has one already, and its own invite.
  await press(page.getByRole('button', { name: 'Add another Technical experience interview' }));
  const extra = page.getByRole('form', { name: 'Add another Technical experience interview' });
  await expect(extra.getByLabel('Date and time')).toBeFocused();
  await extra.getByLabel('Date and time').fill(await localTime(page, 4, 9));
  await addToPanel(extra, 'ana');
  await press(extra.getByRole('button', { name: 'Add the interview' }));
  await expect(status(page)).toContainText('Technical experience scheduled');
  const technicalStage = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Technical experience/ }) });
  await expect(technicalStage.getByRole('button', { name: /^Reschedule Technical experience/ })).toHaveCount(2);
  const invite = page.waitForEvent('download');
  await press(technicalStage.getByRole('button', { name: /^Download the invite for Technical experience/ }).last());
  const ics = readFileSync((await (await invite).path()) ?? '', 'utf8');
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  expect(ics).toContain('ATTENDEE;CN="Ana Lopez";ROLE=REQ-PARTICIPANT:mailto:ana@example.com');

  // I open my scorecard for Architecture (a draft now exists), then take myself off that panel.
  await press(page.getByRole('link', { name: 'Score Kim Lee, Architecture' }));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Kim Lee');
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Kim Lee', level: 1 })).toBeVisible();
  await press(page.getByRole('button', { name: /^Reschedule Architecture/ }));
  const moving = page.getByRole('form', { name: 'Reschedule Architecture' });
  await press(moving.getByRole('checkbox', { name: 'Me (you)' }), 'Space');
  await expect(moving.getByText('On the panel: Ana Lopez.')).toBeVisible();
  await press(moving.getByRole('button', { name: 'Save the new time' }));
  const architectureStage = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Architecture/ }) });
  await expect(architectureStage).toContainText('panel: Ana Lopez; you (taken off the panel; scorecard kept)');

  // Delete asks first and says what goes; Escape keeps her.
  const erase = page.getByRole('button', { name: 'Delete…' });
  await press(erase);
  const dialog = page.getByRole('dialog', { name: 'Delete Kim Lee?' });
  await expect(dialog).toContainText('This erases Kim Lee and everything about them: 1 scorecard by 1 interviewer, 3 interviews — this cannot be undone.');
  await expect(dialog.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(erase).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Delete Kim Lee' })).toBeFocused();
  const candidateUrl = page.url();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Kim Lee is erased' })).toHaveText('Kim Lee is erased, with everything about them.');
  await expect(page).toHaveURL(/#\/candidates$/);
  // She was the only candidate: the installation is empty again, and the focus is on its heading.
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist', level: 1 })).toBeFocused();

  // Her page is gone.
  await page.goto(candidateUrl);
  await expect(page.getByRole('alert')).toHaveText('This candidate does not exist (any more): they may have been erased.');
});

test('a candidate is edited, archived (out of the list until "Show archived") and restored', async ({ page }) => {
  await freshInstallation();
  await openNewCandidate(page);
  await page.keyboard.type('Sam Roe');
  await page.keyboard.press('Tab');
  await page.keyboard.type('sam@example.com');
  await page.keyboard.press('Enter');
  await press(page.getByRole('button', { name: 'Done' }));
  await expect(page.getByRole('button', { name: 'Add candidate' })).toBeFocused();
  await press(page.getByRole('table', { name: 'Candidates' }).getByRole('link', { name: 'Sam Roe' }));
  await expect(page.getByRole('heading', { name: 'Sam Roe', level: 1 })).toBeVisible();

  // Edit: the same fields, Enter saves, the heading takes the focus back.
  await press(page.getByRole('button', { name: 'Edit details' }));
  const form = page.getByRole('form', { name: 'Edit Sam Roe' });
  await expect(form.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Sam Roe-Ito');
  await form.getByLabel('Source').focus();
  await page.keyboard.type('Agency');
  await form.getByLabel('Their time zone').focus();
  await page.keyboard.type('Mars/Olympus');
  await page.keyboard.press('Enter');
  await expect(form.getByText('“Mars/Olympus” is not a time zone: choose one from the list (e.g. Europe/Berlin).')).toBeVisible();
  await expect(form.getByLabel('Their time zone')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Asia/Tokyo');
  await page.keyboard.press('Enter');
  await expect(form).toBeHidden();
  const title = page.getByRole('heading', { name: 'Sam Roe-Ito', level: 1 });
  await expect(title).toBeFocused();
  await expect(page.getByText('Software Engineer – Distribution · sam@example.com · source: Agency · time zone: Asia/Tokyo')).toBeVisible();

  // Archive: marked, no scheduling until restored, and out of the list unless asked for.
  const archive = page.getByRole('button', { name: 'Archive' });
  await press(archive);
  await expect(status(page)).toContainText('Sam Roe-Ito is archived');
  await expect(title).toContainText('archived');
  await expect(page.getByText('Sam Roe-Ito is archived: restore them to schedule interviews.')).toBeVisible();
  await expect(page.getByRole('form', { name: /^Schedule / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Restore' })).toBeFocused();

  await press(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }));
  const table = page.getByRole('table', { name: 'Candidates' });
  await expect(page.getByText('No candidates here yet.')).toBeVisible();
  await expect(table.getByRole('link', { name: 'Sam Roe-Ito' })).toHaveCount(0);
  await press(page.getByRole('checkbox', { name: 'Show archived' }), 'Space');
  await expect(table.getByRole('row', { name: /Sam Roe-Ito/ })).toContainText('archived');
  await press(table.getByRole('link', { name: 'Sam Roe-Ito' }));
  await press(page.getByRole('button', { name: 'Restore' }));
  await expect(status(page)).toContainText('Sam Roe-Ito is restored.');
  await expect(page.getByRole('form', { name: 'Schedule Architecture' })).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the candidate screens pass axe: the add form, the import preview, a schedule with a clash warning, and the dialogs (${scheme})`, async ({ page }) => {
    await freshInstallation();
    // Set-up through the RPC: a candidate with one interview of mine, so that the next one can clash.
    const [role] = await rpc<{ id: string }[]>(serve, 'roles:list', {});
    const detail = await rpc<{ stages: { id: string }[] }>(serve, 'roles:get', { roleId: role?.id });
    const me = await rpc<{ id: string }>(serve, 'me:get', {});
    const jane = await rpc<{ id: string; revision: number }>(serve, 'candidates:add', { roleId: role?.id, name: 'Jane Doe', email: 'jane@example.com', timeZone: 'Asia/Kolkata' });
    const at = new Date(Date.now() + 86_400_000);
    at.setUTCHours(10, 0, 0, 0);
    await rpc(serve, 'interviews:schedule', { candidateId: jane.id, stageId: detail.stages[0]?.id, scheduledAt: at.toISOString(), panel: [me.id], videoLink: 'https://meet.example.com/j' });

    await page.emulateMedia({ colorScheme: scheme });
    const problems: string[] = [];
    const check = async (state: string) => {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      for (const v of results.violations) {
        problems.push(`[${state}, ${scheme}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    - ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`);
      }
    };

    await openNewCandidate(page);
    await page.keyboard.type('J. Doe');
    await page.keyboard.press('Tab');
    await page.keyboard.type('jane@example.com');
    await expect(page.getByText('Jane Doe is already a candidate for this role.')).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Give the candidate a name.')).toHaveCount(0);
    await check('add form with a duplicate email');

    await press(page.getByRole('button', { name: 'Import candidates' }));
    await page.getByLabel('Choose a CSV file').setInputFiles({ name: 'c.csv', mimeType: 'text/csv', buffer: Buffer.from('name,email\r\nAna,ana@x.example\r\n,bad\r\n') });
    await expect(page.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 1 candidate to add, 1 line with errors.');
    await check('candidate import preview');

    await page.getByRole('table', { name: 'Candidates' }).getByRole('link', { name: 'Jane Doe' }).click();
    const technical = page.getByRole('form', { name: 'Schedule Technical experience' });
    await technical.getByLabel('Date and time').fill(await localTime(page, 1, 10, 30));
    await addToPanel(technical, 'me');
    await expect(technical.getByText('Already booked then')).toBeVisible();
    await technical.getByLabel('Video link').fill('http://x');
    await press(technical.getByRole('button', { name: 'Schedule Technical experience' }));
    await expect(technical.getByText('A video link starts with https:// (or leave it empty).')).toBeVisible();
    await check('candidate page: schedule forms, a clash warning and a field error');

    await press(page.getByRole('button', { name: /^Reschedule Architecture/ }));
    await expect(page.getByRole('form', { name: 'Reschedule Architecture' })).toBeVisible();
    await check('reschedule form');

    await press(page.getByRole('button', { name: /^Cancel Architecture/ }));
    await expect(page.getByRole('dialog', { name: 'Cancel this interview?' })).toBeVisible();
    await check('cancel dialog');
    await page.keyboard.press('Escape');

    await press(page.getByRole('button', { name: 'Delete…' }));
    await expect(page.getByRole('dialog', { name: 'Delete Jane Doe?' })).toContainText('1 interview — this cannot be undone');
    await check('erase dialog');
    await page.keyboard.press('Escape');

    await rpc(serve, 'candidates:set-archived', { candidateId: jane.id, archived: true, revision: jane.revision });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }).click();
    await page.getByRole('checkbox', { name: 'Show archived' }).check();
    await expect(page.getByRole('table', { name: 'Candidates' }).getByRole('row', { name: /Jane Doe/ })).toContainText('archived');
    await check('candidate list with archived');

    expect(problems.length, `axe found violations:\n\n${problems.join('\n\n')}\n`).toBe(0);
  });
}
