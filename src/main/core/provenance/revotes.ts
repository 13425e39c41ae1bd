import canonicalize from 'canonicalize';
import { sign, verify, type KeyObject } from 'node:crypto';
import type { Recommendation } from '../../../shared/constants';
import { publicKeyObject } from './keys';

/** What a panelist signs when they vote again after the debrief: the vote, about whom, by whom, when and why. */
export interface RevoteStatement {
  type: 'panelist/revote';
  version: 1;
  id: string;
  candidateId: string;
  interviewerId: string;
  recommendation: Recommendation;
  reason: string | null;
  at: string;
}

export interface SignedRevote extends Omit<RevoteStatement, 'type' | 'version'> {
  bytes: Buffer;
  signature: Buffer;
  publicKey: string;
}

export function signRevote(vote: Omit<RevoteStatement, 'type' | 'version'>, privateKey: KeyObject, publicKey: string): SignedRevote {
  const bytes = Buffer.from(canonicalize({ type: 'panelist/revote', version: 1, ...vote } satisfies RevoteStatement)!, 'utf8');
  return { ...vote, bytes, signature: sign(null, bytes, privateKey), publicKey };
}

/** What a signed re-vote says (its bytes parsed; check them first with revoteProblem). */
export function signedRevote(bytes: Buffer): RevoteStatement {
  return JSON.parse(bytes.toString('utf8')) as RevoteStatement;
}

/** Why a signed re-vote cannot be trusted (its bytes, its record and its signature by this key must agree), or null. */
export function revoteProblem(vote: SignedRevote, trustedKey: string): string | null {
  if (vote.publicKey !== trustedKey) return "it is signed with a key other than its panelist's";
  let statement: RevoteStatement;
  try {
    statement = signedRevote(vote.bytes);
  } catch {
    return 'its signed content is not JSON';
  }
  if (canonicalize(statement) !== vote.bytes.toString('utf8') || statement.type !== 'panelist/revote' || statement.version !== 1) return 'it is not a re-vote this Panelist knows';
  const same = statement.id === vote.id && statement.candidateId === vote.candidateId && statement.interviewerId === vote.interviewerId && statement.recommendation === vote.recommendation && statement.reason === vote.reason && statement.at === vote.at;
  if (!same) return 'what it says does not match the record it came with';
  try {
    if (!verify(null, vote.bytes, publicKeyObject(trustedKey), vote.signature)) return 'its signature does not verify';
  } catch {
    return 'its signature does not verify';
  }
  return null;
}
