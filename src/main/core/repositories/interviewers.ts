import type { Db } from '../db/connection';
import type { Interviewer, InterviewerListItem } from '../../../shared/domain';

interface InterviewerRow {
  id: string;
  name: string;
  email: string;
  is_me: number;
  is_demo: number;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface NewInterviewer {
  id: string;
  name: string;
  email: string;
  isMe: boolean;
  isDemo: boolean;
  now: string;
}

function toInterviewer(row: InterviewerRow): Interviewer {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    isMe: row.is_me === 1,
    isDemo: row.is_demo === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}

export class InterviewersRepository {
  private readonly insertStmt;
  private readonly meStmt;
  private readonly listStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, number, number, string, string]>(
      `INSERT INTO interviewers (id, name, email, is_me, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.meStmt = db.prepare<[], InterviewerRow>(`SELECT * FROM interviewers WHERE is_me = 1`);
    this.listStmt = db.prepare<{ search: string | null }, InterviewerRow & { assigned: number; submitted: number }>(`
      SELECT i.*,
        (SELECT count(*) FROM panel_assignments p WHERE p.interviewer_id = i.id) AS assigned,
        (SELECT count(*) FROM scorecards s WHERE s.interviewer_id = i.id AND s.status = 'submitted') AS submitted
      FROM interviewers i
      WHERE :search IS NULL OR i.name LIKE '%' || :search || '%' ESCAPE '\\' OR i.email LIKE '%' || :search || '%' ESCAPE '\\'
      ORDER BY i.is_me DESC, i.name COLLATE NOCASE, i.id`);
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM interviewers`);
  }

  insert(i: NewInterviewer): void {
    this.insertStmt.run(i.id, i.name, i.email, i.isMe ? 1 : 0, i.isDemo ? 1 : 0, i.now, i.now);
  }

  me(): Interviewer | undefined {
    const row = this.meStmt.get();
    return row && toInterviewer(row);
  }

  list(search: string | null): InterviewerListItem[] {
    return this.listStmt.all({ search }).map((row) => ({
      ...toInterviewer(row),
      assignedInterviews: row.assigned,
      submittedScorecards: row.submitted,
    }));
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }

}
