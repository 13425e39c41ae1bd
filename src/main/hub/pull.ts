import type { PoolClient } from 'pg';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, type Bundle } from '../../shared/bundle';
import type { HubUser } from './acting';

/** Where a first pull starts: every transaction id is at least this. */
export const FIRST_CURSOR = '0';

/**
 * What changed since the cursor that this user may see, as a bundle's JSON, read in one snapshot
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
export async function pullFor(db: PoolClient, user: HubUser, cursor: string, now: string): Promise<{ json: string; cursor: string; records: number }> {
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

  // Each record as the text PostgreSQL holds, spliced into the bundle's JSON unparsed.
  let count = 0;
  const records = async (table: string, alsoWhen = 'false', params: unknown[] = []): Promise<string[]> => {
    const { rows } = await db.query<{ record: string }>(`SELECT record::text AS record FROM hub.${table} WHERE changed_xid >= $1::xid8 OR ${alsoWhen} ORDER BY seq`, [cursor, ...params]);
    count += rows.length;
    return rows.map((r) => r.record);
  };
  const byCandidate = 'candidate_id = ANY($2::uuid[])';
  const list = (texts: string[]) => `[${texts.join(',')}]`;
  const interviewers = list(await records('interviewers'));
  const versions = (await records('rubric_versions')).map((text) => JSON.parse(text) as Bundle['rubrics'][number]);
  const roles = list(await records('roles', 'id = ANY($2::uuid[]) OR id IN (SELECT role_id FROM hub.candidates WHERE id = ANY($3::uuid[]))', [granted.roles, wholeIds]));
  const candidates = list(await records('candidates', 'id = ANY($2::uuid[])', [wholeIds]));
  const interviews = list(await records('interviews', byCandidate, [wholeIds]));
  const scorecards = list(await records('scorecards', byCandidate, [wholeIds]));
  const revotes = list(await records('revotes', byCandidate, [wholeIds]));
  const keyEvents = list(await records('key_events'));
  const tombstones = list(await records('tombstones'));

  // Rubric versions are kept one per row; a bundle lists each rubric once with its versions.
  const rubrics = new Map<string, Bundle['rubrics'][number]>();
  for (const one of versions) {
    const rubric = rubrics.get(one.id);
    if (rubric) rubric.versions.push(...one.versions);
    else rubrics.set(one.id, { ...one, versions: [...one.versions] });
  }
  const head = {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: 'full',
    createdAt: now,
    createdBy: { interviewerId: user.id, name: 'Team hub', publicKey: '' },
    rubrics: [...rubrics.values()],
  } satisfies Partial<Bundle>;
  const json = `${JSON.stringify(head).slice(0, -1)},"interviewers":${interviewers},"roles":${roles},"candidates":${candidates},"interviews":${interviews},"scorecards":${scorecards},"tombstones":${tombstones},"keyEvents":${keyEvents},"revotes":${revotes}}`;
  return { json, cursor: snapshot[0]!.next, records: count };
}
