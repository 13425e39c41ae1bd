import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME } from '../../src/main/core';
import { checkBundleInWorkers } from '../../src/main/core/exchange/check-in-workers';
import { checkBundleHere, revisionCount, type CheckProgress } from '../../src/main/core/exchange/checked-bundle';
import { exportBundle, importBundle, previewBundle } from '../../src/main/core/services/bundles';
import { cancelJob } from '../../src/main/core/services/jobs';
import type { Bundle } from '../../src/shared/bundle';
import type { CoreEvent } from '../../src/shared/contract';
import { AppError } from '../../src/shared/result';
import { openTestCore, type TestCore } from '../support/core';

/**
 * The app reads and checks .panelist files in worker threads (the built `out/main/bundle-worker.js`,
 * built by the test setup): the same answers as the in-process checks the other bundle tests use,
 * progress as it goes, and a cancel that stops it with nothing written.
 */

const WORKER = join(process.cwd(), 'out', 'main', 'bundle-worker.js');
const inWorkers = (file: Buffer, run?: Parameters<typeof checkBundleInWorkers>[1]) => checkBundleInWorkers(file, run, WORKER);

let source: TestCore;
let file: Buffer;
const opened: TestCore[] = [];

beforeAll(async () => {
  source = await openTestCore();
  const loaded = await source.call('demo:load', { candidates: 40, interviewers: 12, seed: 3 });
  expect(loaded.ok).toBe(true);
  file = exportBundle(source.ctx, { kind: 'full' }).file;
}, 120_000);

afterAll(() => {
  for (const core of [source, ...opened]) core.dispose();
});

async function destination(): Promise<TestCore> {
  const core = await openTestCore(undefined, { checkBundle: inWorkers });
  opened.push(core);
  return core;
}

const bundleOf = (bytes: Buffer) => JSON.parse(gunzipSync(bytes).toString('utf8')) as Bundle;
const fileOf = (bundle: Bundle) => gzipSync(Buffer.from(JSON.stringify(bundle)));

function databaseHash(core: TestCore): string {
  const db = join(core.dir, DATABASE_FILE_NAME);
  const hash = createHash('sha256').update(readFileSync(db));
  if (existsSync(`${db}-wal`)) hash.update(readFileSync(`${db}-wal`));
  return hash.digest('hex');
}

describe('bundle workers', () => {
  it('answer exactly as the in-process checks do, saying how far they got', async () => {
    const progress: CheckProgress[] = [];
    const checked = await inWorkers(file, { onProgress: (p) => progress.push(p) });
    const here = checkBundleHere(file);
    expect(checked.bundle).toEqual(here.bundle);
    expect(checked.revisionProblems).toEqual(here.revisionProblems);
    const total = revisionCount(here.bundle);
    expect(total).toBeGreaterThan(300);
    expect(checked.revisionProblems.flat()).toHaveLength(total);
    expect(checked.revisionProblems.flat().every((p) => p === null)).toBe(true);
    expect(progress[0]).toEqual({ phase: 'reading', done: 0, total: 0 });
    expect(progress.at(-1)).toEqual({ phase: 'verifying', done: total, total });
    const dones = progress.filter((p) => p.phase === 'verifying').map((p) => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('name the revision that was edited on the way, and refuse a broken file with the same line', async () => {
    const edited = bundleOf(file);
    const revision = edited.scorecards[7]!.revisions[0]!;
    const bytes = Buffer.from(revision.bytes, 'base64').toString('utf8').replace(/"takeaways":"/, '"takeaways":"edited ');
    revision.bytes = Buffer.from(bytes).toString('base64');
    const checked = await inWorkers(fileOf(edited));
    expect(checked.revisionProblems[7]![0]).toBe('its content does not match its hash');
    expect(checked.revisionProblems.flat().filter((p) => p !== null)).toHaveLength(1);

    const truncated = file.subarray(0, file.length >> 1);
    const inProcess = (() => {
      try {
        checkBundleHere(truncated);
      } catch (error) {
        return (error as AppError).message;
      }
    })();
    await expect(inWorkers(truncated)).rejects.toMatchObject({ code: 'invalid_input', message: inProcess });
    await expect(inWorkers(Buffer.from('not a bundle'))).rejects.toThrow(/not a Panelist bundle/);
    // A file only the first worker can judge (the others do not check the format): its refusal, every time.
    const partial = gzipSync(Buffer.from(JSON.stringify({ format: 'panelist-bundle', schemaVersion: 1, kind: 'full' })));
    const expected = (() => {
      try {
        checkBundleHere(partial);
      } catch (error) {
        return (error as AppError).message;
      }
    })();
    for (let i = 0; i < 5; i++) await expect(inWorkers(partial)).rejects.toMatchObject({ code: 'invalid_input', message: expected });
  });

  it('import with progress pushed under the caller\'s ticket, the same database as in-process', async () => {
    const core = await destination();
    const seen: CoreEvent[] = [];
    const unsubscribe = core.subscribe((event) => seen.push(event));
    const ticket = core.ctx.newId();
    const preview = await previewBundle(core.ctx, file, {}, ticket);
    const summary = await importBundle(core.ctx, file, {}, ticket);
    unsubscribe();
    expect(summary).toEqual(preview);
    const progress = seen.filter((e) => e.name === 'job:progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((e) => e.payload.ticket === ticket)).toBe(true);
    const revisions = (c: TestCore) => c.ctx.db.prepare(`SELECT scorecard_id, revision, hash FROM scorecard_revisions ORDER BY scorecard_id, revision`).all();
    expect(revisions(core)).toHaveLength(revisionCount(bundleOf(file)));
    const inProcess = await openTestCore();
    opened.push(inProcess);
    await importBundle(inProcess.ctx, file);
    expect(revisions(core)).toEqual(revisions(inProcess));
    // Nothing left running under the ticket once it is done.
    expect(cancelJob(core.ctx, ticket)).toEqual({ cancelled: false });
  });

  it('stop on cancel, with nothing written', async () => {
    const core = await destination();
    const before = databaseHash(core);
    const ticket = core.ctx.newId();
    const answers: { cancelled: boolean }[] = [];
    const unsubscribe = core.subscribe((event) => {
      if (event.name === 'job:progress' && event.payload.phase === 'verifying' && !answers.length) answers.push(cancelJob(core.ctx, ticket));
    });
    await expect(importBundle(core.ctx, file, {}, ticket)).rejects.toMatchObject({ code: 'cancelled', message: 'The import was cancelled: nothing was written.' });
    unsubscribe();
    expect(answers).toEqual([{ cancelled: true }]);
    expect(databaseHash(core)).toBe(before);
    const aborted = new AbortController();
    aborted.abort();
    await expect(inWorkers(file, { signal: aborted.signal })).rejects.toBeInstanceOf(AppError);
    // The same file imports afterwards.
    expect((await importBundle(core.ctx, file, {}, ticket)).added.scorecards).toBeGreaterThan(0);
  });
});
