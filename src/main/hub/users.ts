import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { HubRole } from '../../shared/hub';
import { fingerprint, publicKeyObject } from '../core/provenance/keys';
import { newToken, tokenHash } from './tokens';

// The admin's commands (run with the owner's database URL): users, their tokens, sharing roles.

export class HubAdminError extends Error {
  override name = 'HubAdminError';
}

function normalEmail(email: string): string {
  const value = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(value) || value.length > 254) throw new HubAdminError(`"${email}" is not an email address.`);
  return value;
}

/**
 * Adds a user (or brings a revoked one back) with their installation's public key, and returns a
 * token shown only this once. Interviewers and hiring managers need the key: the hub checks every
 * signature they push against it.
 */
export async function addUser(pool: Pool, input: { email: string; role: HubRole; publicKey: string | null }): Promise<{ token: string; fingerprint: string | null }> {
  const email = normalEmail(input.email);
  if (input.role !== 'admin' && !input.publicKey) {
    throw new HubAdminError(`An ${input.role} needs the public key of their installation (--public-key; they see it with "panelist me --json").`);
  }
  if (input.publicKey) {
    try {
      publicKeyObject(input.publicKey);
    } catch {
      throw new HubAdminError('--public-key is not a Panelist public key (base64 SPKI, as "panelist me --json" prints it).');
    }
  }
  const token = newToken();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; revoked_at: Date | null }>('SELECT id, revoked_at FROM hub.users WHERE email = $1 FOR UPDATE', [email]);
    const existing = rows[0];
    if (existing && !existing.revoked_at) throw new HubAdminError(`${email} is already a user of this hub; revoke them first to issue a new token.`);
    const id = existing?.id ?? randomUUID();
    if (existing) {
      await client.query('UPDATE hub.users SET role = $2, public_key = $3, revoked_at = NULL WHERE id = $1', [id, input.role, input.publicKey]);
    } else {
      await client.query('INSERT INTO hub.users (id, email, role, public_key) VALUES ($1, $2, $3, $4)', [id, email, input.role, input.publicKey]);
    }
    await client.query('INSERT INTO hub.tokens (hash, user_id) VALUES ($1, $2)', [tokenHash(token), id]);
    await client.query('COMMIT');
    return { token, fingerprint: input.publicKey ? fingerprint(input.publicKey) : null };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Revokes the user and every token of theirs: their next request is refused. */
export async function revokeUser(pool: Pool, emailText: string): Promise<void> {
  const email = normalEmail(emailText);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rowCount } = await client.query('UPDATE hub.users SET revoked_at = now() WHERE email = $1 AND revoked_at IS NULL', [email]);
    if (!rowCount) throw new HubAdminError(`${email} is not an active user of this hub.`);
    await client.query('UPDATE hub.tokens SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM hub.users WHERE email = $1)', [email]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Lets a hiring manager manage a role that is on the hub (its candidates, panels and scorecards). */
export async function shareRole(pool: Pool, roleId: string, emailText: string): Promise<void> {
  const email = normalEmail(emailText);
  const { rows: users } = await pool.query<{ id: string; role: string }>('SELECT id, role FROM hub.users WHERE email = $1 AND revoked_at IS NULL', [email]);
  const user = users[0];
  if (!user) throw new HubAdminError(`${email} is not an active user of this hub.`);
  if (user.role !== 'hiring-manager') throw new HubAdminError(`${email} is an ${user.role}: only hiring managers manage roles.`);
  const { rowCount } = await pool.query('SELECT 1 FROM hub.roles WHERE id::text = $1', [roleId]);
  if (!rowCount) throw new HubAdminError(`No role with id ${roleId} is on this hub yet (a hiring manager's sync brings it).`);
  await pool.query('INSERT INTO hub.role_managers (role_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [roleId, user.id]);
}

/** Every user and how many live tokens they hold: run as the owner, or in a transaction acting for an admin. */
export async function listUsers(db: Pool | PoolClient): Promise<{ email: string; role: string; createdAt: string; revokedAt: string | null; tokens: number }[]> {
  const { rows } = await db.query<{ email: string; role: string; created_at: Date; revoked_at: Date | null; tokens: string }>(
    `SELECT u.email, u.role, u.created_at, u.revoked_at, (SELECT count(*) FROM hub.tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS tokens
     FROM hub.users u ORDER BY u.email`,
  );
  return rows.map((r) => ({ email: r.email, role: r.role, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null, tokens: Number(r.tokens) }));
}
