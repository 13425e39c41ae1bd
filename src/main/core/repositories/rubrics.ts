import type { Db } from '../db/connection';
import type { Criterion, RubricSummary, RubricVersionView } from '../../../shared/domain';

export interface NewRubric {
  id: string;
  name: string;
  sessionKind: string;
  purpose: string;
  isDemo: boolean;
  now: string;
}

export interface NewRubricVersion {
  id: string;
  rubricId: string;
  version: number;
  scaleMax: number;
  scaleLabels: string[];
  publishedAt: string | null;
  now: string;
}

export interface NewCriterion {
  id: string;
  rubricVersionId: string;
  position: number;
  title: string;
  description: string;
  weight: number;
  guidingQuestions: string[];
  anchors: string[];
}

/** The scale a criterion is scored on, found through a scorecard's rubric version. */
export interface CriterionScale {
  scaleMax: number;
}

interface VersionRow {
  id: string;
  rubric_id: string;
  name: string;
  session_kind: string;
  purpose: string;
  version: number;
  scale_max: number;
  scale_labels: string;
  status: 'draft' | 'published';
  published_at: string | null;
  revision: number;
}

interface SummaryRow {
  rubric_id: string;
  name: string;
  session_kind: string;
  purpose: string;
  is_demo: number;
  version_id: string | null;
  version: number | null;
  status: 'draft' | 'published' | null;
  scale_max: number | null;
  published_at: string | null;
  criteria_count: number;
  used_by: number;
}

export interface VersionHead {
  rubricId: string;
  version: number;
  status: 'draft' | 'published';
  revision: number;
}

interface CriterionRow {
  id: string;
  position: number;
  title: string;
  description: string;
  weight: number;
  guiding_questions: string;
  anchors: string;
}

export class RubricsRepository {
  private readonly insertRubricStmt;
  private readonly insertVersionStmt;
  private readonly publishStmt;
  private readonly insertCriterionStmt;
  private readonly criterionScaleStmt;
  private readonly versionStmt;
  private readonly criteriaStmt;
  private readonly summaryStmt;
  private readonly versionHeadStmt;
  private readonly latestVersionStmt;
  private readonly updateDraftStmt;
  private readonly deleteCriteriaStmt;
  private readonly stagesUsingStmt;

