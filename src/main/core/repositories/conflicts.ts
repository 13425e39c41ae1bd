import type { Db } from '../db/connection';

export type ConflictKind = 'scorecard-fork' | 'record' | 'key' | 'draft-superseded';

export interface ConflictRow {
  id: string;
  kind: ConflictKind;
  recordId: string;
  message: string;
  /** What came in, as recorded (JSON): the other branch's signed revisions, the other record, the other key. */
  detail: string;
  recordedAt: string;
}

/** What imports could not merge on their own, kept until the user resolves each (exchange_conflicts). */
export class ConflictsRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      record: db.prepare<{ id: string; kind: string; recordId: string; message: string; detail: string; detailHash: string; now: string; resolution: string | null }>(
        `INSERT INTO exchange_conflicts (id, kind, record_id, message, detail, detail_hash, recorded_at, resolved_at, resolution)
         VALUES (:id, :kind, :recordId, :message, :detail, :detailHash, :now, CASE WHEN :resolution IS NULL THEN NULL ELSE :now END, :resolution)
         ON CONFLICT (kind, record_id, detail_hash) DO NOTHING`,
      ),
      open: db.prepare<[], ConflictRow>(
        `SELECT id, kind, record_id AS recordId, message, detail, recorded_at AS recordedAt FROM exchange_conflicts WHERE resolved_at IS NULL ORDER BY recorded_at, id`,
      ),
      get: db.prepare<[string], ConflictRow & { resolvedAt: string | null }>(
        `SELECT id, kind, record_id AS recordId, message, detail, recorded_at AS recordedAt, resolved_at AS resolvedAt FROM exchange_conflicts WHERE id = ?`,
      ),
      resolve: db.prepare<[string, string, string]>(`UPDATE exchange_conflicts SET resolved_at = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL`),
    };
  }

  /** Recording the same conflict twice changes nothing (imports are idempotent). `resolution` records one settled at once. */
  record(c: { id: string; kind: ConflictKind; recordId: string; message: string; detail: string; detailHash: string; now: string; resolution?: string }): void {
    this.s.record.run({ ...c, resolution: c.resolution ?? null });
  }

  open(): ConflictRow[] {
    return this.s.open.all();
  }

  get(id: string): (ConflictRow & { resolvedAt: string | null }) | undefined {
    return this.s.get.get(id);
  }

  resolve(id: string, resolution: string, now: string): void {
    this.s.resolve.run(now, resolution, id);
  }
}
