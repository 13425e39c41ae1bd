import Database from 'better-sqlite3';
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
  const db = new Database(file);
  try {
    // Checked before anything else: even switching to WAL would write to a newer Panelist's file.
    refuseNewerSchema(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    await migrate(db, file, options);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
