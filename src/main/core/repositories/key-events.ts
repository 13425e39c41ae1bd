import type { Db } from '../db/connection';
import type { KeyEvent } from '../provenance/key-events';

interface Row {
  hash: string;
  kind: 'rotation' | 'revocation';
  interviewer_id: string;
  old_key: string;
  new_key: string;
  signer_key: string;
  bytes: Buffer;
  signature: Buffer;
  at: string;
}

/** Rotations and revocations of keys, append-only, by content hash (the same event twice is one). */
export class KeyEventsRepository {
  private readonly insertStmt;
  private readonly allStmt;
  private readonly pinnedStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, string, string, string, string, string, Buffer, Buffer, string]>(
      `INSERT INTO key_events (hash, kind, interviewer_id, old_key, new_key, signer_key, bytes, signature, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (hash) DO NOTHING`,
    );
    this.allStmt = db.prepare<[], Row>(`SELECT * FROM key_events ORDER BY at, hash`);
    this.pinnedStmt = db.prepare<[string], number>(`SELECT count(*) FROM interviewers WHERE public_key = ?`).pluck();
  }

  record(e: KeyEvent): void {
    this.insertStmt.run(e.hash, e.kind, e.interviewerId, e.oldKey, e.newKey, e.signerKey, e.bytes, e.signature, e.at);
  }

  all(): KeyEvent[] {
    return this.allStmt.all().map((r) => ({
      hash: r.hash,
      kind: r.kind,
      interviewerId: r.interviewer_id,
      oldKey: r.old_key,
      newKey: r.new_key,
      signerKey: r.signer_key,
      bytes: r.bytes,
      signature: r.signature,
      at: r.at,
    }));
  }

  /** Whether some interviewer known here signs with this key (a colleague whose revocations we accept). */
  isPinned(key: string): boolean {
    return (this.pinnedStmt.get(key) ?? 0) > 0;
  }
}
