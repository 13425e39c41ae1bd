import { generateKeyPairSync } from 'node:crypto';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { signKeyEvent } from '../provenance/key-events';
import { fingerprint, publicKeyText, replaceInstallationKey, restoreInstallationKey } from '../provenance/keys';

/**
 * Rotates this installation's key: a new Ed25519 key pair, and a rotation record signed by the old
 * key that travels in every bundle from now on, so that others accept the new key without asking.
 * Scorecards signed before keep their signatures by the old key.
 */
export function rotateMyKey(ctx: CoreContext): { fingerprint: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = publicKeyText(privateKey);
  const event = signKeyEvent(
    { type: 'panelist/key-rotation', version: 1, interviewerId: ctx.meId, oldKey: ctx.keys.publicKey, newKey: publicKey, reason: null, at: nowOf(ctx) },
    ctx.keys.privateKey,
    ctx.keys.publicKey,
  );
  let previous: string | null | undefined;
  try {
    ctx.db.transaction(() => {
      ctx.repos.keyEvents.record(event);
      ctx.repos.interviewers.setPublicKey(ctx.meId, publicKey);
      previous = replaceInstallationKey(ctx.dataDir, privateKey);
    }).immediate();
  } catch (error) {
    if (previous !== undefined) restoreInstallationKey(ctx.dataDir, previous);
    throw error;
  }
  ctx.keys = { privateKey, publicKey };
  return { fingerprint: fingerprint(publicKey) };
}
