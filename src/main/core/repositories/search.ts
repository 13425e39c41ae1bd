import type { Db } from '../db/connection';
import type { SearchHit } from '../../../shared/hiring';

/**
 * One query over everything the palette can jump to. A name matches when it starts with the text
 * or a word of it does; names that start with it rank first, then shorter names. Candidates are
 * looked up through their NOCASE name index for the prefix case; the word case scans (20,000 rows
 * in a few milliseconds).
 */
export class SearchRepository {
  private readonly findStmt;

  constructor(db: Db) {
    this.findStmt = db.prepare<{ q: string; limit: number }, SearchHit>(`
      WITH hits AS (
        SELECT 'candidate' AS kind, c.id, c.name AS label, r.title || CASE WHEN c.archived_at IS NOT NULL THEN ' · archived' ELSE '' END AS detail,
          (c.name LIKE :q || '%' ESCAPE '\\') AS prefix, length(c.name) AS len, 0 AS kindRank
        FROM candidates c JOIN roles r ON r.id = c.role_id
        WHERE c.name LIKE :q || '%' ESCAPE '\\' OR c.name LIKE '% ' || :q || '%' ESCAPE '\\' OR c.email LIKE :q || '%' ESCAPE '\\'
        UNION ALL
        SELECT 'interviewer', i.id, i.name, CASE WHEN i.deactivated_at IS NOT NULL THEN 'Interviewer · deactivated' ELSE 'Interviewer' END,
          (i.name LIKE :q || '%' ESCAPE '\\'), length(i.name), 1
        FROM interviewers i
        WHERE i.name LIKE :q || '%' ESCAPE '\\' OR i.name LIKE '% ' || :q || '%' ESCAPE '\\' OR i.email LIKE :q || '%' ESCAPE '\\'
        UNION ALL
        SELECT 'role', r.id, r.title, 'Role', (r.title LIKE :q || '%' ESCAPE '\\'), length(r.title), 2
        FROM roles r WHERE r.title LIKE '%' || :q || '%' ESCAPE '\\'
        UNION ALL
        SELECT 'rubric', b.id, b.name, 'Rubric', (b.name LIKE :q || '%' ESCAPE '\\'), length(b.name), 3
        FROM rubrics b WHERE b.name LIKE '%' || :q || '%' ESCAPE '\\'
      )
      SELECT kind, id, label, detail FROM hits
      ORDER BY prefix DESC, kindRank, len, label COLLATE NOCASE, id
      LIMIT :limit`);
  }

  find(escapedQuery: string, limit: number): SearchHit[] {
    return this.findStmt.all({ q: escapedQuery, limit });
  }
}
