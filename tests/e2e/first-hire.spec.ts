import { expect, test, type Page } from '@playwright/test';
import { startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { addToPanel, localTime, press } from '../support/e2e';

/**
 * A real hiring loop from an empty data folder, keyboard only, the way a new user meets the app:
 * say who I am, add two interviewers, add a candidate, schedule the loop with me on the first
 * panel, find that interview on Today, score it, submit; then reschedule a stage, cancel another,
 * and see Today and the candidate page follow.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.use({ locale: 'en-GB', timezoneId: 'UTC' });

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

const status = (page: Page) => page.getByRole('status').filter({ hasText: /\S/ });
const criterion = (page: Page, n: number) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').nth(n);

test('from an empty folder to a submitted scorecard, by keyboard', async ({ page }) => {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Who I am: name, Tab, email, Enter.
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type('Ada Lovelace');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ada@example.com');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Welcome, Ada Lovelace' })).toBeVisible();

  // Two interviewers.
  await press(nav.getByRole('link', { name: 'Interviewers' }));
  await press(page.getByRole('button', { name: 'Add interviewer' }));
  const add = page.getByRole('form', { name: 'Add interviewer' });
  for (const [name, email] of [['Ana Lopez', 'ana@example.com'], ['Ben Okafor', 'ben@example.com']]) {
    await expect(add.getByLabel('Name')).toBeFocused();
    await page.keyboard.type(name!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(email!);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: `Added ${name}.` })).toBeVisible();
  }
  await page.keyboard.press('Escape');

  // A candidate, through the command palette's action.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('new candidate');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'New candidate' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.type('Jane Doe');
  await page.keyboard.press('Tab');
  await page.keyboard.type('jane@example.com');
  await page.keyboard.press('Enter');
  await press(page.getByRole('button', { name: "Schedule Jane Doe's loop" }));

  // The loop: Architecture yesterday with me and Ana (so it waits for my scorecard), the rest ahead.
  const stages: [string, number, number, string[]][] = [
    ['Architecture', -1, 10, ['ada', 'ana']],
    ['Technical experience', 1, 10, ['ben']],
    ['Team collaboration', 1, 14, ['ana']],
    ['CEO/CTO', 2, 10, ['ada', 'ben']],
  ];
  for (const [stage, days, hour, panel] of stages) {
    const form = page.getByRole('form', { name: `Schedule ${stage}` });
    await expect(form.getByLabel('Date and time')).toBeFocused();
    await form.getByLabel('Date and time').fill(await localTime(page, days, hour));
    for (const who of panel) await addToPanel(form, who);
    await press(form.getByRole('button', { name: `Schedule ${stage}` }));
    await expect(status(page).filter({ hasText: `${stage} scheduled` })).toBeVisible();
  }
  await expect(page.getByText('Every stage is scheduled.')).toBeVisible();

  // Today: the Architecture interview waits for my scorecard.
  await press(nav.getByRole('link', { name: 'Today' }));
  await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toBeVisible();
  await press(page.getByRole('link', { name: /^Score Jane Doe/ }).first());
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Jane Doe');
  await expect(criterion(page, 0)).toBeFocused();
  for (const key of ['3', 'j', '2', 'j', '4', 'j', '3', 'j', 'n', 'r', '3']) await page.keyboard.press(key);
  await expect(page.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);
  await page.keyboard.press('Control+Enter');
  const submit = page.getByRole('dialog', { name: 'Submit your scorecard?' });
  await expect(submit.getByRole('button', { name: 'Submit' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();

  // Nothing waits any more; the two interviews ahead that I sit on are listed.
  await press(nav.getByRole('link', { name: 'Today' }));
  await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toHaveCount(0);
  const mine = page.getByRole('listitem').filter({ hasText: 'Jane Doe' });
  await expect(mine.filter({ hasText: 'CEO/CTO' })).toHaveCount(1);

  // Reschedule Technical experience, cancel CEO/CTO; Today and her page follow.
  await press(nav.getByRole('link', { name: 'Candidates' }));
  // Today lists Jane's interviews too: wait for the list before looking for her.
  await expect(page.getByRole('heading', { name: 'Candidates', level: 1 })).toBeVisible();
  await press(page.getByRole('link', { name: 'Jane Doe', exact: true }));
  await press(page.getByRole('button', { name: /^Reschedule Technical experience/ }));
  const moving = page.getByRole('form', { name: 'Reschedule Technical experience' });
  await moving.getByLabel('Date and time').fill(await localTime(page, 3, 9));
  await page.keyboard.press('Enter');
  await expect(status(page).filter({ hasText: /Technical experience moved to .*09:00–10:00/ })).toBeVisible();
  await press(page.getByRole('button', { name: /^Cancel CEO\/CTO/ }));
  const dialog = page.getByRole('dialog', { name: 'Cancel this interview?' });
  await press(dialog.getByRole('button', { name: /^Cancel the interview/ }));
  await expect(page.getByRole('listitem').filter({ hasText: 'CEO/CTO' }).last()).toContainText('cancelled');
  await expect(page.getByRole('heading', { name: 'Scores' }).locator('..')).toContainText(/Raw mean/);

  await press(nav.getByRole('link', { name: 'Today' }));
  await expect(page.getByRole('listitem').filter({ hasText: 'Jane Doe' }).filter({ hasText: 'CEO/CTO' })).toHaveCount(0);
});
