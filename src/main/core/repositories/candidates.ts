import type { Db } from '../db/connection';
import type { CandidateDetail, CandidateListItem } from '../../../shared/domain';

export interface NewCandidate {
  id: string;
  roleId: string;
  name: string;
  email: string;
  isDemo: boolean;
  now: string;
}

export interface CandidateFilter {
  roleId: string | null;
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
  interviews_total: number;
  interviews_done: number;
  next_interview_at: string | null;
}

const WHERE = `
  (:roleId IS NULL OR c.role_id = :roleId)
  AND (:search IS NULL OR c.name LIKE '%' || :search || '%' ESCAPE '\\' OR c.email LIKE '%' || :search || '%' ESCAPE '\\')`;

export class CandidatesRepository {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly totalStmt;
  private readonly countStmt;
  private readonly getStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO candidates (id, role_id, name, email, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // The page is chosen first, then its few rows are decorated: counting interviews for every
    // match before paging would make a search over 20,000 candidates slow.
    this.listStmt = db.prepare<CandidateFilter & { now: string }, CandidateListRow>(`
      WITH page AS (
        SELECT c.id FROM candidates c WHERE ${WHERE}
        ORDER BY c.name COLLATE NOCASE, c.id LIMIT :limit OFFSET :offset
      )
      SELECT c.id, c.name, c.email, c.role_id, r.title AS role_title, c.is_demo,
        (SELECT count(*) FROM interviews i WHERE i.candidate_id = c.id) AS interviews_total,
        (SELECT count(*) FROM interviews i WHERE i.candidate_id = c.id AND i.scheduled_at <= :now) AS interviews_done,
        (SELECT min(i.scheduled_at) FROM interviews i WHERE i.candidate_id = c.id AND i.scheduled_at > :now) AS next_interview_at
      FROM page JOIN candidates c ON c.id = page.id JOIN roles r ON r.id = c.role_id
      ORDER BY c.name COLLATE NOCASE, c.id`);
    this.totalStmt = db.prepare<Pick<CandidateFilter, 'roleId' | 'search'>, { n: number }>(
      `SELECT count(*) AS n FROM candidates c WHERE ${WHERE}`,
    );
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM candidates`);
    this.getStmt = db.prepare<[string], { id: string; name: string; email: string; roleId: string; roleTitle: string; isDemo: number }>(
      `SELECT c.id, c.name, c.email, c.role_id AS roleId, r.title AS roleTitle, c.is_demo AS isDemo
       FROM candidates c JOIN roles r ON r.id = c.role_id WHERE c.id = ?`,
    );
  }

  insert(c: NewCandidate): void {
    this.insertStmt.run(c.id, c.roleId, c.name, c.email, c.isDemo ? 1 : 0, c.now, c.now);
  }

  list(filter: CandidateFilter, now: string): { items: CandidateListItem[]; total: number } {
    const items = this.listStmt.all({ ...filter, now }).map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      roleId: row.role_id,
      roleTitle: row.role_title,
      isDemo: row.is_demo === 1,
      interviewsTotal: row.interviews_total,
      interviewsDone: row.interviews_done,
      nextInterviewAt: row.next_interview_at,
    }));
    const total = this.totalStmt.get({ roleId: filter.roleId, search: filter.search })?.n ?? 0;
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
