import type { Db } from '../db/connection';
import type { CandidateDetail, CandidateListItem } from '../../../shared/domain';
import type { CandidateRecord, RetentionCandidate } from '../../../shared/hiring';

export interface NewCandidate {
  id: string;
  roleId: string;
  name: string;
  email: string;
  source?: string;
  note?: string;
  timeZone?: string;
  isDemo: boolean;
  now: string;
}

export interface CandidateChange {
  id: string;
  revision: number;
  name: string;
  email: string;
  source: string;
  note: string;
  timeZone: string;
  now: string;
}

export interface CandidateFilter {
  roleId: string | null;
  includeArchived: number;
  /** Already escaped for LIKE. */
  search: string | null;
  limit: number;
  offset: number;
}

interface CandidateListRow {
  id: string;
  name: string;
  email: string;
  role_id: string;
  role_title: string;
  is_demo: number;
  archived: number;
  interviews_total: number;
  interviews_done: number;
  next_interview_at: string | null;
}

const WHERE = `
  (:roleId IS NULL OR c.role_id = :roleId)
  AND (:includeArchived OR c.archived_at IS NULL)
  AND (:search IS NULL OR c.name LIKE '%' || :search || '%' ESCAPE '\\' OR c.email LIKE '%' || :search || '%' ESCAPE '\\')`;

