import { expect, test, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { startHubProcess, startTestHub, type HubProcess, type TestHub } from '../support/hub';
import { postgresMissing } from '../support/postgres';

/**
 * A panel across two machines through a real team hub (PostgreSQL, `panelist hub`), driven through
 * the screens: the hiring manager and the interviewer each connect under Settings → Team hub with
 * the token the admin gave them; the interview reaches the interviewer's Today, her submitted
 * scorecard reaches the hiring manager's candidate page, and both status lines say "Synced".
 */

test.skip(!!postgresMissing, String(postgresMissing));

let hub: TestHub;
let server: HubProcess;
const folders: ReturnType<typeof tempDataDir>[] = [];
const serves: ServeProcess[] = [];

test.afterEach(async () => {
  await Promise.all(serves.map((s) => s.stop()));
  await server?.stop();
  await hub?.stop();
  folders.forEach((f) => f.remove());
});

function cli(dir: string, ...args: string[]): string {
  const result = runCli([...args, '--data-dir', dir]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** A desktop installation for a person: its data folder, and the token the hub's admin made for its key. */
async function desktop(name: string, email: string, role: 'interviewer' | 'hiring-manager') {
  const folder = tempDataDir();
  folders.push(folder);
  const me = JSON.parse(cli(folder.dir, 'me', '--name', name, '--email', email, '--json')) as { publicKey: string };
  const added = runCli(['hub', 'add-user', email, '--role', role, '--public-key', me.publicKey, '--database', hub.ownerUrl, '--json']);
  expect(added.code, added.stderr).toBe(0);
  return { dir: folder.dir, token: (JSON.parse(added.stdout) as { token: string }).token };
}

const statusLine = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Team hub: / });

async function connect(page: Page, token: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Team hub' });
  await section.getByLabel('Hub address').fill(server.url);
  await section.getByLabel('Your token').fill(token);
  await section.getByRole('button', { name: 'Connect' }).click();
  await expect(statusLine(page)).toHaveText(/^Team hub: Synced/, { timeout: 20_000 });
}

test('a panel through the team hub: the interview reaches the interviewer, her scorecard reaches the hiring manager', async ({ browser }) => {
  test.setTimeout(120_000);
  hub = await startTestHub('e2e');
  server = await startHubProcess(hub.ownerUrl);
  const hana = await desktop('Hana Manager', 'hana@example.com', 'hiring-manager');
  const ana = await desktop('Ana Lee', 'ana@example.com', 'interviewer');
  // Hana's real work: Ana on the Architecture panel of Jane Doe's loop, yesterday.
  cli(hana.dir, 'add', 'interviewer', '--name', 'Ana Lee', '--email', 'ana@example.com');
  const [role] = JSON.parse(cli(hana.dir, 'list', 'roles', '--json')) as { id: string }[];
  const jane = cli(hana.dir, 'add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', role!.id);
  cli(hana.dir, 'schedule', jane, '--stage', '1', '--at', new Date(Date.now() - 86_400_000).toISOString(), '--panel', 'ana@example.com');

  serves.push(await startServe(hana.dir), await startServe(ana.dir));
  const [hanaServe, anaServe] = serves;
  const hanaPage = await (await browser.newContext()).newPage();
  const anaPage = await (await browser.newContext()).newPage();
  await hanaPage.goto(hanaServe!.url);
  await anaPage.goto(anaServe!.url);

  await connect(hanaPage, hana.token);
  const facts = hanaPage.getByRole('region', { name: 'Team hub' }).getByRole('group', { name: 'Connection' });
  await expect(facts).toContainText('hana@example.com');
  await expect(facts).toContainText('Nothing waiting');
  await hanaPage.screenshot({ path: 'test-results/team-hub-synced-settings.png', fullPage: true });

  // Ana connects; her interview arrives on Today.
  await connect(anaPage, ana.token);
  await anaPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await anaPage.getByRole('link', { name: /^Score Jane Doe/ }).first().click();
  const criteria = anaPage.getByRole('list', { name: 'Criteria' }).locator(':scope > li');
  await expect(criteria.nth(0)).toBeFocused();
  for (const key of ['3', 'j', '4', 'j', '3', 'j', '2', 'j', 'n', 'r', '3']) await anaPage.keyboard.press(key);
  await expect(anaPage.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);
  await anaPage.keyboard.press('Control+Enter');
  await anaPage.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).press('Enter');
  await expect(anaPage.getByText(/^Submitted .* It is read-only/)).toBeVisible();
  // The change goes to the hub in the background (a couple of seconds after it), and the status line says so.
  await expect.poll(async () => Number((await hub.owner.query('SELECT count(*) FROM hub.scorecards')).rows[0].count), { timeout: 20_000 }).toBe(1);
  await expect(statusLine(anaPage)).toHaveText(/^Team hub: Synced [^,]*$/);

  // Hana syncs now: Ana's submitted scorecard is on Jane's page.
  await hanaPage.getByRole('region', { name: 'Team hub' }).getByRole('button', { name: 'Sync now' }).click();
  await expect(statusLine(hanaPage)).toHaveText(/^Team hub: Synced/);
  await hanaPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' }).click();
  await hanaPage.getByRole('link', { name: 'Jane Doe' }).first().click();
  const scores = hanaPage.getByRole('region', { name: 'Scores' });
  await expect(scores).not.toContainText('No submitted scorecard yet');
  await expect(scores).toContainText('Raw mean');
  await expect(hanaPage.getByRole('banner')).toContainText('1 scorecard');
  await hanaPage.screenshot({ path: 'test-results/team-hub-synced-candidate.png', fullPage: true });
});
