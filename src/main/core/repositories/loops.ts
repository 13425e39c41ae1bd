import type { Db } from '../db/connection';
import type { LoopStage } from '../../../shared/domain';

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
  private readonly detailedStmt;
  private readonly loopOfRoleStmt;
  private readonly updateStageStmt;
  private readonly deleteStageStmt;
  private readonly parkPositionsStmt;

  constructor(db: Db) {
    this.insertLoopStmt = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO loops (id, role_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.stagesOfRoleStmt = db.prepare<[string], { id: string; sessionKind: string; rubricVersionId: string }>(
      `SELECT s.id, s.session_kind AS sessionKind, s.rubric_version_id AS rubricVersionId FROM loop_stages s
       WHERE s.loop_id = (SELECT id FROM loops WHERE role_id = ? ORDER BY created_at, id LIMIT 1) ORDER BY s.position`,
    );
    this.detailedStmt = db.prepare<[string], LoopStage>(
      `SELECT s.id, s.position, s.session_kind AS sessionKind, s.title, s.duration_minutes AS durationMinutes,
         s.rubric_version_id AS rubricVersionId, r.name AS rubricName, v.version AS rubricVersion,
         (SELECT count(*) FROM interviews i WHERE i.stage_id = s.id) AS interviews
       FROM loop_stages s JOIN rubric_versions v ON v.id = s.rubric_version_id JOIN rubrics r ON r.id = v.rubric_id
       WHERE s.loop_id = (SELECT id FROM loops WHERE role_id = ? ORDER BY created_at, id LIMIT 1) ORDER BY s.position`,
    );
    this.loopOfRoleStmt = db.prepare<[string], { id: string }>(`SELECT id FROM loops WHERE role_id = ? ORDER BY created_at, id LIMIT 1`);
    this.updateStageStmt = db.prepare<[number, string, string, string, number, string, string]>(
      `UPDATE loop_stages SET position = ?, session_kind = ?, title = ?, rubric_version_id = ?, duration_minutes = ?,
         updated_at = ?, revision = revision + 1 WHERE id = ?`,
    );
    this.deleteStageStmt = db.prepare<[string]>(`DELETE FROM loop_stages WHERE id = ?`);
    // Positions are unique per loop: move them out of the way before writing the new order.
    this.parkPositionsStmt = db.prepare<[string]>(`UPDATE loop_stages SET position = position + 1000 WHERE loop_id = ?`);
    this.insertStageStmt = db.prepare<[string, string, number, string, string, string, number, string, string]>(
      `INSERT INTO loop_stages (id, loop_id, position, session_kind, title, rubric_version_id, duration_minutes, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The stages of a role's loop as the editor shows them, with their rubric and interview count. */
  detailedStagesOfRole(roleId: string): LoopStage[] {
    return this.detailedStmt.all(roleId);
  }

  loopOfRole(roleId: string): string | undefined {
    return this.loopOfRoleStmt.get(roleId)?.id;
  }

  parkPositions(loopId: string): void {
    this.parkPositionsStmt.run(loopId);
  }

  updateStage(s: Omit<NewLoopStage, 'loopId'>): void {
    this.updateStageStmt.run(s.position, s.sessionKind, s.title, s.rubricVersionId, s.durationMinutes, s.now, s.id);
  }

  deleteStage(id: string): void {
    this.deleteStageStmt.run(id);
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
