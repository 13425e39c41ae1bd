import type { Migration } from './types';

/**
 * Provenance: each interviewer's public key (Ed25519, SPKI DER in base64), and every submitted
 * revision of a scorecard kept with the exact bytes its author signed (RFC 8785 canonical JSON),
 * the signature, and the hash of the revision before it, so that revisions form a chain. The table
 * is append-only; rows go only when their scorecard goes (an erasure).
 */
export const migration0070: Migration = {
  version: 70,
  name: 'signed-revisions',
  up: (db) => {
    db.exec(`
      ALTER TABLE interviewers ADD COLUMN public_key TEXT;

      CREATE TABLE scorecard_revisions (
        scorecard_id TEXT NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        author_id TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        parent_hash TEXT CHECK (parent_hash IS NULL OR length(parent_hash) = 64),
        bytes BLOB NOT NULL,
        signature BLOB NOT NULL CHECK (length(signature) = 64),
        public_key TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        PRIMARY KEY (scorecard_id, revision)
      ) STRICT;
      CREATE INDEX scorecard_revisions_parent ON scorecard_revisions (parent_hash);
      CREATE TRIGGER scorecard_revisions_no_update BEFORE UPDATE ON scorecard_revisions
      BEGIN SELECT RAISE(ABORT, 'signed revisions are append-only'); END;
      CREATE TRIGGER scorecard_revisions_no_delete BEFORE DELETE ON scorecard_revisions
      WHEN EXISTS (SELECT 1 FROM scorecards WHERE id = OLD.scorecard_id)
      BEGIN SELECT RAISE(ABORT, 'signed revisions are append-only'); END;
    `);
  },
};
