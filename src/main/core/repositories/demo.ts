import type { AppInfo, DemoSummary } from '../../../shared/contract';
import type { Db } from '../db/connection';

type DemoRecords = NonNullable<AppInfo['demoRecords']>;

/** Demo records are flagged at their roots (roles, interviewers, rubrics); the rest hangs off them. */
export class DemoRepository {
  private readonly hasStmt;
  private readonly countsStmt;
  private readonly candidatesStmt;
  private readonly recordsStmts;
  private readonly deleteStmts;
  private readonly unsignedStmt;

  constructor(db: Db) {
    this.unsignedStmt = db.prepare<[], { id: string; interviewerId: string; submittedAt: string }>(
      `SELECT s.id, s.interviewer_id AS interviewerId, s.submitted_at AS submittedAt FROM candidates c
       CROSS JOIN interviews i ON i.candidate_id = c.id CROSS JOIN scorecards s ON s.interview_id = i.id
       WHERE c.is_demo = 1 AND s.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM scorecard_revisions r WHERE r.scorecard_id = s.id)
       ORDER BY s.id`,
    );
    this.hasStmt = db.prepare<[], { present: number }>(
      `SELECT EXISTS (SELECT 1 FROM roles WHERE is_demo = 1) OR EXISTS (SELECT 1 FROM candidates WHERE is_demo = 1) AS present`,
    );
    this.countsStmt = db.prepare<[], DemoSummary>(`
      SELECT
        (SELECT count(*) FROM roles WHERE is_demo = 1) AS roles,
        (SELECT count(*) FROM candidates WHERE is_demo = 1) AS candidates,
        (SELECT count(*) FROM interviewers WHERE is_demo = 1) AS interviewers,
        (SELECT count(*) FROM interviews i JOIN candidates c ON c.id = i.candidate_id WHERE c.is_demo = 1) AS interviews,
        (SELECT count(*) FROM scorecards s JOIN interviews i ON i.id = s.interview_id
           JOIN candidates c ON c.id = i.candidate_id WHERE c.is_demo = 1) AS scorecards,
        (SELECT count(*) FROM scorecard_scores x JOIN scorecards s ON s.id = x.scorecard_id JOIN interviews i ON i.id = s.interview_id
           JOIN candidates c ON c.id = i.candidate_id WHERE c.is_demo = 1) AS scores`);
    this.candidatesStmt = db.prepare<[], { demo: number; other: number }>(
      `SELECT coalesce(sum(is_demo = 1), 0) AS demo, coalesce(sum(is_demo = 0), 0) AS other FROM candidates`,
    );
    // Scorecards hang off candidates: walk the indexes from whichever side is smaller (CROSS JOIN
    // keeps SQLite from starting at the scorecards), so app:info stays cheap at 20,000 candidates.
    const records = (scorecards: string) => `
      SELECT
        (SELECT count(*) FROM roles WHERE is_demo = 1) AS roles,
        (SELECT count(*) FROM candidates WHERE is_demo = 1) AS candidates,
        (SELECT count(*) FROM interviewers WHERE is_demo = 1) AS interviewers,
        ${scorecards} AS scorecards`;
    const scorecardsOf = (isDemo: 0 | 1) => `(SELECT count(*) FROM candidates c CROSS JOIN interviews i ON i.candidate_id = c.id
           CROSS JOIN scorecards s ON s.interview_id = i.id WHERE c.is_demo = ${isDemo})`;
    this.recordsStmts = {
      direct: db.prepare<[], DemoRecords>(records(scorecardsOf(1))),
      complement: db.prepare<[], DemoRecords>(records(`(SELECT count(*) FROM scorecards) - ${scorecardsOf(0)}`)),
    };
    // Order matters: candidates and roles first (cascading to interviews, scorecards, loops),
    // then the interviewers and rubrics that nothing references any more.
    this.deleteStmts = [
      db.prepare(`DELETE FROM candidates WHERE is_demo = 1`),
      db.prepare(`DELETE FROM roles WHERE is_demo = 1`),
      db.prepare(`DELETE FROM interviewers WHERE is_demo = 1`),
      db.prepare(`DELETE FROM rubrics WHERE is_demo = 1`),
    ];
  }

  present(): boolean {
    return this.hasStmt.get()?.present === 1;
  }

  counts(): DemoSummary {
    const row = this.countsStmt.get();
    if (!row) throw new Error('demo counts query returned no row');
    return row;
  }

  /** What deleteAll would remove, in the records a person counts; null when there is no demo data. */
  records(): DemoRecords | null {
    if (!this.present()) return null;
    const candidates = this.candidatesStmt.get() ?? { demo: 0, other: 0 };
    const row = (candidates.demo <= candidates.other ? this.recordsStmts.direct : this.recordsStmts.complement).get();
    if (!row) throw new Error('demo records query returned no row');
    return row;
  }

  /** Run inside a transaction. */
  deleteAll(): void {
    for (const stmt of this.deleteStmts) stmt.run();
  }

  /** Submitted demo scorecards that have no signed revision yet, in id order. */
  unsignedSubmitted(): { id: string; interviewerId: string; submittedAt: string }[] {
    return this.unsignedStmt.all();
  }
}
