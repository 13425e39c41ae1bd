import canonicalize from 'canonicalize';
import { sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyObject, type KeyPair } from './keys';
import { sha256 } from './revisions';

/**
 * A change of an interviewer's key that others accept without asking: a rotation is signed by the
 * old key; a revocation (the old key is lost) names a reason and is signed by a colleague's key.
 */
export interface KeyEventStatement {
  type: 'panelist/key-rotation' | 'panelist/key-revocation';
  version: 1;
  interviewerId: string;
  oldKey: string;
  newKey: string;
  reason: string | null;
  at: string;
}

export interface KeyEvent {
  hash: string;
  kind: 'rotation' | 'revocation';
  interviewerId: string;
  oldKey: string;
  newKey: string;
  signerKey: string;
  bytes: Buffer;
  signature: Buffer;
  at: string;
}

/**
 * The user of this installation accepts a new key for a colleague (they compared fingerprints): a
 * revocation of the pinned key signed by this installation, which travels in its bundles, so that
 * whoever trusts this installation accepts the new key too, whatever order bundles arrive in.
 */
export function acceptedKey(change: { interviewerId: string; oldKey: string; newKey: string; reason: string; at: string }, signer: KeyPair): KeyEvent {
  return signKeyEvent({ type: 'panelist/key-revocation', version: 1, ...change }, signer.privateKey, signer.publicKey);
}

export function signKeyEvent(statement: KeyEventStatement, signer: KeyObject, signerKey: string): KeyEvent {
  const bytes = Buffer.from(canonicalize(statement)!, 'utf8');
  return {
    hash: sha256(bytes),
    kind: statement.type === 'panelist/key-rotation' ? 'rotation' : 'revocation',
    interviewerId: statement.interviewerId,
    oldKey: statement.oldKey,
    newKey: statement.newKey,
    signerKey,
    bytes,
    signature: sign(null, bytes, signer),
    at: statement.at,
  };
}

/** Why a key event cannot be trusted, or null when its bytes, record and signature agree. */
export function keyEventProblem(event: KeyEvent): string | null {
  if (sha256(event.bytes) !== event.hash) return 'its content does not match its hash';
  let statement: KeyEventStatement;
  try {
    statement = JSON.parse(event.bytes.toString('utf8')) as KeyEventStatement;
  } catch {
    return 'its signed content is not JSON';
  }
  const kind = statement.type === 'panelist/key-rotation' ? 'rotation' : statement.type === 'panelist/key-revocation' ? 'revocation' : null;
  if (!kind || statement.version !== 1) return 'it is not a key change this Panelist knows';
  if (kind !== event.kind || statement.interviewerId !== event.interviewerId || statement.oldKey !== event.oldKey || statement.newKey !== event.newKey || statement.at !== event.at) {
    return 'what it says does not match the record it came with';
  }
  if (kind === 'rotation' && event.signerKey !== event.oldKey) return 'a rotation must be signed by the old key';
  if (kind === 'revocation' && !statement.reason?.trim()) return 'a revocation must give a reason';
  if (!verify(null, event.bytes, publicKeyObject(event.signerKey), event.signature)) return 'its signature does not verify';
  return null;
}

/**
 * Every key an interviewer may have signed with, starting from the key pinned here and following
 * the rotations and revocations (in any order they arrived), and the key they sign with now. Each
 * key maps to the time until which its signatures are trusted (null: no limit). A rotated key
 * stays trusted (its owner moved on); a revoked key is trusted only for what it signed before the
 * revocation. Both are followed backwards too: a key pinned after a change vouches for the one before.
 */
export function keyChain(pinned: string, events: readonly KeyEvent[], trustedSigner: (key: string) => boolean): { keys: Map<string, string | null>; current: string } {
  const keys = new Map<string, string | null>([[pinned, null]]);
  let current = pinned;
  const limit = (key: string, until: string) => {
    const was = keys.get(key);
    if (was === undefined || was === null || until < was) keys.set(key, until);
  };
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.hash.localeCompare(b.hash));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of ordered) {
      const accepted = e.kind === 'rotation' || trustedSigner(e.signerKey);
      if (!accepted) continue;
      if (keys.has(e.oldKey) && !keys.has(e.newKey)) {
        keys.set(e.newKey, null);
        if (e.oldKey === current) current = e.newKey;
        if (e.kind === 'revocation') limit(e.oldKey, e.at);
        grew = true;
      } else if (keys.has(e.newKey) && !keys.has(e.oldKey)) {
        keys.set(e.oldKey, e.kind === 'revocation' ? e.at : null);
        grew = true;
      } else if (e.kind === 'revocation' && keys.get(e.oldKey) !== e.at && keys.has(e.oldKey)) {
        const before = keys.get(e.oldKey);
        limit(e.oldKey, e.at);
        if (keys.get(e.oldKey) !== before) grew = true;
      }
    }
  }
  return { keys, current };
}
