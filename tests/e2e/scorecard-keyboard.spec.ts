import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

/**
 * Keyboard and focus on the scorecard (issue 8, section 3), checked the way a person meets them:
 * by role and label, with the keyboard, at 1280 px, 320 px and 200% zoom, in both themes.
 */

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess;

test.afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

const criteria = (page: Page) => page.getByRole('list', { name: 'Criteria' });
const criterion = (page: Page, n: number) => criteria(page).locator(':scope > li').nth(n);
const recommendation = (page: Page) => page.getByRole('radiogroup', { name: 'Recommendation' });
const saved = (page: Page) => expect(page.getByRole('status').filter({ hasText: /saved|saving|Not saved/ })).toHaveText(/^\s*● saved\s*$/);
/** The scorecard's sticky header: the one that holds the page's title. */
const stickyHeader = (page: Page) => page.getByRole('article').locator('header').filter({ has: page.getByRole('heading', { level: 1 }) });

/** The demo, served, and the first scorecard waiting for me, opened from Today with the keyboard. */
async function openScorecard(page: Page): Promise<void> {
  data = tempDataDir();
  expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
  serve = await startServe(data.dir);
  await page.goto(serve.url);
  const link = page.getByRole('link', { name: /^Score / }).first();
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(criterion(page, 0)).toBeFocused();
}

/** Scores every criterion from the keyboard (3, not assessed, 2, 4, 1) and recommends "yes". */
async function scoreEverything(page: Page): Promise<void> {
  await criterion(page, 0).focus();
  for (const key of ['3', 'j', 'n', 'j', '2', 'j', '4', 'j', '1', 'r', '3']) await page.keyboard.press(key);
  await saved(page);
}

/**
 * The focused criterion's title and score buttons are below the sticky header and above the
 * window's bottom edge (polled: the page may still be settling its scroll position).
 */
async function expectClearOfHeader(page: Page, n: number): Promise<void> {
  await expect(criterion(page, n)).toBeFocused();
  const height = page.viewportSize()?.height ?? 0;
  for (const [what, part] of [
    ['title', criterion(page, n).getByRole('heading', { level: 2 })],
    ['score buttons', criterion(page, n).getByRole('radiogroup')],
  ] as const) {
    const edges = async () => {
      const head = await stickyHeader(page).boundingBox();
      const box = await part.boundingBox();
      if (!head || !box) return { belowHeader: -Infinity, aboveBottom: -Infinity };
      return { belowHeader: box.y - (head.y + head.height), aboveBottom: height - (box.y + box.height) };
    };
    await expect.poll(async () => (await edges()).belowHeader, { message: `criterion ${n + 1}: its ${what} is under the sticky header` }).toBeGreaterThanOrEqual(-0.5);
    await expect.poll(async () => (await edges()).aboveBottom, { message: `criterion ${n + 1}: its ${what} is below the window` }).toBeGreaterThanOrEqual(-0.5);
  }
}

/**
 * Contrast of an element's text against what is behind it (WCAG 2 formula), and the opacity it is
 * drawn with. Written as a function body, run in the page (the tests are compiled without DOM types).
 */
const contrastIn = new Function(
  'el',
  `
  const parse = (c) => {
    const p = (/rgba?\\(([^)]+)\\)/.exec(c)?.[1] ?? '0 0 0 0').split(/[\\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  let opacity = 1;
  let bg = null;
  for (let n = el; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    opacity *= Number(s.opacity);
    const c = parse(s.backgroundColor);
    if (!bg && c.a > 0) bg = c;
  }
  bg = bg ?? { r: 255, g: 255, b: 255, a: 1 };
  const fg = parse(getComputedStyle(el).color);
  const mixed = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
  const [hi, lo] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
  return { ratio: (hi + 0.05) / (lo + 0.05), opacity, fg: getComputedStyle(el).color, bg };
`,
) as (el: unknown) => { ratio: number; opacity: number };

async function contrastOf(locator: Locator): Promise<{ ratio: number; opacity: number }> {
  return locator.evaluate(contrastIn);
}

