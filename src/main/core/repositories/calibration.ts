import type { Db } from '../db/connection';

/** The choices the calibration view's filters offer, and the names it shows. */
export class CalibrationRepository {
  private readonly rolesStmt;
  private readonly sessionKindsStmt;
  private readonly criteriaStmt;
  private readonly interviewersStmt;
  private readonly candidateNamesStmt;

  constructor(db: Db) {
    this.rolesStmt = db.prepare<[], { id: string; title: string }>(`SELECT id, title FROM roles ORDER BY title COLLATE NOCASE`);
    this.sessionKindsStmt = db.prepare<[], { kind: string }>(`SELECT DISTINCT session_kind AS kind FROM loop_stages ORDER BY kind`);
    this.criteriaStmt = db.prepare<[], { title: string }>(
      `SELECT DISTINCT c.title FROM criteria c JOIN loop_stages st ON st.rubric_version_id = c.rubric_version_id ORDER BY c.title COLLATE NOCASE`,
    );
    // One probe of the (interviewer_id, status) index per interviewer, not a scan of every scorecard.
    this.interviewersStmt = db.prepare<[], { id: string; name: string }>(
      `SELECT id, name FROM interviewers iv
       WHERE EXISTS (SELECT 1 FROM scorecards s WHERE s.interviewer_id = iv.id AND s.status = 'submitted')
       ORDER BY name COLLATE NOCASE`,
    );
    this.candidateNamesStmt = db.prepare<[string], { name: string }>(`SELECT name FROM candidates WHERE id = ?`);
  }

  options() {
    return {
      roles: this.rolesStmt.all(),
      sessionKinds: this.sessionKindsStmt.all().map((r) => r.kind),
      criteria: this.criteriaStmt.all().map((r) => r.title),
      interviewers: this.interviewersStmt.all(),
    };
  }

  candidateName(id: string): string {
    return this.candidateNamesStmt.get(id)?.name ?? 'Unknown candidate';
  }
}
