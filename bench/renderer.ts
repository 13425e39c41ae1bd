/**
 * The renderer in Chromium through serve mode: how long a scorecard takes to open, and how long a
 * score keystroke takes to show "● saved". Timings are taken inside the page (performance.now()),
 * so that Playwright's round trips and polling are not part of them.
 */
import { chromium, expect, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../tests/e2e/chromium';

export interface RendererTimings {
  /** Per navigation: from navigation start to the first criterion row having the focus. */
  firstScorecardMs: number[];
  /** Per keystroke: from the keydown to the save indicator saying saved again. */
  keyToSavedMs: number[];
  /** The score the last keystroke set on the first criterion (for the caller to check). */
  lastValue: number;
}

/** In every document: when each element got the focus, in the document's own clock. */
const RECORD_FOCUS = `
  document.addEventListener('focusin', (event) => {
    window.__benchFocus = { element: event.target, at: performance.now() };
  }, true);`;

/** When the element that has the focus now got it (ms since navigation start), or null. */
const FOCUSED_AT = `(() => {
  const focus = window.__benchFocus;
  return focus && focus.element === document.activeElement ? focus.at : null;
})()`;

/**
 * In the page: presses keys[i] on the focused criterion (a keydown that bubbles to the window,
 * where the scorecard listens) and waits for the indicator's data-status to go to 'saving' and
 * back to 'saved'. A keystroke that starts no save, or a failed save, is an error, not a sample.
 */
const PRESS_AND_WAIT_FOR_SAVED = `async (keys) => {
  const indicator = document.querySelector('.save-indicator');
  const target = document.activeElement;
  if (!indicator || indicator.getAttribute('data-status') !== 'saved') throw new Error('the scorecard is not in the saved state');
  const samples = [];
  for (const key of keys) {
    const saved = new Promise((resolve, reject) => {
      let sawSaving = false;
      const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no save within 10 s of key ' + key)); }, 10000);
      const observer = new MutationObserver(() => {
        const status = indicator.getAttribute('data-status');
        if (status === 'saving') sawSaving = true;
        else if (status === 'saved' && sawSaving) { clearTimeout(timer); observer.disconnect(); resolve(performance.now()); }
        else if (status === 'failed') { clearTimeout(timer); observer.disconnect(); reject(new Error('the save failed')); }
      });
      observer.observe(indicator, { attributes: true, attributeFilter: ['data-status'] });
    });
    const t0 = performance.now();
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    samples.push((await saved) - t0);
  }
  return samples;
}`;

/**
 * `serveUrl` is what serve mode prints (http://127.0.0.1:PORT/#token=…); `interviewId` one of my
 * interviews whose scorecard is a draft.
 */
export async function measureRenderer(
  serveUrl: string,
  interviewId: string,
  options: { navigations: number; keystrokes: number },
): Promise<RendererTimings> {
  const firstCriterion = (page: Page) => page.getByRole('list', { name: 'Criteria' }).locator(':scope > li').first();
  // The E2E tests' Chromium: PANELIST_CHROMIUM or /usr/bin/chromium, never a download.
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.addInitScript(RECORD_FOCUS);
    // The app keeps the token in this tab's sessionStorage, so later addresses need not carry it.
    await page.goto(serveUrl);
    await expect(page).toHaveURL(/#\/today$/);
    const scorecardUrl = `${new URL(serveUrl).origin}/#/interviews/${interviewId}/scorecard`;

    const firstScorecardMs: number[] = [];
    for (let i = 0; i < options.navigations; i++) {
      // From another document, so that every navigation loads the app afresh (a hash change would not).
      await page.goto('about:blank');
      await page.goto(scorecardUrl);
      await expect(firstCriterion(page)).toBeFocused({ timeout: 60_000 });
      const at = await page.evaluate<number | null>(FOCUSED_AT);
      if (at === null) throw new Error('the focus time of the first criterion was not recorded');
      firstScorecardMs.push(at);
    }

    // One untimed keystroke, then keys that each change the score: 2, 3, 4, 1, 2, …
    const keys = Array.from({ length: options.keystrokes + 1 }, (_, i) => String((i % 4) + 1));
    // A string is evaluated as is (no argument is passed to it), so the keys go into the source.
    const samples = await page.evaluate<number[]>(`(${PRESS_AND_WAIT_FOR_SAVED})(${JSON.stringify(keys)})`);
    await expect(firstCriterion(page)).toContainText(`${keys.at(-1)} · `);
    return { firstScorecardMs, keyToSavedMs: samples.slice(1), lastValue: Number(keys.at(-1)) };
  } finally {
    await browser.close();
  }
}

/**
 * In the page, with the palette open: for each query, puts it in the palette's field as a keystroke
 * would (the value, then an input event) and waits for the listbox to show the answer to it (its
 * data-query attribute names the query its options answer). Consecutive queries differ.
 */
const TYPE_AND_WAIT_FOR_RESULTS = `async (queries) => {
  const input = document.getElementById('palette-input');
  const list = document.getElementById('palette-list');
  if (!input || !list) throw new Error('the palette is not open');
  const samples = [];
  for (const query of queries) {
    const shown = new Promise((resolve, reject) => {
      const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no results within 10 s for ' + query)); }, 10000);
      const observer = new MutationObserver(() => {
        if (list.getAttribute('data-query') === query) { clearTimeout(timer); observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(list, { attributes: true, attributeFilter: ['data-query'] });
    });
    const t0 = performance.now();
    input.value = query;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: query.slice(-1), inputType: 'insertText' }));
    samples.push((await shown) - t0);
  }
  return samples;
}`;

/**
 * The command palette on the served demo: Ctrl+K, then names typed one letter at a time; per
 * keystroke, the time until the listbox shows the answer to it (search:all over HTTP and the render).
 */
export async function measurePaletteSearch(serveUrl: string, words: readonly string[]): Promise<number[]> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage();
    await page.goto(serveUrl);
    await expect(page).toHaveURL(/#\/today$/);
    await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible({ timeout: 60_000 });
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('combobox', { name: 'Go to or run' })).toBeFocused();
    // "a", "al", "ali", …, then the next word from its first letter (an empty field between words).
    const queries = words.flatMap((word) => [...Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1)), '']);
    // One untimed word first, so that the page and the server are warm.
    await page.evaluate(`(${TYPE_AND_WAIT_FOR_RESULTS})(${JSON.stringify(['warm', 'war', ''])})`);
    const samples = await page.evaluate<number[]>(`(${TYPE_AND_WAIT_FOR_RESULTS})(${JSON.stringify(queries)})`);
    // The empty field answers at once without asking the core: only the keystrokes with text count.
    return samples.filter((_, i) => queries[i] !== '');
  } finally {
    await browser.close();
  }
}
