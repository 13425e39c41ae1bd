import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../shared/result';

/** Prints a self-contained HTML page to PDF bytes: Electron's printToPDF in the desktop app, Chromium elsewhere. */
export type PdfPrinter = (html: string) => Promise<Buffer>;

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

const PRINT_TIMEOUT_MS = 60_000;

/** The Chromium to print with: PANELIST_CHROMIUM, else the distribution's; null when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env.PANELIST_CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : null;
  return CHROMIUMS.find((path) => existsSync(path)) ?? null;
}

/** The Chromium to print with, or the one-line refusal (asked before any work, so that a refused PDF changes nothing). */
function chromiumOrRefuse(env: NodeJS.ProcessEnv): string {
  const chromium = findChromium(env);
  if (chromium) return chromium;
  throw new AppError(
    'unavailable',
    env.PANELIST_CHROMIUM
      ? `PANELIST_CHROMIUM points at ${env.PANELIST_CHROMIUM}, which does not exist: point it at Chromium, or export the HTML packet (it prints the same).`
      : 'No Chromium found to print the PDF: install Chromium or set PANELIST_CHROMIUM to its path, or export the HTML packet (it prints the same).',
  );
}

/** Headless Chromium's --print-to-pdf, in a throw-away profile; a one-line error, never a broken file. */
export function chromiumPrinter(env: NodeJS.ProcessEnv = process.env): PdfPrinter {
  const chromium = chromiumOrRefuse(env);
  return async (html) => {
    const dir = mkdtempSync(join(tmpdir(), 'panelist-pdf-'));
    try {
      const page = join(dir, 'packet.html');
      const out = join(dir, 'packet.pdf');
      writeFileSync(page, html, { mode: 0o600 });
      const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`, pathToFileURL(page).href];
      const stderr = await run(chromium, args);
      const pdf = existsSync(out) ? readFileSync(out) : null;
      if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new AppError('unavailable', `Chromium (${chromium}) did not print the PDF: ${lastLine(stderr) || 'no output'}.`);
      }
      return pdf;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new AppError('unavailable', `Chromium (${command}) could not be started: ${error.message}.`));
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(stderr);
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
