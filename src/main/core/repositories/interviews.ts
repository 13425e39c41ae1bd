import type { Db } from '../db/connection';

export interface NewInterview {
  id: string;
  candidateId: string;
  stageId: string;
  scheduledAt: string;
  durationMinutes: number;
  now: string;
}

export class InterviewsRepository {
  private readonly insertStmt;
  private readonly assignStmt;
  private readonly countStmt;
  private readonly seatStmt;
  private readonly unsubmittedSeatStmt;
  private readonly candidatesWithUnsubmittedSeatStmt;
  private readonly candidatesWithScorecardStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, duration_minutes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
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
         WHERE p.interviewer_id = ? AND i.candidate_id = ? AND (s.id IS NULL OR s.status <> 'submitted')) AS present`,
    );
    this.candidatesWithUnsubmittedSeatStmt = db
      .prepare<[string], string>(
        `SELECT DISTINCT i.candidate_id FROM panel_assignments p JOIN interviews i ON i.id = p.interview_id
         LEFT JOIN scorecards s ON s.interview_id = p.interview_id AND s.interviewer_id = p.interviewer_id
         WHERE p.interviewer_id = ? AND (s.id IS NULL OR s.status <> 'submitted')
         ORDER BY i.candidate_id`,
      )
      .pluck(true);
    this.candidatesWithScorecardStmt = db
      .prepare<[string], string>(
        `SELECT DISTINCT i.candidate_id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.interviewer_id = ?`,
      )
      .pluck(true);
  }

  insert(i: NewInterview): void {
    this.insertStmt.run(i.id, i.candidateId, i.stageId, i.scheduledAt, i.durationMinutes, i.now, i.now);
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

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
