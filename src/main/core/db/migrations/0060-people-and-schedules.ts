import type { Database } from 'better-sqlite3';
import type { Migration } from './types';

/** The indexes and triggers of a table, to put back after it has been rebuilt. */
function dependentsOf(db: Database, table: string): string[] {
  return db
    .prepare<[string], string>(`SELECT sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`)
    .pluck()
    .all(table);
}

/**
 * Real hiring work: people who can be deactivated, candidates with a source, a note, a time zone
 * and an archive flag, interviews that can be cancelled and repeated for a stage (the old
 * UNIQUE (candidate, stage) goes, by a table rebuild), panel seats that are withdrawn rather than
 * deleted (so a scorecard never goes with its seat), and tombstones of erased candidates.
 */
export const migration0060: Migration = {
  version: 60,
  name: 'people-and-schedules',
  rebuildsTables: true,
  up: (db) => {
    db.exec(`
      ALTER TABLE interviewers ADD COLUMN deactivated_at TEXT;

      ALTER TABLE candidates ADD COLUMN source TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 200);
      ALTER TABLE candidates ADD COLUMN note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000);
      ALTER TABLE candidates ADD COLUMN time_zone TEXT NOT NULL DEFAULT '' CHECK (length(time_zone) <= 64);
      ALTER TABLE candidates ADD COLUMN archived_at TEXT;
      CREATE INDEX candidates_role_email ON candidates (role_id, email COLLATE NOCASE) WHERE email <> '';

      ALTER TABLE panel_assignments ADD COLUMN withdrawn_at TEXT;

      -- An erased candidate leaves only ids: which candidate, which interviews and scorecards, when and by whom.
      CREATE TABLE erasures (
        candidate_id TEXT PRIMARY KEY,
        erased_at TEXT NOT NULL,
        erased_by TEXT NOT NULL,
        ids TEXT NOT NULL CHECK (json_valid(ids))
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures BEGIN SELECT RAISE(ABORT, 'an erasure record is kept as it was'); END;
    `);

    const interviewDependents = dependentsOf(db, 'interviews');
    db.exec(`
      CREATE TABLE interviews_rebuilt (
        id TEXT PRIMARY KEY,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL REFERENCES loop_stages (id) ON DELETE CASCADE,
        scheduled_at TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 480),
        video_link TEXT NOT NULL DEFAULT '' CHECK (length(video_link) <= 2000),
        cancelled_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1)
      ) STRICT;
      INSERT INTO interviews_rebuilt (id, candidate_id, stage_id, scheduled_at, duration_minutes, created_at, updated_at, revision)
        SELECT id, candidate_id, stage_id, scheduled_at, duration_minutes, created_at, updated_at, revision FROM interviews;
      DROP TABLE interviews;
    `);
    // Triggers on other tables name "interviews", which is gone for a moment: the legacy rename
    // does not re-check them (the modern one refuses), and they work again once the name is back.
    db.pragma('legacy_alter_table = ON');
    try {
      db.exec(`ALTER TABLE interviews_rebuilt RENAME TO interviews`);
    } finally {
      db.pragma('legacy_alter_table = OFF');
    }
    for (const sql of interviewDependents) db.exec(sql);
  },
};
