import type { Db } from '../db/connection';

/** When each interviewer first saw the rest of the panel for a candidate. */
export class PanelViewsRepository {
  private readonly recordStmt;
  private readonly firstSeenStmt;

  constructor(db: Db) {
    this.recordStmt = db.prepare<[string, string, string]>(
      `INSERT INTO panel_views (interviewer_id, candidate_id, first_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.firstSeenStmt = db.prepare<[string, string], { first_seen_at: string }>(
      `SELECT first_seen_at FROM panel_views WHERE interviewer_id = ? AND candidate_id = ?`,
    );
  }

  record(interviewerId: string, candidateId: string, now: string): void {
    this.recordStmt.run(interviewerId, candidateId, now);
  }

  firstSeen(interviewerId: string, candidateId: string): string | undefined {
    return this.firstSeenStmt.get(interviewerId, candidateId)?.first_seen_at;
  }
}
