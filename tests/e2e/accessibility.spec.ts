import { createServer } from 'node:net';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { demoDebriefs } from '../support/debrief';

/**
 * Every main view passes axe-core's WCAG 2.2 A and AA rules, in the light and the dark theme.
 * Each test walks its views, collects what axe finds on each, and fails once at the end with all
 * of it, so that one run shows every violation, by view, readably.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

/** A loopback port where nothing listens (a team hub that cannot be reached). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

class Audit {
  readonly problems: string[] = [];
  constructor(
    private readonly page: Page,
    private readonly scheme: string,
  ) {}

  /** Runs axe on the page as it is now and keeps what it found, under the view's name. */
  async check(view: string): Promise<void> {
    expect(await this.page.evaluate<boolean>("matchMedia('(prefers-color-scheme: dark)').matches"), 'the theme under test').toBe(this.scheme === 'dark');
    const results = await new AxeBuilder({ page: this.page }).withTags(WCAG_22_AA).analyze();
    for (const v of results.violations) {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n\s*/g, ' ') ?? ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      this.problems.push(`[${view}, ${this.scheme}] ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`);
    }
  }

  expectNone(): void {
    expect(this.problems.length, `axe found violations:\n\n${this.problems.join('\n\n')}\n`).toBe(0);
  }
}

