import { expect, test, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * The command palette: Ctrl/Cmd+K anywhere, a combobox that controls a listbox, arrows move,
 * Enter runs, Esc closes and gives the focus back. Keyboard only.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

interface Listed {
  id: string;
  name: string;
}

async function openDemo(page: Page): Promise<Listed[]> {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '6', '--data-dir', data.dir]).code).toBe(0);
  const candidates = JSON.parse(runCli(['list', 'candidates', '--json', '--data-dir', data.dir]).stdout) as Listed[];
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  return candidates;
}

const palette = (page: Page) => page.getByRole('dialog', { name: 'Command palette' });
const combobox = (page: Page) => palette(page).getByRole('combobox', { name: 'Go to or run' });

test('Ctrl+K finds a candidate by part of their name and Enter opens their page', async ({ page }) => {
  const candidates = await openDemo(page);
  const someone = candidates.find((c) => c.name.includes(' ') && candidates.filter((o) => o.name.split(' ')[0] === c.name.split(' ')[0]).length === 1);
  if (!someone) throw new Error('the demo has no candidate with a unique first name');
  const [first = '', last = ''] = someone.name.split(' ');

  await page.keyboard.press('Control+k');
  await expect(palette(page)).toBeVisible();
  const input = combobox(page);
  await expect(input).toBeFocused();
  await expect(input).toHaveAttribute('aria-expanded', 'true');
  const listbox = palette(page).getByRole('listbox');
  await expect(input).toHaveAttribute('aria-controls', (await listbox.getAttribute('id')) ?? 'missing');

  // Part of the first name and the start of the last name.
  await page.keyboard.type(`${first} ${last.slice(0, 2)}`);
  const option = listbox.getByRole('option', { name: new RegExp(`^${someone.name}`) });
  await expect(option).toBeVisible();
  await expect(option).toContainText('Candidate');
  // The first option is the active one; the arrows move it, and the field says which it is.
  const options = listbox.getByRole('option');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  const index = await options.evaluateAll((all, name) => all.findIndex((o) => o.textContent?.startsWith(name)), someone.name);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id')) ?? 'missing');
  await page.keyboard.press('Enter');

  await expect(palette(page)).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`#/candidates/${someone.id}$`));
  await expect(page.getByRole('heading', { name: someone.name, level: 1 })).toBeVisible();
});

test('the arrows wrap, Esc closes and gives the focus back, and views are one word away', async ({ page }) => {
  await openDemo(page);
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' });
  await link.focus();
  await page.keyboard.press('Control+k');
  await expect(combobox(page)).toBeFocused();
  const options = palette(page).getByRole('option');
  // With nothing typed: the actions, then every view.
  await expect(options.first()).toHaveText(/New candidate/);
  await expect(options).toHaveCount(11);
  await page.keyboard.press('ArrowUp');
  await expect(options.last()).toHaveAttribute('aria-selected', 'true');
  await expect(options.last()).toContainText('Settings');
  await page.keyboard.press('ArrowDown');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');

  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
  await expect(link).toBeFocused();

  // A view by name; the focus lands on the new screen's heading.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('calib');
  await expect(options.first()).toContainText('Calibration');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/calibration$/);
  await expect(page.getByRole('heading', { name: 'Calibration', level: 1 })).toBeVisible();

  // A rubric opens at its newest version; a role at its page.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('Team collab');
  const rubric = palette(page).getByRole('option', { name: /^Team collaboration\s*Rubric$/ });
  await expect(rubric).toBeVisible();
  for (let i = 0; (await rubric.getAttribute('aria-selected')) !== 'true' && i < 10; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/rubrics\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Team collaboration');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('Software Engineer – Dis');
  await expect(palette(page).getByRole('option').first()).toContainText('Role');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Software Engineer – Distribution', level: 1 })).toBeVisible();

    // A search that finds nothing says so.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('zzqx');
  await expect(palette(page).getByRole('status')).toHaveText('Nothing matches “zzqx”.');
  await expect(options).toHaveCount(0);
  await expect(combobox(page)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Escape');
});

test('the palette runs the common actions: add an interviewer, new candidate, schedule an interview', async ({ page }) => {
  const candidates = await openDemo(page);
  await page.keyboard.press('Control+k');
  await page.keyboard.type('add int');
  await expect(palette(page).getByRole('option').first()).toContainText('Add interviewer');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/interviewers\/new$/);
  const form = page.getByRole('form', { name: 'Add interviewer' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Palette Person');
  await page.keyboard.press('Tab');
  await page.keyboard.type('palette@example.com');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Added Palette Person.' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/interviewers$/);

  // The new interviewer is found by the palette too, as an interviewer.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('Palette P');
  const person = palette(page).getByRole('option', { name: /^Palette Person/ });
  await expect(person).toContainText('Interviewer');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('new cand');
  await expect(palette(page).getByRole('option').first()).toContainText('New candidate');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/candidates\/new$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Candidates' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { name: 'New candidate', level: 2 })).toBeVisible();

  // Schedule: a second question, which candidate; Enter opens their page.
  const someone = candidates[3];
  if (!someone) throw new Error('the demo has too few candidates');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('schedule');
  await page.keyboard.press('Enter');
  const pick = page.getByRole('dialog', { name: 'Schedule an interview: pick a candidate' });
  const field = pick.getByRole('combobox', { name: 'Schedule an interview for which candidate?' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await page.keyboard.type(someone.name);
  const option = pick.getByRole('option', { name: new RegExp(`^${someone.name}`) });
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/candidates/${someone.id}$`));
});

test('keys typed in the palette never reach the scorecard underneath', async ({ page }) => {
  await openDemo(page);
  const score = page.getByRole('link', { name: /^Score / }).first();
  await score.click();
  const firstCriterion = page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').first();
  await expect(firstCriterion).toBeFocused();
  const before = await firstCriterion.textContent();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('3');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  await expect(palette(page)).toBeHidden();
  await expect(firstCriterion).toBeFocused();
  expect(await firstCriterion.textContent()).toBe(before);
});
