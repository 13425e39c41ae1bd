import type { Migration } from './types';

/**
 * The decision the app exists for, and what led to it:
 * - `decisions`: hire / no hire / hold with a rationale, who decided and when; a change is a new
 *   revision with its reason, and no revision is ever rewritten;
 * - `revotes`: a panelist's second-round vote after the debrief, signed by them on their own
 *   installation, or said aloud in the meeting and entered by the hiring manager (recorded_by
 *   differs, no signature). Round one is each panelist's first submitted revision, not stored here;
 * - `packet_exports`: the hash and signature of every decision packet this installation exported,
 *   the decision's audit trail.
 * An erased candidate takes all three with them (ON DELETE CASCADE).
 */
export const migration0100: Migration = {
  version: 100,
  name: 'decisions',
  up: (db) => {
    db.exec(`
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        decision TEXT NOT NULL CHECK (decision IN ('hire', 'no_hire', 'hold')),
        rationale TEXT NOT NULL CHECK (length(trim(rationale)) > 0),
        change_reason TEXT CHECK (change_reason IS NULL OR length(trim(change_reason)) > 0),
        decided_by TEXT NOT NULL REFERENCES interviewers (id),
        decided_at TEXT NOT NULL,
        UNIQUE (candidate_id, revision),
        CHECK (revision = 1 OR change_reason IS NOT NULL)
      ) STRICT;
      CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT RAISE(ABORT, 'a decision is changed by a new revision, never rewritten'); END;

      CREATE TABLE revotes (
        id TEXT PRIMARY KEY,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        interviewer_id TEXT NOT NULL REFERENCES interviewers (id),
        recommendation TEXT NOT NULL CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
        reason TEXT,
        recorded_by TEXT NOT NULL REFERENCES interviewers (id),
        recorded_at TEXT NOT NULL,
        bytes BLOB,
        signature BLOB CHECK (signature IS NULL OR length(signature) = 64),
        public_key TEXT,
        CHECK ((signature IS NULL) = (recorded_by <> interviewer_id))
      ) STRICT;
      CREATE INDEX revotes_candidate ON revotes (candidate_id, interviewer_id, recorded_at);
      CREATE TRIGGER revotes_no_update BEFORE UPDATE ON revotes BEGIN SELECT RAISE(ABORT, 'a vote is changed by voting again, never rewritten'); END;

      CREATE TABLE packet_exports (
        id TEXT PRIMARY KEY,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        decision_id TEXT REFERENCES decisions (id) ON DELETE CASCADE,
        format TEXT NOT NULL CHECK (format IN ('json', 'html', 'md', 'pdf')),
        hash TEXT NOT NULL CHECK (length(hash) = 64),
        signer_key TEXT NOT NULL,
        exported_by TEXT NOT NULL REFERENCES interviewers (id),
        exported_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX packet_exports_candidate ON packet_exports (candidate_id, exported_at);
    `);
  },
};
