import { expect, test, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

const criterion = (page: Page, n: number) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').nth(n);
const saved = (page: Page) => expect(page.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);

test('an interviewer scores a whole scorecard with the keyboard, finds it intact after a reload, submits, sees the panel, and amends', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.goto(serve.url);

  await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toBeVisible();
  const scoreLink = page.getByRole('link', { name: /^Score / }).first();
  const linkName = (await scoreLink.getAttribute('aria-label')) ?? '';
  const candidateName = linkName.replace(/^Score /, '').replace(/, .*$/, '');
  await scoreLink.focus();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 1 })).toContainText(candidateName);
  await expect(criterion(page, 0)).toBeFocused();

  // Criterion 1: a score, evidence with a time stamp; 2: a score; 3: not assessed; 4 and 5: scores.
  await page.keyboard.press('3');
  await page.keyboard.press('t');
  await page.keyboard.type('asked about scale first');
  await page.keyboard.press('Escape');
  await expect(criterion(page, 0)).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('2');
  await page.keyboard.press('e');
  await page.keyboard.type('needed prompting on the queue');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('n');
  await page.keyboard.press('j');
  await page.keyboard.press('4');
  await page.keyboard.press('j');
  await page.keyboard.press('1');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  await expect(criterion(page, 1)).toBeFocused();
  await page.keyboard.press('r');
  await page.keyboard.press('3');
  await saved(page);

  const expectScores = async () => {
    await expect(criterion(page, 0)).toContainText('3 · Solid');
    await expect(criterion(page, 1)).toContainText('2 · Some concern');
    await expect(criterion(page, 2)).toContainText('Not assessed');
    await expect(criterion(page, 3)).toContainText('4 · Exceptional');
    await expect(criterion(page, 4)).toContainText('1 · Clear concern');
    await expect(criterion(page, 0).getByRole('textbox')).toHaveValue(/\[\d\d:\d\d\] asked about scale first$/);
    await expect(criterion(page, 1).getByRole('textbox')).toHaveValue(/needed prompting on the queue$/);
    await expect(page.getByRole('radio', { name: /^3 Yes$/ })).toHaveAttribute('aria-checked', 'true');
  };
  await expectScores();
  // The chosen level reads as text and as the radio's state, not as colour alone.
  await expect(criterion(page, 0).getByRole('radio', { name: '3 Solid' })).toHaveAttribute('aria-checked', 'true');

  await page.reload();
  await expectScores();

  // Before I submit, the rest of the panel is hidden, and the app says why.
  const scorecardUrl = page.url();
  await page.goto(scorecardUrl.replace('/scorecard', '/panel'));
  await expect(page.getByRole('heading', { name: 'The panel is hidden for now' })).toBeVisible();
  await expect(page.getByText(/stay hidden until you submit your own/)).toBeVisible();
  await page.getByRole('link', { name: 'Go to your scorecard' }).click();
  await expect(criterion(page, 0)).toBeFocused();

  await page.keyboard.press('Control+Enter');
  const dialog = page.getByRole('dialog', { name: 'Submit your scorecard?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Submit' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();
  await expect(page.getByRole('radio', { name: '3 Solid' }).first()).toBeDisabled();

  await page.getByRole('link', { name: "See the panel's scorecards" }).click();
  const panel = page.getByRole('table', { name: 'Panel scores' });
  await expect(panel.getByRole('columnheader', { name: 'You' })).toBeVisible();
  expect(await panel.getByRole('columnheader').count()).toBeGreaterThanOrEqual(3);

  await page.goBack();
  await page.getByRole('button', { name: 'Amend' }).click();
  await criterion(page, 1).getByRole('radio', { name: '3 Solid' }).click();
  await expect(criterion(page, 1)).toContainText('3 · Solid');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 3 characters');
  await page.getByLabel('Why are you amending it?').fill('Re-read my notes: the queue design was sound.');
  await page.getByRole('button', { name: 'Save amendment' }).click();

  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Me amended it');
  await expect(history).toContainText('Why: Re-read my notes: the queue design was sound.');
  await expect(history).toContainText(/: score: 2 → 3/);
  await expect(history).toContainText("after seeing the panel's scorecards");
  await expect(criterion(page, 1)).toContainText('3 · Solid');
});

test('submit says what is missing, and a failed save says so and keeps the value for a retry', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '10', '--interviewers', '4', '--seed', '8', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await page.getByRole('link', { name: /^Score / }).first().click();
  await expect(criterion(page, 0)).toBeFocused();

  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Backspace'); // nothing happens: no key but the map's acts
  }
  await page.getByRole('radio', { name: 'Not assessed' }).first().click();
  await page.keyboard.press('Control+Enter');
  const dialog = page.getByRole('dialog', { name: 'Not ready to submit yet' });
  await expect(dialog).toContainText('Recommendation');
  await expect(dialog.getByRole('button', { name: 'Submit' })).toHaveCount(0);
  await expect(dialog.getByRole('listitem').first()).toContainText('3 Trade-offs & scope');
  await dialog.getByRole('button', { name: 'Go to 3 Trade-offs & scope' }).click();
  await expect(criterion(page, 2)).toBeFocused();

  // The server goes away: the score stays on screen and the indicator says it is not saved.
  await serve.stop();
  await criterion(page, 0).focus();
  await page.keyboard.press('4');
  await expect(criterion(page, 0)).toContainText('4 · Exceptional');
  await expect(page.getByText(/^Not saved:/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('the scorecard works in a narrow call-mode window and at 200% zoom', async ({ page }) => {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '10', '--interviewers', '4', '--seed', '8', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.setViewportSize({ width: 480, height: 800 });
  await page.goto(serve.url);
  await page.getByRole('link', { name: /^Score / }).first().click();
  await expect(criterion(page, 0)).toBeFocused();
  await page.keyboard.press('2');
  await saved(page);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBeLessThanOrEqual(0);

  await page.evaluate("document.body.style.zoom = '2'");
  await page.keyboard.press('j');
  await page.keyboard.press('3');
  await saved(page);
  await expect(criterion(page, 1)).toContainText('3 · Solid');
});
