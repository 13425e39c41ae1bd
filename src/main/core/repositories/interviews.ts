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

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, duration_minutes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.assignStmt = db.prepare<[string, string, string]>(
      `INSERT INTO panel_assignments (interview_id, interviewer_id, created_at) VALUES (?, ?, ?)`,
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM interviews`);
  }

  insert(i: NewInterview): void {
    this.insertStmt.run(i.id, i.candidateId, i.stageId, i.scheduledAt, i.durationMinutes, i.now, i.now);
  }

  assign(interviewId: string, interviewerId: string, now: string): void {
    this.assignStmt.run(interviewId, interviewerId, now);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
