import { expect, test } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

test('a new installation explains what to do and loads the demo data on request', async ({ page }) => {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.url);

  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);
  await page.getByRole('button', { name: 'Load demo data' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Loaded' })).toContainText('Loaded 200 demo candidates');
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Candidates' }).click();
  await expect(page.getByText(/Showing 1–50 of 200 candidates/)).toBeVisible();

  // Removing asks first, says how much will go, and keeps everything when the answer is no.
  await page.getByRole('button', { name: 'Remove demo data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the demo data?' });
  await expect(dialog).toContainText(/1 role, 200 candidates, 24 interviewers, and [\d,]+ scorecards/);
  await expect(dialog.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Remove demo data' })).toBeFocused();
  await expect(page.getByText(/Showing 1–50 of 200 candidates/)).toBeVisible();

  await page.getByRole('button', { name: 'Remove demo data' }).click();
  await dialog.getByRole('button', { name: 'Remove demo data' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeFocused();
  await expect(page.getByRole('status')).toHaveText(/^Removed the demo data: 1 role, 200 candidates, 24 interviewers, and [\d,]+ scorecards\.$/);
  await expect(page).toHaveTitle('Welcome — Panelist');
});

test('the window title names the screen, and the app has its icon', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '12', '--interviewers', '4', '--seed', '2', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await expect(page).toHaveTitle('Today — Panelist');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const view of ['Candidates', 'Interviewers', 'Roles', 'Calibration', 'Rubrics']) {
    await nav.getByRole('link', { name: view }).click();
    await expect(page).toHaveTitle(`${view} — Panelist`);
  }
  await nav.getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: 'Software Engineer – Developer Tooling' }).click();
  await expect(page).toHaveTitle('Software Engineer – Developer Tooling — Panelist');

  // The favicon is linked from the page and served by serve mode, as SVG and as a 32 px PNG.
  const icons = await page.locator('link[rel="icon"]').all();
  expect(icons).toHaveLength(2);
  for (const link of icons) {
    const href = new URL((await link.getAttribute('href')) ?? '', page.url()).href;
    const response = await page.request.get(href);
    expect(response.status(), href).toBe(200);
    expect(response.headers()['content-type'], href).toMatch(/^image\/(svg\+xml|png)$/);
  }
});

test('seeded data shows in every view, and candidates can be searched and paged', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '120', '--interviewers', '12', '--seed', '3', '--data-dir', data.dir]).code).toBe(0);
  const listed = runCli(['list', 'candidates', '--json', '--data-dir', data.dir]);
  const candidates = JSON.parse(listed.stdout) as { name: string; email: string }[];
  const someone = candidates[37];
  if (!someone) throw new Error('the demo has fewer candidates than expected');
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await page.getByRole('link', { name: 'Candidates' }).click();

  const table = page.getByRole('table', { name: 'Candidates' });
  await expect(page.getByText('Showing 1–50 of 120 candidates')).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(51);

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Showing 51–100 of 120 candidates')).toBeVisible();

  await page.getByLabel('Search candidates').fill(someone.email);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('rowheader')).toContainText(someone.name);

  await page.getByLabel('Search candidates').fill('nobody-by-this-name');
  await expect(page.getByText('No candidate matches “nobody-by-this-name”.')).toBeVisible();

  await page.getByRole('link', { name: 'Interviewers' }).click();
  const interviewers = page.getByRole('table', { name: 'Interviewers' });
  await expect(interviewers.getByRole('row')).toHaveCount(1 + 12 + 1);
  await expect(interviewers.getByText('you', { exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Roles' }).click();
  await expect(page.getByRole('heading', { name: /Software Engineer – Distribution/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Software Engineer – Developer Tooling/ })).toBeVisible();
});

test('names from imported data are shown as text, never as markup', async ({ page }) => {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await page.getByRole('link', { name: 'Candidates' }).click();
  await expect(page.getByText(/Showing 1–50/)).toBeVisible();
  await page.getByLabel('Search candidates').fill('<img src=x onerror=alert(1)>');
  await expect(page.getByText('No candidate matches “<img src=x onerror=alert(1)>”.')).toBeVisible();
  await expect(page.locator('img')).toHaveCount(0);
});

test('without the session token the app says how to get in', async ({ page }) => {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.origin + '/');
  await expect(page.getByRole('alert')).toContainText('open the address that `panelist serve` printed');
});
