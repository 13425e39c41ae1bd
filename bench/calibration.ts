/**
 * Calibration figures: the whole organisation's report from the database, interval alpha over a
 * million ratings, and the view in Chromium from its data to every chart drawn.
 */
import { chromium, expect } from '@playwright/test';
import { krippendorffAlpha } from '../src/shared/calibration';
import { chromiumLaunchOptions } from '../tests/e2e/chromium';
import { median } from './stats';

/** A million ratings: 250,000 units × 4 raters on a 1–4 scale, drawn from a seeded generator. */
export function alphaOnAMillion(runs = 5): number {
  let state = 12345;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const matrix = Array.from({ length: 250_000 }, () => {
    const level = 1 + Math.floor(next() * 4);
    return Array.from({ length: 4 }, () => Math.min(4, Math.max(1, level + Math.round(next() * 2 - 1))));
  });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    krippendorffAlpha(matrix, 'interval');
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** All charts drawn: the leniency, distribution and session charts' canvases have pixels. */
const CHARTS_DRAWN = `(() => {
  const canvases = [...document.querySelectorAll('.calibration canvas')];
  return canvases.length >= 3 && canvases.every((c) => c.width > 0 && c.height > 0);
})()`;

/** Milliseconds from the report's arrival (its response end) to every chart drawn; median of `runs`. */
export async function calibrationViewRender(serveUrl: string, runs = 5): Promise<number> {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serveUrl);
    await expect(page).toHaveURL(/#\/today$/);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.goto('about:blank');
      await page.goto(`${new URL(serveUrl).origin}/#/calibration`);
      // Polled with evaluate: waitForFunction compiles a string in the page, which the CSP forbids.
      await expect.poll(() => page.evaluate<boolean>(CHARTS_DRAWN), { timeout: 120_000, intervals: [10] }).toBe(true);
      // Charts draw synchronously when their component mounts: the next frame has them on screen.
      const drawnAt = await page.evaluate<number>('new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))');
      const dataAt = await page.evaluate<number>(
        `performance.getEntriesByType('resource').filter((e) => e.name.includes('/rpc/calibration:report')).map((e) => e.responseEnd).pop() ?? 0`,
      );
      samples.push(drawnAt - dataAt);
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}
