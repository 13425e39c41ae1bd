import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import { AppError } from '../../../shared/result';

/** scrypt cost: 2^15 with r = 8 takes about 100 ms and 32 MB, as recommended for interactive use. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export interface SealedKey {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  tag: string;
  ciphertext: string;
}

export const MIN_PASSPHRASE_LENGTH = 10;

/** The private key (PKCS#8 DER) encrypted with a passphrase: scrypt for the key, AES-256-GCM for the data. */
export function sealPrivateKey(privateKey: KeyObject, passphrase: string): SealedKey {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new AppError('invalid_input', `passphrase: at least ${MIN_PASSPHRASE_LENGTH} characters`, 'passphrase');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = scryptSync(passphrase, salt, 32, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(privateKey.export({ type: 'pkcs8', format: 'der' })), cipher.final()]);
  return {
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function openSealedKey(sealed: SealedKey, passphrase: string): KeyObject {
  try {
    const key = scryptSync(passphrase, Buffer.from(sealed.salt, 'base64'), 32, { N: sealed.N, r: sealed.r, p: sealed.p, maxmem: SCRYPT.maxmem });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AppError('invalid_input', 'passphrase: wrong passphrase, or the key in the bundle is damaged.', 'passphrase');
  }
}
