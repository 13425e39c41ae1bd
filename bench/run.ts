/**
 * `npm run bench`: prints a table and writes bench/results.json as [{ name, unit, value }].
 * Figures are medians or percentiles of one run; nothing here asserts on time.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../src/shared/dispatch';
import { openCore } from '../src/main/core';
import { startServer } from '../src/main/http/server';
import { rendererDir } from '../src/main/paths';
import { percentile } from './stats';

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
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const cell = cells[i % cells.length];
    const t0 = performance.now();
    const result = await dispatch(core.handlers, 'scorecards:set-score', { ...cell, value: (i % 4) + 1 });
    samples.push(performance.now() - t0);
    if (!result.ok) throw new Error(result.error.message);
  }
  record('core.set_score.p50_ms', 'ms', percentile(samples, 50));
  record('core.set_score.p99_ms', 'ms', percentile(samples, 99));

  const server = await startServer({ handlers: core.handlers, rendererDir: rendererDir() });
  const rpc: number[] = [];
  for (let i = 0; i < 500; i++) {
    const cell = cells[i % cells.length];
    const t0 = performance.now();
    const response = await fetch(`http://127.0.0.1:${server.port}/rpc/scorecards:set-score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-panelist-token': server.token },
      body: JSON.stringify({ ...cell, value: (i % 4) + 1 }),
    });
    const body = (await response.json()) as { ok: boolean };
    rpc.push(performance.now() - t0);
    if (!body.ok) throw new Error('rpc failed');
  }
  record('serve.rpc.p50_ms', 'ms', percentile(rpc, 50));
  await server.close();
  core.close();
}

async function demoBuild(): Promise<void> {
  const dataDir = join(scratch, 'demo');
  mkdirSync(dataDir);
  const core = await openCore({ dataDir, version: 'bench' });
  const t0 = performance.now();
  const result = await dispatch(core.handlers, 'demo:load', { candidates: 20_000, interviewers: 2_000, seed: 1 });
  const elapsed = performance.now() - t0;
  if (!result.ok) throw new Error(result.error.message);
  record('demo.build_ms', 'ms', elapsed);
  core.close();
}

try {
  sqliteCommitFloor();
  await setScoreAndRpc();
  await demoBuild();
  const floor = rows.find((r) => r.name === 'sqlite.commit.p99_ms')?.value ?? Number.NaN;
  const p99 = rows.find((r) => r.name === 'core.set_score.p99_ms')?.value ?? Number.NaN;
  console.log(`core.set_score.p99 / sqlite.commit.p99 = ${(p99 / floor).toFixed(2)} (target ≤ 2)`);
  mkdirSync('bench', { recursive: true });
  writeFileSync(join('bench', 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
