import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, openCore, type Core } from '../../src/main/core';
import { openDatabase } from '../../src/main/core/db/connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/main/core/db/migrations';
import {
  AutomaticBackups,
  decideAfterOpenFailure,
  isBackupDue,
  keepBackupsSetting,
  latestAutomaticBackup,
  listAutomaticBackups,
  makeAutomaticBackup,
  backUpIfDue,
  followErasures,
  setKeepBackupsSetting,
  DEFAULT_KEEP_BACKUPS,
} from '../../src/main/core/services/auto-backup';
import { backupDatabase, backupDataFolder, checkDatabaseFile, restoreDatabase } from '../../src/main/core/services/backup';
import type { CoreEvent } from '../../src/shared/contract';
import { dispatch } from '../../src/shared/dispatch';
import { AppError } from '../../src/shared/result';
import { runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';
import { openTestCore, type TestCore } from '../support/core';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function folder(): string {
  const dir = tempDataDir();
  cleanups.push(dir.remove);
  return dir.dir;
}

async function testCore(): Promise<TestCore> {
  const dir = tempDataDir();
  const core = await openTestCore(dir);
  cleanups.push(() => core.dispose());
  return core;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string) => statSync(file).mode & 0o777;

/** Whether any of the text is in the file or its WAL, byte for byte. */
function fileHolds(file: string, text: string): boolean {
  const needle = Buffer.from(text, 'utf8');
  return [file, `${file}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(needle));
}

async function exampleRoleId(c: TestCore): Promise<{ roleId: string; stageId: string }> {
  const [role] = await c.value('roles:list', {});
  if (!role) throw new Error('no example role');
  const detail = await c.value('roles:get', { roleId: role.id });
  return { roleId: role.id, stageId: detail.stages[0]!.id };
}

/** A candidate with text in every place an erasure must reach: the record, an interview, a scorecard's evidence and notes. */
async function candidateWithText(c: TestCore, marker: string): Promise<string> {
  const { roleId, stageId } = await exampleRoleId(c);
  const candidate = await c.value('candidates:add', { roleId, name: `${marker} Name`, email: `${marker.toLowerCase()}@example.org`, note: `${marker}-NOTE` });
  const me = await c.value('me:get', {});
  const { interview } = await c.value('interviews:schedule', { candidateId: candidate.id, stageId, scheduledAt: '2026-11-27T09:00:00Z', panel: [me.id] });
  const view = await c.value('scorecards:open', { interviewId: interview.interviewId });
  const criterion = view.rubric.criteria[0]!;
  await c.value('scorecards:set-evidence', { scorecardId: view.scorecard.id, criterionId: criterion.id, evidence: `${marker}-EVIDENCE`, seenRevision: 0 });
  await c.value('scorecards:set-details', { scorecardId: view.scorecard.id, field: 'privateNote', value: `${marker}-PRIVATE`, seenRevision: 0 });
  return candidate.id;
}

async function candidateNames(c: Core): Promise<string[]> {
  const result = await dispatch(c.handlers, 'candidates:list', { limit: 500 });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { items: { name: string }[] }).items.map((i) => i.name).sort();
}

function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Another process with the database open, writing ten settings rows every couple of milliseconds. */
async function startWriter(database: string): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
    const Database = require(${JSON.stringify(sqlite)});
    const db = new Database(${JSON.stringify(database)}, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const put = db.prepare("INSERT INTO settings (key, value) VALUES (?, 'x')");
    let n = 0;
    let stopping = false;
    process.on('SIGTERM', () => { stopping = true; });
    console.log('ready');
    (function loop() {
      if (stopping) { db.close(); process.exit(0); }
      for (let i = 0; i < 10; i++) put.run('writer_' + String(n++).padStart(8, '0'));
      setTimeout(loop, 2);
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  cleanups.push(stop);
  return { child, stop };
}

function writerRows(file: string): number {
  const db = new Database(file, { fileMustExist: true });
  try {
    return db.prepare<[], number>(`SELECT count(*) FROM settings WHERE key LIKE 'writer_%'`).pluck(true).get() ?? 0;
  } finally {
    db.close();
  }
}

describe('panelist backup', () => {
  it('copies the database with the online backup API while another process holds it open and writes', async () => {
    const c = await testCore();
    await c.value('demo:load', { candidates: 300, interviewers: 20, seed: 3 });
    const database = join(c.dir, DATABASE_FILE_NAME);
    const writer = await startWriter(database);
    const out = folder();

    const before = writerRows(database);
    const inProcess = await backupDataFolder(c.dir, join(out, 'one.sqlite'));
    const cli = runCli(['backup', join(out, 'two.sqlite'), '--data-dir', c.dir]);
    // As the app's automatic backup does it: the core's own connection, a few pages a step, the app
    // writing through that connection between steps and the other process writing all along.
    const { roleId } = await exampleRoleId(c);
    const stepped = backupDatabase(c.ctx.db, join(out, 'three.sqlite'), { pagesPerStep: 16 });
    for (let i = 0; i < 5; i++) await c.value('candidates:add', { roleId, name: `Added During ${i}` });
    expect((await stepped).candidates).toBeGreaterThanOrEqual(300);
    const after = writerRows(database);
    await writer.stop();

    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(cli.stdout).toMatch(new RegExp(`^Backed up ${database} to ${join(out, 'two.sqlite')} \\(schema ${LATEST_SCHEMA_VERSION}, 300 candidates, [\\d.]+ MB\\)\\.\\n$`));
    expect(inProcess).toMatchObject({ file: join(out, 'one.sqlite'), schemaVersion: LATEST_SCHEMA_VERSION, candidates: 300 });
    expect(after).toBeGreaterThan(before); // the writer kept writing all along
    for (const name of ['one.sqlite', 'two.sqlite', 'three.sqlite']) {
      const file = join(out, name);
      expect(mode(file)).toBe(0o600);
      // A consistent snapshot: a whole Panelist database, with the writer's rows up to some moment.
      const copy = join(folder(), 'check.sqlite');
      copyFileSync(file, copy);
      const facts = checkDatabaseFile(copy);
      expect(facts.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      expect(facts.candidates).toBe(name === 'three.sqlite' ? facts.candidates : 300);
      expect(facts.candidates).toBeGreaterThanOrEqual(300);
      const rows = writerRows(copy);
      expect(rows).toBeGreaterThanOrEqual(before);
      expect(rows).toBeLessThanOrEqual(after);
    }
    expect(filesIn(out)).toEqual(['one.sqlite', 'three.sqlite', 'two.sqlite']);
  });

  it('refuses to overwrite a file unless --force, and leaves no temporary file', async () => {
    const c = await testCore();
    const out = folder();
    const target = join(out, 'kept.sqlite');
    writeFileSync(target, 'my own file');
    const refused = runCli(['backup', target, '--data-dir', c.dir]);
    expect(refused).toMatchObject({ code: 2, stderr: `panelist: ${target} already exists: choose another name, or add --force to replace it.\n` });
    expect(readFileSync(target, 'utf8')).toBe('my own file');
    await expect(backupDataFolder(c.dir, target)).rejects.toThrow(/already exists/);

    expect(runCli(['backup', target, '--force', '--data-dir', c.dir]).code).toBe(0);
    expect(readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(mode(target)).toBe(0o600);
    expect(filesIn(out)).toEqual(['kept.sqlite']);

    expect(runCli(['backup', join(out, 'no-such-folder', 'x.sqlite'), '--data-dir', c.dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('does not exist') });
    expect(runCli(['backup', '--data-dir', c.dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('backup needs the file to write') });
    expect(runCli(['backup', join(out, 'x.sqlite'), '--data-dir', folder()])).toMatchObject({ code: 2, stderr: expect.stringContaining('There is no database at') });
    expect(filesIn(out)).toEqual(['kept.sqlite']);
  });
});

describe('panelist restore', () => {
  /** A data folder with a closed database holding two candidates, and a backup of it. */
  async function closedDatabaseAndBackup() {
    const c = await testCore();
    const { roleId } = await exampleRoleId(c);
    await c.value('candidates:add', { roleId, name: 'Kept Candidate' });
    const backup = join(folder(), 'backup.sqlite');
    await backupDataFolder(c.dir, backup);
    await c.value('candidates:add', { roleId, name: 'Added After' });
    c.close();
    return { dir: c.dir, database: join(c.dir, DATABASE_FILE_NAME), backup };
  }

  it('refuses a file that is not a Panelist database it can open, and a database in use, changing nothing', async () => {
    const { dir, database, backup } = await closedDatabaseAndBackup();
    const bad = folder();
    const text = join(bad, 'notes.txt');
    writeFileSync(text, 'These are not the droids you are looking for.\n'.repeat(200));
    const empty = join(bad, 'empty.sqlite');
    writeFileSync(empty, '');
    const newer = join(bad, 'newer.sqlite');
    copyFileSync(backup, newer);
    const raw = new Database(newer);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.close();
    const foreign = join(bad, 'foreign.sqlite');
    const other = new Database(foreign);
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
    other.close();
    const corrupt = join(bad, 'corrupt.sqlite');
    const bytes = readFileSync(backup);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over pages 3 to 6: the header is fine, the b-trees are not.
    for (let i = pageSize * 2; i < Math.min(bytes.length, pageSize * 6); i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(corrupt, bytes);

    const hash = sha256(database);
    const files = filesIn(dir);
    const cases: [string, RegExp][] = [
      [text, /notes\.txt is not a SQLite database, so not a Panelist database\./],
      [empty, /empty\.sqlite is empty \(0 bytes\): it is not a Panelist database\./],
      [newer, new RegExp(`newer\\.sqlite was written by a newer Panelist \\(schema version ${LATEST_SCHEMA_VERSION + 10}; this one knows up to ${LATEST_SCHEMA_VERSION}\\)\\. Update Panelist to restore it\\.`)],
      [foreign, /foreign\.sqlite is a SQLite database but not Panelist's/],
      [corrupt, /corrupt\.sqlite is damaged/],
      [join(bad, 'missing.sqlite'), /missing\.sqlite does not exist\./],
    ];
    for (const [file, message] of cases) {
      const result = runCli(['restore', file, '--data-dir', dir]);
      expect(result.code, file).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n'), result.stderr).toHaveLength(2); // one line
      expect(sha256(database)).toBe(hash);
      expect(filesIn(dir)).toEqual(files);
    }

    // In use: by a core in this process, and by a serve process.
    const inUse = await openCore({ dataDir: dir, version: 'test' });
    const inUseHash = sha256(database);
    await expect(restoreDatabase({ dataDir: dir, source: backup })).rejects.toThrow(/is in use \(Panelist is running on it, or another command is\): close it and try again\. Nothing was changed\./);
    expect(sha256(database)).toBe(inUseHash);
    inUse.close();
    const served: ServeProcess = await startServe(dir);
    cleanups.push(() => served.stop());
    const servedHash = sha256(database);
    const refused = runCli(['restore', backup, '--data-dir', dir]);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringMatching(/^panelist: .*panelist\.sqlite is in use/) });
    expect(sha256(database)).toBe(servedHash);
    expect(filesIn(dir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([]);
    // A backup is fine while it runs.
    expect(runCli(['backup', join(bad, 'while-serving.sqlite'), '--data-dir', dir]).code).toBe(0);
  });

  it('brings the data back, keeps the database it replaces, and erases again whoever was erased since', async () => {
    const c = await testCore();
    const { roleId } = await exampleRoleId(c);
    const erasedLater = await candidateWithText(c, 'QUENBYLATER');
    await c.value('candidates:add', { roleId, name: 'Kept Candidate' });
    const backup = join(folder(), 'backup.sqlite');
    expect(runCli(['backup', backup, '--data-dir', c.dir]).code).toBe(0);
    expect(fileHolds(backup, 'QUENBYLATER-EVIDENCE')).toBe(true);

    // After the backup: one more candidate, the first erased, and a candidate the backup never had, erased too.
    await c.value('candidates:add', { roleId, name: 'Added After' });
    const neverInBackup = await candidateWithText(c, 'NEVERBACKEDUP');
    await c.value('candidates:erase', { candidateIds: [erasedLater] });
    await c.value('candidates:erase', { candidateIds: [neverInBackup] });
    const tombstones = c.ctx.db.prepare('SELECT * FROM erasures ORDER BY candidate_id').all();
    expect(tombstones).toHaveLength(2);
    c.close();
    const database = join(c.dir, DATABASE_FILE_NAME);
    const replacedHash = sha256(database);

    const result = runCli(['restore', backup, '--data-dir', c.dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const kept = /kept as (\S+);/.exec(result.stdout)?.[1] ?? '';
    expect(result.stdout).toBe(`Restored from ${backup} (schema ${LATEST_SCHEMA_VERSION}, 1 candidate); the database you had is kept as ${kept}; 1 erased candidate erased again.\n`);
    expect(kept).toMatch(new RegExp(`^${c.dir}/panelist\\.sqlite\\.before-restore\\.\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z\\.bak$`));
    expect(mode(kept)).toBe(0o600);
    expect(mode(database)).toBe(0o600);
    expect(sha256(database)).not.toBe(replacedHash);
    expect(filesIn(c.dir).filter((f) => f.startsWith('.') || f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);

    // The erased candidate's text is in neither the restored file nor its log.
    for (const text of ['QUENBYLATER', 'quenbylater', 'NEVERBACKEDUP']) expect(fileHolds(database, text), text).toBe(false);
    // The restored database: the backup's data, the tombstones as they were recorded.
    const restored = await openCore({ dataDir: c.dir, version: 'test' });
    try {
      expect(await candidateNames(restored)).toEqual(['Kept Candidate']);
      expect(restored.ctx.db.prepare('SELECT * FROM erasures ORDER BY candidate_id').all()).toEqual(tombstones);
      expect(restored.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      restored.close();
    }
    // The database it replaced is kept whole.
    const keptCore = await openDatabase(kept);
    try {
      expect(keptCore.prepare<[], string>('SELECT name FROM candidates ORDER BY name').pluck(true).all()).toEqual(['Added After', 'Kept Candidate']);
    } finally {
      keptCore.close();
    }
  });

  it('migrates an older backup, erases again from it, and leaves no trace of the old pages', async () => {
    const c = await testCore();
    const { roleId } = await exampleRoleId(c);
    const victim = await c.value('candidates:add', { roleId, name: 'Zebulon Oldschema' });
    await c.value('candidates:erase', { candidateIds: [victim.id] });
    c.close();

    // A backup from a Panelist at schema 50 (before erasures existed) that still holds the candidate.
    const old = join(folder(), 'old.sqlite');
    const db = await openDatabase(old, { migrations: MIGRATIONS.filter((m) => m.version <= 50) });
    const now = '2026-01-05T10:00:00.000Z';
    db.prepare(`INSERT INTO roles (id, title, created_at, updated_at) VALUES ('r-old', 'Old role', ?, ?)`).run(now, now);
    const insert = db.prepare(`INSERT INTO candidates (id, role_id, name, email, created_at, updated_at) VALUES (?, 'r-old', ?, '', ?, ?)`);
    insert.run(victim.id, 'Zebulon Oldschema', now, now);
    insert.run('c-kept', 'Olive Kept', now, now);
    db.close();
    expect(fileHolds(old, 'Zebulon')).toBe(true);

    const report = await restoreDatabase({ dataDir: c.dir, source: old });
    expect(report).toMatchObject({ schemaVersion: 50, migratedTo: LATEST_SCHEMA_VERSION, candidates: 1, reErased: 1, tombstones: 1, tombstonesFrom: 'database' });
    const database = join(c.dir, DATABASE_FILE_NAME);
    expect(fileHolds(database, 'Zebulon')).toBe(false);
    // The migration's own safety copy (which would hold the candidate) is not left behind.
    expect(filesIn(c.dir).filter((f) => f.includes('schema-'))).toEqual([]);
    const restored = await openCore({ dataDir: c.dir, version: 'test' });
    try {
      expect(await candidateNames(restored)).toEqual(['Olive Kept']);
    } finally {
      restored.close();
    }
  });

  it('restores into a data folder whose database is damaged, taking the erasures from the backups beside it', async () => {
    const c = await testCore();
    const { roleId } = await exampleRoleId(c);
    const victim = await candidateWithText(c, 'DAMAGEDVICTIM');
    await c.value('candidates:add', { roleId, name: 'Kept Candidate' });
    const userBackup = join(folder(), 'user.sqlite');
    await backupDataFolder(c.dir, userBackup);
    await c.value('candidates:erase', { candidateIds: [victim] });
    await makeAutomaticBackup(c.ctx); // carries the tombstone
    c.close();
    const database = join(c.dir, DATABASE_FILE_NAME);
    writeFileSync(database, Buffer.alloc(8192, 0x5a));

    const report = await restoreDatabase({ dataDir: c.dir, source: userBackup });
    expect(report).toMatchObject({ reErased: 1, tombstonesFrom: 'backups', candidates: 1 });
    expect(readFileSync(report.keptAs!)).toEqual(Buffer.alloc(8192, 0x5a));
    expect(fileHolds(database, 'DAMAGEDVICTIM')).toBe(false);
  });
});

describe('automatic backups', () => {
  async function clockedCore(start: string) {
    const dir = folder();
    const clock = { now: new Date(start) };
    const core = await openCore({ dataDir: dir, version: 'test', clock: () => clock.now });
    cleanups.push(() => core.close());
    const advance = (hours: number) => (clock.now = new Date(clock.now.getTime() + hours * 3_600_000));
    return { core, dir, clock, advance };
  }

  it('are made when the newest is a day old, and only the last N are kept', async () => {
    const { core, dir, advance } = await clockedCore('2026-11-01T08:00:00.000Z');
    expect(keepBackupsSetting(core.ctx)).toBe(DEFAULT_KEEP_BACKUPS);
    expect(isBackupDue([], new Date())).toBe(true);

    const first = await backUpIfDue(core.ctx);
    expect(first).toMatchObject({ file: join(dir, 'backups', 'panelist-2026-11-01T08-00-00-000Z.sqlite'), takenAt: '2026-11-01T08:00:00.000Z' });
    expect(mode(first!.file)).toBe(0o600);
    expect(mode(join(dir, 'backups')) & 0o077).toBe(0);
    advance(23);
    expect(await backUpIfDue(core.ctx)).toBeNull();
    advance(1);
    expect((await backUpIfDue(core.ctx))?.takenAt).toBe('2026-11-02T08:00:00.000Z');

    setKeepBackupsSetting(core.ctx, 3);
    expect(() => setKeepBackupsSetting(core.ctx, 0)).toThrow(AppError);
    for (let day = 0; day < 4; day++) {
      advance(25);
      await backUpIfDue(core.ctx);
    }
    const left = listAutomaticBackups(dir);
    expect(left.map((b) => b.takenAt)).toEqual(['2026-11-06T12:00:00.000Z', '2026-11-05T11:00:00.000Z', '2026-11-04T10:00:00.000Z']);
    expect(latestAutomaticBackup(dir)?.takenAt).toBe('2026-11-06T12:00:00.000Z');
    expect(filesIn(join(dir, 'backups'))).toHaveLength(3);

    // The CLI shows them and sets the retention.
    const listed = runCli(['backups', '--keep', '2', '--data-dir', dir]);
    expect(listed).toMatchObject({ code: 0, stdout: expect.stringContaining('The desktop app keeps the last 2 automatic backups, one a day.') });
    expect(listed.stdout).toContain(left[0]!.file);
    expect(keepBackupsSetting(core.ctx)).toBe(2);
  });

  it('the running app backs up at start and every hour when due, and follows an erasure at once', async () => {
    const { core, dir, advance } = await clockedCore('2026-11-01T08:00:00.000Z');
    const c = core.ctx;
    const tick: (() => void)[] = [];
    const lines: string[] = [];
    const scheduler = new AutomaticBackups(c, {
      subscribe: core.subscribe,
      log: (line) => lines.push(line),
      setInterval: (run) => tick.push(run),
      clearInterval: () => tick.splice(0),
    });
    await scheduler.start();
    expect(listAutomaticBackups(dir)).toHaveLength(1);
    advance(12);
    tick[0]!();
    await scheduler.idle();
    expect(listAutomaticBackups(dir)).toHaveLength(1);
    advance(12);
    tick[0]!();
    await scheduler.idle();
    expect(listAutomaticBackups(dir)).toHaveLength(2);

    // Both backups hold the candidate about to be erased.
    const test = { handlers: core.handlers };
    const roles = await dispatch(test.handlers, 'roles:list', {});
    const roleId = (roles.ok ? (roles.value as { id: string }[]) : [])[0]!.id;
    const added = await dispatch(test.handlers, 'candidates:add', { roleId, name: 'Wilhelmina Followme', note: 'FOLLOW-NOTE' });
    const victim = (added.ok ? added.value : undefined) as { id: string };
    advance(24);
    tick[0]!();
    await scheduler.idle();
    advance(24);
    tick[0]!();
    await scheduler.idle();
    const holding = listAutomaticBackups(dir).slice(0, 2);
    for (const b of holding) expect(fileHolds(b.file, 'Wilhelmina')).toBe(true);

    const events: CoreEvent[] = [];
    const unsubscribe = core.subscribe((e) => events.push(e));
    expect((await dispatch(core.handlers, 'candidates:erase', { candidateIds: [victim.id] })).ok).toBe(true);
    unsubscribe();
    await scheduler.idle();
    expect(events.map((e) => e.name)).toContain('data:changed');
    for (const b of listAutomaticBackups(dir)) {
      expect(fileHolds(b.file, 'Wilhelmina'), b.file).toBe(false);
      expect(fileHolds(b.file, 'FOLLOW-NOTE'), b.file).toBe(false);
      expect(mode(b.file)).toBe(0o600);
      const copy = join(folder(), 'check.sqlite');
      copyFileSync(b.file, copy);
      expect(checkDatabaseFile(copy).schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      const check = new Database(copy);
      expect(check.prepare('SELECT candidate_id FROM erasures').pluck(true).all()).toEqual(holding.some((h) => h.file === b.file) ? [victim.id] : []);
      check.close();
    }
    expect(lines.filter((l) => l.includes('rewrote'))).toHaveLength(2);
    await scheduler.stop();
    expect(tick).toHaveLength(0);
  });

  it('removes a copy that holds an erased candidate and cannot be rewritten, and the CLI erase follows too', async () => {
    const c = await testCore();
    const victim = await candidateWithText(c, 'CLIFOLLOW');
    await makeAutomaticBackup(c.ctx);
    // A pre-migration copy beside the database (as openDatabase makes before migrating) that holds the candidate.
    const preMigration = join(c.dir, `${DATABASE_FILE_NAME}.schema-60.2026-01-01T00-00-00-000Z.bak`);
    await backupDataFolder(c.dir, preMigration);
    const raw = new Database(preMigration);
    raw.pragma('user_version = 60');
    raw.close();
    // And a damaged one in backups/ that cannot be read to tell.
    const damaged = join(c.dir, 'backups', 'panelist-2020-01-01T00-00-00-000Z.sqlite');
    writeFileSync(damaged, Buffer.alloc(4096, 1));
    c.close();

    const erased = runCli(['erase', 'candidate', victim, '--yes', '--data-dir', c.dir]);
    expect(erased).toMatchObject({ code: 0, stderr: '' });
    expect(erased.stdout).toContain('Erased CLIFOLLOW Name');
    expect(erased.stdout).toContain('Rewrote 1 backup in the data folder without them.');
    expect(erased.stdout).toContain('Removed 2 backups in the data folder that held them and could not be rewritten.');
    expect(existsSync(preMigration)).toBe(false);
    expect(existsSync(damaged)).toBe(false);
    const [left] = listAutomaticBackups(c.dir);
    for (const text of ['CLIFOLLOW', 'clifollow']) expect(fileHolds(left!.file, text)).toBe(false);
    // Nothing else to follow: a second pass touches nothing.
    const again = await openCore({ dataDir: c.dir, version: 'test' });
    cleanups.push(() => again.close());
    const before = statSync(left!.file).mtimeMs;
    expect(await followErasures(again.ctx)).toEqual({ rewritten: [], removed: [] });
    expect(statSync(left!.file).mtimeMs).toBe(before);
  });

  it('follow an erasure made through serve mode', async () => {
    const c = await testCore();
    const victim = await candidateWithText(c, 'SERVEFOLLOW');
    const { backup } = await makeAutomaticBackup(c.ctx);
    c.close();
    expect(fileHolds(backup.file, 'SERVEFOLLOW')).toBe(true);
    const served = await startServe(c.dir);
    cleanups.push(() => served.stop());
    const res = await fetch(`${served.origin}/rpc/candidates:erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-panelist-token': served.token },
      body: JSON.stringify({ candidateIds: [victim] }),
    });
    expect(await res.json()).toEqual({ ok: true, value: { erased: 1 } });
    await expect.poll(() => fileHolds(backup.file, 'SERVEFOLLOW'), { timeout: 10_000 }).toBe(false);
  });

  it('offers the latest automatic backup when the database is damaged, and only then', async () => {
    const c = await testCore();
    const { roleId } = await exampleRoleId(c);
    await c.value('candidates:add', { roleId, name: 'Backed Up' });
    const made = await makeAutomaticBackup(c.ctx);
    const dir = c.dir;
    c.close();

    // Nothing wrong: openCore works. Newer schema: reported, no offer.
    const newer = new AppError('unavailable', 'written by a newer Panelist');
    expect(decideAfterOpenFailure(dir, newer)).toEqual({ action: 'report', message: 'written by a newer Panelist' });
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(decideAfterOpenFailure(dir, busy).action).toBe('report');

    // The database is damaged: opening fails, the latest automatic backup is offered, and restoring it works.
    writeFileSync(join(dir, DATABASE_FILE_NAME), 'garbage, not a database'.repeat(400));
    const failure = await openCore({ dataDir: dir, version: 'test' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeDefined();
    const decision = decideAfterOpenFailure(dir, failure);
    expect(decision).toMatchObject({ action: 'offer-backup', backup: { file: made.backup.file } });
    expect(decision.action === 'offer-backup' && decision.question).toMatch(/^Restore the latest automatic backup, taken \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\?/);
    if (decision.action !== 'offer-backup') throw new Error('no offer');
    await restoreDatabase({ dataDir: dir, source: decision.backup.file });
    const reopened = await openCore({ dataDir: dir, version: 'test' });
    try {
      expect(await candidateNames(reopened)).toEqual(['Backed Up']);
    } finally {
      reopened.close();
    }
    // Without a backup there is nothing to offer.
    const bare = folder();
    expect(decideAfterOpenFailure(bare, failure)).toMatchObject({ action: 'report', message: expect.stringContaining('There is no automatic backup to restore.') });
  });
});
