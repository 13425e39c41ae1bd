import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { privateFile } from './private-files';
import { AppError } from '../../../shared/result';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { Migration } from './migrations/types';

export type Db = Database.Database;

export interface OpenOptions {
  /** Defaults to every migration; tests pass a prefix to stop at an older version. */
  migrations?: readonly Migration[];
  /** Called with the backup's path when an existing database is about to be migrated. */
  onBackup?: (path: string) => void;
}

/**
 * Opens (creating if needed) the one connection of the core, with the pragmas every write
 * relies on, and brings the schema up to date. An acknowledged write survives a crash and a
 * power cut: WAL with synchronous=FULL fsyncs the log on every commit.
 */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<Db> {
  refuseForeignFile(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw startupError(error, file);
  }
  try {
    if (file !== ':memory:') privateFile(file);
    // Checked before anything else: even switching to WAL would write to another program's file or a newer Panelist's.
    refuseNotPanelist(db, file);
    refuseNewerSchema(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted text is overwritten, not left in free pages (erasures, private notes, drafts).
    db.pragma('secure_delete = ON');
    await migrate(db, file, options);
    return db;
  } catch (error) {
    db.close();
    throw error instanceof AppError ? error : startupError(error, file);
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** An existing file that is not an SQLite database (an empty one included) is refused, untouched, never made into a new database. */
function refuseForeignFile(file: string): void {
  if (file === ':memory:' || !existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) {
    throw new AppError('storage_corrupt', `${file} is empty (0 bytes), so it is not a Panelist database; it was left untouched. Move it away to start afresh, or restore a backup (panelist restore FILE).`);
  }
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_HEADER) {
    throw new AppError('storage_corrupt', `${file} is not a Panelist database (not an SQLite file); it was left untouched. Move it away to start afresh, or restore a backup (panelist restore FILE).`);
  }
}

/** Another program's SQLite database: tables, but no Panelist schema version. */
function refuseNotPanelist(db: Db, file: string): void {
  if (schemaVersion(db) > 0) return;
  const tables = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).pluck().get() as number;
  if (tables > 0) throw new AppError('storage_corrupt', `${file} is an SQLite database of another program, not Panelist's; it was left untouched. Choose another data folder (--data-dir).`);
}

/** What stopped the database from opening, in one line: which file, what is wrong, what to do. */
function startupError(error: unknown, file: string): AppError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const folder = dirname(file);
  if (code === 'SQLITE_CANTOPEN') return new AppError('unavailable', `Panelist cannot open ${file}: check that ${folder} exists and that you may write to it, or choose another folder with --data-dir.`);
  if (code.startsWith('SQLITE_READONLY')) return new AppError('read_only', `${file} is read-only: give yourself write access to it and to ${folder}, or copy it to a folder of yours and use --data-dir.`);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new AppError('storage_corrupt', `${file} is damaged or not a database; it was left as it is. Restore the latest backup (panelist restore FILE).`);
  if (code === 'SQLITE_FULL') return new AppError('storage_full', `The disk holding ${file} is full: free some space, then start Panelist again.`);
  if (code.startsWith('SQLITE_IOERR')) return new AppError('unavailable', `A disk error stopped Panelist reading ${file}: check the disk (and that the folder is not on a network drive that went away), then start again.`);
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', `Panelist could not open ${file}: ${message}`);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewerSchema(db: Db, file: string): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'unavailable',
      `${file} was written by a newer Panelist (schema version ${current}; this one knows up to ${LATEST_SCHEMA_VERSION}). Update Panelist to open it; the file was left untouched.`,
    );
  }
}

async function migrate(db: Db, file: string, options: OpenOptions): Promise<void> {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (current > 0 && file !== ':memory:') {
    const backupPath = `${file}.schema-${current}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
    await db.backup(backupPath);
    privateFile(backupPath);
    options.onBackup?.(backupPath);
  }
  // PRAGMA foreign_keys cannot change inside a transaction: a table rebuild needs it off around it.
  const rebuilds = pending.some((m) => m.rebuildsTables);
  if (rebuilds) db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      if (rebuilds) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new Error(`Migration left ${broken.length} broken references, e.g. ${JSON.stringify(broken[0])}; nothing was changed.`);
      }
    }).immediate();
  } finally {
    if (rebuilds) db.pragma('foreign_keys = ON');
  }
  if (schemaVersion(db) !== target) throw new Error(`Migration stopped at ${schemaVersion(db)}, expected ${target}`);
}
