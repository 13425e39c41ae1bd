import type { Recommendation } from '../../../shared/constants';
import type { Decision } from '../../../shared/decisions';
import type { Db } from '../db/connection';

/** The choices the calibration view's filters offer, and the names it shows. */
export interface DecidedRecommendation {
  candidateId: string;
  interviewerId: string;
  sessionKind: string;
  recommendation: Recommendation;
  decision: Decision;
}

export class CalibrationRepository {
  private readonly rolesStmt;
  private readonly sessionKindsStmt;
  private readonly criteriaStmt;
  private readonly interviewersStmt;
  private readonly candidateNamesStmt;
  private readonly decidedStmt;

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
    // From the decisions (few) to their candidates' submitted scorecards: each recommendation beside the current decision.
    this.decidedStmt = db.prepare<{ roleId: string | null }, DecidedRecommendation>(
      `SELECT c.id AS candidateId, s.interviewer_id AS interviewerId, st.session_kind AS sessionKind, s.recommendation, d.decision
       FROM decisions d
       JOIN candidates c ON c.id = d.candidate_id
       JOIN interviews i ON i.candidate_id = c.id
       JOIN loop_stages st ON st.id = i.stage_id
       JOIN scorecards s ON s.interview_id = i.id AND s.status = 'submitted' AND s.recommendation IS NOT NULL
       WHERE d.revision = (SELECT max(revision) FROM decisions WHERE candidate_id = d.candidate_id)
         AND (:roleId IS NULL OR c.role_id = :roleId)`,
    );
  }

  /** Every submitted recommendation for a decided candidate, beside the current decision. */
  decidedRecommendations(roleId: string | null): DecidedRecommendation[] {
    return this.decidedStmt.all({ roleId });
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
