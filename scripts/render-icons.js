// Renders the app icon (resources/icon.svg) to the PNG sizes packaging and the window need, with
// Chromium through Playwright, and copies the favicon into the renderer's public folder.
// Run it after changing the SVG: `node scripts/render-icons.js`; the outputs are committed.
import { chromium } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resources = join(root, 'resources');
const publicDir = join(root, 'src', 'renderer', 'public');
const svg = readFileSync(join(resources, 'icon.svg'));
const SIZES = [16, 32, 256, 512];

const browser = await chromium.launch({ executablePath: process.env.PANELIST_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
  mkdirSync(join(resources, 'icons'), { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.locator('img').evaluate((img) => img.decode());
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    // electron-builder reads a folder of <size>x<size>.png for Linux and icon.png (512) elsewhere.
    writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png);
    if (size === 512) writeFileSync(join(resources, 'icon.png'), png);
    if (size === 32) writeFileSync(join(publicDir, 'favicon-32.png'), png);
    if (size === 256) writeFileSync(join(publicDir, 'icon-256.png'), png);
  }
  copyFileSync(join(resources, 'icon.svg'), join(publicDir, 'favicon.svg'));
} finally {
  await browser.close();
}
process.stdout.write(`Rendered ${SIZES.join(', ')} px icons into resources/ and the favicon into src/renderer/public/.\n`);
