import type { Db } from '../db/connection';
import type { Role } from '../../../shared/domain';

interface RoleRow {
  id: string;
  title: string;
  team: string;
  description: string;
  is_demo: number;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface NewRole {
  id: string;
  title: string;
  team: string;
  description: string;
  isDemo: boolean;
  now: string;
}

function toRole(row: RoleRow): Role {
  return {
    id: row.id,
    title: row.title,
    team: row.team,
    description: row.description,
    isDemo: row.is_demo === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}

export class RolesRepository {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly countStmt;
  private readonly getStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, number, string, string]>(
      `INSERT INTO roles (id, title, team, description, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare<[], RoleRow>(`SELECT * FROM roles ORDER BY title COLLATE NOCASE, id`);
    this.countStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM roles`);
    this.getStmt = db.prepare<[string], RoleRow>(`SELECT * FROM roles WHERE id = ?`);
  }

  insert(r: NewRole): void {
    this.insertStmt.run(r.id, r.title, r.team, r.description, r.isDemo ? 1 : 0, r.now, r.now);
  }

  list(): Role[] {
    return this.listStmt.all().map(toRole);
  }

  get(id: string): Role | undefined {
    const row = this.getStmt.get(id);
    return row && toRole(row);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }


}
