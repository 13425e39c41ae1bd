import type { Db } from '../db/connection';

export interface NewLoop {
  id: string;
  roleId: string;
  name: string;
  now: string;
}

export interface NewLoopStage {
  id: string;
  loopId: string;
  position: number;
  sessionKind: string;
  title: string;
  rubricVersionId: string;
  durationMinutes: number;
  now: string;
}

export class LoopsRepository {
  private readonly insertLoopStmt;
  private readonly insertStageStmt;
  private readonly stagesOfRoleStmt;

  constructor(db: Db) {
    this.insertLoopStmt = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO loops (id, role_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.stagesOfRoleStmt = db.prepare<[string], { id: string; sessionKind: string; rubricVersionId: string }>(
      `SELECT s.id, s.session_kind AS sessionKind, s.rubric_version_id AS rubricVersionId FROM loop_stages s
       WHERE s.loop_id = (SELECT id FROM loops WHERE role_id = ? ORDER BY created_at, id LIMIT 1) ORDER BY s.position`,
    );
    this.insertStageStmt = db.prepare<[string, string, number, string, string, string, number, string, string]>(
      `INSERT INTO loop_stages (id, loop_id, position, session_kind, title, rubric_version_id, duration_minutes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The stages of a role's (first) loop, in order. */
  stagesOfRole(roleId: string): { id: string; sessionKind: string; rubricVersionId: string }[] {
    return this.stagesOfRoleStmt.all(roleId);
  }

  insertLoop(l: NewLoop): void {
    this.insertLoopStmt.run(l.id, l.roleId, l.name, l.now, l.now);
  }

  insertStage(s: NewLoopStage): void {
    this.insertStageStmt.run(s.id, s.loopId, s.position, s.sessionKind, s.title, s.rubricVersionId, s.durationMinutes, s.now, s.now);
  }
}
