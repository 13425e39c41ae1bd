import { createServer } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * Settings → Team hub and the status line, against a hub that is not there: a bad address is
 * refused next to its field; an address where nothing listens leaves the app working offline,
 * saying so in the status line (on every page) and in Settings, with the changes waiting and the
 * last error; the waiting count follows a scorecard submitted meanwhile; Disconnect (confirmed)
 * takes the status line away. A synced hub needs PostgreSQL: that is another spec's business.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

/** A loopback port where nothing listens: opened, noted, closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function cli(...args: string[]): string {
  const result = runCli([...args, '--data-dir', data.dir]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

const TOKEN = 'pnl_0123456789abcdefghijklmnopqrstuv';
const statusLine = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Team hub: / });
const criterion = (page: Page, n: number) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').nth(n);

test('a team hub that cannot be reached: refused address, offline with changes waiting, the count follows a submit, disconnect', async ({ page }) => {
  data = tempDataDir();
  // Me, and an interview of mine from yesterday that waits for my scorecard (real work, not demo data: demo never syncs).
  cli('me', '--name', 'Ada Lovelace', '--email', 'ada@example.com');
  const [role] = JSON.parse(cli('list', 'roles', '--json')) as { id: string }[];
  const candidate = cli('add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', role!.id);
  cli('schedule', candidate, '--stage', '1', '--at', new Date(Date.now() - 86_400_000).toISOString(), '--panel', 'ada@example.com');
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // No hub: no status line.
  await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toBeVisible();
  await expect(statusLine(page)).toHaveCount(0);

  await nav.getByRole('link', { name: 'Settings' }).click();
  const hub = page.getByRole('region', { name: 'Team hub' });
  await expect(hub).toContainText('works offline exactly as before');
  await expect(hub).toContainText('panelist hub add-user');
  const address = hub.getByLabel('Hub address');
  const token = hub.getByLabel('Your token');
  await expect(token).toHaveAttribute('type', 'password');

  // A bad address: refused by the core, said next to the field, the focus back on it.
  await address.fill('hub.example.com:8443');
  await token.fill(TOKEN);
  await hub.getByRole('button', { name: 'Connect' }).click();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await expect(address).toHaveAccessibleDescription(/^Give the hub address as http\(s\):\/\/host:port\./);
  await expect(address).toBeFocused();
  await expect(token).not.toHaveAttribute('aria-invalid', 'true');
  await expect(statusLine(page)).toHaveCount(0);

  // An address where nothing listens: connected, offline, changes waiting, and why.
  const dead = `http://127.0.0.1:${await deadPort()}`;
  await address.fill(dead);
  await page.keyboard.press('Enter');
  await expect(hub.getByRole('status')).toHaveText(`Connected to ${dead}: the first sync has started.`);
  await expect(page.getByRole('heading', { name: 'Team hub' })).toBeFocused();
  await expect(statusLine(page)).toHaveText(/^Team hub: Offline, \d+ changes? waiting$/);
  const before = Number(/(\d+) changes? waiting/.exec((await statusLine(page).textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThanOrEqual(1);
  // Said once, politely, where the connection settled.
  const announced = page.locator('[aria-live="polite"]').filter({ hasText: /^Team hub: / });
  await expect(announced).toHaveText(`Team hub: Offline, ${before} change${before === 1 ? '' : 's'} waiting`);
  const facts = hub.getByRole('group', { name: 'Connection' });
  await expect(facts).toContainText(dead);
  await expect(facts).toContainText('Offline: the hub cannot be reached');
  await expect(facts).toContainText(`${before} change${before === 1 ? '' : 's'} waiting`);
  await expect(facts).toContainText(`The hub at ${dead} cannot be reached`);
  await expect(facts).toContainText('Not known yet');
  // The token is never shown back.
  await expect(page.locator('body')).not.toContainText(TOKEN);
  await expect(hub.getByLabel('Your token')).toHaveCount(0);

  // The status line is on every page; a scorecard submitted meanwhile waits for the hub too.
  await nav.getByRole('link', { name: 'Today' }).click();
  await expect(statusLine(page)).toHaveText(`Team hub: Offline, ${before} change${before === 1 ? '' : 's'} waiting`);
  await page.getByRole('link', { name: /^Score Jane Doe/ }).first().click();
  await expect(criterion(page, 0)).toBeFocused();
  for (const key of ['3', 'j', '2', 'j', '4', 'j', '3', 'j', 'n', 'r', '3']) await page.keyboard.press(key);
  await expect(page.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);
  await page.keyboard.press('Control+Enter');
  await page.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).press('Enter');
  await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();
  await expect(statusLine(page)).toHaveText(`Team hub: Offline, ${before + 1} changes waiting`);
  // A count that follows the user's own edits is not worth interrupting anyone for.
  await expect(announced).toHaveText(`Team hub: Offline, ${before} change${before === 1 ? '' : 's'} waiting`);

  // The status line leads to Settings → Team hub, where the count has followed too.
  await statusLine(page).click();
  await expect(page.getByRole('heading', { name: 'Team hub' })).toBeFocused();
  await expect(facts).toContainText(`${before + 1} changes waiting`);

  // Sync now: tried again, offline again (the hub is still not there).
  await hub.getByRole('button', { name: 'Sync now' }).click();
  await expect(hub.getByRole('status')).toHaveText('Sync started.');
  await expect(statusLine(page)).toHaveText(`Team hub: Offline, ${before + 1} changes waiting`);

  // Changing the address or token opens the form on the token (the address filled in); Cancel goes back.
  await hub.getByRole('button', { name: 'Change address or token' }).click();
  await expect(hub.getByLabel('Your token')).toBeFocused();
  await expect(hub.getByLabel('Your token')).toHaveValue('');
  await expect(hub.getByLabel('Hub address')).toHaveValue(dead);
  await hub.getByRole('button', { name: 'Cancel' }).click();
  await expect(hub.getByRole('button', { name: 'Change address or token' })).toBeFocused();

  // Disconnect asks first, says the work stays here; keeping the connection changes nothing.
  await hub.getByRole('button', { name: 'Disconnect…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disconnect from the team hub?' });
  await expect(dialog).toContainText('Your work stays on this computer');
  await expect(dialog.getByRole('button', { name: 'Stay connected' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(hub.getByRole('button', { name: 'Disconnect…' })).toBeFocused();
  await expect(statusLine(page)).toBeVisible();

  await hub.getByRole('button', { name: 'Disconnect…' }).click();
  await dialog.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(statusLine(page)).toHaveCount(0);
  await expect(hub.getByRole('status')).toContainText('Disconnected from the team hub');
  await expect(hub.getByLabel('Hub address')).toHaveValue('');
  await expect(hub.getByRole('group', { name: 'Connection' })).toHaveCount(0);

  // And after a reload, still no hub, and the scorecard is still here.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Team hub' }).getByLabel('Hub address')).toBeVisible();
  await expect(statusLine(page)).toHaveCount(0);
});
