import type { Migration } from './types';

/**
 * Per-field revisions of a scorecard, so that two windows editing the same draft conflict only on
 * the field they both changed: each row says at which scorecard revision a field last changed.
 * A field without a row has not changed since the scorecard was created (revision 0 for a writer).
 */
export const migration0050: Migration = {
  version: 50,
  name: 'field-revisions',
  up: (db) => {
    db.exec(`
      CREATE TABLE scorecard_field_revisions (
        scorecard_id TEXT NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ('recommendation', 'takeaways', 'privateNote') OR field GLOB 'score:*' OR field GLOB 'evidence:*'),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        PRIMARY KEY (scorecard_id, field)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
