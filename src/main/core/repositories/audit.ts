import type { Db } from '../db/connection';

export interface AuditEvent {
  id: string;
  scorecardId: string;
  at: string;
  actorId: string;
  kind: string;
  detail: Record<string, unknown>;
}

export interface AuditEventWithActor extends AuditEvent {
  actorName: string;
}

/** The append-only log of scorecard events; the schema refuses updates and deletes. */
export class AuditRepository {
  private readonly appendStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.appendStmt = db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO scorecard_events (id, scorecard_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.listStmt = db.prepare<[string], { id: string; scorecard_id: string; at: string; actor_id: string; actor_name: string | null; kind: string; detail: string }>(
      `SELECT e.*, iv.name AS actor_name FROM scorecard_events e LEFT JOIN interviewers iv ON iv.id = e.actor_id
       WHERE e.scorecard_id = ? ORDER BY e.at, e.id`,
    );
  }

  append(e: AuditEvent): void {
    this.appendStmt.run(e.id, e.scorecardId, e.at, e.actorId, e.kind, JSON.stringify(e.detail));
  }

  list(scorecardId: string): AuditEventWithActor[] {
    return this.listStmt.all(scorecardId).map((r) => ({
      id: r.id,
      scorecardId: r.scorecard_id,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name ?? 'Someone no longer on this installation',
      kind: r.kind,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
