import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { uuidv7 } from '../../../shared/ids';
import { AppError } from '../../../shared/result';
import { APP_VERSION } from '../../version';
import { defaultBundleChecker } from '../exchange/check-in-workers';
import type { CoreContext } from '../context';
import { openDatabase, schemaVersion, type Db } from '../db/connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../db/migrations';
import { EventBus } from '../events';
import { installationKeys, type KeyPair } from '../provenance/keys';
import { createRepositories } from '../repositories';
import type { ErasuresRepository, Tombstone } from '../repositories/erasures';
import { DATABASE_FILE_NAME } from '../index';
import { eraseCandidates } from './candidates';

// Backup and restore of the database file: SQLite's online backup API out, a checked, migrated,
// tombstone-following copy in. Restore replaces the file under the core, so it is not a contract
// channel: it works on files, with the app closed. The few SQL statements here read and check
// arbitrary files (any schema version, maybe damaged), which no repository can be prepared on.

/** The first and the latest schema a restorable database can have. */
export const FIRST_SCHEMA_VERSION = MIGRATIONS[0]?.version ?? 0;

/** Tables every Panelist database has had since its first migration: a file without them is not Panelist's. */
const REQUIRED_TABLES = [
  'interviewers',
  'roles',
  'rubrics',
  'rubric_versions',
  'criteria',
  'loops',
  'loop_stages',
  'candidates',
  'interviews',
  'panel_assignments',
  'scorecards',
  'scorecard_scores',
  'scorecard_events',
];

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** One step for the whole file: a copy that another connection's commit cannot restart forever. */
const ALL_PAGES = 0x7fffffff;

const count = (n: number) => n.toLocaleString('en-US');

/** A time for a file name: 2026-11-28T12-00-00-000Z (no colons, which Windows refuses). */
export function fileTime(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** The files SQLite keeps beside a database: gone with it. */
function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** Makes a rename durable: the folder's entry is written out too (where the platform allows it). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    /* Windows cannot open a folder for fsync; its renames are journalled by NTFS */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function isUnreadable(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
}

function isBusy(error: unknown): boolean {
  const code = errorCode(error) ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function candidateCount(db: Db): number {
  return db.prepare<[], number>('SELECT count(*) FROM candidates').pluck(true).get() ?? 0;
}

function tableNames(db: Db): Set<string> {
  return new Set(db.prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck(true).all());
}

// ---------------------------------------------------------------------------------------------
// Backup

export interface BackupOptions {
  /** Replace FILE if it exists; without it an existing file is refused. */
  force?: boolean;
  /**
   * Copy this many pages per step, yielding to the event loop between steps (the app's own window
   * keeps answering); by default the whole file in one step. Writes through the same connection are
   * followed by the copy; a write by another connection restarts it, so after two restarts the rest
   * goes in one step.
   */
  pagesPerStep?: number;
}

export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  candidates: number;
}

/**
 * Copies the database behind `db` to `file` with SQLite's online backup API: a consistent snapshot
 * however other connections write meanwhile (WAL readers never block writers). The copy is written
 * to a temporary file beside the target (0600 from the start), synced, and then renamed into place,
 * so that a failed backup leaves nothing half written under the target's name.
 */
export async function backupDatabase(db: Db, file: string, options: BackupOptions = {}): Promise<BackupReport> {
  const target = resolve(file);
  const folder = dirname(target);
  if (!existsSync(folder)) throw new AppError('not_found', `The folder ${folder} does not exist.`);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new AppError('invalid_input', `${target} is a folder: name the backup file inside it.`);
    if (!options.force) throw new AppError('duplicate', `${target} already exists: choose another name, or add --force to replace it.`);
  }
  const temp = join(folder, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // SQLite gives the copy's journal the file's own mode, so the copy is never readable by others.
  closeSync(openSync(temp, 'wx', 0o600));
  try {
    const snapshot = { schemaVersion: schemaVersion(db), candidates: 0 };
    // better-sqlite3's first step copies 0 pages and its second 100; then ours.
    let remaining = Number.POSITIVE_INFINITY;
    let restarts = 0;
    await db.backup(temp, {
      progress: ({ remainingPages }) => {
        if (remainingPages > remaining) restarts++;
        remaining = remainingPages;
        return options.pagesPerStep && restarts < 2 ? options.pagesPerStep : ALL_PAGES;
      },
    });
    chmodSync(temp, 0o600);
    syncFile(temp);
    const copy = new Database(temp, { fileMustExist: true });
    try {
      snapshot.schemaVersion = schemaVersion(copy);
      snapshot.candidates = tableNames(copy).has('candidates') ? candidateCount(copy) : 0;
    } finally {
      copy.close();
    }
    publish(temp, target, options.force === true);
    syncFolder(folder);
    return { file: target, bytes: statSync(target).size, ...snapshot };
  } finally {
    removeDatabaseFiles(temp);
  }
}

