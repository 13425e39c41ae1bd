/**
 * `npm run bench`: prints a table and writes bench/results.json as [{ name, unit, value }].
 * Figures are medians or percentiles of one run; nothing here asserts on time.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, InputOf, OutputOf } from '../src/shared/contract';
import { dispatch } from '../src/shared/dispatch';
import type { Result } from '../src/shared/result';
import { openCore, type Core } from '../src/main/core';
import { startServer } from '../src/main/http/server';
import { rendererDir } from '../src/main/paths';
import { backupOnDemo } from './backup';
import { gzippedBytes, initialScripts } from './bundle';
import { bundleRoundTrip } from './bundles';
import { hubRows } from './hub';
import { packetBench } from './packets';
import { alphaOnAMillion, calibrationViewRender } from './calibration';
import { measurePaletteSearch, measureRenderer } from './renderer';
import { median, percentile } from './stats';

interface Row {
  name: string;
  unit: string;
  value: number;
}

const rows: Row[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'panelist-bench-'));
const record = (name: string, unit: string, value: number) => {
  rows.push({ name, unit, value: Math.round(value * 1000) / 1000 });
  console.log(`${name.padEnd(28)} ${String(rows.at(-1)?.value).padStart(12)} ${unit}`);
};

/** dispatch() with the channel's own types (dispatch itself takes and returns unknown). */
const call = <C extends Channel>(core: Core, channel: C, input: InputOf<C>) =>
  dispatch(core.handlers, channel, input) as Promise<Result<OutputOf<C>>>;

