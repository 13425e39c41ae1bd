import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

test('a role\'s decision packets are written into a new folder in Downloads, with progress, and the page says where and who was skipped', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '24', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
  // The serve process's home is a scratch folder with a Downloads folder in it.
  const home = join(data.dir, 'home');
  mkdirSync(join(home, 'Downloads'), { recursive: true });
  serve = await startServe(data.dir, { HOME: home });
  await page.goto(serve.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: /Software Engineer/ }).first().click();

  const section = page.getByRole('region', { name: 'Decision packets' });
  await section.getByLabel('Format').selectOption('md');
  await section.getByRole('button', { name: 'Write a packet for every candidate' }).click();
  const status = section.getByRole('status').filter({ hasText: /written to/ });
  await expect(status).toBeVisible();
  const folder = (await status.locator('code').textContent())!;
  expect(folder.startsWith(join(home, 'Downloads', 'Panelist packets '))).toBe(true);
  const written = Number(/^(\d+) packets? written/.exec((await status.textContent())!.trim())?.[1]);
  expect(written).toBeGreaterThan(0);
  expect(existsSync(folder)).toBe(true);
  const files = readdirSync(folder);
  expect(files).toHaveLength(written);
  expect(files.every((f) => f.startsWith('decision-packet-') && f.endsWith('.md'))).toBe(true);
  // Each is a whole, verifiable packet.
  const first = join(folder, files[0]!);
  expect(readFileSync(first, 'utf8')).toMatch(/^# Decision packet: /);
  expect(runCli(['verify-packet', first, '--data-dir', data.dir]).code).toBe(0);
  // Candidates on whose panel I still hold an unsubmitted seat are named, not written.
  await expect(section.getByText(/^Skipped \d+ candidates?:$/)).toBeVisible();
  await expect(section.getByRole('button', { name: 'Write a packet for every candidate' })).toBeFocused();
  if (process.env.PANELIST_SCREENSHOTS) await page.screenshot({ path: join(process.env.PANELIST_SCREENSHOTS, 'role-packets.png'), fullPage: true });
});
