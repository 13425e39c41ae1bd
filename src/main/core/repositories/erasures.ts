import type { Db } from '../db/connection';

/** What an erasure leaves: ids only, so that nothing brings the candidate back. */
export interface Tombstone {
  candidateId: string;
  erasedAt: string;
  erasedBy: string;
  interviewIds: string[];
  scorecardIds: string[];
}

export class ErasuresRepository {
  private readonly insertStmt;
  private readonly hasStmt;
  private readonly countsStmt;
  private readonly scorecardIdsStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string]>(`INSERT INTO erasures (candidate_id, erased_at, erased_by, ids) VALUES (?, ?, ?, ?)`);
    this.hasStmt = db.prepare<[string], number>(`SELECT EXISTS (SELECT 1 FROM erasures WHERE candidate_id = ?)`).pluck(true);
    this.countsStmt = db.prepare<{ id: string }, { interviews: number; scorecards: number; interviewers: number }>(
      `SELECT (SELECT count(*) FROM interviews WHERE candidate_id = :id) AS interviews,
         count(s.id) AS scorecards, count(DISTINCT s.interviewer_id) AS interviewers
       FROM interviews i JOIN scorecards s ON s.interview_id = i.id WHERE i.candidate_id = :id`,
    );
    this.scorecardIdsStmt = db
      .prepare<[string], string>(`SELECT s.id FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = ? ORDER BY s.id`)
      .pluck(true);
  }

  record(t: Tombstone): void {
    this.insertStmt.run(t.candidateId, t.erasedAt, t.erasedBy, JSON.stringify({ interviews: t.interviewIds, scorecards: t.scorecardIds }));
  }

  isErased(candidateId: string): boolean {
    return this.hasStmt.get(candidateId) === 1;
  }

  /** How much an erasure of the candidate would take: interviews, scorecards, and by how many interviewers. */
  counts(candidateId: string): { interviews: number; scorecards: number; interviewers: number } {
    return this.countsStmt.get({ id: candidateId }) ?? { interviews: 0, scorecards: 0, interviewers: 0 };
  }

  scorecardIds(candidateId: string): string[] {
    return this.scorecardIdsStmt.all(candidateId);
  }
}
