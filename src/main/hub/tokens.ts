import { createHash, randomBytes } from 'node:crypto';

/** A new token, shown once; the hub keeps only its hash. */
export function newToken(): string {
  return `pnl_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
