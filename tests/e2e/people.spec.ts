import { expect, test, type Page } from '@playwright/test';
import { openCore } from '../../src/main/core';
import type { OutputOf } from '../../src/shared/contract';
import { dispatch } from '../../src/shared/dispatch';
import type { Result } from '../../src/shared/result';
import { startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * The people of a real installation, from an empty data folder and with the keyboard: the first-run
 * welcome (my name, or Skip), Settings, adding, editing and deactivating interviewers, and a CSV
 * import that writes nothing until every line is good.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

async function openFresh(page: Page): Promise<void> {
  data = tempDataDir();
  serve = await startServe(data.dir);
  await page.goto(serve.url);
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('the first run asks my name and email, and I show as "you" among the interviewers', async ({ page }) => {
  await openFresh(page);
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
  await expect(page).toHaveTitle('Welcome — Panelist');
  // The focus is in the name field: type, Tab, type, Enter starts with the example role.
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type('Ada Lovelace');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Your email')).toBeFocused();
  await page.keyboard.type('not-an-email');
  await page.keyboard.press('Enter');
  // A bad email is said next to its field, and nothing moves on.
  await expect(page.getByLabel('Your email')).toBeFocused();
  await expect(page.getByLabel('Your email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Not an email address.')).toBeVisible();
  await page.getByLabel('Your email').fill('ada@example.com');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Software Engineer – Distribution', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Welcome, Ada Lovelace' })).toBeVisible();

  await nav(page).getByRole('link', { name: 'Interviewers' }).click();
  const me = page.getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(me).toContainText('you');
  await expect(me).toContainText('ada@example.com');

  // Answered once: a reload shows the ordinary empty state, not the questions again.
  await nav(page).getByRole('link', { name: 'Today' }).click();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add a candidate' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
});

