// `npm test`: type checks, lint, unit and integration tests (vitest), then the E2E suite
// (Playwright in Chromium). Every step runs even when an earlier one fails; the last line
// counts every check and test: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const reports = join(root, 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

check('Type check (main, preload, shared, tests)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']);
check('Type check (renderer)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json']);
check('svelte-check', bin('svelte-check'), ['--tsconfig', 'tsconfig.web.json', '--fail-on-warnings', '--output', 'human']);
check('Lint', bin('eslint'), ['.']);
check('Security scan (electronegativity)', process.execPath, [join(root, 'scripts', 'security-scan.js')]);
const built = run('Build', process.execPath, [join(root, 'scripts', 'ensure-built.js')]);
if (!built) {
  totals.failed++;
  failures.push('Build');
}

const vitestReport = join(reports, 'vitest.json');
const vitestOk = run('Unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
const vitest = readJson(vitestReport);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
  if (vitest.numFailedTests > 0 || !vitestOk) failures.push('vitest');
}
if (!vitest || (!vitestOk && vitest.numFailedTests === 0)) {
  totals.failed++;
  failures.push('vitest (did not run to the end)');
}

const e2eReport = join(reports, 'e2e.json');
const e2eOk = built && run('E2E tests (Playwright, Chromium)', bin('playwright'), ['test']);
const e2e = existsSync(e2eReport) ? readJson(e2eReport) : null;
if (e2e?.stats) {
  totals.passed += e2e.stats.expected + e2e.stats.flaky;
  totals.failed += e2e.stats.unexpected;
  totals.skipped += e2e.stats.skipped;
  if (e2e.stats.unexpected > 0) failures.push('e2e');
}
if (!e2e?.stats || (!e2eOk && e2e.stats.unexpected === 0)) {
  totals.failed++;
  failures.push('e2e (did not run to the end)');
}

process.stdout.write(`\n${failures.length ? `Failed: ${failures.join(', ')}\n` : ''}`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
