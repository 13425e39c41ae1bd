// Builds the app (electron-vite build) when out/ is missing or older than any source file,
// so that `npm run panelist`, `npm start` and the E2E tests always run the current code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'out', '.built');
const inputs = ['src', 'bench', 'electron.vite.config.ts', 'svelte.config.js', 'package.json', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...inputs.map((p) => newestMtime(join(root, p))));
if (builtAt < changedAt || process.argv.includes('--force')) {
  process.stderr.write('Building Panelist (electron-vite build)…\n');
  execFileSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stamp, new Date().toISOString());
}