export class CandidatesRepository {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly totalStmt;
  private readonly countStmt;
  private readonly getStmt;
  private readonly recordStmt;
  private readonly withEmailStmt;
  private readonly allWithEmailStmt;
  private readonly updateStmt;
  private readonly archiveStmt;
  private readonly inactiveStmt;
  private readonly deleteStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, string, string, string, number, string, string]>(
      `INSERT INTO candidates (id, role_id, name, email, source, note, time_zone, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.recordStmt = db.prepare<[string], Omit<CandidateRecord, 'isDemo'> & { isDemo: number }>(
      `SELECT c.id, c.role_id AS roleId, r.title AS roleTitle, c.name, c.email, c.source, c.note, c.time_zone AS timeZone,
         c.archived_at AS archivedAt, c.is_demo AS isDemo, c.revision
       FROM candidates c JOIN roles r ON r.id = c.role_id WHERE c.id = ?`,
    );
    this.withEmailStmt = db.prepare<{ roleId: string; email: string; exceptId: string | null }, { id: string; name: string }>(
      `SELECT id, name FROM candidates WHERE role_id = :roleId AND email = :email COLLATE NOCASE AND email <> '' AND (:exceptId IS NULL OR id <> :exceptId) LIMIT 1`,
    );
    this.allWithEmailStmt = db.prepare<[string], { id: string; name: string; roleId: string; archived: number }>(
      `SELECT id, name, role_id AS roleId, archived_at IS NOT NULL AS archived FROM candidates WHERE email = ? COLLATE NOCASE AND email <> '' ORDER BY archived, created_at`,
    );
    this.updateStmt = db.prepare<CandidateChange>(
      `UPDATE candidates SET name = :name, email = :email, source = :source, note = :note, time_zone = :timeZone,
         updated_at = :now, revision = revision + 1
       WHERE id = :id AND revision = :revision`,
    );
    this.archiveStmt = db.prepare<{ id: string; archivedAt: string | null; revision: number; now: string }>(
      `UPDATE candidates SET archived_at = :archivedAt, updated_at = :now, revision = revision + 1 WHERE id = :id AND revision = :revision`,
    );
    this.inactiveStmt = db.prepare<{ before: string }, RetentionCandidate>(
      `SELECT * FROM (
         SELECT c.id AS candidateId, c.name, r.title AS roleTitle,
           max(c.updated_at,
               coalesce((SELECT max(max(i.scheduled_at, i.updated_at)) FROM interviews i WHERE i.candidate_id = c.id), ''),
               coalesce((SELECT max(s.updated_at) FROM scorecards s JOIN interviews i ON i.id = s.interview_id WHERE i.candidate_id = c.id), '')) AS lastActivityAt
         FROM candidates c JOIN roles r ON r.id = c.role_id)
       WHERE lastActivityAt < :before ORDER BY lastActivityAt, candidateId`,
    );
    this.deleteStmt = db.prepare<[string]>(`DELETE FROM candidates WHERE id = ?`);
    // The page is chosen first, then its few rows are decorated: counting interviews for every
    // match before paging would make a search over 20,000 candidates slow.
    this.listStmt = db.prepare<CandidateFilter & { now: string }, CandidateListRow>(`
      WITH page AS (
        SELECT c.id FROM candidates c WHERE ${WHERE}
        ORDER BY c.name COLLATE NOCASE, c.id LIMIT :limit OFFSET :offset
      )
      SELECT c.id, c.name, c.email, c.role_id, r.title AS role_title, c.is_demo, c.archived_at IS NOT NULL AS archived,
        (SELECT count(*) FROM interviews i WHERE i.candidate_id = c.id AND i.cancelled_at IS NULL) AS interviews_total,
        (SELECT count(*) FROM interviews i WHERE i.candidate_id = c.id AND i.cancelled_at IS NULL AND i.scheduled_at <= :now) AS interviews_done,
        (SELECT min(i.scheduled_at) FROM interviews i WHERE i.candidate_id = c.id AND i.cancelled_at IS NULL AND i.scheduled_at > :now) AS next_interview_at
      FROM page JOIN candidates c ON c.id = page.id JOIN roles r ON r.id = c.role_id
      ORDER BY c.name COLLATE NOCASE, c.id`);
    this.totalStmt = db.prepare<Pick<CandidateFilter, 'roleId' | 'search' | 'includeArchived'>, { n: number }>(
      `SELECT count(*) AS n FROM candidates c WHERE ${WHERE}`,
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM candidates`);
    this.getStmt = db.prepare<[string], Omit<CandidateDetail, 'interviews' | 'isDemo'> & { isDemo: number }>(
      `SELECT c.id, c.name, c.email, c.role_id AS roleId, r.title AS roleTitle, c.is_demo AS isDemo,
         c.source, c.note, c.time_zone AS timeZone, c.archived_at AS archivedAt, c.revision
       FROM candidates c JOIN roles r ON r.id = c.role_id WHERE c.id = ?`,
    );
  }

  insert(c: NewCandidate): void {
    this.insertStmt.run(c.id, c.roleId, c.name, c.email, c.source ?? '', c.note ?? '', c.timeZone ?? '', c.isDemo ? 1 : 0, c.now, c.now);
  }

  record(id: string): CandidateRecord | undefined {
    const row = this.recordStmt.get(id);
    return row && { ...row, isDemo: row.isDemo === 1 };
  }

  /** The candidate for this role with this email (case-insensitive), other than `exceptId`. */
  withEmail(roleId: string, email: string, exceptId: string | null): { id: string; name: string } | undefined {
    return this.withEmailStmt.get({ roleId, email, exceptId });
  }

  /** Every candidate with this email, whatever the role (for schedule imports). */
  allWithEmail(email: string): { id: string; name: string; roleId: string; archived: number }[] {
    return this.allWithEmailStmt.all(email);
  }

  update(c: CandidateChange): boolean {
    return this.updateStmt.run(c).changes === 1;
  }

  setArchived(id: string, archived: boolean, revision: number, now: string): boolean {
    return this.archiveStmt.run({ id, archivedAt: archived ? now : null, revision, now }).changes === 1;
  }

  /** Candidates with nothing new (record, interview, scorecard) since `before`, oldest activity first. */
  inactiveSince(before: string): RetentionCandidate[] {
    return this.inactiveStmt.all({ before });
  }

  delete(id: string): void {
    this.deleteStmt.run(id);
  }

  list(filter: CandidateFilter, now: string): { items: CandidateListItem[]; total: number } {
    const items = this.listStmt.all({ ...filter, now }).map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      roleId: row.role_id,
      roleTitle: row.role_title,
      isDemo: row.is_demo === 1,
      archived: row.archived === 1,
      interviewsTotal: row.interviews_total,
      interviewsDone: row.interviews_done,
      nextInterviewAt: row.next_interview_at,
    }));
    const total = this.totalStmt.get({ roleId: filter.roleId, search: filter.search, includeArchived: filter.includeArchived })?.n ?? 0;
    return { items, total };
  }

  get(id: string): Omit<CandidateDetail, 'interviews'> | undefined {
    const row = this.getStmt.get(id);
    return row && { ...row, isDemo: row.isDemo === 1 };
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