for (const scheme of ['light', 'dark'] as const) {
  test(`a new installation's welcome screen passes axe (${scheme})`, async ({ page }) => {
    data = tempDataDir();
    serve = await startServe(data.dir);
    await page.emulateMedia({ colorScheme: scheme });
    const audit = new Audit(page, scheme);
    await page.goto(serve.url);
    await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
    await expect(page).toHaveTitle('Welcome — Panelist');
    await audit.check('welcome');

    await page.getByRole('link', { name: 'Roles' }).click();
    await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
    await audit.check('roles, example only');
    audit.expectNone();
  });

  test(`every main view passes axe with the demo loaded (${scheme})`, async ({ page }) => {
    // Twenty screens, each audited by axe: on a loaded two-core machine this takes over a minute.
    test.setTimeout(180_000);
    data = tempDataDir();
    expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
    serve = await startServe(data.dir);
    await page.emulateMedia({ colorScheme: scheme });
    const audit = new Audit(page, scheme);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await page.goto(serve.url);

    await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toBeVisible();
    await expect(page).toHaveTitle('Today — Panelist');
    await audit.check('today');

    // The panel of an interview I have not scored yet: hidden, and the screen says why.
    const waiting = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: /^Score / }) }).first();
    await waiting.getByRole('link', { name: /^Panel for / }).click();
    await expect(page.getByRole('heading', { name: 'The panel is hidden for now' })).toBeVisible();
    await expect(page).toHaveTitle('Panel hidden — Panelist');
    await audit.check('panel, hidden');

    // The scorecard screen (its title is the scorecard's own business).
    await page.getByRole('link', { name: 'Go to your scorecard' }).click();
    await expect(page.getByRole('list', { name: 'Criteria' })).toBeVisible();
    await audit.check('scorecard');

    await nav.getByRole('link', { name: 'Candidates' }).click();
    await expect(page.getByText(/Showing 1–40 of 40 candidates/)).toBeVisible();
    await expect(page).toHaveTitle('Candidates — Panelist');
    await audit.check('candidates');

    await page.getByRole('button', { name: 'Remove demo data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove the demo data?' });
    await expect(dialog).toBeVisible();
    await audit.check('remove demo data dialog');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(dialog).toBeHidden();

    const someone = page.getByRole('table', { name: 'Candidates' }).getByRole('rowheader').first().getByRole('link');
    const name = (await someone.textContent())?.trim() ?? '';
    await someone.click();
    await expect(page.getByRole('heading', { name: 'Interview loop' })).toBeVisible();
    await expect(page).toHaveTitle(`${name} — Panelist`);
    await audit.check('candidate');

    await nav.getByRole('link', { name: 'Interviewers' }).click();
    await expect(page.getByRole('table', { name: 'Interviewers' }).getByText('you', { exact: true })).toBeVisible();
    await expect(page).toHaveTitle('Interviewers — Panelist');
    await audit.check('interviewers');

    await nav.getByRole('link', { name: 'Roles' }).click();
    await expect(page.getByRole('heading', { name: 'New role' })).toBeVisible();
    await expect(page).toHaveTitle('Roles — Panelist');
    await audit.check('roles');

    await page.getByRole('link', { name: 'Software Engineer – Distribution' }).click();
    await expect(page.getByRole('list', { name: 'Loop stages' })).toBeVisible();
    await expect(page).toHaveTitle('Software Engineer – Distribution — Panelist');
    await audit.check('role');

    await nav.getByRole('link', { name: 'Rubrics' }).click();
    await expect(page.getByRole('heading', { name: 'New rubric' })).toBeVisible();
    await expect(page).toHaveTitle('Rubrics — Panelist');
    await audit.check('rubrics');

    // A draft in the editor: the next version of the first rubric.
    await page.getByRole('button', { name: 'Start version 2' }).first().click();
    await expect(page.getByRole('heading', { name: /· version 2$/ })).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('● saved');
    await expect(page).toHaveTitle(/^.+ · version 2 — Panelist$/);
    await audit.check('rubric editor, draft');

    await page.getByRole('link', { name: 'All rubrics' }).click();
    await page.getByRole('link', { name: 'Compare side by side' }).first().click();
    await expect(page.getByRole('table', { name: 'Versions side by side' })).toBeVisible();
    await expect(page).toHaveTitle(/^.+: version 1 and version 2 — Panelist$/);
    await audit.check('rubric comparison');

    await page.getByRole('link', { name: 'All rubrics' }).click();
    await page.getByRole('link', { name: 'Version 1' }).first().click();
    await expect(page.getByRole('heading', { name: /· version 1$/ })).toBeVisible();
    await audit.check('rubric editor, published');

    await nav.getByRole('link', { name: 'Calibration' }).click();
    const leniency = page.getByRole('region', { name: 'Who scores higher or lower than the panel?' });
    await expect(leniency.locator('canvas')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Is one session harsher than another on the same candidates?' }).locator('canvas')).toBeVisible();
    await expect(page).toHaveTitle('Calibration — Panelist');
    await audit.check('calibration, charts');
    await leniency.getByRole('button', { name: 'Show table' }).click();
    await page.getByRole('button', { name: 'Choose two groups' }).click();
    await expect(page.getByLabel('Group A')).toBeVisible();
    await audit.check('calibration, tables and group pickers');

    // A panel I may see: one of the disagreements the calibration links to.
    const hotspots = page.getByRole('table', { name: 'Disagreement hotspots' });
    await hotspots.getByRole('rowheader').first().getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/^Panel · |The panel is hidden for now/);
    await expect(page).toHaveTitle(/^(Panel · .+ · .+|Panel hidden) — Panelist$/);
    await audit.check('panel');

    // The debrief of a candidate whose panel I may read: the whole page, then its forms with their errors.
    const { readable, hidden } = await demoDebriefs(serve);
    await page.evaluate(`window.location.hash = '#/candidates/${readable.candidate.id}'`);
    await page.getByRole('link', { name: 'Debrief', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Where the panel disagrees' })).toBeVisible();
    await expect(page).toHaveTitle(`Debrief · ${readable.candidate.name} — Panelist`);
    await audit.check('debrief');
    const vote = readable.votes[0]!;
    const voteRow = page.getByRole('table', { name: 'Votes by panelist' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: vote.interviewer.name, exact: true }) });
    await voteRow.getByRole('button').click();
    const voteForm = page.getByRole('form', { name: `Round 2 vote for ${vote.interviewer.name}` });
    await voteForm.getByRole('radio', { name: vote.round1 === 'no' ? 'Yes' : 'No', exact: true }).check();
    await voteForm.getByRole('button', { name: /^(Record their vote|Save my vote)$/ }).click();
    await expect(voteForm.getByLabel(/^Why the vote changes/)).toHaveAttribute('aria-invalid', 'true');
    const decision = page.getByRole('region', { name: 'Decision', exact: true });
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await expect(decision.getByLabel(/^Rationale/)).toHaveAttribute('aria-invalid', 'true');
    await audit.check('debrief, a re-vote and a decision with errors');
    await decision.getByRole('radio', { name: 'Hold', exact: true }).check();
    await decision.getByLabel(/^Rationale/).fill('Waiting for the reference check.');
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await decision.getByRole('button', { name: 'Change the decision' }).click();
    await expect(decision.getByRole('region', { name: 'History (1)' })).toBeVisible();
    await audit.check('debrief, decided, changing it');

    await page.evaluate(`window.location.hash = '#/candidates/${hidden.id}/debrief'`);
    await expect(page.getByRole('heading', { name: 'The debrief is hidden for now' })).toBeVisible();
    await audit.check('debrief, hidden');

    audit.expectNone();
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the first run, Settings, interviewers with an import preview, and the palette pass axe (${scheme})`, async ({ page }) => {
    data = tempDataDir();
    serve = await startServe(data.dir);
    await page.emulateMedia({ colorScheme: scheme });
    const audit = new Audit(page, scheme);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await page.goto(serve.url);

    // The first-run welcome, with an error next to a field.
    await expect(page.getByLabel('Your name')).toBeFocused();
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Your email').fill('not an email');
    await page.getByRole('button', { name: 'Start with the example role' }).click();
    await expect(page.getByLabel('Your email')).toHaveAttribute('aria-invalid', 'true');
    await audit.check('welcome, first run with an error');
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await expect(page.getByRole('link', { name: 'Add a candidate' })).toBeVisible();
    await audit.check('welcome, after the first run');

    await nav.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByText(/^None:/)).toBeVisible();
    await expect(page).toHaveTitle('Settings — Panelist');
    await audit.check('settings');

    // Settings → Team hub: an address refused next to its field, then a hub where nothing listens
    // (offline, with changes waiting, the last error, and the status line in the top bar).
    const hub = page.getByRole('region', { name: 'Team hub' });
    await hub.getByLabel('Hub address').fill('hub.example.com');
    await hub.getByLabel('Your token').fill('pnl_0123456789abcdefghijklmnopqrstuv');
    await hub.getByRole('button', { name: 'Connect' }).click();
    await expect(hub.getByLabel('Hub address')).toHaveAttribute('aria-invalid', 'true');
    await audit.check('settings, team hub address with an error');
    await hub.getByLabel('Hub address').fill(`http://127.0.0.1:${await deadPort()}`);
    await hub.getByRole('button', { name: 'Connect' }).click();
    const hubLine = page.getByRole('banner').getByRole('link', { name: /^Team hub: Offline/ });
    await expect(hubLine).toBeVisible();
    await expect(hub.getByRole('group', { name: 'Connection' })).toContainText('cannot be reached');
    await audit.check('settings, team hub offline');
    await hub.getByRole('button', { name: 'Disconnect…' }).click();
    const disconnect = page.getByRole('dialog', { name: 'Disconnect from the team hub?' });
    await expect(disconnect).toBeVisible();
    await audit.check('disconnect from the team hub dialog');
    await disconnect.getByRole('button', { name: 'Stay connected' }).click();
    await expect(disconnect).toBeHidden();

    await nav.getByRole('link', { name: 'Interviewers' }).click();
    await page.getByRole('button', { name: 'Add interviewer' }).click();
    const form = page.getByRole('form', { name: 'Add interviewer' });
    await form.getByLabel('Name').fill('Ana Lopez');
    await form.getByLabel('Email').fill('ana@');
    await form.getByLabel('Email').press('Enter');
    await expect(form.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
    await audit.check('interviewers, add form with an error');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Import from CSV' }).click();
    const region = page.getByRole('region', { name: 'Import interviewers', exact: true });
    await region.getByLabel('Or paste the CSV text').fill('name,email\nAna Lopez,ana@example.com\nBen,ben@\nCy Park,cy@example.com\n');
    await region.getByRole('button', { name: 'Preview' }).click();
    await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 2 interviewers to add, 1 line with errors.');
    await audit.check('interviewers, import preview with an error');
    await region.getByRole('checkbox', { name: 'Drop line 3' }).check();
    await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 2 interviewers to add, 1 line dropped.');
    await audit.check('interviewers, import preview with a dropped line');

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await expect(palette.getByRole('combobox')).toBeFocused();
    await page.keyboard.type('s');
    await expect(palette.getByRole('option', { name: /^Settings/ })).toBeVisible();
    await audit.check('command palette');
    audit.expectNone();
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the import screen passes axe: a panel kit's preview, the import done, and a refusal (${scheme})`, async ({ page }) => {
    // The hiring manager's installation writes a panel kit with the CLI; the interviewer's imports it in the app.
    const manager = tempDataDir();
    try {
      const cli = (dir: string, ...args: string[]) => {
        const result = runCli([...args, '--data-dir', dir]);
        expect(result.code, result.stderr).toBe(0);
        return result.stdout.trim();
      };
      cli(manager.dir, 'me', '--name', 'Hana Manager', '--email', 'hana@example.com');
      cli(manager.dir, 'add', 'interviewer', '--name', 'Ana Lee', '--email', 'ana@example.com');
      const [role] = JSON.parse(cli(manager.dir, 'list', 'roles', '--json')) as { id: string }[];
      const candidate = cli(manager.dir, 'add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', role!.id);
      cli(manager.dir, 'schedule', candidate, '--stage', '1', '--at', new Date(Date.now() + 86_400_000).toISOString(), '--panel', 'ana@example.com');
      const kit = join(manager.dir, 'kit.panelist');
      cli(manager.dir, 'export-bundle', '--kind', 'panel-kit', '--candidate', candidate, '--out', kit);

      data = tempDataDir();
      cli(data.dir, 'me', '--name', 'Ana Lee', '--email', 'ana@example.com');
      serve = await startServe(data.dir);
      await page.emulateMedia({ colorScheme: scheme });
      const audit = new Audit(page, scheme);
      await page.goto(serve.url);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
      await expect(page.getByRole('heading', { name: 'Import a bundle', level: 1 })).toBeVisible();
      await expect(page).toHaveTitle('Import — Panelist');
      await audit.check('import, empty');

      await page.getByLabel('Choose a .panelist file').setInputFiles(kit);
      await expect(page.getByText(/^You are on the Architecture panel for Jane Doe/)).toBeVisible();
      await audit.check('import, a panel kit in preview');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await expect(page.getByRole('heading', { name: /^Imported / })).toBeVisible();
      await audit.check('import, done');

      await page.getByRole('button', { name: 'Import another file' }).click();
      await page.getByLabel('Choose a .panelist file').setInputFiles({ name: 'notes.panelist', mimeType: 'text/plain', buffer: Buffer.from('not a bundle') });
      await expect(page.getByRole('alert')).toContainText('This is not a Panelist bundle');
      await audit.check('import, a refusal');
      audit.expectNone();
    } finally {
      manager.remove();
    }
  });
}
