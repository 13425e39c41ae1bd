import type { Db } from '../db/connection';

/** A record this installation could push: its key (`kind/id`), its revision here, and whether it is my own work. */
export interface LocalRecord {
  key: string;
  revision: number;
  /** Written by me (my interviewer record, scorecards, re-votes, key changes): what an interviewer may push. */
  mine: number;
}

/** A record whose revision here is ahead of the hub's, with the hub's revision (null: the hub has never had it). */
export interface WaitingRecord {
  key: string;
  revision: number;
  mine: number;
  base: number | null;
}

/**
 * What this installation has that a hub could hold, by key and revision (demo records never leave),
 * and what the hub is known to hold.
 */
const LOCAL_RECORDS = `
  SELECT 'interviewers/' || id AS key, revision, id = :me AS mine FROM interviewers WHERE is_demo = 0
  UNION ALL SELECT 'rubric-versions/' || v.id, 1, 0 FROM rubric_versions v JOIN rubrics r ON r.id = v.rubric_id WHERE v.status = 'published' AND r.is_demo = 0
  UNION ALL SELECT 'roles/' || id, revision, 0 FROM roles WHERE is_demo = 0
  UNION ALL SELECT 'candidates/' || id, revision, 0 FROM candidates WHERE is_demo = 0
  UNION ALL SELECT 'interviews/' || i.id, i.revision, 0 FROM interviews i JOIN candidates c ON c.id = i.candidate_id WHERE c.is_demo = 0
  UNION ALL SELECT 'scorecards/' || s.id, max(r.revision), s.interviewer_id = :me
    FROM scorecards s JOIN scorecard_revisions r ON r.scorecard_id = s.id JOIN interviews i ON i.id = s.interview_id JOIN candidates c ON c.id = i.candidate_id
    WHERE s.status = 'submitted' AND c.is_demo = 0 GROUP BY s.id
  UNION ALL SELECT 'revotes/' || v.id, 1, v.interviewer_id = :me FROM revotes v JOIN candidates c ON c.id = v.candidate_id WHERE v.signature IS NOT NULL AND c.is_demo = 0
  UNION ALL SELECT 'key-events/' || hash, 1, interviewer_id = :me FROM key_events
  UNION ALL SELECT 'tombstones/' || candidate_id, 1, 0 FROM erasures`;

export class HubRecordsRepository {
  private readonly waitingStmt;
  private readonly knownStmt;
  private readonly refuseStmt;
  private readonly clearStmt;

  constructor(db: Db) {
    this.waitingStmt = db.prepare<{ me: string }, WaitingRecord>(
      `SELECT l.key, l.revision, l.mine, h.revision AS base FROM (${LOCAL_RECORDS}) l LEFT JOIN hub_records h ON h.key = l.key
       WHERE l.revision > coalesce(h.revision, 0) AND l.revision > coalesce(h.refused_revision, 0)`,
    );
    this.knownStmt = db.prepare<{ key: string; revision: number }>(
      `INSERT INTO hub_records (key, revision) VALUES (:key, :revision)
       ON CONFLICT (key) DO UPDATE SET revision = max(coalesce(revision, 0), excluded.revision)`,
    );
    this.refuseStmt = db.prepare<{ key: string; revision: number; reason: string }>(
      `INSERT INTO hub_records (key, refused_revision, refused_reason) VALUES (:key, :revision, :reason)
       ON CONFLICT (key) DO UPDATE SET refused_revision = excluded.refused_revision, refused_reason = excluded.refused_reason`,
    );
    this.clearStmt = db.prepare(`DELETE FROM hub_records`);
  }

  /** Records ahead of the hub (and not refused at this revision), with the hub's revision as the base of a push. */
  waiting(meId: string): WaitingRecord[] {
    return this.waitingStmt.all({ me: meId });
  }

  /** The hub holds the record at this revision (pushed or pulled). */
  known(key: string, revision: number): void {
    this.knownStmt.run({ key, revision });
  }

  /** The hub refused the record at this revision: not offered again until it changes here. */
  refused(key: string, revision: number, reason: string): void {
    this.refuseStmt.run({ key, revision, reason });
  }

  /** Another hub: nothing is known about what it holds. */
  forget(): void {
    this.clearStmt.run();
  }
}
