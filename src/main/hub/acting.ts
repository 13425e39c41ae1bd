import type { Pool, PoolClient } from 'pg';
import type { HubRole } from '../../shared/hub';
import { tokenHash } from './tokens';

/** The user a request acts for, as the database says after checking the token. */
export interface HubUser {
  id: string;
  email: string;
  role: HubRole;
  publicKey: string | null;
}

export class Unauthorized extends Error {
  override name = 'Unauthorized';
}

const NOT_VALID = 'This token is not valid on this hub (unknown or revoked).';

/** Refuses a token the hub does not know before any work on the request (reading a push's body). */
export async function mustBeKnown(pool: Pool, token: string): Promise<void> {
  const { rowCount } = await pool.query('SELECT 1 FROM hub.act_as($1)', [tokenHash(token)]);
  if (!rowCount) throw new Unauthorized(NOT_VALID);
}

/**
 * Runs `work` in one transaction that acts for the token's user: `hub.act_as` checks the token
 * and sets the user for this transaction only (SET LOCAL), so that row-level security filters
 * every statement whatever the service asks. A revoked or unknown token gets Unauthorized.
 */
export async function asUser<T>(pool: Pool, token: string, mode: 'read' | 'write', work: (client: PoolClient, user: HubUser) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(mode === 'read' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const { rows } = await client.query<{ user_id: string; email: string; role: HubRole; public_key: string | null }>('SELECT * FROM hub.act_as($1)', [tokenHash(token)]);
    const row = rows[0];
    if (!row) throw new Unauthorized(NOT_VALID);
    const result = await work(client, { id: row.user_id, email: row.email, role: row.role, publicKey: row.public_key });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