  constructor(db: Db) {
    this.insertRubricStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO rubrics (id, name, session_kind, purpose, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertVersionStmt = db.prepare<[string, string, number, number, string, string, string]>(
      `INSERT INTO rubric_versions (id, rubric_id, version, scale_max, scale_labels, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)`,
    );
    this.publishStmt = db.prepare<[string, string, string]>(
      `UPDATE rubric_versions SET status = 'published', published_at = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
    );
    this.insertCriterionStmt = db.prepare<[string, string, number, string, string, number, string, string]>(
      `INSERT INTO criteria (id, rubric_version_id, position, title, description, weight, guiding_questions, anchors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.criterionScaleStmt = db.prepare<[string, string], { scale_max: number }>(
      `SELECT v.scale_max FROM scorecards s
       JOIN rubric_versions v ON v.id = s.rubric_version_id
       JOIN criteria c ON c.rubric_version_id = v.id
       WHERE s.id = ? AND c.id = ?`,
    );
    this.versionStmt = db.prepare<[string], VersionRow>(
      `SELECT v.id, v.rubric_id, r.name, r.session_kind, r.purpose, v.version, v.scale_max, v.scale_labels, v.status,
         v.published_at, v.revision
       FROM rubric_versions v JOIN rubrics r ON r.id = v.rubric_id WHERE v.id = ?`,
    );
    this.summaryStmt = db.prepare<[], SummaryRow>(
      `SELECT r.id AS rubric_id, r.name, r.session_kind, r.purpose, r.is_demo,
         v.id AS version_id, v.version, v.status, v.scale_max, v.published_at,
         (SELECT count(*) FROM criteria c WHERE c.rubric_version_id = v.id) AS criteria_count,
         (SELECT count(*) FROM loop_stages s WHERE s.rubric_version_id = v.id) AS used_by
       FROM rubrics r LEFT JOIN rubric_versions v ON v.rubric_id = r.id
       ORDER BY r.name COLLATE NOCASE, r.id, v.version`,
    );
    this.versionHeadStmt = db.prepare<[string], VersionHead>(
      `SELECT rubric_id AS rubricId, version, status, revision FROM rubric_versions WHERE id = ?`,
    );
    this.latestVersionStmt = db.prepare<[string], { id: string; version: number; status: 'draft' | 'published' }>(
      `SELECT id, version, status FROM rubric_versions WHERE rubric_id = ? ORDER BY version DESC LIMIT 1`,
    );
    this.updateDraftStmt = db.prepare<[number, string, string, string]>(
      `UPDATE rubric_versions SET scale_max = ?, scale_labels = ?, updated_at = ?, revision = revision + 1
       WHERE id = ? AND status = 'draft'`,
    );
    this.deleteCriteriaStmt = db.prepare<[string]>(`DELETE FROM criteria WHERE rubric_version_id = ?`);
    this.stagesUsingStmt = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM loop_stages WHERE rubric_version_id = ?`);
    this.criteriaStmt = db.prepare<[string], CriterionRow>(`SELECT * FROM criteria WHERE rubric_version_id = ? ORDER BY position`);
  }

  insertRubric(r: NewRubric): void {
    this.insertRubricStmt.run(r.id, r.name, r.sessionKind, r.purpose, r.isDemo ? 1 : 0, r.now, r.now);
  }

  /** Inserts a version as a draft; publish it after its criteria are in. */
  insertVersion(v: NewRubricVersion): void {
    this.insertVersionStmt.run(v.id, v.rubricId, v.version, v.scaleMax, JSON.stringify(v.scaleLabels), v.now, v.now);
  }

  publishVersion(id: string, now: string): void {
    this.publishStmt.run(now, now, id);
  }

  insertCriterion(c: NewCriterion): void {
    this.insertCriterionStmt.run(
      c.id,
      c.rubricVersionId,
      c.position,
      c.title,
      c.description,
      c.weight,
      JSON.stringify(c.guidingQuestions),
      JSON.stringify(c.anchors),
    );
  }

  /** Writes a version's criteria in the given order (positions 1, 2, …). */
  insertCriteria(rubricVersionId: string, criteria: readonly Omit<NewCriterion, 'rubricVersionId' | 'position'>[]): void {
    criteria.forEach((c, index) => this.insertCriterion({ ...c, rubricVersionId, position: index + 1 }));
  }

  /** The scale of a criterion within the rubric version a scorecard uses; undefined if it is not part of it. */
  criterionScale(scorecardId: string, criterionId: string): CriterionScale | undefined {
    const row = this.criterionScaleStmt.get(scorecardId, criterionId);
    return row && { scaleMax: row.scale_max };
  }

  /** Every rubric with its versions, oldest version first. */
  summaries(): RubricSummary[] {
    const byId = new Map<string, RubricSummary>();
    for (const row of this.summaryStmt.all()) {
      let rubric = byId.get(row.rubric_id);
      if (!rubric) {
        rubric = { id: row.rubric_id, name: row.name, sessionKind: row.session_kind, purpose: row.purpose, isDemo: row.is_demo === 1, versions: [] };
        byId.set(row.rubric_id, rubric);
      }
      if (row.version_id && row.version !== null && row.status && row.scale_max !== null) {
        rubric.versions.push({
          id: row.version_id,
          version: row.version,
          status: row.status,
          scaleMax: row.scale_max,
          publishedAt: row.published_at,
          criteriaCount: row.criteria_count,
          usedBy: row.used_by,
        });
      }
    }
    return [...byId.values()];
  }

  versionHead(id: string): VersionHead | undefined {
    return this.versionHeadStmt.get(id);
  }

  latestVersion(rubricId: string): { id: string; version: number; status: 'draft' | 'published' } | undefined {
    return this.latestVersionStmt.get(rubricId);
  }

  /** Changes a draft's scale; its criteria are replaced with replaceCriteria. */
  updateDraft(id: string, scaleMax: number, scaleLabels: string[], now: string): void {
    if (this.updateDraftStmt.run(scaleMax, JSON.stringify(scaleLabels), now, id).changes !== 1) {
      throw new Error(`rubric version ${id} is not a draft`);
    }
  }

  /** Removes a draft's criteria so that the editor's list can be written in its new order. */
  deleteCriteria(versionId: string): void {
    this.deleteCriteriaStmt.run(versionId);
  }

  stagesUsing(versionId: string): number {
    return this.stagesUsingStmt.get(versionId)?.n ?? 0;
  }

  criteria(rubricVersionId: string): Criterion[] {
    return this.criteriaStmt.all(rubricVersionId).map((c) => ({
      id: c.id,
      position: c.position,
      title: c.title,
      description: c.description,
      weight: c.weight,
      guidingQuestions: JSON.parse(c.guiding_questions) as string[],
      anchors: JSON.parse(c.anchors) as string[],
    }));
  }

  version(id: string): RubricVersionView | undefined {
    const v = this.versionStmt.get(id);
    if (!v) return undefined;
    return {
      id: v.id,
      rubricId: v.rubric_id,
      name: v.name,
      sessionKind: v.session_kind,
      purpose: v.purpose,
      version: v.version,
      scaleMax: v.scale_max,
      scaleLabels: JSON.parse(v.scale_labels) as string[],
      status: v.status,
      publishedAt: v.published_at,
      revision: v.revision,
      criteria: this.criteria(id),
    };
  }


}
