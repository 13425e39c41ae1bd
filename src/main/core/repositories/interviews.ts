import type { Db } from '../db/connection';

export interface NewInterview {
  id: string;
  candidateId: string;
  stageId: string;
  scheduledAt: string;
  durationMinutes: number;
  videoLink?: string;
  now: string;
}

export interface InterviewTimes {
  id: string;
  revision: number;
  scheduledAt: string;
  durationMinutes: number;
  videoLink: string;
  now: string;
}

export interface InterviewRow {
  id: string;
  candidateId: string;
  stageId: string;
  scheduledAt: string;
  durationMinutes: number;
  videoLink: string;
  cancelledAt: string | null;
  revision: number;
  updatedAt: string;
}

export interface Seat {
  interviewerId: string;
  withdrawn: boolean;
  hasScorecard: boolean;
}

/** An interview that overlaps another one for the same interviewer. */
export interface ClashRow {
  interviewerId: string;
  name: string;
  interviewId: string;
  candidateName: string;
  scheduledAt: string;
  durationMinutes: number;
}

export class InterviewsRepository {
  private readonly insertStmt;
  private readonly assignStmt;
  private readonly countStmt;
  private readonly getStmt;
  private readonly timesStmt;
  private readonly cancelStmt;
  private readonly seatsStmt;
  private readonly withdrawStmt;
  private readonly reinstateStmt;
  private readonly unassignStmt;
  private readonly clashesStmt;
  private readonly ofCandidateStmt;
  private readonly seatStmt;
  private readonly unsubmittedSeatStmt;
  private readonly candidatesWithUnsubmittedSeatStmt;
  private readonly candidatesWithScorecardStmt;
  private readonly totalChangesStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, number, string, string, string]>(
      `INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, duration_minutes, video_link, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.getStmt = db.prepare<[string], InterviewRow>(
      `SELECT id, candidate_id AS candidateId, stage_id AS stageId, scheduled_at AS scheduledAt, duration_minutes AS durationMinutes,
         video_link AS videoLink, cancelled_at AS cancelledAt, revision, updated_at AS updatedAt FROM interviews WHERE id = ?`,
    );
    this.timesStmt = db.prepare<InterviewTimes>(
      `UPDATE interviews SET scheduled_at = :scheduledAt, duration_minutes = :durationMinutes, video_link = :videoLink,
         updated_at = :now, revision = revision + 1 WHERE id = :id AND revision = :revision`,
    );
    this.cancelStmt = db.prepare<{ id: string; revision: number; now: string }>(
      `UPDATE interviews SET cancelled_at = :now, updated_at = :now, revision = revision + 1 WHERE id = :id AND revision = :revision AND cancelled_at IS NULL`,
    );
    this.seatsStmt = db.prepare<[string], { interviewerId: string; withdrawn: number; hasScorecard: number }>(
      `SELECT p.interviewer_id AS interviewerId, p.withdrawn_at IS NOT NULL AS withdrawn,
         EXISTS (SELECT 1 FROM scorecards s WHERE s.interview_id = p.interview_id AND s.interviewer_id = p.interviewer_id) AS hasScorecard
       FROM panel_assignments p WHERE p.interview_id = ?`,
    );
    this.withdrawStmt = db.prepare<[string, string, string]>(`UPDATE panel_assignments SET withdrawn_at = ? WHERE interview_id = ? AND interviewer_id = ?`);
    this.reinstateStmt = db.prepare<[string, string]>(`UPDATE panel_assignments SET withdrawn_at = NULL WHERE interview_id = ? AND interviewer_id = ?`);
    this.unassignStmt = db.prepare<[string, string]>(`DELETE FROM panel_assignments WHERE interview_id = ? AND interviewer_id = ?`);
    // An overlap: the other interview starts before this one ends and ends after this one starts.
    this.clashesStmt = db.prepare<{ start: string; end: string; interviewers: string; exceptId: string | null }, ClashRow>(
      `SELECT p.interviewer_id AS interviewerId, iv.name, i.id AS interviewId, c.name AS candidateName,
         i.scheduled_at AS scheduledAt, i.duration_minutes AS durationMinutes
       FROM panel_assignments p
       JOIN interviews i ON i.id = p.interview_id
       JOIN interviewers iv ON iv.id = p.interviewer_id
       JOIN candidates c ON c.id = i.candidate_id
       WHERE p.interviewer_id IN (SELECT value FROM json_each(:interviewers)) AND p.withdrawn_at IS NULL AND i.cancelled_at IS NULL
         AND (:exceptId IS NULL OR i.id <> :exceptId)
         AND i.scheduled_at < :end AND strftime('%Y-%m-%dT%H:%M:%fZ', i.scheduled_at, '+' || i.duration_minutes || ' minutes') > :start
       ORDER BY i.scheduled_at, iv.name`,
    );
    this.ofCandidateStmt = db.prepare<[string], string>(`SELECT id FROM interviews WHERE candidate_id = ?`).pluck(true);
    this.assignStmt = db.prepare<[string, string, string]>(
      `INSERT INTO panel_assignments (interview_id, interviewer_id, created_at) VALUES (?, ?, ?)`,
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM interviews`);
    this.seatStmt = db.prepare<[string, string], { rubricVersionId: string; candidateId: string }>(
      `SELECT st.rubric_version_id AS rubricVersionId, i.candidate_id AS candidateId
       FROM panel_assignments p JOIN interviews i ON i.id = p.interview_id JOIN loop_stages st ON st.id = i.stage_id
       WHERE p.interview_id = ? AND p.interviewer_id = ?`,
    );
    this.unsubmittedSeatStmt = db.prepare<[string, string], { present: number }>(
      `SELECT EXISTS (
         SELECT 1 FROM panel_assignments p JOIN interviews i ON i.id = p.interview_id
         LEFT JOIN scorecards s ON s.interview_id = p.interview_id AND s.interviewer_id = p.interviewer_id
         WHERE p.interviewer_id = ? AND i.candidate_id = ? AND (s.id IS NULL OR s.status <> 'submitted')
           AND p.withdrawn_at IS NULL AND i.cancelled_at IS NULL) AS present`,
    );
    this.candidatesWithUnsubmittedSeatStmt = db
      .prepare<[string], string>(
        `SELECT DISTINCT i.candidate_id FROM panel_assignments p JOIN interviews i ON i.id = p.interview_id
         LEFT JOIN scorecards s ON s.interview_id = p.interview_id AND s.interviewer_id = p.interviewer_id
         WHERE p.interviewer_id = ? AND (s.id IS NULL OR s.status <> 'submitted') AND p.withdrawn_at IS NULL AND i.cancelled_at IS NULL
         ORDER BY i.candidate_id`,
      )
      .pluck(true);
    this.totalChangesStmt = db.prepare<[], number>(`SELECT total_changes()`).pluck(true);
    this.candidatesWithScorecardStmt = db
      .prepare<[string], string>(
        `SELECT DISTINCT i.candidate_id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.interviewer_id = ?`,
      )
      .pluck(true);
  }

  insert(i: NewInterview): void {
    this.insertStmt.run(i.id, i.candidateId, i.stageId, i.scheduledAt, i.durationMinutes, i.videoLink ?? '', i.now, i.now);
  }

  get(id: string): InterviewRow | undefined {
    return this.getStmt.get(id);
  }

  /** Moves an interview (or changes its length or link) at the revision the caller saw. */
  setTimes(t: InterviewTimes): boolean {
    return this.timesStmt.run(t).changes === 1;
  }

  cancel(id: string, revision: number, now: string): boolean {
    return this.cancelStmt.run({ id, revision, now }).changes === 1;
  }

  /** Every seat on the panel, withdrawn ones included. */
  seats(interviewId: string): Seat[] {
    return this.seatsStmt.all(interviewId).map((s) => ({ interviewerId: s.interviewerId, withdrawn: s.withdrawn === 1, hasScorecard: s.hasScorecard === 1 }));
  }

  withdraw(interviewId: string, interviewerId: string, now: string): void {
    this.withdrawStmt.run(now, interviewId, interviewerId);
  }

  reinstate(interviewId: string, interviewerId: string): void {
    this.reinstateStmt.run(interviewId, interviewerId);
  }

  /** Removes a seat that has no scorecard (one with a scorecard is withdrawn instead). */
  unassign(interviewId: string, interviewerId: string): void {
    this.unassignStmt.run(interviewId, interviewerId);
  }

  /** The interviewers' other interviews that overlap [start, end). */
  clashes(interviewerIds: readonly string[], start: string, end: string, exceptId: string | null): ClashRow[] {
    return this.clashesStmt.all({ interviewers: JSON.stringify(interviewerIds), start, end, exceptId });
  }

  idsOfCandidate(candidateId: string): string[] {
    return this.ofCandidateStmt.all(candidateId);
  }

  assign(interviewId: string, interviewerId: string, now: string): void {
    this.assignStmt.run(interviewId, interviewerId, now);
  }

  /** My seat on an interview's panel: the rubric version it is scored with; undefined if I have none. */
  seat(interviewId: string, interviewerId: string): { rubricVersionId: string; candidateId: string } | undefined {
    return this.seatStmt.get(interviewId, interviewerId);
  }

  /** Whether the interviewer sits on a panel of this candidate whose scorecard is not submitted yet. */
  hasUnsubmittedSeat(interviewerId: string, candidateId: string): boolean {
    return this.unsubmittedSeatStmt.get(interviewerId, candidateId)?.present === 1;
  }

  /** Every candidate on whose loop the interviewer holds a seat not submitted yet, in id order. */
  candidatesWithUnsubmittedSeat(interviewerId: string): string[] {
    return this.candidatesWithUnsubmittedSeatStmt.all(interviewerId);
  }

  /** Every candidate the interviewer has a scorecard for (draft or submitted). */
  candidatesWithScorecardOf(interviewerId: string): string[] {
    return this.candidatesWithScorecardStmt.all(interviewerId);
  }

  /** Rows this connection has changed since it opened: a cheap "has anything changed?" for caches. */
  totalChanges(): number {
    return this.totalChangesStmt.get() ?? 0;
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
