import type { Db } from '../db/connection';

export type CalibrationKeyKind = 'interview' | 'interviewer' | 'session' | 'criterion';

/** One submitted criterion score of a stale candidate (raw row, column order below). */
export type CandidateScoreRow = [
  candidateId: string,
  roleId: string,
  interviewId: string,
  interviewerId: string,
  sessionKind: string,
  scheduledAt: string,
  scaleMax: number,
  criterionTitle: string,
  criterionPosition: number,
  score: number,
];

/** A candidate's row of the projection (raw row). */
export type ProjectedRow = [candidateId: string, packed: Uint8Array, scoreCount: number];

export interface ProjectionFilters {
  roleId: string | null;
  interviewerId: string | null;
}

/** The calibration projection of migration 0040: packed scores per candidate, their keys, what is stale. */
export class CalibrationProjectionRepository {
  private readonly hasStaleStmt;
  private readonly staleStmt;
  private readonly clearStaleStmt;
  private readonly scoresStmt;
  private readonly putStmt;
  private readonly removeStmt;
  private readonly keyStmt;
  private readonly newKeyStmt;
  private readonly keysStmt;
  private readonly keyNameStmt;
  private readonly versionStmt;
  private readonly bumpStmt;
  private readonly rowsStmt;

  constructor(db: Db) {
    this.hasStaleStmt = db.prepare<[], { stale: number }>(`SELECT EXISTS (SELECT 1 FROM calibration_stale) AS stale`);
    this.staleStmt = db
      .prepare<[string, number], string>(`SELECT candidate_id FROM calibration_stale WHERE candidate_id > ? ORDER BY candidate_id LIMIT ?`)
      .pluck(true);
    this.clearStaleStmt = db.prepare(`DELETE FROM calibration_stale`);
    // CROSS JOIN keeps this loop order: from the stale candidates in, never a scan of every scorecard.
    this.scoresStmt = db
      .prepare<[string, string], CandidateScoreRow>(
        `SELECT c.id, c.role_id, i.id, s.interviewer_id, st.session_kind, i.scheduled_at, v.scale_max, cr.title, cr.position, x.score
         FROM calibration_stale z
         CROSS JOIN candidates c
         CROSS JOIN interviews i
         CROSS JOIN loop_stages st
         CROSS JOIN scorecards s
         CROSS JOIN scorecard_scores x
         CROSS JOIN rubric_versions v
         CROSS JOIN criteria cr
         WHERE z.candidate_id > ? AND z.candidate_id <= ?
           AND c.id = z.candidate_id AND i.candidate_id = c.id AND st.id = i.stage_id
           AND s.interview_id = i.id AND s.status = 'submitted'
           AND x.scorecard_id = s.id AND x.score IS NOT NULL
           AND v.id = s.rubric_version_id AND cr.id = x.criterion_id`,
      )
      .raw(true);
    this.putStmt = db.prepare<[string, string, Buffer, number]>(
      `INSERT INTO calibration_candidates (candidate_id, role_id, scorecards, score_count) VALUES (?, ?, ?, ?)
       ON CONFLICT (candidate_id) DO UPDATE SET role_id = excluded.role_id, scorecards = excluded.scorecards, score_count = excluded.score_count`,
    );
    this.removeStmt = db.prepare<[string]>(`DELETE FROM calibration_candidates WHERE candidate_id = ?`);
    this.keyStmt = db.prepare<[CalibrationKeyKind, string], number>(`SELECT key FROM calibration_keys WHERE kind = ? AND name = ?`).pluck(true);
    this.newKeyStmt = db.prepare<[CalibrationKeyKind, string], number>(`INSERT INTO calibration_keys (kind, name) VALUES (?, ?) RETURNING key`).pluck(true);
    this.keysStmt = db.prepare<[CalibrationKeyKind], [number, string]>(`SELECT key, name FROM calibration_keys WHERE kind = ?`).raw(true);
    this.keyNameStmt = db.prepare<[number], string>(`SELECT name FROM calibration_keys WHERE key = ?`).pluck(true);
    this.versionStmt = db.prepare<[], number>(`SELECT version FROM calibration_projection WHERE id = 1`).pluck(true);
    this.bumpStmt = db.prepare(`UPDATE calibration_projection SET version = version + 1 WHERE id = 1`);
    this.rowsStmt = db
      .prepare<ProjectionFilters, ProjectedRow>(
        `SELECT candidate_id, scorecards, score_count FROM calibration_candidates
         WHERE (:roleId IS NULL OR role_id = :roleId)
           AND (:interviewerId IS NULL OR candidate_id IN (
             SELECT i.candidate_id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.interviewer_id = :interviewerId))`,
      )
      .raw(true);
  }

  hasStale(): boolean {
    return this.hasStaleStmt.get()?.stale === 1;
  }

  /** Up to `limit` stale candidates after `after`, in id order. */
  staleCandidates(after: string, limit: number): string[] {
    return this.staleStmt.all(after, limit);
  }

  clearStale(): void {
    this.clearStaleStmt.run();
  }

  /** The submitted scores of the stale candidates with ids in (after, last], in no particular order. */
  staleScores(after: string, last: string): CandidateScoreRow[] {
    return this.scoresStmt.all(after, last);
  }

  put(candidateId: string, roleId: string, scorecards: Buffer, scoreCount: number): void {
    this.putStmt.run(candidateId, roleId, scorecards, scoreCount);
  }

  remove(candidateId: string): void {
    this.removeStmt.run(candidateId);
  }

  /** The key of a name, added on first use. */
  keyOf(kind: CalibrationKeyKind, name: string): number {
    return this.keyStmt.get(kind, name) ?? this.newKeyStmt.get(kind, name)!;
  }

  keys(kind: CalibrationKeyKind): Map<number, string> {
    return new Map(this.keysStmt.all(kind));
  }

  nameOfKey(key: number): string | undefined {
    return this.keyNameStmt.get(key);
  }

  version(): number {
    return this.versionStmt.get() ?? 0;
  }

  bumpVersion(): void {
    this.bumpStmt.run();
  }

  /** Candidates' packed scorecards, in a stable order. */
  rows(filters: ProjectionFilters): ProjectedRow[] {
    return this.rowsStmt.all(filters);
  }
}
