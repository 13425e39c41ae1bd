import type { Db } from '../db/connection';
import type { SignedRevision } from '../provenance/revisions';

interface RevisionRow {
  scorecard_id: string;
  revision: number;
  author_id: string;
  hash: string;
  parent_hash: string | null;
  bytes: Buffer;
  signature: Buffer;
  public_key: string;
  signed_at: string;
}

function toSigned(row: RevisionRow): SignedRevision {
  return {
    scorecardId: row.scorecard_id,
    revision: row.revision,
    authorId: row.author_id,
    hash: row.hash,
    parentHash: row.parent_hash,
    bytes: row.bytes,
    signature: row.signature,
    publicKey: row.public_key,
    signedAt: row.signed_at,
  };
}

/** The append-only chain of signed, submitted revisions of each scorecard. */
export class ScorecardRevisionsRepository {
  private readonly insertStmt;
  private readonly latestStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare<[string, number, string, string, string | null, Buffer, Buffer, string, string]>(
      `INSERT INTO scorecard_revisions (scorecard_id, revision, author_id, hash, parent_hash, bytes, signature, public_key, signed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.latestStmt = db.prepare<[string], RevisionRow>(`SELECT * FROM scorecard_revisions WHERE scorecard_id = ? ORDER BY revision DESC LIMIT 1`);
    this.listStmt = db.prepare<[string], RevisionRow>(`SELECT * FROM scorecard_revisions WHERE scorecard_id = ? ORDER BY revision`);
  }

  insert(r: SignedRevision): void {
    this.insertStmt.run(r.scorecardId, r.revision, r.authorId, r.hash, r.parentHash, r.bytes, r.signature, r.publicKey, r.signedAt);
  }

  latest(scorecardId: string): SignedRevision | undefined {
    const row = this.latestStmt.get(scorecardId);
    return row && toSigned(row);
  }

  list(scorecardId: string): SignedRevision[] {
    return this.listStmt.all(scorecardId).map(toSigned);
  }
}
