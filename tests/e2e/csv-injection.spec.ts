import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { rpc, runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

test('a calibration CSV carries an interviewer named like a formula as text, and its numbers exact', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '300', '--interviewers', '24', '--seed', '5', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  const interviewers = await rpc<{ id: string; name: string; email: string; revision: number; submittedScorecards: number }[]>(serve, 'interviewers:list', {});
  const rater = interviewers.find((i) => i.submittedScorecards > 5)!;
  const hostile = '=HYPERLINK("http://x.example","open me")';
  await rpc(serve, 'interviewers:update', { interviewerId: rater.id, revision: rater.revision, name: hostile, email: rater.email });

  await page.goto(serve.url);
  await page.getByRole('link', { name: 'Calibration' }).click();
  const leniency = page.getByRole('region', { name: 'Who scores higher or lower than the panel?' });
  await page.getByLabel('Interviewers to show').selectOption('all');
  const download = page.waitForEvent('download');
  await leniency.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');

  const rows = parse(csv) as string[][];
  const row = rows.find((r) => r[0]?.includes('HYPERLINK'));
  // A spreadsheet shows the name as text (the quote in front), and runs nothing.
  expect(row?.[0]).toBe(`'${hostile}`);
  expect(csv).not.toMatch(/(^|,|\r\n)"?=/);
  // Numbers are written as they are: negative effects keep their minus sign, no quote.
  const effects = rows.slice(1).map((r) => r[3] ?? '');
  expect(effects.some((e) => /^-\d/.test(e))).toBe(true);
  for (const e of effects) if (e !== '') expect(Number.isFinite(Number(e)), e).toBe(true);
});
