import type { Migration } from './types';

/**
 * Marks the candidate of an interview whose submitted scores changed. ON CONFLICT DO NOTHING, not
 * INSERT OR IGNORE: an outer statement's conflict clause (an upsert of scores) would override the latter.
 */
const markInterview = (interviewId: string) =>
  `INSERT INTO calibration_stale (candidate_id) SELECT candidate_id FROM interviews WHERE id = ${interviewId} ON CONFLICT DO NOTHING;`;
const markScorecard = (scorecardId: string) =>
  `INSERT INTO calibration_stale (candidate_id)
     SELECT i.candidate_id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.id = ${scorecardId} ON CONFLICT DO NOTHING;`;
const submitted = (scorecardId: string) => `(SELECT status FROM scorecards WHERE id = ${scorecardId}) = 'submitted'`;
const hasSubmitted = (interviewId: string) => `EXISTS (SELECT 1 FROM scorecards WHERE interview_id = ${interviewId} AND status = 'submitted')`;

/**
 * The calibration reads every submitted score of the organisation. Joining ~900k scores with
 * their scorecards, interviews and stages on every read costs seconds, so it reads a projection
 * instead: one row per candidate holding that candidate's submitted scores, packed (see
 * services/calibration/projection-format.ts), with small integer keys for the ids.
 *
 * Triggers mark a candidate stale whenever anything the projection holds changes, whatever
 * wrote it (a service, the demo, a merge); the calibration rebuilds the stale candidates before
 * it reads. The version counts those rebuilds: it keys the calibration's cached results.
 */
export const migration0040: Migration = {
  version: 40,
  name: 'calibration-projection',
  up: (db) => {
    db.exec(`
      CREATE TABLE calibration_keys (
        key INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('interview', 'interviewer', 'session', 'criterion')),
        name TEXT NOT NULL,
        UNIQUE (kind, name)
      ) STRICT;

      CREATE TABLE calibration_candidates (
        candidate_id TEXT PRIMARY KEY REFERENCES candidates (id) ON DELETE CASCADE,
        role_id TEXT NOT NULL,
        scorecards BLOB NOT NULL,
        score_count INTEGER NOT NULL CHECK (score_count > 0)
      ) STRICT;

      CREATE TABLE calibration_stale (candidate_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

      CREATE TABLE calibration_projection (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      ) STRICT;
      INSERT INTO calibration_projection (id, version) VALUES (1, 0);

      CREATE TRIGGER calibration_scorecard_insert AFTER INSERT ON scorecards WHEN NEW.status = 'submitted'
      BEGIN ${markInterview('NEW.interview_id')} END;
      CREATE TRIGGER calibration_scorecard_update AFTER UPDATE ON scorecards WHEN OLD.status = 'submitted' OR NEW.status = 'submitted'
      BEGIN ${markInterview('OLD.interview_id')} ${markInterview('NEW.interview_id')} END;
      CREATE TRIGGER calibration_scorecard_delete AFTER DELETE ON scorecards WHEN OLD.status = 'submitted'
      BEGIN ${markInterview('OLD.interview_id')} END;

      CREATE TRIGGER calibration_score_insert AFTER INSERT ON scorecard_scores WHEN ${submitted('NEW.scorecard_id')}
      BEGIN ${markScorecard('NEW.scorecard_id')} END;
      CREATE TRIGGER calibration_score_update AFTER UPDATE ON scorecard_scores WHEN ${submitted('NEW.scorecard_id')} OR ${submitted('OLD.scorecard_id')}
      BEGIN ${markScorecard('OLD.scorecard_id')} ${markScorecard('NEW.scorecard_id')} END;
      CREATE TRIGGER calibration_score_delete AFTER DELETE ON scorecard_scores WHEN ${submitted('OLD.scorecard_id')}
      BEGIN ${markScorecard('OLD.scorecard_id')} END;

      CREATE TRIGGER calibration_interview_update AFTER UPDATE OF candidate_id, stage_id, scheduled_at ON interviews WHEN ${hasSubmitted('NEW.id')}
      BEGIN INSERT INTO calibration_stale (candidate_id) VALUES (OLD.candidate_id), (NEW.candidate_id) ON CONFLICT DO NOTHING; END;
      CREATE TRIGGER calibration_interview_delete AFTER DELETE ON interviews
      BEGIN INSERT INTO calibration_stale (candidate_id) VALUES (OLD.candidate_id) ON CONFLICT DO NOTHING; END;
      CREATE TRIGGER calibration_candidate_role AFTER UPDATE OF role_id ON candidates
      BEGIN INSERT INTO calibration_stale (candidate_id) VALUES (NEW.id) ON CONFLICT DO NOTHING; END;
      CREATE TRIGGER calibration_stage_kind AFTER UPDATE OF session_kind ON loop_stages
      BEGIN INSERT INTO calibration_stale (candidate_id) SELECT candidate_id FROM interviews WHERE stage_id = NEW.id ON CONFLICT DO NOTHING; END;

      -- Every candidate already scored is built on the first read.
      INSERT INTO calibration_stale (candidate_id)
        SELECT DISTINCT i.candidate_id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.status = 'submitted';

      -- The cache key of migration 0030 is replaced by the projection's version.
      DROP INDEX scorecards_status_revision;
    `);
  },
};
