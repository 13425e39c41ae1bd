import type { PoolClient } from 'pg';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, type Bundle } from '../../shared/bundle';
import type { HubUser } from './acting';

/** Where a first pull starts: every transaction id is at least this. */
export const FIRST_CURSOR = '0';

/**
 * What changed since the cursor that this user may see, as a bundle, read in one snapshot
 * (REPEATABLE READ, acting as the user, so row-level security filters every row).
 *
 * The cursor is the oldest transaction still running when the snapshot was taken
 * (`pg_snapshot_xmin`): every transaction that commits later has an id at least that high, so a
 * row whose writer commits after a younger one is never skipped (a sequence value taken before
 * commit could be). Rows may come twice; the desktop's merge takes them once.
 *
 * What became visible to the user since the cursor (a seat, their own submitted scorecard, a role
 * shared with them: `hub.grants`) comes whole, however old it is.
 */
export async function pullFor(db: PoolClient, user: HubUser, cursor: string, now: string): Promise<{ bundle: Bundle; cursor: string; records: number }> {
  const { rows: snapshot } = await db.query<{ next: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS next');
  const since = [cursor];
  const { rows: grants } = await db.query<{ candidates: string[]; roles: string[] }>(
    `SELECT coalesce(array_agg(DISTINCT candidate_id) FILTER (WHERE candidate_id IS NOT NULL), '{}') AS candidates,
            coalesce(array_agg(DISTINCT role_id) FILTER (WHERE role_id IS NOT NULL), '{}') AS roles
     FROM hub.grants WHERE changed_xid >= $1::xid8`,
    since,
  );
  const granted = grants[0] ?? { candidates: [], roles: [] };
  // Every candidate that became visible whole: granted by itself or by its role.
  const { rows: whole } = await db.query<{ id: string }>('SELECT id FROM hub.candidates WHERE id = ANY($1::uuid[]) OR role_id = ANY($2::uuid[])', [granted.candidates, granted.roles]);
  const wholeIds = whole.map((r) => r.id);

  const records = async <T>(table: string, alsoWhen = 'false', params: unknown[] = []): Promise<T[]> => {
    const { rows } = await db.query<{ record: T }>(`SELECT record FROM hub.${table} WHERE changed_xid >= $1::xid8 OR ${alsoWhen} ORDER BY seq`, [cursor, ...params]);
    return rows.map((r) => r.record);
  };
  const byCandidate = 'candidate_id = ANY($2::uuid[])';
  const interviewers = await records<Bundle['interviewers'][number]>('interviewers');
  const versions = await records<Bundle['rubrics'][number]>('rubric_versions');
  const roles = await records<Bundle['roles'][number]>('roles', 'id = ANY($2::uuid[]) OR id IN (SELECT role_id FROM hub.candidates WHERE id = ANY($3::uuid[]))', [granted.roles, wholeIds]);
  const candidates = await records<Bundle['candidates'][number]>('candidates', 'id = ANY($2::uuid[])', [wholeIds]);
  const interviews = await records<Bundle['interviews'][number]>('interviews', byCandidate, [wholeIds]);
  const scorecards = await records<Bundle['scorecards'][number]>('scorecards', byCandidate, [wholeIds]);
  const revotes = await records<Bundle['revotes'][number]>('revotes', byCandidate, [wholeIds]);
  const keyEvents = await records<Bundle['keyEvents'][number]>('key_events');
  const tombstones = await records<Bundle['tombstones'][number]>('tombstones');

  // Rubric versions are kept one per row; a bundle lists each rubric once with its versions.
  const rubrics = new Map<string, Bundle['rubrics'][number]>();
  for (const one of versions) {
    const rubric = rubrics.get(one.id);
    if (rubric) rubric.versions.push(...one.versions);
    else rubrics.set(one.id, { ...one, versions: [...one.versions] });
  }
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: 'full',
    createdAt: now,
    createdBy: { interviewerId: user.id, name: 'Team hub', publicKey: '' },
    interviewers,
    rubrics: [...rubrics.values()],
    roles,
    candidates,
    interviews,
    scorecards,
    tombstones,
    keyEvents,
    revotes,
  };
  const count = interviewers.length + versions.length + roles.length + candidates.length + interviews.length + scorecards.length + revotes.length + keyEvents.length + tombstones.length;
  return { bundle, cursor: snapshot[0]!.next, records: count };
}
