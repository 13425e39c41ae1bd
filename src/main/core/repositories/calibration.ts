import type { CalibrationFilters } from '../../../shared/calibration-report';
import type { Db } from '../db/connection';

/** One submitted criterion score, as the calibration reads it (raw row, column order below). */
export type RatingRow = [interviewId: string, candidateId: string, interviewerId: string, sessionKind: string, criterionId: string, score: number];

interface FilterParams {
  roleId: string | null;
  sessionKind: string | null;
  criterion: string | null;
  from: string | null;
  to: string | null;
  interviewerId: string | null;
}

const FILTERED = `
  FROM scorecards s
  JOIN interviews i ON i.id = s.interview_id
  JOIN candidates c ON c.id = i.candidate_id
  JOIN loop_stages st ON st.id = i.stage_id
  JOIN scorecard_scores x ON x.scorecard_id = s.id
  WHERE s.status = 'submitted' AND x.score IS NOT NULL
    AND (:roleId IS NULL OR c.role_id = :roleId)
    AND (:sessionKind IS NULL OR st.session_kind = :sessionKind)
    AND (:criterion IS NULL OR x.criterion_id IN (SELECT id FROM criteria WHERE title = :criterion))
    AND (:from IS NULL OR i.scheduled_at >= :from)
    AND (:to IS NULL OR i.scheduled_at < :to)
    AND (:interviewerId IS NULL OR i.candidate_id IN (
      SELECT i2.candidate_id FROM scorecards s2 JOIN interviews i2 ON i2.id = s2.interview_id WHERE s2.interviewer_id = :interviewerId))`;

/** The submitted scores the calibration view works on, and the choices its filters offer. */
export class CalibrationRepository {
  private readonly ratingsStmt;
  private readonly rolesStmt;
  private readonly sessionKindsStmt;
  private readonly criteriaStmt;
  private readonly interviewersStmt;
  private readonly scaleStmt;
  private readonly candidateNamesStmt;
  private readonly versionStmt;
  private readonly criterionTitlesStmt;

  constructor(db: Db) {
    this.ratingsStmt = db
      // Criterion titles are looked up once per criterion (criterionTitles), not once per score.
      .prepare<FilterParams, RatingRow>(`SELECT s.interview_id, i.candidate_id, s.interviewer_id, st.session_kind, x.criterion_id, x.score ${FILTERED}`)
      .raw(true);
    this.rolesStmt = db.prepare<[], { id: string; title: string }>(`SELECT id, title FROM roles ORDER BY title COLLATE NOCASE`);
    this.sessionKindsStmt = db.prepare<[], { kind: string }>(`SELECT DISTINCT session_kind AS kind FROM loop_stages ORDER BY kind`);
    this.criteriaStmt = db.prepare<[], { title: string }>(
      `SELECT DISTINCT c.title FROM criteria c JOIN loop_stages st ON st.rubric_version_id = c.rubric_version_id ORDER BY c.title COLLATE NOCASE`,
    );
    this.interviewersStmt = db.prepare<[], { id: string; name: string }>(
      `SELECT id, name FROM interviewers WHERE id IN (SELECT interviewer_id FROM scorecards WHERE status = 'submitted') ORDER BY name COLLATE NOCASE`,
    );
    this.scaleStmt = db.prepare<[], { scale: number | null }>(
      `SELECT max(v.scale_max) AS scale FROM rubric_versions v WHERE v.id IN (SELECT rubric_version_id FROM scorecards WHERE status = 'submitted')`,
    );
    this.criterionTitlesStmt = db.prepare<[], { id: string; title: string }>(`SELECT id, title FROM criteria`);
    this.candidateNamesStmt = db.prepare<[string], { name: string }>(`SELECT name FROM candidates WHERE id = ?`);
    // Answered from the (status, revision) index of migration 0030.
    this.versionStmt = db.prepare<[], { n: number; revisions: number }>(
      `SELECT count(*) AS n, total(revision) AS revisions FROM scorecards WHERE status = 'submitted'`,
    );
  }

  /** Streamed: holding ~900k row arrays at once costs more in garbage collection than reading them. */
  ratings(filters: CalibrationFilters): IterableIterator<RatingRow> {
    return this.ratingsStmt.iterate({
      roleId: filters.roleId ?? null,
      sessionKind: filters.sessionKind ?? null,
      criterion: filters.criterion ?? null,
      from: filters.from ?? null,
      to: filters.to ?? null,
      interviewerId: filters.interviewerId ?? null,
    });
  }

  criterionTitles(): Map<string, string> {
    return new Map(this.criterionTitlesStmt.all().map((c) => [c.id, c.title]));
  }

  options() {
    return {
      roles: this.rolesStmt.all(),
      sessionKinds: this.sessionKindsStmt.all().map((r) => r.kind),
      criteria: this.criteriaStmt.all().map((r) => r.title),
      interviewers: this.interviewersStmt.all(),
    };
  }

  scaleMax(): number {
    return this.scaleStmt.get()?.scale ?? 4;
  }

  candidateName(id: string): string {
    return this.candidateNamesStmt.get(id)?.name ?? 'Unknown candidate';
  }

  /**
   * Changes whenever the submitted scorecards change, the key of cached results: a submission or
   * a removal moves the count, an amendment raises a revision.
   */
  dataVersion(): string {
    const row = this.versionStmt.get();
    return `${row?.n ?? 0}:${row?.revisions ?? 0}`;
  }
}
