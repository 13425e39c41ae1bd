import type { Migration } from './types';

export const migration0020: Migration = {
  version: 20,
  name: 'scoring',
  up: (db) => {
    db.exec(`
      -- Facts about this installation (e.g. whether the example role was created).
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- When an interviewer first saw the rest of the panel's scorecards for a candidate: an
      -- amendment made after that moment is marked in the history.
      CREATE TABLE panel_views (
        interviewer_id TEXT NOT NULL REFERENCES interviewers (id) ON DELETE CASCADE,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (interviewer_id, candidate_id)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX interviews_candidate ON interviews (candidate_id, scheduled_at);
    `);
  },
};