function sqliteCommitFloor(): void {
  const db = new Database(join(scratch, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT');
  const upsert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v');
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    upsert.run(i % 50, i);
    samples.push(performance.now() - t0);
  }
  db.close();
  record('sqlite.commit.p50_ms', 'ms', percentile(samples, 50));
  record('sqlite.commit.p99_ms', 'ms', percentile(samples, 99));
}

async function setScoreAndRpc(): Promise<void> {
  const dataDir = join(scratch, 'core');
  mkdirSync(dataDir);
  const core = await openCore({ dataDir, version: 'bench' });
  await dispatch(core.handlers, 'demo:load', { candidates: 2000, interviewers: 200, seed: 7 });
  // My draft scorecards and their criteria: the cells an interviewer would be scoring.
  const cells = core.ctx.db
    .prepare<[string], { scorecardId: string; criterionId: string }>(
      `SELECT s.id AS scorecardId, c.id AS criterionId FROM scorecards s
       JOIN criteria c ON c.rubric_version_id = s.rubric_version_id
       WHERE s.interviewer_id = ? AND s.status = 'draft'`,
    )
    .all(core.ctx.meId);
  if (cells.length === 0) throw new Error('the demo gave me no draft scorecard to score');
  // Each write names the revision at which its field last changed, as the scorecard screen does.
  const seen = new Map<string, number>();
  const seenRevision = (cell: { scorecardId: string; criterionId: string }) => seen.get(`${cell.scorecardId}|${cell.criterionId}`) ?? 0;
  const saw = (cell: { scorecardId: string; criterionId: string }, revision: number) => seen.set(`${cell.scorecardId}|${cell.criterionId}`, revision);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const cell = cells[i % cells.length]!;
    const t0 = performance.now();
    const result = await dispatch(core.handlers, 'scorecards:set-score', { ...cell, value: (i % 4) + 1, seenRevision: seenRevision(cell) });
    samples.push(performance.now() - t0);
    if (!result.ok) throw new Error(result.error.message);
    saw(cell, (result.value as { revision: number }).revision);
  }
  record('core.set_score.p50_ms', 'ms', percentile(samples, 50));
  record('core.set_score.p99_ms', 'ms', percentile(samples, 99));

  const server = await startServer({ handlers: core.handlers, rendererDir: rendererDir() });
  const rpc: number[] = [];
  for (let i = 0; i < 500; i++) {
    const cell = cells[i % cells.length]!;
    const t0 = performance.now();
    const response = await fetch(`http://127.0.0.1:${server.port}/rpc/scorecards:set-score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-panelist-token': server.token },
      body: JSON.stringify({ ...cell, value: (i % 4) + 1, seenRevision: seenRevision(cell) }),
    });
    const body = (await response.json()) as { ok: boolean; value: { revision: number } };
    rpc.push(performance.now() - t0);
    if (!body.ok) throw new Error('rpc failed');
    saw(cell, body.value.revision);
  }
  record('serve.rpc.p50_ms', 'ms', percentile(rpc, 50));
  await server.close();
  core.close();
}

/** Builds the 20,000-candidate demo and returns its data folder, for the measurements on it. */
async function demoBuild(): Promise<string> {
  const dataDir = join(scratch, 'demo');
  mkdirSync(dataDir);
  const core = await openCore({ dataDir, version: 'bench' });
  const t0 = performance.now();
  const result = await dispatch(core.handlers, 'demo:load', { candidates: 20_000, interviewers: 2_000, seed: 1 });
  const elapsed = performance.now() - t0;
  if (!result.ok) throw new Error(result.error.message);
  record('demo.build_ms', 'ms', elapsed);
  core.close();
  return dataDir;
}

/** candidates:list with a search term, as the Candidates screen asks for it: 25 terms, two pages each. */
async function candidateSearch(core: Core): Promise<void> {
  const terms = ['ana', 'an', 'li', 'mar', 'son', 'ra', 'el', 'ch', 'ka', 'ia', 'ta', 'en', 'sa',
    'ma', 'ar', 'in', 'os', 'ni', 'ko', 'ha', 'ber', 'pat', 'ro', 'ez', 'ya'];
  const samples: number[] = [];
  for (const search of terms) {
    for (const offset of [0, 50]) {
      const t0 = performance.now();
      const result = await dispatch(core.handlers, 'candidates:list', { search, limit: 50, offset });
      samples.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.error.message);
    }
  }
  record('candidates.search_p50_ms', 'ms', median(samples));
}

/** The built renderer's initial JavaScript, gzipped, in KB of 1,024 bytes. */
function rendererBundle(): void {
  record('renderer.js_gzip_kb', 'KB', gzippedBytes(initialScripts(rendererDir())) / 1024);
}

/** The renderer in Chromium, served from the demo: opening one of my draft scorecards, and scoring on it. */
async function rendererOnDemo(core: Core): Promise<void> {
  const today = await call(core, 'today:list', {});
  if (!today.ok) throw new Error(today.error.message);
  const mine = [...today.value.unsubmitted, ...today.value.upcoming].find((i) => i.myScorecard?.status !== 'submitted');
  if (!mine) throw new Error('the demo gave me no interview with a draft scorecard');
  const server = await startServer({ handlers: core.handlers, rendererDir: rendererDir() });
  try {
    const timings = await measureRenderer(server.url, mine.interviewId, { navigations: 5, keystrokes: 200 });
    record('renderer.first_scorecard_ms', 'ms', median(timings.firstScorecardMs));
    record('renderer.key_to_saved_ms', 'ms', median(timings.keyToSavedMs));
    // The keystrokes really were saved: the last one is what the database holds.
    const opened = await call(core, 'scorecards:open', { interviewId: mine.interviewId });
    if (!opened.ok) throw new Error(opened.error.message);
    const first = opened.value.rubric.criteria[0];
    const stored = opened.value.scorecard.scores.find((score) => score.criterionId === first?.id)?.value;
    if (stored !== timings.lastValue) throw new Error(`the scorecard holds ${String(stored)}, not the last key ${timings.lastValue}`);
  } finally {
    await server.close();
  }
}

/** The command palette on the 20,000-candidate demo: a keystroke to its results, median. */
async function paletteOnDemo(core: Core): Promise<void> {
  const server = await startServer({ handlers: core.handlers, rendererDir: rendererDir() });
  try {
    const words = ['alex', 'maria', 'chen', 'kowal', 'ngu', 'sofia', 'patel', 'osei', 'li', 'rub', 'arch', 'soft'];
    record('palette.search_20k_ms', 'ms', median(await measurePaletteSearch(server.url, words)));
  } finally {
    await server.close();
  }
}

/**
 * Median of the report right after I amend one of my scorecards: the projection rebuilds that
 * candidate and every statistic is computed again (as after any submission, with V8 warmed up).
 */
async function calibrationAfterAmendments(core: Core, runs = 5): Promise<number> {
  const mine = core.ctx.db
    .prepare<[string], { scorecardId: string; criterionId: string; score: number }>(
      `SELECT s.id AS scorecardId, x.criterion_id AS criterionId, x.score FROM scorecards s JOIN scorecard_scores x ON x.scorecard_id = s.id
       WHERE s.interviewer_id = ? AND s.status = 'submitted' AND x.score IS NOT NULL LIMIT 1`,
    )
    .get(core.ctx.meId);
  if (!mine) throw new Error('the demo has no submitted scorecard of mine to amend');
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const value = i % 2 === 0 ? (mine.score === 1 ? 2 : 1) : mine.score;
    const seenRevision = core.ctx.repos.scorecards.head(mine.scorecardId)?.revision ?? 0;
    const amended = await call(core, 'scorecards:amend', { scorecardId: mine.scorecardId, seenRevision, reason: 'Benchmark', scores: [{ criterionId: mine.criterionId, value }] });
    if (!amended.ok) throw new Error(amended.error.message);
    const t = performance.now();
    const report = await call(core, 'calibration:report', {});
    samples.push(performance.now() - t);
    if (!report.ok) throw new Error(report.error.message);
  }
  return median(samples);
}

/** The organisation's whole calibration, from the database to the view's data: first (cold) and cached. */
async function calibrationOnDemo(core: Core): Promise<void> {
  const t0 = performance.now();
  const first = await call(core, 'calibration:report', {});
  record('calibration.org_ms', 'ms', performance.now() - t0);
  if (!first.ok) throw new Error(first.error.message);
  const cached: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await call(core, 'calibration:report', {});
    cached.push(performance.now() - t);
  }
  record('calibration.org_cached_ms', 'ms', median(cached));
  record('calibration.org_after_amend_ms', 'ms', await calibrationAfterAmendments(core));
  const server = await startServer({ handlers: core.handlers, rendererDir: rendererDir() });
  try {
    record('calibration.view_render_ms', 'ms', await calibrationViewRender(server.url));
  } finally {
    await server.close();
  }
}

/** 5,000 candidates from a CSV file to committed (the preview is not timed), median of 3 fresh installations. */
async function candidateImport(): Promise<void> {
  const lines = Array.from({ length: 5000 }, (_, i) => `"Candidate ${i}, Jr.",candidate.${i}@example.org,Job board,"Applied in November",Europe/Berlin`);
  const csv = `name,email,source,note,time zone\r\n${lines.join('\r\n')}\r\n`;
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const dir = join(scratch, `import-${run}`);
    const core = await openCore({ dataDir: dir, version: 'bench' });
    try {
      const roles = await call(core, 'roles:list', {});
      if (!roles.ok || !roles.value[0]) throw new Error('a new installation has no example role');
      const roleId = roles.value[0].id;
      const preview = await call(core, 'candidates:import-preview', { roleId, csv });
      if (!preview.ok || preview.value.errors) throw new Error('the benchmark CSV did not preview cleanly');
      const t0 = performance.now();
      const done = await call(core, 'candidates:import', { roleId, csv });
      samples.push(performance.now() - t0);
      if (!done.ok || done.value.added !== 5000) throw new Error('the benchmark CSV did not import');
    } finally {
      core.close();
    }
  }
  record('import.candidates_5k_ms', 'ms', median(samples));
}

async function onDemo(dataDir: string): Promise<void> {
  const core = await openCore({ dataDir, version: 'bench' });
  try {
    await candidateSearch(core);
    record('backup.20k_candidates_ms', 'ms', await backupOnDemo(dataDir, scratch));
    await rendererOnDemo(core);
    await paletteOnDemo(core);
    await calibrationOnDemo(core);
  } finally {
    core.close();
  }
}

/** `npm run bench -- bundles`, `-- packets` or `-- hub`: only those rows, for working on them (results.json is left alone). */
const only = process.argv[2];

async function bundleRows(): Promise<void> {
  const bundles = await bundleRoundTrip(scratch);
  console.log(`(a full bundle of ${bundles.scorecards.toLocaleString('en')} signed scorecards, ${Math.round(bundles.kilobytes).toLocaleString('en')} KB)`);
  record('bundle.export_10k_scorecards_ms', 'ms', bundles.exportMs);
  record('bundle.import_10k_scorecards_ms', 'ms', bundles.importMs);
}

async function packetRows(): Promise<void> {
  const packets = await packetBench(scratch);
  console.log(`(a decision packet of ${packets.shape})`);
  record('packet.html_ms', 'ms', packets.htmlMs);
  if (packets.pdfMs !== null) record('packet.pdf_ms', 'ms', packets.pdfMs);
  else console.log('packet.pdf_ms: no Chromium here (set PANELIST_CHROMIUM)');
  record('packets.role_html_ms_per_candidate', 'ms', packets.roleHtmlMsPerCandidate);
  record('packet.verify_ms', 'ms', packets.verifyMs);
}

async function allRows(): Promise<void> {
  sqliteCommitFloor();
  await setScoreAndRpc();
  await candidateImport();
  await bundleRows();
  await packetRows();
  await onDemo(await demoBuild());
  rendererBundle();
  record('calibration.alpha_1m_ms', 'ms', alphaOnAMillion());
  // The team hub on a throw-away PostgreSQL (each row skipped, with the reason, where it is not installed).
  await hubRows(scratch, record);
  const floor = rows.find((r) => r.name === 'sqlite.commit.p99_ms')?.value ?? Number.NaN;
  const p99 = rows.find((r) => r.name === 'core.set_score.p99_ms')?.value ?? Number.NaN;
  console.log(`core.set_score.p99 / sqlite.commit.p99 = ${(p99 / floor).toFixed(2)} (target ≤ 2)`);
  const js = rows.find((r) => r.name === 'renderer.js_gzip_kb')?.value ?? Number.NaN;
  console.log(`renderer.js_gzip_kb = ${js.toFixed(1)} (target ≤ 200)`);
  mkdirSync('bench', { recursive: true });
  writeFileSync(join('bench', 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

try {
  if (only === 'bundles') await bundleRows();
  else if (only === 'packets') await packetRows();
  else if (only === 'hub') await hubRows(scratch, record);
  else if (only) throw new Error(`npm run bench takes no argument, "bundles", "packets" or "hub", not "${only}"`);
  else await allRows();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