test('the criteria and the recommendation are one tab stop each; after Submit and after Amend the focus is on the first criterion; the window says which scorecard it is', async ({ page }) => {
  await openScorecard(page);
  const heading = (await page.getByRole('heading', { level: 1 }).textContent())?.trim() ?? '';
  expect(heading).toMatch(/^(Architecture|Technical experience|Team collaboration|CEO\/CTO) · \S/);
  await expect(page).toHaveTitle(`${heading} — Panelist`);

  // From the main navigation to Submit: the list of criteria is one stop (the focused criterion, then its own controls).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link').last().focus();
  let rowStops = 0;
  let textStops = 0;
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByRole('button', { name: 'Submit scorecard' }).and(page.locator(':focus')).count()) break;
    rowStops += await criteria(page).locator(':scope > li:focus').count();
    textStops += await criteria(page).getByRole('textbox').and(page.locator(':focus')).count();
  }
  expect(rowStops).toBe(1);
  expect(textStops).toBe(1);

  // Arrows and j/k move inside the list; Tab goes through the focused criterion's own controls, then to the recommendation.
  await criterion(page, 0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(criterion(page, 1)).toBeFocused();
  await page.keyboard.press('j');
  await expect(criterion(page, 2)).toBeFocused();
  await page.keyboard.press('k');
  await expect(criterion(page, 1)).toBeFocused();
  // Inside the focused criterion: its guiding questions, then its evidence.
  await page.keyboard.press('Tab');
  await expect(criterion(page, 1).getByText('Guiding questions')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(criterion(page, 1).getByRole('textbox', { name: /^Evidence for / })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(criterion(page, 1)).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');

  // The recommendation: one stop (the chosen radio, else the first), arrows choose inside, Tab leaves it at once.
  await expect(recommendation(page).getByRole('radio').and(page.locator(':focus'))).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(page.getByRole('radio', { name: '1 Strong no' })).toBeFocused();
  await expect(page.getByRole('radio', { name: '1 Strong no' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: '2 No' })).toBeFocused();
  await expect(page.getByRole('radio', { name: '2 No' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('radio', { name: '3 Yes' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  // Arrows wrap around, as in any radio group.
  await expect(page.getByRole('radio', { name: '4 Strong yes' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Key take-aways' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('radio', { name: '4 Strong yes' })).toBeFocused();
  // Its own numbers choose in the group; r then a number still works from the criteria.
  await page.keyboard.press('2');
  await expect(page.getByRole('radio', { name: '2 No' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('radio', { name: '2 No' })).toBeFocused();
  await saved(page);

  await scoreEverything(page);
  await expect(page.getByRole('radio', { name: '3 Yes' })).toHaveAttribute('aria-checked', 'true');
  await criterion(page, 3).focus();
  await page.keyboard.press('Control+Enter');
  const confirm = page.getByRole('dialog', { name: 'Submit your scorecard?' });
  await expect(confirm.getByRole('button', { name: 'Submit' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();
  await expect(criterion(page, 0)).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Submitted. Your scorecard is read-only now.' })).toBeVisible();

  // Read-only, the lists stay one stop each and readable from the keyboard.
  await page.keyboard.press('j');
  await expect(criterion(page, 1)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(criterion(page, 1).getByText('Guiding questions')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: '3 Yes' })).toBeFocused();
  await expect(page.getByRole('radio', { name: '3 Yes' })).toBeDisabled();

  await page.getByRole('button', { name: 'Amend' }).click();
  await expect(criterion(page, 0)).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('3');
  await page.getByLabel('Why are you amending it?').fill('Re-read my notes.');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Me amended it');
  await expect(criterion(page, 0)).toBeFocused();
  await expect(page).toHaveTitle(`${heading} — Panelist`);
});

for (const [name, size] of [
  ['320 CSS px wide', { viewport: { width: 320, height: 568 }, deviceScaleFactor: 1 }],
  ['200% zoom (a 1280 × 800 window)', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
] as const) {
  test.describe(`at ${name}`, () => {
    test.use(size);

    test('the focused criterion is never hidden under the sticky header', async ({ page }) => {
      await openScorecard(page);
      await expectClearOfHeader(page, 0);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);

      await page.keyboard.press('End');
      await expectClearOfHeader(page, 4);
      for (const n of [3, 2, 1, 0]) {
        await page.keyboard.press('k');
        await expectClearOfHeader(page, n);
      }
      for (const n of [1, 2, 3]) {
        await page.keyboard.press('ArrowDown');
        await expectClearOfHeader(page, n);
      }

      // Back with Shift+Tab from the recommendation: the browser's own scrolling keeps clear of the header too.
      await page.keyboard.press('End');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(recommendation(page).getByRole('radio').and(page.locator(':focus'))).toHaveCount(1);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await expectClearOfHeader(page, 4);
      await page.keyboard.press('Home');
      await expectClearOfHeader(page, 0);
      for (const n of [1, 2, 3]) {
        await page.keyboard.press('j');
        await expectClearOfHeader(page, n);
      }

      // Opening the scorecard again keeps the focused criterion, in view.
      await page.getByRole('link', { name: 'Today' }).click();
      await expect(page.getByRole('heading', { name: 'Waiting for your scorecard' })).toBeVisible();
      await page.goBack();
      await expectClearOfHeader(page, 3);

      // Leaving a note with Esc brings its criterion back into view, title first.
      await page.keyboard.press('e');
      await page.keyboard.type('drew the queue first');
      await page.keyboard.press('Escape');
      await expectClearOfHeader(page, 3);

      // After Submit, the first criterion, from the bottom of the page.
      await scoreEverything(page);
      await page.keyboard.press('Control+Enter');
      await page.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).click();
      await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();
      await expectClearOfHeader(page, 0);
    });

    test('the keys open in a dialog in view, wherever the page is scrolled, and Esc brings the focus back', async ({ page }) => {
      await openScorecard(page);
      await page.keyboard.press('End');
      await page.keyboard.press('?');
      const keys = page.getByRole('dialog', { name: 'Keys' });
      await expect(keys).toBeVisible();
      await expect(keys.getByRole('heading', { name: 'Keys' })).toBeInViewport();
      await expect(keys.getByRole('button', { name: /^Close/ })).toBeFocused();
      await expect(keys).toContainText('score the focused criterion');
      // Keys meant for the scorecard do nothing behind a modal dialog.
      await page.keyboard.press('3');
      await page.keyboard.press('Escape');
      await expect(keys).toBeHidden();
      await expect(criterion(page, 4)).toBeFocused();
      await expect(criterion(page, 4)).toContainText('Not scored yet');
      await expectClearOfHeader(page, 4);

      // ? closes it too.
      await page.keyboard.press('?');
      await expect(keys).toBeVisible();
      await page.keyboard.press('?');
      await expect(keys).toBeHidden();
      await expect(criterion(page, 4)).toBeFocused();
    });
  });
}

test('a number above the scale, or above the recommendations, says so in a polite live region', async ({ page }) => {
  await openScorecard(page);
  const before = await criterion(page, 0).innerText();
  await page.keyboard.press('5');
  const notice = page.getByRole('status').filter({ hasText: '4 is the highest level on this rubric.' });
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('aria-live', 'polite');
  await expect(criterion(page, 0)).toBeFocused();
  expect(await criterion(page, 0).innerText()).toBe(before);

  const chosen = recommendation(page).getByRole('radio', { checked: true });
  const recommended = await chosen.count();
  await page.keyboard.press('r');
  await page.keyboard.press('7');
  await expect(page.getByRole('status').filter({ hasText: 'Recommendations go from 1 (strong no) to 4 (strong yes).' })).toBeVisible();
  await expect(chosen).toHaveCount(recommended);

  // The same message twice is said twice: it comes back after a key that worked.
  await page.keyboard.press('j');
  await page.keyboard.press('4');
  await expect(criterion(page, 1)).toContainText('4 · Exceptional');
  await page.keyboard.press('9');
  await expect(page.getByRole('status').filter({ hasText: '4 is the highest level on this rubric.' })).toBeVisible();
  await expect(criterion(page, 1)).toContainText('4 · Exceptional');
});

test('Ctrl+Enter on an incomplete scorecard lists what is missing and goes to the first gap; Submit is offered only when nothing is', async ({ page }) => {
  // The demo's draft for this interview is half done: what is missing is read from the screen.
  await openScorecard(page);
  const rows = criteria(page).locator(':scope > li');
  const gaps: number[] = [];
  for (let n = 0; n < (await rows.count()); n++) {
    if ((await criterion(page, n).getByRole('radio', { checked: true }).count()) === 0) gaps.push(n);
  }
  const recommended = (await recommendation(page).getByRole('radio', { checked: true }).count()) > 0;
  expect(gaps.length, 'the demo draft has criteria left to score').toBeGreaterThan(0);
  const title = async (n: number) => ((await criterion(page, n).getByRole('heading', { level: 2 }).textContent()) ?? '').trim();

  await page.keyboard.press('Control+Enter');
  const missing = page.getByRole('dialog', { name: 'Not ready to submit yet' });
  await expect(missing).toBeVisible();
  const items = missing.getByRole('listitem');
  await expect(items).toHaveCount(gaps.length + (recommended ? 0 : 1));
  for (const [i, n] of gaps.entries()) await expect(items.nth(i)).toContainText(await title(n));
  if (!recommended) await expect(items.last()).toContainText('Recommendation');
  await expect(missing.getByRole('button', { name: /Submit/ })).toHaveCount(0);
  const go = missing.getByRole('button', { name: `Go to ${await title(gaps[0] ?? 0)}` });
  await expect(go).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(missing).toBeHidden();
  await expect(criterion(page, gaps[0] ?? 0)).toBeFocused();

  // Esc closes the list and the focus goes back where it was.
  await page.keyboard.press('Control+Enter');
  await expect(missing).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(missing).toBeHidden();
  await expect(criterion(page, gaps[0] ?? 0)).toBeFocused();

  // Every criterion scored: the Submit button still lists what is missing (the recommendation), and goes there.
  for (const n of gaps) {
    await criterion(page, n).focus();
    await page.keyboard.press('2');
  }
  if (recommended) {
    await page.getByRole('button', { name: 'Submit scorecard' }).click();
  } else {
    await page.getByRole('button', { name: 'Submit scorecard' }).click();
    await expect(items).toHaveCount(1);
    await missing.getByRole('button', { name: 'Go to Recommendation' }).click();
    await expect(recommendation(page).getByRole('radio', { name: '1 Strong no' })).toBeFocused();
    await page.keyboard.press('Space');
    await expect(recommendation(page).getByRole('radio', { name: '1 Strong no' })).toHaveAttribute('aria-checked', 'true');
    await saved(page);
    await page.keyboard.press('Control+Enter');
  }
  const confirm = page.getByRole('dialog', { name: 'Submit your scorecard?' });
  await expect(confirm.getByRole('button', { name: 'Submit' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
});

test('the evidence, the take-aways and the private note show their limit as it comes near and take nothing past it', async ({ page }) => {
  await openScorecard(page);
  const evidence = criterion(page, 0).getByRole('textbox', { name: /^Evidence for / });
  await page.keyboard.press('e');
  await expect(evidence).toBeFocused();
  await evidence.fill('x'.repeat(17_990));
  await saved(page);
  await expect(criterion(page, 0).getByText(/characters/)).toHaveCount(0);
  await page.keyboard.type('y'.repeat(20));
  await expect(criterion(page, 0).getByText('18,010 of 20,000 characters · 1,990 left')).toBeVisible();
  await expect(evidence).toHaveAccessibleDescription('18,010 of 20,000 characters · 1,990 left');

  await evidence.fill('x'.repeat(19_995));
  await page.keyboard.type('0123456789');
  await expect(evidence).toHaveValue(`${'x'.repeat(19_995)}01234`);
  await expect(criterion(page, 0).getByText('Limit reached: 20,000 characters')).toBeVisible();
  // A time stamp does not fit either, and the screen says so instead of failing the save.
  await page.keyboard.press('Alt+t');
  await expect(page.getByRole('status').filter({ hasText: 'No room for a time stamp' })).toBeVisible();
  await saved(page);

  for (const label of ['Key take-aways', 'Private note (only you see it)']) {
    const box = page.getByRole('textbox', { name: label });
    await box.fill('z'.repeat(19_999));
    await box.press('End');
    await page.keyboard.type('abc');
    await expect(box).toHaveValue('z'.repeat(19_999) + 'a');
    await expect(box).toHaveAccessibleDescription('Limit reached: 20,000 characters');
    await saved(page);
  }
  await expect(page.getByText(/^Not saved/)).toHaveCount(0);

  await page.reload();
  await expect(criterion(page, 0)).toBeFocused();
  await expect(evidence).toHaveValue(`${'x'.repeat(19_995)}01234`);
  await expect(page.getByRole('textbox', { name: 'Key take-aways' })).toHaveValue('z'.repeat(19_999) + 'a');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a submitted scorecard shows no clock, no saved indicator and no editing hints, and its choices read at 4.5:1 or more (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openScorecard(page);
    await expect(page.getByRole('timer', { name: 'Elapsed time' })).toBeVisible();
    await expect(page.getByText(/Ctrl\+Enter submit/)).toBeVisible();
    await scoreEverything(page);
    await page.keyboard.press('Control+Enter');
    await page.getByRole('dialog', { name: 'Submit your scorecard?' }).getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();

    await expect(page.getByRole('timer')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: /saved|saving/ })).toHaveCount(0);
    await expect(page.getByText(/Ctrl\+Enter submit/)).toHaveCount(0);
    await expect(page.getByText('(r, then 1–4)')).toHaveCount(0);
    await expect(page.getByText(/e to write, t to stamp/)).toHaveCount(0);
    await expect(page.getByRole('textbox')).toHaveCount(0);

    const chosen = recommendation(page).getByRole('radio', { checked: true });
    await expect(chosen).toHaveAccessibleName('3 Yes');
    const rec = await contrastOf(chosen);
    expect(rec.opacity).toBe(1);
    expect(rec.ratio).toBeGreaterThanOrEqual(4.5);
    for (const [n, name] of [
      [0, '3 Solid'],
      [2, '2 Some concern'],
      [3, '4 Exceptional'],
      [4, '1 Clear concern'],
    ] as const) {
      const level = criterion(page, n).getByRole('radio', { name });
      await expect(level).toHaveAttribute('aria-checked', 'true');
      const c = await contrastOf(level);
      expect(c.opacity, name).toBe(1);
      expect(c.ratio, name).toBeGreaterThanOrEqual(4.5);
    }
    // The chosen levels and the recommendation also read as text.
    await expect(criterion(page, 0)).toContainText('3 · Solid');
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the scorecard's dialogs, notices and submitted state pass axe (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openScorecard(page);
    const found: string[] = [];
    const audit = async (what: string) => {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      for (const v of results.violations) found.push(`[${what}] ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    await page.keyboard.press('9');
    await expect(page.getByRole('status').filter({ hasText: 'is the highest level' })).toBeVisible();
    await audit('notice');
    await page.keyboard.press('?');
    await expect(page.getByRole('dialog', { name: 'Keys' })).toBeVisible();
    await audit('keys');
    await page.keyboard.press('Escape');
    // The keys go to the scorecard again only once the dialog has closed and given the focus back.
    await expect(page.getByRole('dialog', { name: 'Keys' })).toBeHidden();
    await expect(criterion(page, 0)).toBeFocused();
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('dialog', { name: 'Not ready to submit yet' })).toBeVisible();
    await audit('not ready to submit');
    await page.keyboard.press('Escape');
    await scoreEverything(page);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByRole('dialog', { name: 'Submit your scorecard?' })).toBeVisible();
    await audit('submit your scorecard');
    await page.keyboard.press('Enter');
    await expect(page.getByText(/^Submitted .* It is read-only/)).toBeVisible();
    await audit('submitted');
    await page.getByRole('button', { name: 'Amend' }).click();
    await expect(page.getByRole('textbox', { name: 'Why are you amending it?' })).toBeVisible();
    await audit('amending');
    expect(found, found.join('\n')).toEqual([]);
  });
}