/** Puts the finished copy under its name: a hard link refuses an existing file atomically; --force renames over it. */
function publish(temp: string, target: string, force: boolean): void {
  if (force) return renameSync(temp, target);
  try {
    linkSync(temp, target);
    unlinkSync(temp);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') throw new AppError('duplicate', `${target} already exists: choose another name, or add --force to replace it.`);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    // A file system without hard links (FAT, some network shares): check, then rename.
    if (existsSync(target)) throw new AppError('duplicate', `${target} already exists: choose another name, or add --force to replace it.`);
    renameSync(temp, target);
  }
}

/**
 * `panelist backup`: a backup of the data folder's database from a connection of its own, without
 * migrating or otherwise changing it, safe while the app (or any other process) has it open.
 */
export async function backupDataFolder(dataDir: string, file: string, options: BackupOptions = {}): Promise<BackupReport & { database: string }> {
  const database = join(resolve(dataDir), DATABASE_FILE_NAME);
  if (!existsSync(database)) throw new AppError('not_found', `There is no database at ${database} to back up.`);
  if (resolve(file) === database) throw new AppError('invalid_input', `${database} is the database itself: name another file for the backup.`);
  const db = new Database(database, { fileMustExist: true, timeout: 5000 });
  try {
    return { database, ...(await backupDatabase(db, file, options)) };
  } catch (error) {
    if (isUnreadable(error)) throw new AppError('unavailable', `${database} cannot be read (${(error as Error).message}): it cannot be backed up.`);
    throw error;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Checking a file

export interface DatabaseFileFacts {
  schemaVersion: number;
  candidates: number;
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that `file` is a Panelist database this version can open: a SQLite file, a schema between
 * the first and the latest migration, Panelist's tables, and a clean integrity check. `name` is what
 * the messages call it (the user's file, when `file` is a private copy of it). Opens `file` read-write
 * (a read-only connection would leave -wal and -shm files behind): pass a copy, never the user's file.
 */
export function checkDatabaseFile(file: string, name = file): DatabaseFileFacts {
  if (!existsSync(file)) throw new AppError('not_found', `${name} does not exist.`);
  const stat = statSync(file);
  if (stat.isDirectory()) throw new AppError('invalid_input', `${name} is a folder, not a database file.`);
  if (stat.size === 0) throw new AppError('invalid_input', `${name} is empty (0 bytes): it is not a Panelist database.`);
  if (!readHeader(file).equals(SQLITE_HEADER)) throw new AppError('invalid_input', `${name} is not a SQLite database, so not a Panelist database.`);
  let db: Db | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'unavailable',
        `${name} was written by a newer Panelist (schema version ${version}; this one knows up to ${LATEST_SCHEMA_VERSION}). Update Panelist to restore it.`,
      );
    }
    if (version < FIRST_SCHEMA_VERSION) throw new AppError('invalid_input', `${name} is a SQLite database but not Panelist's (it has no Panelist schema).`);
    const tables = tableNames(db);
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new AppError('invalid_input', `${name} is not a Panelist database: it has no ${missing.join(', ')} table${missing.length === 1 ? '' : 's'}.`);
    const answer = db.prepare<[], string>('PRAGMA integrity_check(20)').pluck(true).all();
    if (answer.length !== 1 || answer[0] !== 'ok') {
      const problems = answer.flatMap((row) => row.split('\n')).filter((line) => line && !line.startsWith('*** in database'));
      const more = problems.length > 1 ? `, and ${problems.length - 1} more` : '';
      throw new AppError('invalid_input', `${name} is damaged (SQLite's integrity check: ${problems[0] ?? 'no answer'}${more}).`);
    }
    return { schemaVersion: version, candidates: candidateCount(db) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isUnreadable(error)) throw new AppError('invalid_input', `${name} is damaged or not a database (${(error as Error).message}).`);
    throw error;
  } finally {
    db?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Tombstones

/** An erasures row as stored, every column kept (signatures included, when tombstones carry them). */
export type TombstoneRow = Record<string, unknown> & { candidate_id: string };

/** The tombstones a database holds (none before migration 0060 made the table). */
export function readTombstones(db: Db): TombstoneRow[] {
  if (!tableNames(db).has('erasures')) return [];
  return db.prepare<[], TombstoneRow>('SELECT * FROM erasures ORDER BY erased_at, candidate_id').all();
}

function columnsOf(db: Db, table: string): string[] {
  return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A context for running a core service on a database file other than the core's own (a restored
 * copy, an automatic backup). The tombstones are written first, exactly as they were recorded, so
 * the erasure's own record of them is skipped for a candidate that already has one.
 */
function fileContext(db: Db, file: string, dataDir: string): { ctx: CoreContext; close: () => void } {
  const repos = createRepositories(db);
  const recorded = repos.erasures;
  const erasures = Object.create(recorded) as ErasuresRepository;
  erasures.record = (t: Tombstone) => {
    if (!recorded.isErased(t.candidateId)) recorded.record(t);
  };
  let keys: KeyPair | undefined;
  const events = new EventBus(db);
  const ctx: CoreContext = {
    db,
    repos: { ...repos, erasures },
    dataDir,
    databaseFile: file,
    version: APP_VERSION,
    meId: repos.interviewers.me()?.id ?? '',
    clock: () => new Date(),
    newId: () => uuidv7(),
    desktop: undefined,
    get keys() {
      keys ??= installationKeys(dataDir);
      return keys;
    },
    events,
    checkBundle: defaultBundleChecker(),
  };
  return { ctx, close: () => events.close() };
}

export interface TombstoneOutcome {
  /** Candidates the file held that had been erased, now erased from it. */
  reErased: string[];
  /** Tombstones the file did not have yet, now recorded in it. */
  recorded: number;
}

/**
 * Re-applies tombstones to a database at the latest schema: each tombstone is recorded as it was
 * (the candidate's id, when and by whom, the ids), and every candidate among them that the file
 * still holds is erased the way the core erases (eraseCandidates: secure_delete, cascade, the WAL
 * checkpointed and truncated).
 */
export function applyTombstones(db: Db, file: string, dataDir: string, tombstones: readonly TombstoneRow[]): TombstoneOutcome {
  if (tombstones.length === 0) return { reErased: [], recorded: 0 };
  const target = new Set(columnsOf(db, 'erasures'));
  let recorded = 0;
  db.transaction(() => {
    for (const row of tombstones) {
      const columns = Object.keys(row).filter((c) => target.has(c));
      const insert = db.prepare(
        `INSERT INTO erasures (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (candidate_id) DO NOTHING`,
      );
      recorded += insert.run(...columns.map((c) => row[c])).changes;
    }
  }).immediate();
  const held = db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM candidates WHERE id = ?)').pluck(true);
  const reErased = tombstones.map((t) => t.candidate_id).filter((id) => held.get(id) === 1);
  if (reErased.length) {
    const { ctx, close } = fileContext(db, file, dataDir);
    try {
      eraseCandidates(ctx, reErased);
    } finally {
      close();
    }
  }
  return { reErased, recorded };
}

/** Which of these tombstoned candidates a database still holds (reads only the candidates table). */
export function heldCandidates(db: Db, tombstones: readonly TombstoneRow[]): string[] {
  if (tombstones.length === 0 || !tableNames(db).has('candidates')) return [];
  const held = db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM candidates WHERE id = ?)').pluck(true);
  return tombstones.map((t) => t.candidate_id).filter((id) => held.get(id) === 1);
}

/**
 * Opens a database file at the latest schema (migrating it if older; the migration's own safety copy
 * is removed, since it would hold what the tombstones erase), re-applies the tombstones, and, after a
 * migration, VACUUMs it: a migration that rebuilds a table frees its old pages without zeroing them.
 */
export async function rewriteWithTombstones(file: string, dataDir: string, tombstones: readonly TombstoneRow[]): Promise<TombstoneOutcome & { migratedFrom: number | null }> {
  const before = peekSchemaVersion(file);
  const db = await openDatabase(file, { onBackup: (copy) => removeDatabaseFiles(copy) });
  try {
    const outcome = applyTombstones(db, file, dataDir, tombstones);
    const migrated = before < LATEST_SCHEMA_VERSION;
    if (migrated) {
      db.pragma('secure_delete = ON');
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return { ...outcome, migratedFrom: migrated ? before : null };
  } finally {
    db.close();
  }
}

function peekSchemaVersion(file: string): number {
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  try {
    return schemaVersion(db);
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Restore

export interface RestoreOptions {
  dataDir: string;
  /** The file to restore from: a `panelist backup`, an automatic backup, a kept copy. */
  source: string;
  clock?: () => Date;
}

export interface RestoreReport {
  source: string;
  database: string;
  /** The file's schema, and the one it was migrated to (the same when it was current). */
  schemaVersion: number;
  migratedTo: number;
  candidates: number;
  /** Where the database that was replaced is kept; null when the data folder had none. */
  keptAs: string | null;
  /** Candidates erased since the backup was taken that it still held, erased again. */
  reErased: number;
  /** Tombstones carried over from the database that was replaced (or, if it could not be read, from the backups). */
  tombstones: number;
  /** Where the tombstones came from: the replaced database, or (if it could not be read) the backups beside it. */
  tombstonesFrom: 'database' | 'backups' | 'none';
}

/**
 * Holds the data folder's database for the restore: an exclusive lock, which fails at once while any
 * other connection has the file open (in WAL mode every connection holds a shared lock on it).
 * Returns undefined when the file is not a readable database: nothing can be running on it then.
 */
function lockCurrent(database: string): Db | undefined {
  const db = new Database(database, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      throw new AppError('unavailable', `${database} is in use (Panelist is running on it, or another command is): close it and try again. Nothing was changed.`);
    }
    if (isUnreadable(error)) return undefined;
    throw error;
  }
}

/** Every Panelist-made copy of the database in a data folder: the automatic backups and the kept copies beside the database. */
export function backupFilesOf(dataDir: string): { automatic: string[]; beside: string[] } {
  const folder = resolve(dataDir);
  const automaticFolder = join(folder, AUTOMATIC_BACKUPS_FOLDER);
  const automatic = existsSync(automaticFolder)
    ? readdirSync(automaticFolder).filter((n) => /^panelist-.+\.sqlite$/.test(n)).map((n) => join(automaticFolder, n))
    : [];
  const beside = existsSync(folder)
    ? readdirSync(folder).filter((n) => n.startsWith(`${DATABASE_FILE_NAME}.`) && n.endsWith('.bak')).map((n) => join(folder, n))
    : [];
  return { automatic, beside };
}

/** Where automatic backups live, inside the data folder. */
export const AUTOMATIC_BACKUPS_FOLDER = 'backups';

/** The tombstones any readable backup in the folder holds: for when the database itself cannot be read. */
function tombstonesFromBackups(dataDir: string): TombstoneRow[] {
  const { automatic, beside } = backupFilesOf(dataDir);
  const found = new Map<string, TombstoneRow>();
  for (const file of [...automatic, ...beside]) {
    try {
      const db = new Database(file, { fileMustExist: true, timeout: 1000 });
      try {
        for (const row of readTombstones(db)) if (!found.has(row.candidate_id)) found.set(row.candidate_id, row);
      } finally {
        db.close();
      }
    } catch {
      /* a damaged backup has nothing to tell */
    }
  }
  return [...found.values()];
}

/** The private copy a restore works on, beside the database until it takes its place. */
const stagingPrefix = () => `.${DATABASE_FILE_NAME}.restoring.`;

/**
 * A restore that crashed leaves its private copy behind, which may still hold erased candidates:
 * removed by the next restore (one an hour old cannot still be running: a restore takes seconds).
 */
function removeStaleStaging(dataDir: string, now: Date): void {
  for (const name of readdirSync(dataDir)) {
    if (!name.startsWith(stagingPrefix())) continue;
    const file = join(dataDir, name);
    if (now.getTime() - statSync(file).mtimeMs > 60 * 60 * 1000) removeDatabaseFiles(file);
  }
}

/**
 * `panelist restore FILE`: replaces the data folder's database with a checked copy of FILE.
 * 1. FILE is copied to a private file beside the database and checked (checkDatabaseFile).
 * 2. The database is locked exclusively: refused if anything has it open.
 * 3. The copy is migrated to the latest schema, and every tombstone of the database it replaces is
 *    re-applied to it, so that no erased candidate comes back.
 * 4. The database is kept as panelist.sqlite.before-restore.<time>.bak, and the copy takes its place.
 * Any refusal before step 4 leaves the database exactly as it was.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreReport> {
  const dataDir = resolve(options.dataDir);
  const database = join(dataDir, DATABASE_FILE_NAME);
  const source = resolve(options.source);
  const clock = options.clock ?? (() => new Date());
  if (source === database) throw new AppError('invalid_input', `${source} is the database itself: name a backup to restore from.`);
  if (!existsSync(source)) throw new AppError('not_found', `${source} does not exist.`);
  if (statSync(source).isDirectory()) throw new AppError('invalid_input', `${source} is a folder, not a database file.`);
  if (existsSync(`${source}-wal`) && statSync(`${source}-wal`).size > 0) {
    throw new AppError(
      'invalid_input',
      `${source} has a write-ahead log beside it (${basename(source)}-wal): it is open somewhere or was not closed cleanly. Make a copy of it with panelist backup and restore that.`,
    );
  }
  if (!existsSync(dataDir)) throw new AppError('not_found', `The data folder ${dataDir} does not exist.`);

  const staging = join(dataDir, `${stagingPrefix()}${randomBytes(6).toString('hex')}`);
  const hadDatabase = existsSync(database);
  // First the lock: while the app runs on the database, nothing else is looked at.
  let lock: Db | undefined = hadDatabase ? lockCurrent(database) : undefined;
  let placed = false;
  let keptAs: string | null = null;
  try {
    removeStaleStaging(dataDir, clock());
    closeSync(openSync(staging, 'wx', 0o600));
    copyFileSync(source, staging);
    chmodSync(staging, 0o600);
    const facts = checkDatabaseFile(staging, source);

    let tombstones: TombstoneRow[] = [];
    let tombstonesFrom: RestoreReport['tombstonesFrom'] = 'none';
    let readable = lock !== undefined;
    if (lock) {
      try {
        tombstones = readTombstones(lock);
        tombstonesFrom = 'database';
      } catch (error) {
        if (!isUnreadable(error)) throw error;
        readable = false;
      }
    }
    if (hadDatabase && !readable) {
      tombstones = tombstonesFromBackups(dataDir);
      tombstonesFrom = 'backups';
    }

    const db = await openDatabase(staging, { onBackup: (copy) => removeDatabaseFiles(copy) });
    let reErased: string[];
    let candidates: number;
    try {
      ({ reErased } = applyTombstones(db, staging, dataDir, tombstones));
      // eraseCandidates zeroes what it deletes (secure_delete); a migration that rebuilt a table left
      // the old table's pages free but not zeroed, so a migrated copy is VACUUMed as well.
      if (facts.schemaVersion < LATEST_SCHEMA_VERSION) {
        db.pragma('secure_delete = ON');
        db.exec('VACUUM');
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      candidates = candidateCount(db);
    } finally {
      db.close();
    }
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${staging}${suffix}`, { force: true });
    syncFile(staging);

    if (hadDatabase) {
      keptAs = join(dataDir, `${DATABASE_FILE_NAME}.before-restore.${fileTime(clock())}.bak`);
      if (lock && readable) {
        lock.pragma('wal_checkpoint(TRUNCATE)');
        closeSync(openSync(keptAs, 'wx', 0o600));
        await lock.backup(keptAs, { progress: () => ALL_PAGES });
      } else {
        // Not a readable database: keep its bytes as they are (and its log, under the name SQLite looks for).
        copyFileSync(database, keptAs);
        if (existsSync(`${database}-wal`)) copyFileSync(`${database}-wal`, `${keptAs}-wal`);
      }
      chmodSync(keptAs, 0o600);
      syncFile(keptAs);
      lock?.close();
      lock = undefined;
      // The log and index of the replaced file (its log is empty: checkpointed above) must not meet the new one.
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${database}${suffix}`, { force: true });
    }
    renameSync(staging, database);
    placed = true;
    syncFolder(dataDir);
    return {
      source,
      database,
      schemaVersion: facts.schemaVersion,
      migratedTo: LATEST_SCHEMA_VERSION,
      candidates,
      keptAs,
      reErased: reErased.length,
      tombstones: tombstones.length,
      tombstonesFrom,
    };
  } finally {
    lock?.close();
    if (!placed) {
      removeDatabaseFiles(staging);
      // Nothing was replaced: a copy of the database begun for the restore goes too.
      if (keptAs) removeDatabaseFiles(keptAs);
    }
  }
}

/** The one line `panelist restore` prints. */
export function describeRestore(report: RestoreReport): string {
  const schema = report.schemaVersion === report.migratedTo ? `schema ${report.schemaVersion}` : `schema ${report.schemaVersion}, migrated to ${report.migratedTo}`;
  const kept = report.keptAs ? `the database you had is kept as ${report.keptAs}` : 'there was no database before';
  const erased = `${count(report.reErased)} erased candidate${report.reErased === 1 ? '' : 's'} erased again`;
  const unread = report.tombstonesFrom === 'backups' ? ' (the database you had could not be read: the erasures were taken from the backups beside it)' : '';
  return `Restored from ${report.source} (${schema}, ${count(report.candidates)} candidate${report.candidates === 1 ? '' : 's'}); ${kept}; ${erased}${unread}.`;
}
