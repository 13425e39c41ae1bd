import { _electron as electron, expect, test } from '@playwright/test';
import { ROOT, tempDataDir } from '../support/cli';
// @ts-expect-error -- a plain JavaScript helper shared with scripts/start.js
import { electronBinary } from '../../scripts/electron-binary.js';

const binary = (electronBinary as (root: string) => string | null)(ROOT);

test.describe('desktop app (Electron)', () => {
  test.skip(binary === null, "Electron's binary is not installed on this machine (it cannot be downloaded offline); the same flows run in Chromium through serve mode.");

  test('opens the empty installation and loads the demo data', async () => {
    const data = tempDataDir();
    const app = await electron.launch({ ...(binary ? { executablePath: binary } : {}), args: [ROOT, '--data-dir', data.dir] });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Welcome to Panelist' })).toBeVisible();
      await window.getByRole('button', { name: 'Load demo data' }).click();
      await expect(window.getByText(/Showing 1–50 of 200 candidates/)).toBeVisible();
      const exposed = await window.evaluate(() => Object.keys((window as unknown as { panelist: object }).panelist));
      expect(exposed).toEqual(['invoke']);
    } finally {
      await app.close();
      data.remove();
    }
  });

  test('opens a scorecard in an always-on-top call-mode window', async () => {
    const data = tempDataDir();
    const app = await electron.launch({ ...(binary ? { executablePath: binary } : {}), args: [ROOT, '--data-dir', data.dir] });
    try {
      const window = await app.firstWindow();
      await window.getByRole('button', { name: 'Load demo data' }).click();
      await window.getByRole('link', { name: 'Today' }).click();
      await window.getByRole('link', { name: /^Score / }).first().click();
      const callWindow = app.waitForEvent('window');
      await window.getByRole('button', { name: 'Call mode' }).click();
      const small = await callWindow;
      await expect(small.getByRole('list', { name: 'Criteria' })).toBeVisible();
      const onTop = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isAlwaysOnTop()));
      expect(onTop.filter(Boolean)).toHaveLength(1);
    } finally {
      await app.close();
      data.remove();
    }
  });
});