test('skipping the welcome keeps the defaults and does not ask again; Settings changes my name later', async ({ page }) => {
  await openFresh(page);
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Welcome to Panelist' })).toBeFocused();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Add a candidate' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);

  await nav(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveTitle('Settings — Panelist');
  const name = page.getByLabel('Your name');
  await expect(name).toHaveValue('Me');
  // The installation's signing key, as people read it out: eight groups of four hex digits.
  await expect(page.getByRole('heading', { name: 'Signing key' })).toBeVisible();
  await expect(page.getByText(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/)).toBeVisible();
  await name.fill('Grace Hopper');
  await page.getByLabel('Your email').fill('grace@example.com');
  await page.getByLabel('Your email').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved your name and email.' })).toBeVisible();

  // Retention: a number of months, saved; the list says there is nobody to erase yet.
  const months = page.getByLabel('List candidates for erasure after this many months without activity');
  await expect(months).toHaveValue('12');
  await months.fill('0');
  await months.press('Enter');
  await expect(page.getByText('A whole number of months from 1 to 120.')).toBeVisible();
  await months.fill('18');
  await months.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'after 18 months without activity' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Candidates with no activity for 18 months' })).toBeVisible();
  await expect(page.getByText(/^None:/)).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Your name')).toHaveValue('Grace Hopper');
  await expect(months).toHaveValue('18');
  await nav(page).getByRole('link', { name: 'Interviewers' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Grace Hopper' })).toContainText('you');
});

test('Settings lists candidates past the retention period and erases them in one confirmed step', async ({ page }) => {
  data = tempDataDir();
  // Three candidates last touched two years ago, one today.
  const twoYearsAgo = new Date(Date.now() - 2 * 365 * 24 * 3600_000);
  for (const [clock, names] of [
    [() => twoYearsAgo, ['Old Anders', 'Old Bea', 'Old Chidi']],
    [() => new Date(), ['New Dana']],
  ] as const) {
    const core = await openCore({ dataDir: data.dir, version: 'test', clock });
    const roles = (await dispatch(core.handlers, 'roles:list', {})) as Result<OutputOf<'roles:list'>>;
    if (!roles.ok || !roles.value[0]) throw new Error('no example role');
    for (const name of names) {
      const added = await dispatch(core.handlers, 'candidates:add', { name, roleId: roles.value[0].id });
      if (!added.ok) throw new Error(added.error.message);
    }
    core.close();
  }
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  await nav(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Candidates with no activity for 12 months' })).toBeVisible();
  const listed = page.getByRole('table', { name: 'Candidates with no activity for 12 months' });
  await expect(listed.getByRole('row')).toHaveCount(4);
  for (const name of ['Old Anders', 'Old Bea', 'Old Chidi']) await expect(listed.getByRole('link', { name })).toBeVisible();
  await expect(listed).not.toContainText('New Dana');

  const erase = page.getByRole('button', { name: 'Erase 3 candidates…' });
  await erase.click();
  const dialog = page.getByRole('dialog', { name: 'Erase 3 candidates?' });
  await expect(dialog).toContainText('It cannot be undone.');
  await expect(dialog.getByRole('button', { name: 'Keep them' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(erase).toBeFocused();
  await expect(listed.getByRole('row')).toHaveCount(4);

  await erase.click();
  await dialog.getByRole('button', { name: 'Erase 3 candidates' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Erased 3 candidates.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Keeping candidates' })).toBeFocused();
  await expect(page.getByText(/^None:/)).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('1 candidate ·');
});

test('interviewers are added, edited, deactivated and reactivated; a taken email is refused next to its field', async ({ page }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await nav(page).getByRole('link', { name: 'Interviewers' }).click();
  await expect(page).toHaveTitle('Interviewers — Panelist');

  await page.getByRole('button', { name: 'Add interviewer' }).click();
  const form = page.getByRole('form', { name: 'Add interviewer' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Ana Lopez');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ana@example.com');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Added Ana Lopez.' })).toBeVisible();
  // Ready for the next one.
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Ben Okafor');
  await page.keyboard.press('Tab');
  await page.keyboard.type('ANA@example.com');
  await page.keyboard.press('Enter');
  await expect(form.getByLabel('Email')).toBeFocused();
  await expect(form.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Ana Lopez already has the email ana@example.com.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Ben Okafor' })).toHaveCount(0);
  await form.getByLabel('Email').fill('ben@example.com');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Added Ben Okafor.' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add interviewer' })).toBeFocused();

  // Edit: the row becomes a form; a taken email is refused there too.
  await page.getByRole('button', { name: 'Edit Ben Okafor' }).click();
  const edit = page.getByRole('form', { name: 'Edit Ben Okafor' });
  await expect(edit.getByLabel('Name')).toBeFocused();
  await edit.getByLabel('Email').fill('ana@example.com');
  await edit.getByLabel('Email').press('Enter');
  await expect(edit.getByText('Ana Lopez already has the email ana@example.com.')).toBeVisible();
  await edit.getByLabel('Name').fill('Benedict Okafor');
  await edit.getByLabel('Email').fill('benedict@example.com');
  await edit.getByLabel('Email').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved Benedict Okafor.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit Benedict Okafor' })).toBeFocused();
  await expect(page.getByRole('row').filter({ hasText: 'Benedict Okafor' })).toContainText('benedict@example.com');

  // Deactivate: marked, kept; reactivate.
  await page.getByRole('button', { name: 'Deactivate Ana Lopez' }).click();
  const ana = page.getByRole('row').filter({ hasText: 'Ana Lopez' });
  await expect(ana).toContainText('deactivated');
  await expect(page.getByRole('button', { name: 'Reactivate Ana Lopez' })).toBeFocused();
  await expect(page.getByText('1 deactivated')).toBeVisible();
  await page.reload();
  await expect(ana).toContainText('deactivated');
  await page.getByRole('button', { name: 'Reactivate Ana Lopez' }).click();
  await expect(ana).not.toContainText('deactivated');
  await expect(page.getByRole('button', { name: 'Deactivate Ana Lopez' })).toBeFocused();
  // I cannot deactivate myself, and nobody can be deleted.
  await expect(page.getByRole('button', { name: 'Deactivate Me' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
});

test('a CSV import shows each line, imports nothing while a line has errors, then imports once it is fixed or dropped', async ({ page }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await nav(page).getByRole('link', { name: 'Interviewers' }).click();
  await page.getByRole('button', { name: 'Import from CSV' }).click();
  const region = page.getByRole('region', { name: 'Import interviewers' });
  await expect(region).toContainText('name');

  // Quoted fields with commas, a bad email on line 3, a duplicate inside the file on line 5.
  const csv = ['Name,Email', '"Lopez, Ana",ana@example.com', 'Ben Okafor,ben-at-example', 'Cy Park,cy@example.com', 'Dee Ray,ana@example.com', ''].join('\r\n');
  await region.getByLabel('Or paste the CSV text').fill(csv);
  await region.getByRole('button', { name: 'Preview' }).click();
  await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 2 interviewers to add, 2 lines with errors.');
  await expect(region.getByRole('heading', { name: /^Preview:/ })).toBeFocused();
  const lines = region.getByRole('table', { name: 'Lines of the file' });
  await expect(lines.getByRole('row', { name: /^line 2/ })).toContainText('Adds');
  await expect(lines.getByRole('row', { name: /^line 2/ })).toContainText('Lopez, Ana');
  const line3 = lines.getByRole('row', { name: /^line 3/ });
  await expect(line3).toContainText('Error');
  await expect(line3.getByRole('cell').filter({ hasText: 'ben-at-example' })).toContainText('email: "ben-at-example" is not an email address');
  await expect(lines.getByRole('row', { name: /^line 5/ })).toContainText('email: the same email is on line 2');
  const importButton = region.getByRole('button', { name: /^Import \d+ interviewer/ });
  await expect(importButton).toBeDisabled();
  await expect(region).toContainText('nothing is imported until then');

  // Fixing line 3 in the text and checking again; dropping line 5.
  await region.getByLabel('Or paste the CSV text').fill(csv.replace('ben-at-example', 'ben@example.com'));
  await expect(region.getByText('The text changed since this preview')).toBeVisible();
  await region.getByRole('button', { name: 'Check again' }).click();
  await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 3 interviewers to add, 1 line with errors.');
  await expect(page.getByRole('table', { name: 'Interviewers' }).getByRole('row').filter({ hasText: 'Cy Park' })).toHaveCount(0);
  await region.getByRole('checkbox', { name: 'Drop line 5' }).check();
  await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 3 interviewers to add, 1 line dropped.');
  await expect(lines.getByRole('row', { name: /^line 5/ })).toContainText('Dropped');
  await expect(importButton).toBeEnabled();
  await expect(importButton).toHaveText('Import 3 interviewers');
  await importButton.click();

  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 interviewers (1 line dropped).' })).toBeVisible();
  await expect(region).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import from CSV' })).toBeFocused();
  const table = page.getByRole('table', { name: 'Interviewers' });
  for (const name of ['Lopez, Ana', 'Ben Okafor', 'Cy Park']) await expect(table.getByRole('row').filter({ hasText: name })).toHaveCount(1);
  await expect(table.getByRole('row').filter({ hasText: 'Dee Ray' })).toHaveCount(0);
});

test('a CSV file is chosen from disk, and a malformed one is refused with its line number', async ({ page }) => {
  await openFresh(page);
  await page.getByRole('button', { name: 'Skip for now' }).click();
  await page.goto(`${serve.origin}/#/interviewers`);
  await page.getByRole('button', { name: 'Import from CSV' }).click();
  const region = page.getByRole('region', { name: 'Import interviewers' });
  await region.getByLabel('Choose a CSV file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,email\nAna,ana@example.com\n"Ben,ben@example.com\n'),
  });
  await expect(region.getByRole('alert')).toContainText('Line');
  await expect(region.getByRole('alert')).toContainText('Nothing was imported.');
  await expect(region.getByLabel('Or paste the CSV text')).toHaveAttribute('aria-invalid', 'true');

  await region.getByLabel('Choose a CSV file').setInputFiles({
    name: 'team.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('\uFEFFE-mail,NAME\r\nzoe@example.com,Zoë Quinn\r\n'),
  });
  await expect(region.getByRole('heading', { name: /^Preview:/ })).toHaveText('Preview: 1 interviewer to add.');
  await expect(region).toContainText('Read from team.csv');
  await region.getByRole('button', { name: 'Import 1 interviewer' }).click();
  await expect(page.getByRole('table', { name: 'Interviewers' }).getByRole('row').filter({ hasText: 'Zoë Quinn' })).toContainText('zoe@example.com');
});
