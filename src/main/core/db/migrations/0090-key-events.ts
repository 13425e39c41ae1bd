import type { Migration } from './types';

/**
 * How an interviewer's key may change without a conflict: a rotation (the old key signs the new
 * one) or a revocation of a lost key (recorded with a reason and signed by a colleague's
 * installation). Both travel in bundles; the keys an author may sign with follow from all of them
 * together, so the order in which bundles arrive does not matter.
 */
export const migration0090: Migration = {
  version: 90,
  name: 'key-events',
  up: (db) => {
    db.exec(`
      CREATE TABLE key_events (
        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
        kind TEXT NOT NULL CHECK (kind IN ('rotation', 'revocation')),
        interviewer_id TEXT NOT NULL,
        old_key TEXT NOT NULL,
        new_key TEXT NOT NULL,
        signer_key TEXT NOT NULL,
        bytes BLOB NOT NULL,
        signature BLOB NOT NULL CHECK (length(signature) = 64),
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX key_events_interviewer ON key_events (interviewer_id);
      CREATE TRIGGER key_events_no_update BEFORE UPDATE ON key_events BEGIN SELECT RAISE(ABORT, 'key events are append-only'); END;
    `);
  },
};
