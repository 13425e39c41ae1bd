import type { Decision } from '../../../shared/decisions';
import type { Recommendation } from '../../../shared/constants';
import type { Db } from '../db/connection';

export interface DecisionRow {
  id: string;
  revision: number;
  decision: Decision;
  rationale: string;
  changeReason: string | null;
  decidedById: string;
  decidedByName: string;
  decidedAt: string;
}

export interface RevoteRow {
  id: string;
  interviewerId: string;
  recommendation: Recommendation;
  reason: string | null;
  recordedById: string;
  recordedByName: string;
  recordedAt: string;
  signed: number;
}

export interface SignedRevoteRow {
  id: string;
  candidateId: string;
  interviewerId: string;
  recommendation: Recommendation;
  reason: string | null;
  at: string;
  bytes: Buffer;
  signature: Buffer;
  publicKey: string;
}

export interface PacketExportRow {
  format: 'json' | 'html' | 'md' | 'pdf';
  hash: string;
  exportedAt: string;
  exportedById: string;
  exportedByName: string;
}

/** Decisions (append-only revisions), second-round votes, and the packets exported for them. */
export class DecisionsRepository {
  private readonly s;

  constructor(db: Db) {
    const name = (column: string) => `coalesce((SELECT name FROM interviewers WHERE id = ${column}), 'Former interviewer')`;
    this.s = {
      history: db.prepare<[string], DecisionRow>(
        `SELECT id, revision, decision, rationale, change_reason AS changeReason, decided_by AS decidedById, ${name('decided_by')} AS decidedByName, decided_at AS decidedAt
         FROM decisions WHERE candidate_id = ? ORDER BY revision`,
      ),
      insert: db.prepare<{ id: string; candidateId: string; revision: number; decision: Decision; rationale: string; changeReason: string | null; decidedBy: string; at: string }>(
        `INSERT INTO decisions (id, candidate_id, revision, decision, rationale, change_reason, decided_by, decided_at)
         VALUES (:id, :candidateId, :revision, :decision, :rationale, :changeReason, :decidedBy, :at)`,
      ),
      latestByCandidate: db.prepare<[], { candidateId: string; decision: Decision }>(
        `SELECT d.candidate_id AS candidateId, d.decision FROM decisions d
         WHERE d.revision = (SELECT max(revision) FROM decisions WHERE candidate_id = d.candidate_id)`,
      ),
      revotes: db.prepare<[string], RevoteRow>(
        `SELECT id, interviewer_id AS interviewerId, recommendation, reason, recorded_by AS recordedById, ${name('recorded_by')} AS recordedByName,
                recorded_at AS recordedAt, signature IS NOT NULL AS signed
         FROM revotes WHERE candidate_id = ? ORDER BY recorded_at, id`,
      ),
      insertRevote: db.prepare<{ id: string; candidateId: string; interviewerId: string; recommendation: Recommendation; reason: string | null; recordedBy: string; at: string; bytes: Buffer | null; signature: Buffer | null; publicKey: string | null }>(
        `INSERT INTO revotes (id, candidate_id, interviewer_id, recommendation, reason, recorded_by, recorded_at, bytes, signature, public_key)
         VALUES (:id, :candidateId, :interviewerId, :recommendation, :reason, :recordedBy, :at, :bytes, :signature, :publicKey)`,
      ),
      signedRevotes: db.prepare<[], SignedRevoteRow>(
        `SELECT id, candidate_id AS candidateId, interviewer_id AS interviewerId, recommendation, reason, recorded_at AS at, bytes, signature, public_key AS publicKey
         FROM revotes WHERE signature IS NOT NULL ORDER BY recorded_at, id`,
      ),
      revoteExists: db.prepare<[string], number>(`SELECT count(*) FROM revotes WHERE id = ?`).pluck(),
      packets: db.prepare<[string], PacketExportRow>(
        `SELECT format, hash, exported_at AS exportedAt, exported_by AS exportedById, ${name('exported_by')} AS exportedByName
         FROM packet_exports WHERE candidate_id = ? ORDER BY exported_at, id`,
      ),
      insertPacket: db.prepare<{ id: string; candidateId: string; decisionId: string | null; format: string; hash: string; signerKey: string; exportedBy: string; at: string }>(
        `INSERT INTO packet_exports (id, candidate_id, decision_id, format, hash, signer_key, exported_by, exported_at)
         VALUES (:id, :candidateId, :decisionId, :format, :hash, :signerKey, :exportedBy, :at)`,
      ),
    };
  }

  history(candidateId: string): DecisionRow[] {
    return this.s.history.all(candidateId);
  }

  insert(d: { id: string; candidateId: string; revision: number; decision: Decision; rationale: string; changeReason: string | null; decidedBy: string; at: string }): void {
    this.s.insert.run(d);
  }

  /** Each decided candidate's current decision. */
  currentDecisions(): Map<string, Decision> {
    return new Map(this.s.latestByCandidate.all().map((r) => [r.candidateId, r.decision]));
  }

  revotes(candidateId: string): RevoteRow[] {
    return this.s.revotes.all(candidateId);
  }

  insertRevote(v: { id: string; candidateId: string; interviewerId: string; recommendation: Recommendation; reason: string | null; recordedBy: string; at: string; bytes: Buffer | null; signature: Buffer | null; publicKey: string | null }): void {
    this.s.insertRevote.run({ id: v.id, candidateId: v.candidateId, interviewerId: v.interviewerId, recommendation: v.recommendation, reason: v.reason, recordedBy: v.recordedBy, at: v.at, bytes: v.bytes, signature: v.signature, publicKey: v.publicKey });
  }

  /** Every re-vote signed by its panelist (what travels in bundles). */
  signedRevotes(): SignedRevoteRow[] {
    return this.s.signedRevotes.all();
  }

  revoteExists(id: string): boolean {
    return this.s.revoteExists.get(id)! > 0;
  }

  packets(candidateId: string): PacketExportRow[] {
    return this.s.packets.all(candidateId);
  }

  recordPacket(p: { id: string; candidateId: string; decisionId: string | null; format: string; hash: string; signerKey: string; exportedBy: string; at: string }): void {
    this.s.insertPacket.run(p);
  }
}
