import type { Migration } from './types';

/**
 * What an import could not merge on its own, kept for the user to resolve: a scorecard whose signed
 * revisions forked (the same parent, two different revisions), a record changed on two machines at
 * the same revision, a key that differs from the one pinned. The detail keeps what came in (the
 * other branch's signed bytes included), so nothing is lost. Recording the same conflict twice
 * changes nothing (imports are idempotent). Also the ids other installations use for our interviewers.
 */
export const migration0080: Migration = {
  version: 80,
  name: 'exchange-conflicts',
  up: (db) => {
    db.exec(`
      CREATE TABLE exchange_conflicts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('scorecard-fork', 'record', 'key', 'draft-superseded')),
        record_id TEXT NOT NULL,
        message TEXT NOT NULL,
        detail TEXT NOT NULL CHECK (json_valid(detail)),
        detail_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT,
        UNIQUE (kind, record_id, detail_hash)
      ) STRICT;

      -- Another installation's id for one of our interviewers (the same person, met by email):
      -- every reference to it in an imported bundle means our interviewer.
      CREATE TABLE interviewer_aliases (
        alias_id TEXT PRIMARY KEY,
        interviewer_id TEXT NOT NULL REFERENCES interviewers (id) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
