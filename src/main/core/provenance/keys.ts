import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The installation's private key, beside the database, readable by its owner only. */
export const PRIVATE_KEY_FILE = 'identity.key';

export interface KeyPair {
  privateKey: KeyObject;
  /** SPKI DER, base64: how a public key is stored and travels. */
  publicKey: string;
}

export function publicKeyText(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE = 10_000;

/** The key object of a public key text; parsed once (an import verifies thousands of revisions by few authors). */
export function publicKeyObject(text: string): KeyObject {
  let key = publicKeys.get(text);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    if (publicKeys.size >= PUBLIC_KEY_CACHE) publicKeys.clear();
    publicKeys.set(text, key);
  }
  return key;
}

/**
 * A key's fingerprint for people to compare by voice: the first 16 bytes of the SHA-256 of the
 * public key, as eight groups of four hex digits.
 */
export function fingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 32).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

/** The installation's key pair, made on first use (Ed25519, Node's crypto) and kept in the data folder. */
export function installationKeys(dataDir: string): KeyPair {
  const file = join(dataDir, PRIVATE_KEY_FILE);
  if (existsSync(file)) {
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key: move it away and start again to make a new one.`);
    chmodSync(file, 0o600);
    return { privateKey, publicKey: publicKeyText(privateKey) };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return { privateKey, publicKey: publicKeyText(privateKey) };
}

/** Makes this installation's key the given one (when it becomes the person of a full bundle); returns the previous file's text. */
export function replaceInstallationKey(dataDir: string, privateKey: KeyObject): string | null {
  const file = join(dataDir, PRIVATE_KEY_FILE);
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : null;
  writeFileSync(`${file}.new`, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return previous;
}

export function restoreInstallationKey(dataDir: string, previous: string | null): void {
  const file = join(dataDir, PRIVATE_KEY_FILE);
  if (previous === null) rmSync(file, { force: true });
  else writeFileSync(file, previous, { mode: 0o600 });
}

/** PKCS#8 DER prefix of an Ed25519 private key: what goes before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A key pair made from a 32-byte seed: demo interviewers get keys derived from the demo's seed. */
export function keysFromSeed(seed: Buffer): KeyPair {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: publicKeyText(privateKey) };
}
