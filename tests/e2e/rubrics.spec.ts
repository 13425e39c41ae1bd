import { expect, test } from '@playwright/test';
import { startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

test('a hiring manager writes a rubric, publishes it, starts version 2, compares them, and puts it in a loop', async ({ page }) => {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await page.getByRole('link', { name: 'Rubrics' }).click();
  await expect(page.getByRole('heading', { name: 'Architecture', exact: true })).toBeVisible();

  await page.getByLabel('Name').fill('Incident review');
  await page.getByLabel('Scale').selectOption('1–5');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByRole('heading', { name: 'Incident review · version 1' })).toBeVisible();
  await expect(page.getByLabel('Name of level 3')).toHaveValue('Mixed');

  await page.getByLabel('Title').fill('Root cause');
  for (let level = 1; level <= 4; level++) {
    await page.getByLabel(`Anchor ${level} ·`, { exact: false }).fill(`Root cause anchor ${level}`);
  }
  await expect(page.getByRole('status')).toHaveText('● saved');
  await page.getByRole('button', { name: 'Publish version 1' }).click();
  await expect(page.getByRole('alert')).toHaveText('Before you publish, criterion 1 "Root cause": write the anchor for level 5.');

  await page.getByLabel('Anchor 5 ·', { exact: false }).fill('Finds the cause and the process gap behind it.');
  await expect(page.getByRole('status')).toHaveText('● saved');
  await page.reload();
  await expect(page.getByLabel('Anchor 5 ·', { exact: false })).toHaveValue('Finds the cause and the process gap behind it.');
  await page.getByRole('button', { name: 'Publish version 1' }).click();
  await expect(page.getByText(/published .*, frozen/)).toBeVisible();
  await expect(page.getByLabel('Title')).toBeDisabled();

  await page.getByRole('link', { name: 'All rubrics' }).click();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Incident review' }) });
  await card.getByRole('button', { name: 'Start version 2' }).click();
  await expect(page.getByRole('heading', { name: 'Incident review · version 2' })).toBeVisible();
  await page.getByRole('button', { name: 'Add criterion' }).click();
  const titles = page.getByLabel('Title');
  await titles.nth(1).fill('Follow-up');
  await page.getByRole('button', { name: 'Move Follow-up up' }).click();
  await expect(titles.nth(0)).toHaveValue('Follow-up');
  await expect(page.getByRole('status')).toHaveText('● saved');

  await page.getByRole('link', { name: 'All rubrics' }).click();
  await card.getByRole('link', { name: 'Compare side by side' }).click();
  const table = page.getByRole('table', { name: 'Versions side by side' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').nth(1)).toContainText('Root cause');
  await expect(table.getByRole('row').nth(1)).toContainText('Follow-up');
  await expect(table.getByRole('row').nth(1)).toContainText('changed');

  await page.getByRole('link', { name: 'Roles' }).click();
  await page.getByRole('link', { name: 'Software Engineer – Distribution' }).click();
  const stages = page.getByRole('list', { name: 'Loop stages' }).locator(':scope > li');
  await expect(stages).toHaveCount(4);
  await page.getByRole('button', { name: 'Add stage' }).click();
  await stages.nth(4).getByLabel('Stage 5 title').fill('Incident review');
  await stages.nth(4).getByLabel('Rubric').selectOption({ label: 'Incident review v1' });
  await page.getByRole('button', { name: 'Save loop' }).click();
  await expect(page.getByRole('status')).toContainText('Loop saved');
  await page.reload();
  await expect(stages).toHaveCount(5);
  await expect(stages.nth(4).getByLabel('Rubric')).toHaveValue(/.+/);
  await expect(stages.nth(4).getByLabel('Stage 5 title')).toHaveValue('Incident review');
});
