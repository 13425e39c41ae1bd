import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * Panels across machines, through the screens: separate installations (each its own data folder
 * and `panelist serve`), files carried between them the way people carry them (a download here,
 * a file chosen or dropped there). The hiring manager sends a panel kit, the interviewer imports
 * it, scores with the keyboard, submits and sends the scorecard back, and the hiring manager sees
 * it on the panel. A changed key is refused until accepted; a bad file is one line, nothing written.
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
function hiringManager(): { dir: string; candidateId: string } {
  const dir = installation('Hana Manager', 'hana@example.com');
  cli(dir, 'add', 'interviewer', '--name', 'Ana Lee', '--email', 'ana@example.com');
  const [role] = JSON.parse(cli(dir, 'list', 'roles', '--json')) as { id: string }[];
  const candidateId = cli(dir, 'add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', role!.id);
  const at = new Date(Date.now() - 30 * 60_000).toISOString();
  cli(dir, 'schedule', candidateId, '--stage', '1', '--at', at, '--panel', 'ana@example.com');
  return { dir, candidateId };
}

/** A browser tab on a new `panelist serve` for the data folder (each in its own context, like another machine). */
async function open(browser: Browser, dir: string): Promise<Page> {
  const serve = await startServe(dir);
  started.push(serve);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(serve.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  return page;
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
  const ana = await open(browser, anaDir);

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
  await expect(preview.getByRole('listitem').filter({ hasText: /^You are on the Architecture panel for Jane Doe, / })).toBeVisible();
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

test('a scorecard signed with a key other than the one pinned is refused until accepted, and the fork is listed under conflicts', async ({ browser }) => {
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
  const refusal = hana.getByRole('alert');
  await expect(refusal).toHaveText(/^Ana Lee's key in this bundle \(.+\) is not the one pinned here \(.+\)\..* Nothing was imported\.$/);
  await expect(hana.getByRole('region', { name: /^What importing/ })).toHaveCount(0);

  expect(await axe(hana), 'a refusal with its key question').toEqual([]);
  await hana.getByRole('checkbox', { name: "Accept Ana Lee's new key" }).check();
  const preview = hana.getByRole('region', { name: /^What importing .* will do$/ });
  await expect(preview).toContainText('Accepted by the user.');
  await expect(preview).toContainText('two scorecards by the same interviewer for one interview');
  await preview.getByRole('button', { name: 'Import', exact: true }).click();
  const done = hana.getByRole('region', { name: /^Imported / });
  await expect(done).toContainText('2 conflicts were recorded');
  await done.getByRole('button', { name: /^See the open conflicts/ }).click();
  const conflicts = hana.getByRole('region', { name: /^Open conflicts/ });
  await expect(conflicts.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(conflicts.getByRole('listitem')).toHaveCount(2);
  await expect(conflicts).toContainText('Signing key');
  await expect(conflicts).toContainText('Two versions of one scorecard');
  expect(await axe(hana), 'the import done, with the open conflicts').toEqual([]);
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
