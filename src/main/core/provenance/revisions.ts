import canonicalize from 'canonicalize';
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { BundleRevision } from '../../../shared/bundle';
import type { RubricVersionView, Scorecard } from '../../../shared/domain';
import { publicKeyObject } from './keys';

/**
 * What an author signs when they submit or amend a scorecard: everything the revision says and
 * everything it is about, named by id, so that no signature can be moved onto another candidate,
 * interview or scorecard, and the hash of the revision before it, so that revisions form a chain.
 * Never the private note. Serialised as RFC 8785 canonical JSON: the exact bytes are kept.
 */
export interface RevisionStatement {
  type: 'panelist/scorecard-revision';
  version: 1;
  scorecardId: string;
  interviewId: string;
  candidateId: string;
  rubricVersionId: string;
  rubricHash: string;
  authorId: string;
  revision: number;
  signedAt: string;
  amendmentReason: string | null;
  parentHash: string | null;
  recommendation: string | null;
  takeaways: string;
  scores: { criterionId: string; value: number | 'not_assessed' | null; evidence: string }[];
}

export interface SignedRevision {
  scorecardId: string;
  revision: number;
  authorId: string;
  hash: string;
  parentHash: string | null;
  bytes: Buffer;
  signature: Buffer;
  publicKey: string;
  signedAt: string;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('nothing to canonicalise');
  return Buffer.from(text, 'utf8');
}

/** The hash of a rubric version's content: a scorecard names the exact anchors it was scored against. */
export function rubricHash(rubric: RubricVersionView): string {
  return sha256(
    canonicalBytes({
      id: rubric.id,
      scaleMax: rubric.scaleMax,
      scaleLabels: rubric.scaleLabels,
      criteria: rubric.criteria.map((c) => ({ id: c.id, position: c.position, title: c.title, description: c.description, weight: c.weight, guidingQuestions: c.guidingQuestions, anchors: c.anchors })),
    }),
  );
}

export interface StatementInput {
  scorecard: Scorecard;
  candidateId: string;
  rubric: RubricVersionView;
  /** rubricHash(rubric), when the caller has it already. */
  rubricHash?: string;
  signedAt: string;
  amendmentReason: string | null;
  parentHash: string | null;
}

export function statementOf(input: StatementInput): RevisionStatement {
  const { scorecard, rubric } = input;
  const byCriterion = new Map(scorecard.scores.map((s) => [s.criterionId, s]));
  return {
    type: 'panelist/scorecard-revision',
    version: 1,
    scorecardId: scorecard.id,
    interviewId: scorecard.interviewId,
    candidateId: input.candidateId,
    rubricVersionId: rubric.id,
    rubricHash: input.rubricHash ?? rubricHash(rubric),
    authorId: scorecard.interviewerId,
    revision: scorecard.revision,
    signedAt: input.signedAt,
    amendmentReason: input.amendmentReason,
    parentHash: input.parentHash,
    recommendation: scorecard.recommendation,
    takeaways: scorecard.takeaways,
    scores: rubric.criteria.map((c) => ({ criterionId: c.id, value: byCriterion.get(c.id)?.value ?? null, evidence: byCriterion.get(c.id)?.evidence ?? '' })),
  };
}

export function signStatement(statement: RevisionStatement, privateKey: KeyObject, publicKey: string): SignedRevision {
  const bytes = canonicalBytes(statement);
  return {
    scorecardId: statement.scorecardId,
    revision: statement.revision,
    authorId: statement.authorId,
    hash: sha256(bytes),
    parentHash: statement.parentHash,
    bytes,
    signature: sign(null, bytes, privateKey),
    publicKey,
    signedAt: statement.signedAt,
  };
}

/** A signed revision as it travels (in bundles and packets): its bytes and signature in base64. */
export function travelling(r: SignedRevision): BundleRevision {
  return { revision: r.revision, authorId: r.authorId, hash: r.hash, parentHash: r.parentHash, bytes: r.bytes.toString('base64'), signature: r.signature.toString('base64'), publicKey: r.publicKey, signedAt: r.signedAt };
}

/** A travelling revision of this scorecard, back to bytes. */
export function arrived(scorecardId: string, r: BundleRevision): SignedRevision {
  return { ...r, scorecardId, bytes: Buffer.from(r.bytes, 'base64'), signature: Buffer.from(r.signature, 'base64') };
}

/** What a signed revision says (its bytes parsed; check them first with revisionIntegrityProblem). */
export function signedStatement(bytes: Buffer): RevisionStatement {
  return JSON.parse(bytes.toString('utf8')) as RevisionStatement;
}

/**
 * Why a signed revision cannot be trusted on its own terms, or null: its bytes match its hash, are
 * the canonical JSON of a scorecard revision that agrees with the record it came with, and are
 * signed by the key it names. Whether that key may sign for its author is asked separately
 * (`revisionProblem`). Pure, so that bundle workers can check thousands of revisions off the main thread.
 */
export function revisionIntegrityProblem(row: SignedRevision): string | null {
  if (sha256(row.bytes) !== row.hash) return 'its content does not match its hash';
  const text = row.bytes.toString('utf8');
  let statement: RevisionStatement;
  try {
    statement = JSON.parse(text) as RevisionStatement;
  } catch {
    return 'its signed content is not JSON';
  }
  if (canonicalize(statement) !== text) return 'its signed content is not canonical JSON';
  if (statement.type !== 'panelist/scorecard-revision' || statement.version !== 1) return 'it is not a scorecard revision this Panelist knows';
  if (statement.scorecardId !== row.scorecardId || statement.revision !== row.revision || statement.authorId !== row.authorId || statement.parentHash !== row.parentHash) {
    return 'what it says does not match the record it came with';
  }
  let key: KeyObject;
  try {
    key = publicKeyObject(row.publicKey);
  } catch {
    return 'the key it names is not an Ed25519 public key';
  }
  if (!verify(null, row.bytes, key, row.signature)) return 'its signature does not verify';
  return null;
}

/** The key a revision names must be the one its author may sign with. */
export function revisionKeyProblem(row: SignedRevision, trustedKey: string): string | null {
  return row.publicKey === trustedKey ? null : "it is signed with a key other than its author's";
}

/** Why a signed revision cannot be trusted, or null when its bytes, hash, signature, row and key agree. */
export function revisionProblem(row: SignedRevision, trustedKey: string): string | null {
  return revisionKeyProblem(row, trustedKey) ?? revisionIntegrityProblem(row);
}
