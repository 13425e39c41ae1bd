import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

test('a hiring manager reads the calibration: charts with tables, filters, CSV export, and a candidate adjusted', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '300', '--interviewers', '24', '--seed', '5', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await page.getByRole('link', { name: 'Calibration' }).click();

  const leniency = page.getByRole('region', { name: 'Who scores higher or lower than the panel?' });
  await expect(leniency.locator('canvas')).toBeVisible();
  await leniency.getByRole('button', { name: 'Show table' }).click();
  const table = leniency.getByRole('table', { name: 'Interviewer leniency' });
  await expect(table.getByRole('row')).toHaveCount(1 + 20);
  await page.getByLabel('Interviewers to show').selectOption('all');
  await expect(table.getByRole('row')).toHaveCount(1 + 25);
  await expect(table).toContainText(/lenient|severe/);

  const download = page.waitForEvent('download');
  await leniency.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const csv = await readFile(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('interviewer,ratings,candidates,effect_shrunk,ci95_low,ci95_high,effect_least_squares,naive_deviation,flag');
  expect(csv.trim().split('\r\n')).toHaveLength(1 + 25);
  expect(csv).toMatch(/,-?\d+\.\d{5,}/); // exact in exports, not rounded

  const agreement = page.getByRole('table', { name: 'Agreement' });
  await expect(agreement.getByRole('rowheader', { name: 'Architecture', exact: true })).toBeVisible();
  await page.getByLabel('Session', { exact: true }).selectOption({ label: 'CEO/CTO' });
  await expect(agreement.getByRole('rowheader', { name: 'Architecture', exact: true })).toHaveCount(0);
  await expect(agreement.getByRole('rowheader', { name: 'CEO/CTO', exact: true })).toBeVisible();

  const hotspot = page.getByRole('table', { name: 'Disagreement hotspots' }).getByRole('link').first();
  const candidate = await hotspot.textContent();
  await hotspot.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(candidate ?? '');

  await page.getByRole('link', { name: 'Candidates' }).click();
  await page.getByLabel('Search candidates').fill(candidate ?? '');
  await page.getByRole('table', { name: 'Candidates' }).getByRole('link', { name: candidate ?? '' }).first().click();
  const scores = page.getByRole('region', { name: 'Scores' });
  await expect(scores).toContainText('Raw mean');
  await expect(scores).toContainText('Adjusted for interviewer leniency');
});
