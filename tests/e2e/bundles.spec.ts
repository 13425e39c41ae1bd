import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContextOptions, type Page, type Route } from '@playwright/test';
import { rpc, runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * Panels across machines, through the screens: separate installations (each its own data folder
 * and `panelist serve`), files carried between them the way people carry them (a download here,
 * a file chosen or dropped there). The hiring manager sends a panel kit, the interviewer imports
 * it, scores with the keyboard, submits and sends the scorecard back, and the hiring manager sees
 * it on the panel. A changed key is a question in the preview, with both fingerprints, and Import
 * waits for the answer; the conflicts that imports record are settled from the list; a check shows
 * how far it got and can be cancelled; a bad file is one line, nothing written.
 */

test.use({ acceptDownloads: true });

const started: ServeProcess[] = [];
const folders: { remove: () => void }[] = [];
let files: string;

test.beforeEach(() => {
  files = mkdtempSync(join(tmpdir(), 'panelist-bundles-'));
});

test.afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  folders.splice(0).forEach((f) => f.remove());
  rmSync(files, { recursive: true, force: true });
});

/** Runs the CLI against a data folder and returns what it printed, failing on a refusal. */
function cli(dir: string, ...args: string[]): string {
  return cliWith({}, dir, ...args);
}

function cliWith(env: NodeJS.ProcessEnv, dir: string, ...args: string[]): string {
  const result = runCli([...args, '--data-dir', dir], env);
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/** A new installation whose owner is `name <email>`; the welcome is answered. */
function installation(name: string, email: string): string {
  const data = tempDataDir();
  folders.push(data);
  cli(data.dir, 'me', '--name', name, '--email', email);
  return data.dir;
}

/** The hiring manager's installation: Ana on the panel of Jane Doe's Architecture interview, which began half an hour ago. */
function hiringManager(): { dir: string; candidateId: string; at: Date } {
  const dir = installation('Hana Manager', 'hana@example.com');
  cli(dir, 'add', 'interviewer', '--name', 'Ana Lee', '--email', 'ana@example.com');
  const [role] = JSON.parse(cli(dir, 'list', 'roles', '--json')) as { id: string }[];
  const candidateId = cli(dir, 'add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', role!.id);
  const at = new Date(Date.now() - 30 * 60_000);
  cli(dir, 'schedule', candidateId, '--stage', '1', '--at', at.toISOString(), '--panel', 'ana@example.com');
  return { dir, candidateId, at };
}

/** A browser tab on a new `panelist serve` for the data folder (each in its own context, like another machine). */
async function open(browser: Browser, dir: string, options: BrowserContextOptions = {}): Promise<Page> {
  return (await openServed(browser, dir, options)).page;
}

/**
 * The same, with the serve process (to set things up through its channels). Resolves once the
 * page listens to the core's push events, so that no progress event is missed.
 */
async function openServed(browser: Browser, dir: string, options: BrowserContextOptions = {}): Promise<{ page: Page; serve: ServeProcess }> {
  const serve = await startServe(dir);
  started.push(serve);
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  const page = await context.newPage();
  const listening = page.waitForResponse((r) => new URL(r.url()).pathname === '/events');
  await page.goto(serve.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await listening;
  return { page, serve };
}

/** Screenshots for a person to look at, when PANELIST_SCREENSHOTS names a folder (no test reads them). */
async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.PANELIST_SCREENSHOTS;
  if (folder) await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/**
 * Holds the core's answers on a channel: each call reaches the core and is answered there, but the
 * page gets the answer only when the test releases it. `answered` resolves once the core answered.
 */
async function holdAnswers(page: Page, channel: string): Promise<{ answered: Promise<void>; release: () => Promise<void> }> {
  let answered!: () => void;
  const done = new Promise<void>((resolve) => (answered = resolve));
  let held: (() => Promise<void>) | null = null;
  const handler = async (route: Route) => {
    const response = await route.fetch();
    held = () => route.fulfill({ response });
    answered();
  };
  const matches = (url: URL) => decodeURIComponent(url.pathname) === `/rpc/${channel}`;
  await page.route(matches, handler);
  return {
    answered: done,
    release: async () => {
      await held?.();
      await page.unroute(matches, handler);
    },
  };
}

/** Clicks a button that saves a file and keeps the file under `name`. */
async function download(page: Page, button: string, name: string): Promise<{ path: string; suggested: string }> {
  const saving = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await saving;
  const path = join(files, name);
  await file.saveAs(path);
  return { path, suggested: file.suggestedFilename() };
}

/** Goes to the import screen by its top-bar link and chooses the file through the file chooser. */
async function chooseBundle(page: Page, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import a bundle', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Import — Panelist');
  const chooser = page.waitForEvent('filechooser');
  await page.getByLabel('Choose a .panelist file').click();
  await (await chooser).setFiles(path);
}

/** What axe-core finds on the page (WCAG 2.2 A and AA), as lines to read; accessibility.spec.ts covers the rest of the screen in both themes. */
async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const criterion = (page: Page, n: number) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').nth(n);

/** Scores every criterion and the recommendation with the keyboard, submits, and sends the scorecard. */
async function scoreSubmitAndSend(page: Page, level: string, saveAs: string): Promise<string> {
  await page.getByRole('link', { name: 'Score Jane Doe, Architecture' }).click();
  await expect(criterion(page, 0)).toBeFocused();
  const count = await page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').count();
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(level);
    if (i < count - 1) await page.keyboard.press('j');
  }
  await page.keyboard.press('r');
  await page.keyboard.press('3');
  await expect(page.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);
  await page.keyboard.press('Control+Enter');
  const dialog = page.getByRole('dialog', { name: 'Submit your scorecard?' });
  await expect(dialog.getByRole('button', { name: 'Submit' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();

  const sent = await download(page, 'Send to the hiring manager', saveAs);
  expect(sent.suggested).toMatch(/^panelist-scorecards-\d{4}-\d\d-\d\d\.panelist$/);
  await expect(page.getByRole('status').filter({ hasText: 'Saved panelist-scorecards' })).toHaveText(
    `Saved ${sent.suggested}: send it to your hiring manager by email or chat.`,
  );
  return sent.path;
}

test('a panel kit goes to the interviewer, who scores and sends the scorecard back, and the hiring manager sees it on the panel', async ({ browser }) => {
  const hm = hiringManager();
  const anaDir = installation('Ana Lee', 'ana@example.com');
  const hana = await open(browser, hm.dir);
  // Ana reads times in India (UTC+5:30): the kit's UTC time must not reach her screen as it is.
  const zone = 'Asia/Kolkata';
  const ana = await open(browser, anaDir, { timezoneId: zone, locale: 'en-US' });

  // The hiring manager: the candidate's page, "Download the panel kit".
  await hana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }).click();
  await hana.getByRole('link', { name: 'Jane Doe' }).click();
  await expect(hana.getByRole('heading', { name: 'Interview loop' })).toBeVisible();
  const kit = await download(hana, 'Download the panel kit', 'kit.panelist');
  expect(kit.suggested).toMatch(/^panelist-panel-kit-\d{4}-\d\d-\d\d\.panelist$/);
  await expect(hana.getByRole('status').filter({ hasText: 'Saved panelist-panel-kit' })).toContainText('send it to the panel by email or chat');

  // The interviewer: a new installation, nothing on Today; the kit through the file chooser.
  await chooseBundle(ana, kit.path);
  const preview = ana.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(preview.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(preview).toContainText('A panel kit from Hana Manager');
  const seat = preview.getByRole('listitem').filter({ hasText: /^You are on the Architecture panel for Jane Doe, / });
  await expect(seat).toBeVisible();
  const local = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', hourCycle: 'h12' }).formatToParts(hm.at).map((p) => [p.type, p.value]),
  );
  await expect(seat).toContainText(`${local.hour}:${local.minute}`);
  await expect(seat).not.toContainText(/\d{4}-\d\d-\d\dT/);
  await expect(preview).toContainText(/Adds.*1 candidate/);
  await expect(preview).toContainText('None: it merges cleanly.');
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  const done = ana.getByRole('region', { name: /^Imported / });
  await expect(done.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(done).toContainText(/Added .*1 interview/);
  await done.getByRole('link', { name: 'Go to Today' }).click();

  const scorecard = await scoreSubmitAndSend(ana, '3', 'ana.panelist');

  // The hiring manager imports it: Ana's key is new here, and pinned.
  await chooseBundle(hana, scorecard);
  const back = hana.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(back).toContainText('Scorecards from Ana Lee');
  await expect(back).toContainText(/Adds.*1 scorecard/);
  await expect(back.getByRole('heading', { name: 'New signing keys' })).toBeVisible();
  await expect(back.getByRole('listitem').filter({ hasText: /^Ana Lee: / })).toBeVisible();
  await back.getByRole('button', { name: 'Import', exact: true }).click();
  const imported = hana.getByRole('region', { name: /^Imported / });
  await expect(imported).toContainText(/Added .*1 scorecard/);

  // The panel view shows Ana's scorecard.
  await imported.getByRole('link', { name: 'Go to Candidates' }).click();
  await hana.getByRole('link', { name: 'Jane Doe' }).click();
  await hana.getByRole('link', { name: /^Panel for / }).first().click();
  const panel = hana.getByRole('table', { name: 'Panel scores' });
  await expect(panel.getByRole('columnheader', { name: 'Ana Lee' })).toBeVisible();
  await expect(panel.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(/^3/);
  await expect(panel.getByRole('row', { name: /^Recommendation/ })).toContainText('Yes');

  // Importing the same file again changes nothing.
  await chooseBundle(hana, scorecard);
  await expect(hana.getByRole('region', { name: /^What importing .* will do$/ })).toContainText(/Adds\s*nothing/);
});

test('a changed key is a question in the preview with both fingerprints; Import waits for the answer, and the fork is dismissed from the list', async ({ browser }) => {
  const hm = hiringManager();
  const hana = await open(browser, hm.dir);
  await hana.getByRole('link', { name: 'Roles' }).click();
  await hana.getByRole('link', { name: 'Software Engineer – Distribution' }).click();
  const kit = await download(hana, 'Download the panel kit', 'kit.panelist');

  // Ana scores on her laptop, then again on a second installation (a new key), and sends both.
  const first = installation('Ana Lee', 'ana@example.com');
  const second = installation('Ana Lee', 'ana@example.com');
  cli(first, 'import', kit.path);
  cli(second, 'import', kit.path);
  const keyOf = (dir: string) => (JSON.parse(cli(dir, 'me', '--json')) as { keyFingerprint: string }).keyFingerprint;
  const pinned = keyOf(first);
  const offered = keyOf(second);
  expect(offered).not.toBe(pinned);
  const fromFirst = await scoreSubmitAndSend(await open(browser, first), '3', 'first.panelist');
  const fromSecond = await scoreSubmitAndSend(await open(browser, second), '2', 'second.panelist');

  await chooseBundle(hana, fromFirst);
  await hana.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(hana.getByRole('region', { name: /^Imported / })).toBeVisible();

  await hana.getByRole('button', { name: 'Import another file' }).click();
  await expect(hana.getByLabel('Choose a .panelist file')).toBeFocused();
  const chooser = hana.waitForEvent('filechooser');
  await hana.getByLabel('Choose a .panelist file').click();
  await (await chooser).setFiles(fromSecond);

  // The preview asks, with both fingerprints side by side; nothing is refused, nothing written yet.
  const preview = hana.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(preview.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(hana.getByRole('alert')).toHaveCount(0);
  await expect(preview.getByRole('heading', { name: 'Changed signing keys' })).toBeVisible();
  const question = preview.getByRole('listitem').filter({ has: hana.getByRole('checkbox', { name: "Accept Ana Lee's new key" }) });
  await expect(question.getByRole('definition')).toHaveText([offered, pinned]);
  await expect(question.getByRole('term')).toHaveText(['In this bundle', 'Pinned here']);
  await expect(question).toContainText('compare it with them by voice');
  const importButton = preview.getByRole('button', { name: 'Import', exact: true });
  await expect(importButton).toBeDisabled();
  await expect(importButton).toHaveAccessibleDescription("Import waits for your answer: accept Ana Lee's new key above, or choose another file.");
  await expect(preview).toContainText(/Adds\s*nothing/);
  await expect(preview).toContainText('None so far, without the scorecards of Ana Lee.');
  await screenshot(hana, 'import-key-question');
  expect(await axe(hana), 'a preview with its key question').toEqual([]);

  // Accepted: the preview is made again with the answer, and Import is on.
  const accept = question.getByRole('checkbox', { name: "Accept Ana Lee's new key" });
  await accept.press('Space');
  await expect(accept).toBeChecked();
  await expect(accept).toBeFocused();
  await expect(preview).toContainText('Accepted by the user.');
  await expect(preview).toContainText('two scorecards by the same interviewer for one interview');
  await expect(importButton).toBeEnabled();
  await expect(preview.getByText(/^Import waits for your answer/)).toHaveCount(0);
  await importButton.click();
  const done = hana.getByRole('region', { name: /^Imported / });
  await expect(done).toContainText('2 conflicts were recorded');
  await expect(done.getByRole('button', { name: /^See the open conflicts/ })).toHaveText('See the open conflicts (1)');
  await done.getByRole('button', { name: /^See the open conflicts/ }).click();

  // The accepted key is settled already; the second scorecard for Ana's seat is hers to settle.
  const conflicts = hana.getByRole('region', { name: /^Open conflicts/ });
  await expect(conflicts.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(conflicts.getByRole('listitem')).toHaveCount(1);
  const fork = conflicts.getByRole('listitem').filter({ has: hana.getByRole('heading', { name: 'Two versions of one scorecard' }) });
  await expect(fork.getByRole('button')).toHaveText(['Dismiss — keep this version']);
  await expect(fork).toContainText('Only its author can settle this, by amending the scorecard on their machine');
  expect(await axe(hana), 'the import done, with the open conflicts').toEqual([]);
  await fork.getByRole('button', { name: 'Dismiss — keep this version' }).press('Enter');
  await expect(conflicts.getByRole('status')).toHaveText('Dismissed: this version of the scorecard is kept.');
  await expect(conflicts.getByRole('listitem')).toHaveCount(0);
  await expect(conflicts.getByRole('heading', { level: 2 })).toHaveText('Open conflicts');
  await expect(conflicts.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(conflicts).toContainText('None left: every conflict is settled.');

  // The one here is the one kept: the panel still shows Ana's first scorecard (3s, not 2s).
  await hana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }).click();
  await hana.getByRole('link', { name: 'Jane Doe' }).click();
  await hana.getByRole('link', { name: /^Panel for / }).first().click();
  await expect(hana.getByRole('table', { name: 'Panel scores' }).getByRole('row').nth(1).getByRole('cell').first()).toHaveText(/^3/);
});

test('a record changed on two machines is settled from the list: the other machine\'s version is taken', async ({ browser }) => {
  const hm = hiringManager();
  const kit = join(files, 'kit.panelist');
  cli(hm.dir, 'export-bundle', '--kind', 'panel-kit', '--candidate', hm.candidateId, '--out', kit);
  const anaDir = installation('Ana Lee', 'ana@example.com');
  cli(anaDir, 'import', kit);

  // Both edit Jane's note at the same revision: Ana on her machine, Hana on hers.
  const editNote = async (serve: ServeProcess, note: string) => {
    const jane = await rpc<{ name: string; email: string; revision: number }>(serve, 'candidates:get', { candidateId: hm.candidateId });
    await rpc(serve, 'candidates:update', { candidateId: hm.candidateId, revision: jane.revision, name: jane.name, email: jane.email, note });
  };
  const anaServe = await startServe(anaDir);
  started.push(anaServe);
  await editNote(anaServe, 'Prefers mornings (Ana)');
  const fromAna = join(files, 'ana-full.panelist');
  cli(anaDir, 'export-bundle', '--kind', 'full', '--out', fromAna);
  const { page: hana, serve } = await openServed(browser, hm.dir);
  await editNote(serve, 'Relocating in March (Hana)');

  await chooseBundle(hana, fromAna);
  const preview = hana.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(preview.getByRole('listitem').filter({ hasText: 'The candidate Jane Doe was changed on two machines' })).toBeVisible();
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  const done = hana.getByRole('region', { name: /^Imported / });
  await done.getByRole('button', { name: /^See the open conflicts/ }).click();

  const conflicts = hana.getByRole('region', { name: /^Open conflicts/ });
  const record = conflicts.getByRole('listitem').filter({ hasText: 'The candidate Jane Doe was changed on two machines' });
  await expect(record.getByRole('heading', { level: 3 })).toHaveText('Record changed on two machines');
  await expect(record.getByRole('group').getByRole('button')).toHaveText(['Keep this version', "Take the other machine's version"]);
  const others = await conflicts.getByRole('listitem').count();
  await screenshot(hana, 'conflicts-list');
  expect(await axe(hana), 'the open conflicts with their choices').toEqual([]);

  await record.getByRole('button', { name: "Take the other machine's version" }).press('Enter');
  await expect(conflicts.getByRole('status')).toHaveText("Took the other machine's version: it is the next revision here.");
  await expect(record).toHaveCount(0);
  await expect(conflicts.getByRole('listitem')).toHaveCount(others - 1);
  // The focus is not lost: it is on the next conflict, or on the heading when none is left.
  await expect(others > 1 ? conflicts.getByRole('listitem').first().getByRole('heading', { level: 3 }) : conflicts.getByRole('heading', { level: 2 })).toBeFocused();

  // The choice took effect: Jane's note here is Ana's.
  await hana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }).click();
  await hana.getByRole('link', { name: 'Jane Doe' }).click();
  await expect(hana.getByText('Prefers mornings (Ana)')).toBeVisible();
  await expect(hana.getByText('Relocating in March (Hana)')).toHaveCount(0);
});

test('checking a file shows how far the core got and can be cancelled; an import past cancelling says so and finishes', async ({ browser }) => {
  // A realistic file: a demo organisation's full bundle, a few hundred signed scorecards.
  const source = installation('Hana Manager', 'hana@example.com');
  cli(source, 'demo', '--candidates', '60', '--interviewers', '8');
  const bundle = join(files, 'demo.panelist');
  cli(source, 'export-bundle', '--kind', 'full', '--out', bundle);
  const anaDir = installation('Ana Lee', 'ana@example.com');
  const page = await open(browser, anaDir);

  // The core's answer is held back: the screen stays on the check, with what the core said of its progress.
  const preview = await holdAnswers(page, 'bundles:preview');
  await chooseBundle(page, bundle);
  await preview.answered;
  const progress = page.getByRole('progressbar');
  await expect(progress).toHaveAccessibleName(/^Checking signatures: ([\d,]+) of \1$/);
  const total = await progress.getAttribute('max');
  expect(Number(total)).toBeGreaterThan(100);
  await expect(progress).toHaveAttribute('value', total!);
  await expect(page.getByText(/^Checking signatures: [\d,]+ of [\d,]+$/)).toBeVisible();
  await expect(page.getByText('Checking demo.panelist…')).toBeVisible();
  await screenshot(page, 'import-progress');
  expect(await axe(page), 'a check under way').toEqual([]);

  // Cancel, from the keyboard (one Tab from the file): back to the chosen file, calmly, with a way to check it again.
  await page.getByLabel('Choose a .panelist file').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Cancelled' })).toHaveText('Cancelled: nothing was written.');
  const again = page.getByRole('button', { name: 'Check demo.panelist again' });
  await expect(again).toBeFocused();
  await expect(progress).toHaveCount(0);
  await expect(page.getByText(/^demo\.panelist \([\d.]+ KB\)$/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, 'import-cancelled');
  // The cancelled check's answer, let through late, is not waited for any more.
  await preview.release();
  await again.press('Enter');
  const shown = page.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(shown).toContainText(/Adds.*60 candidates/);
  await expect(page.getByText('Cancelled: nothing was written.')).toHaveCount(0);

  // Once the core has merged, Cancel is too late: said so, and the import finishes.
  const importing = await holdAnswers(page, 'bundles:import');
  await shown.getByRole('button', { name: 'Import', exact: true }).click();
  await importing.answered;
  const busy = shown.getByRole('button', { name: 'Importing…' });
  await expect(busy).toBeDisabled();
  await expect(busy).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(shown.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(shown.getByRole('status')).toHaveText('Too late to cancel: the import is being written and finishes in a moment.');
  await screenshot(page, 'import-too-late');
  await importing.release();
  await expect(page.getByRole('region', { name: /^Imported / })).toContainText(/Added .*60 candidates/);
  expect(JSON.parse(cli(anaDir, 'list', 'candidates', '--json'))).toHaveLength(60);
});

test('a full bundle with its key makes a new installation its maker, once the passphrase opens it', async ({ browser }) => {
  const hm = hiringManager();
  const full = join(files, 'hana-full.panelist');
  cliWith({ PANELIST_PASSPHRASE: 'correct horse battery' }, hm.dir, 'export-bundle', '--kind', 'full', '--with-key', '--out', full);
  const fingerprint = JSON.parse(cli(hm.dir, 'me', '--json')) as { keyFingerprint: string };

  const fresh = tempDataDir();
  folders.push(fresh);
  const page = await open(browser, fresh.dir);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Choose a .panelist file').setInputFiles(full);
  const preview = page.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(preview).toContainText("It carries Hana Manager's identity and key");
  const form = preview.getByRole('form', { name: 'Become Hana Manager here' });
  await form.getByLabel("The bundle's passphrase").fill('wrong horse battery');
  await form.getByRole('button', { name: 'Become Hana Manager here' }).click();
  await expect(preview.getByRole('alert')).toHaveText(/^Wrong passphrase/);
  await expect(form.getByLabel("The bundle's passphrase")).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel("The bundle's passphrase").fill('correct horse battery');
  await form.getByLabel("The bundle's passphrase").press('Enter');
  await expect(preview).toContainText('Importing it makes this installation Hana Manager');
  await expect(preview).toContainText(fingerprint.keyFingerprint);
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  const done = page.getByRole('region', { name: /^Imported / });
  await expect(done).toContainText('This installation is now Hana Manager');
  await expect(done).toContainText(/Added .*1 candidate/);
  expect(JSON.parse(cli(fresh.dir, 'me', '--json'))).toMatchObject({ name: 'Hana Manager', email: 'hana@example.com', keyFingerprint: fingerprint.keyFingerprint });
});

test('a file that is not a bundle, chosen or dropped on the window, is refused with one line and imports nothing', async ({ browser }) => {
  const dir = installation('Ana Lee', 'ana@example.com');
  const page = await open(browser, dir);
  await expect(page.getByText('0 candidates · 0 scorecards')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Choose a .panelist file').setInputFiles({ name: 'notes.panelist', mimeType: 'application/octet-stream', buffer: Buffer.from('just some notes\n') });
  const refusal = page.getByRole('alert');
  await expect(refusal).toHaveText('This is not a Panelist bundle (.panelist files are gzip-compressed JSON). Nothing was imported.');
  await expect(refusal).toHaveCount(1);
  await expect(page.getByLabel('Choose a .panelist file')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('region', { name: /^What importing/ })).toHaveCount(0);
  await expect(page.getByRole('region', { name: /^Open conflicts/ })).toContainText('None');

  // Dropped anywhere (here on Today): the import screen opens and says why, in one line.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await expect(page).toHaveURL(/#\/today$/);
  const truncated = gzipSync(Buffer.from(JSON.stringify({ format: 'panelist-bundle', schemaVersion: 1 }))).subarray(0, 12);
  // A DataTransfer with the file, made in the page (a string: the node config has no DOM types).
  const transfer = await page.evaluateHandle(
    `(() => { const data = new DataTransfer(); data.items.add(new File([new Uint8Array([${[...truncated].join(',')}])], 'cut-short.panelist')); return data; })()`,
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  await expect(page).toHaveURL(/#\/import$/);
  await expect(page.getByText('cut-short.panelist (12 bytes)')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('The bundle is truncated or corrupt (its gzip data cannot be read). Nothing was imported.');
  await expect(page.getByText('0 candidates · 0 scorecards')).toBeVisible();

  // The palette's action leads here too.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('import');
  await expect(page.getByRole('option').first()).toContainText('Import a bundle');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/import$/);
  expect(JSON.parse(cli(dir, 'list', 'candidates', '--json'))).toEqual([]);
});
