import type { Db } from '../db/connection';
import type { ScorecardField } from '../../../shared/constants';
import type { Recommendation, Scorecard, ScorecardStatus, ScoreValue } from '../../../shared/domain';

export interface NewScorecard {
  id: string;
  interviewId: string;
  interviewerId: string;
  rubricVersionId: string;
  status: ScorecardStatus;
  recommendation: Recommendation | null;
  takeaways: string;
  submittedAt: string | null;
  now: string;
}

export interface ScoreWrite {
  scorecardId: string;
  criterionId: string;
  value: ScoreValue;
  evidence: string;
  now: string;
}

interface ScorecardRow {
  id: string;
  interview_id: string;
  interviewer_id: string;
  rubric_version_id: string;
  status: ScorecardStatus;
  recommendation: Recommendation | null;
  takeaways: string;
  private_note: string;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

interface ScoreRow {
  criterion_id: string;
  score: number | null;
  not_assessed: number;
  evidence: string;
  updated_at: string;
}

export interface ScorecardHead {
  interviewerId: string;
  interviewId: string;
  candidateId: string;
  rubricVersionId: string;
  status: ScorecardStatus;
  revision: number;
}

/** Fields left undefined stay as they are. */
export interface DetailsWrite {
  recommendation?: Recommendation | null | undefined;
  takeaways?: string | undefined;
  privateNote?: string | undefined;
}

function scoreColumns(value: ScoreValue): { score: number | null; notAssessed: 0 | 1 } {
  if (value === 'not_assessed') return { score: null, notAssessed: 1 };
  return { score: value, notAssessed: 0 };
}

export class ScorecardsRepository {
  private readonly insertStmt;
  private readonly insertScoreStmt;
  private readonly setScoreStmt;
  private readonly touchStmt;
  private readonly headStmt;
  private readonly findStmt;
  private readonly forInterviewStmt;
  private readonly setEvidenceStmt;
  private readonly setDetailsStmt;
  private readonly submitStmt;
  private readonly unscoredStmt;
  private readonly getStmt;
  private readonly scoresStmt;
  private readonly countStmt;
  private readonly fieldRevisionStmt;
  private readonly fieldRevisionsStmt;
  private readonly setFieldRevisionStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, string, string | null, string, string | null, string, string]>(
      `INSERT INTO scorecards (id, interview_id, interviewer_id, rubric_version_id, status, recommendation, takeaways, submitted_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertScoreStmt = db.prepare<[string, string, number | null, number, string, string]>(
      `INSERT INTO scorecard_scores (scorecard_id, criterion_id, score, not_assessed, evidence, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.setScoreStmt = db.prepare<[string, string, number | null, number, string]>(
      `INSERT INTO scorecard_scores (scorecard_id, criterion_id, score, not_assessed, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scorecard_id, criterion_id) DO UPDATE SET
         score = excluded.score, not_assessed = excluded.not_assessed, updated_at = excluded.updated_at`,
    );
    this.touchStmt = db.prepare<[string, string], { revision: number; updated_at: string }>(
      `UPDATE scorecards SET revision = revision + 1, updated_at = ? WHERE id = ? RETURNING revision, updated_at`,
    );
    this.headStmt = db.prepare<[string], ScorecardHead>(
      `SELECT s.interviewer_id AS interviewerId, s.interview_id AS interviewId, i.candidate_id AS candidateId,
         s.rubric_version_id AS rubricVersionId, s.status, s.revision
       FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE s.id = ?`,
    );
    this.findStmt = db.prepare<[string, string], { id: string }>(`SELECT id FROM scorecards WHERE interview_id = ? AND interviewer_id = ?`);
    this.forInterviewStmt = db.prepare<[string], { id: string }>(
      `SELECT s.id FROM scorecards s JOIN interviewers iv ON iv.id = s.interviewer_id WHERE s.interview_id = ? ORDER BY iv.is_me DESC, iv.name`,
    );
    this.setEvidenceStmt = db.prepare<[string, string, string, string]>(
      `INSERT INTO scorecard_scores (scorecard_id, criterion_id, evidence, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scorecard_id, criterion_id) DO UPDATE SET evidence = excluded.evidence, updated_at = excluded.updated_at`,
    );
    this.setDetailsStmt = db.prepare<{ id: string; setRecommendation: number; recommendation: string | null; takeaways: string | null; privateNote: string | null }>(
      `UPDATE scorecards SET
         recommendation = CASE WHEN :setRecommendation THEN :recommendation ELSE recommendation END,
         takeaways = coalesce(:takeaways, takeaways),
         private_note = coalesce(:privateNote, private_note)
       WHERE id = :id`,
    );
    this.submitStmt = db.prepare<[string, string]>(`UPDATE scorecards SET status = 'submitted', submitted_at = ? WHERE id = ? AND status = 'draft'`);
    this.unscoredStmt = db.prepare<[string], { title: string }>(
      `SELECT c.title FROM scorecards s JOIN criteria c ON c.rubric_version_id = s.rubric_version_id
       LEFT JOIN scorecard_scores x ON x.scorecard_id = s.id AND x.criterion_id = c.id
       WHERE s.id = ? AND (x.score IS NULL AND coalesce(x.not_assessed, 0) = 0) ORDER BY c.position`,
    );
    this.getStmt = db.prepare<[string], ScorecardRow>(`SELECT * FROM scorecards WHERE id = ?`);
    this.scoresStmt = db.prepare<[string], ScoreRow>(
      `SELECT s.criterion_id, s.score, s.not_assessed, s.evidence, s.updated_at
       FROM scorecard_scores s JOIN criteria c ON c.id = s.criterion_id
       WHERE s.scorecard_id = ? ORDER BY c.position`,
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM scorecards`);
    this.fieldRevisionStmt = db
      .prepare<[string, string], number>(`SELECT revision FROM scorecard_field_revisions WHERE scorecard_id = ? AND field = ?`)
      .pluck(true);
    this.fieldRevisionsStmt = db
      .prepare<[string], [string, number]>(`SELECT field, revision FROM scorecard_field_revisions WHERE scorecard_id = ?`)
      .raw(true);
    this.setFieldRevisionStmt = db.prepare<[string, string, number]>(
      `INSERT INTO scorecard_field_revisions (scorecard_id, field, revision) VALUES (?, ?, ?)
       ON CONFLICT (scorecard_id, field) DO UPDATE SET revision = excluded.revision`,
    );
  }

  /** The scorecard revision at which a field last changed; 0 when it never has. */
  fieldRevision(scorecardId: string, field: ScorecardField): number {
    return this.fieldRevisionStmt.get(scorecardId, field) ?? 0;
  }

  setFieldRevision(scorecardId: string, field: ScorecardField, revision: number): void {
    this.setFieldRevisionStmt.run(scorecardId, field, revision);
  }

  insert(s: NewScorecard): void {
    this.insertStmt.run(
      s.id,
      s.interviewId,
      s.interviewerId,
      s.rubricVersionId,
      s.status,
      s.recommendation,
      s.takeaways,
      s.submittedAt,
      s.now,
      s.now,
    );
  }

  /** Inserts a score with its evidence note (bulk loading); use setScore for a user's change. */
  insertScore(w: ScoreWrite): void {
    const { score, notAssessed } = scoreColumns(w.value);
    this.insertScoreStmt.run(w.scorecardId, w.criterionId, score, notAssessed, w.evidence, w.now);
  }

  /** Sets (or clears, with null) one criterion's score, keeping its evidence note. */
  setScore(scorecardId: string, criterionId: string, value: ScoreValue, now: string): void {
    const { score, notAssessed } = scoreColumns(value);
    this.setScoreStmt.run(scorecardId, criterionId, score, notAssessed, now);
  }

  /** Records that the scorecard changed: its revision goes up by one. */
  touch(id: string, now: string): { revision: number; updatedAt: string } {
    const row = this.touchStmt.get(now, id);
    if (!row) throw new Error(`scorecard ${id} vanished during an update`);
    return { revision: row.revision, updatedAt: row.updated_at };
  }

  setEvidence(scorecardId: string, criterionId: string, evidence: string, now: string): void {
    this.setEvidenceStmt.run(scorecardId, criterionId, evidence, now);
  }

  /** Changes the fields given; leaves the others as they are. */
  setDetails(id: string, details: DetailsWrite): void {
    this.setDetailsStmt.run({
      id,
      setRecommendation: details.recommendation === undefined ? 0 : 1,
      recommendation: details.recommendation ?? null,
      takeaways: details.takeaways ?? null,
      privateNote: details.privateNote ?? null,
    });
  }

  submit(id: string, now: string): void {
    if (this.submitStmt.run(now, id).changes !== 1) throw new Error(`scorecard ${id} was not a draft`);
  }

  /** Titles of the criteria that have neither a score nor "not assessed". */
  unscoredCriteria(id: string): string[] {
    return this.unscoredStmt.all(id).map((r) => r.title);
  }

  findFor(interviewId: string, interviewerId: string): string | undefined {
    return this.findStmt.get(interviewId, interviewerId)?.id;
  }

  /** Every scorecard of an interview's panel, mine first. */
  forInterview(interviewId: string): Scorecard[] {
    return this.forInterviewStmt.all(interviewId).flatMap((r) => this.get(r.id) ?? []);
  }

  head(id: string): ScorecardHead | undefined {
    return this.headStmt.get(id);
  }

  get(id: string): Scorecard | undefined {
    const row = this.getStmt.get(id);
    if (!row) return undefined;
    return {
      id: row.id,
      interviewId: row.interview_id,
      interviewerId: row.interviewer_id,
      rubricVersionId: row.rubric_version_id,
      status: row.status,
      recommendation: row.recommendation,
      takeaways: row.takeaways,
      privateNote: row.private_note,
      submittedAt: row.submitted_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      revision: row.revision,
      fieldRevisions: Object.fromEntries(this.fieldRevisionsStmt.all(id)),
      scores: this.scoresStmt.all(id).map((s) => ({
        criterionId: s.criterion_id,
        value: s.not_assessed === 1 ? 'not_assessed' : s.score,
        evidence: s.evidence,
        updatedAt: s.updated_at,
      })),
    };
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
