import type { Db } from '../db/connection';
import type { Interviewer, InterviewerListItem } from '../../../shared/domain';

interface InterviewerRow {
  id: string;
  name: string;
  email: string;
  is_me: number;
  is_demo: number;
  deactivated_at: string | null;
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
    active: row.deactivated_at === null,
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
  private readonly getStmt;
  private readonly byEmailStmt;
  private readonly updateStmt;
  private readonly setActiveStmt;
  private readonly publicKeyStmt;
  private readonly setPublicKeyStmt;

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
    this.getStmt = db.prepare<[string], InterviewerRow>(`SELECT * FROM interviewers WHERE id = ?`);
    this.byEmailStmt = db.prepare<[string], InterviewerRow>(`SELECT * FROM interviewers WHERE email = ? COLLATE NOCASE AND email <> '' ORDER BY is_me DESC, deactivated_at IS NOT NULL, created_at`);
    this.updateStmt = db.prepare<{ id: string; name: string; email: string; now: string; revision: number }>(
      `UPDATE interviewers SET name = :name, email = :email, updated_at = :now, revision = revision + 1 WHERE id = :id AND revision = :revision`,
    );
    this.publicKeyStmt = db.prepare<[string], string | null>(`SELECT public_key FROM interviewers WHERE id = ?`).pluck(true);
    this.setPublicKeyStmt = db.prepare<[string | null, string]>(`UPDATE interviewers SET public_key = ? WHERE id = ?`);
    this.setActiveStmt = db.prepare<{ id: string; deactivatedAt: string | null; now: string; revision: number }>(
      `UPDATE interviewers SET deactivated_at = :deactivatedAt, updated_at = :now, revision = revision + 1 WHERE id = :id AND revision = :revision`,
    );
  }

  get(id: string): Interviewer | undefined {
    const row = this.getStmt.get(id);
    return row && toInterviewer(row);
  }

  /** The interviewer with this email (case-insensitive), if any; "me" and active ones first. */
  byEmail(email: string): Interviewer | undefined {
    const row = this.byEmailStmt.get(email);
    return row && toInterviewer(row);
  }

  /** Changes name and email at the revision the caller saw; false when the revision moved on. */
  update(id: string, name: string, email: string, revision: number, now: string): boolean {
    return this.updateStmt.run({ id, name, email, revision, now }).changes === 1;
  }

  /** The interviewer's public key (Ed25519, SPKI DER base64), pinned on first sight; null when unknown. */
  publicKey(id: string): string | null {
    return this.publicKeyStmt.get(id) ?? null;
  }

  setPublicKey(id: string, publicKey: string | null): void {
    this.setPublicKeyStmt.run(publicKey, id);
  }

  setActive(id: string, active: boolean, revision: number, now: string): boolean {
    return this.setActiveStmt.run({ id, deactivatedAt: active ? null : now, revision, now }).changes === 1;
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
