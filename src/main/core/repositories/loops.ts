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

  constructor(db: Db) {
    this.insertLoopStmt = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO loops (id, role_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertStageStmt = db.prepare<[string, string, number, string, string, string, number, string, string]>(
      `INSERT INTO loop_stages (id, loop_id, position, session_kind, title, rubric_version_id, duration_minutes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  insertLoop(l: NewLoop): void {
    this.insertLoopStmt.run(l.id, l.roleId, l.name, l.now, l.now);
  }

  insertStage(s: NewLoopStage): void {
    this.insertStageStmt.run(s.id, s.loopId, s.position, s.sessionKind, s.title, s.rubricVersionId, s.durationMinutes, s.now, s.now);
  }
}
