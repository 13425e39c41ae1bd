import canonicalize from 'canonicalize';
import type { PoolClient } from 'pg';
import type { Bundle } from '../../shared/bundle';
import { recordKey, type HubRecordKind, type PushRequest, type PushResult } from '../../shared/hub';
import { keyEventProblem } from '../core/provenance/key-events';
import { arrived, revisionIntegrityProblem, rubricHash, signedStatement } from '../core/provenance/revisions';
import { revoteProblem } from '../core/provenance/revotes';
import { scorecardRevision } from '../core/sync/bundle-records';
import type { HubUser } from './acting';

/** Tables of records kept at a revision (the others are append-only). */
type RevisedTable = 'interviewers' | 'roles' | 'candidates' | 'interviews';

/** A record the service will not write, with the reason in one sentence. */
class Refusal extends Error {}

type Row = { revision: number; record: unknown };

/**
 * Applies one push in the caller's transaction (acting as the user): each record is written only if
 * the hub still holds the revision the desktop based it on, and only if this user may write it,
 * checked here first and by row-level security behind it. Every signature is verified against the
 * key bound to its author here, as desktops verify on pull. Records come in the order others refer
 * to them, so a refused role refuses its candidates too.
 */
export class Push {
  private readonly results: PushResult[] = [];
  private readonly emails = new Map<string, string | null>();

  constructor(
    private readonly db: PoolClient,
    private readonly user: HubUser,
    private readonly request: PushRequest,
  ) {}

  async apply(): Promise<PushResult[]> {
    const b = this.request.bundle;
    for (const r of b.interviewers) await this.each('interviewers', r.id, () => this.interviewer(r));
    // Key changes before the scorecards: a rotation moves the key the scorecards after it are checked against.
    for (const r of [...b.keyEvents].sort((x, y) => x.at.localeCompare(y.at))) await this.each('key-events', r.hash, () => this.keyEvent(r));
    for (const rubric of b.rubrics) for (const v of rubric.versions) await this.each('rubric-versions', v.id, () => this.rubricVersion(rubric, v));
    for (const r of b.roles) await this.each('roles', r.id, () => this.role(r));
    for (const r of b.candidates) await this.each('candidates', r.id, () => this.candidate(r));
    for (const r of b.interviews) await this.each('interviews', r.id, () => this.interview(r));
    if (b.scorecards.length) await this.prefetchScorecardFacts(b.scorecards);
    for (const r of b.scorecards) await this.each('scorecards', r.id, () => this.scorecard(r));
    for (const r of b.revotes) await this.each('revotes', r.id, () => this.revote(r));
    for (const r of b.tombstones) await this.each('tombstones', r.candidateId, () => this.tombstone(r));
    return this.results;
  }

  private async each(kind: HubRecordKind, id: string, write: () => Promise<Omit<PushResult, 'key'>>): Promise<void> {
    const key = recordKey(kind, id);
    try {
      this.results.push({ key, ...(await write()) });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.results.push({ key, outcome: 'refused', revision: null, reason: error.message });
    }
  }

  private base(kind: HubRecordKind, id: string): number | null {
    return this.request.bases[recordKey(kind, id)] ?? null;
  }

  private async ask(sql: string, params: unknown[]): Promise<boolean> {
    const { rows } = await this.db.query<{ ok: boolean }>(`SELECT ${sql} AS ok`, params);
    return rows[0]?.ok === true;
  }

  /** The email behind an interviewer id (any installation's id for them, as the hub has met it). */
  private async emailOf(interviewerId: string): Promise<string | null> {
    if (!this.emails.has(interviewerId)) {
      const { rows } = await this.db.query<{ email: string }>('SELECT email FROM hub.interviewer_ids WHERE id = $1', [interviewerId]);
      this.emails.set(interviewerId, rows[0]?.email ?? null);
    }
    return this.emails.get(interviewerId)!;
  }

  /** Whether the key is (or was, before a rotation) the one bound to this person; anyone is free to name a key for someone not on the hub. */
  private async isKeyOf(email: string, key: string): Promise<boolean> {
    const { rows } = await this.db.query<{ bound: string | null; rotated: boolean }>(
      `SELECT hub.bound_key($1) AS bound, EXISTS (SELECT 1 FROM hub.key_events WHERE email = $1 AND record ->> 'kind' = 'rotation' AND record ->> 'oldKey' = $2) AS rotated`,
      [email, key],
    );
    const { bound, rotated } = rows[0]!;
    return bound === null || bound === key || rotated;
  }

  /** The keys I have signed with: the one the hub holds for me, and those I rotated from, each until its rotation. */
  private keys: Map<string, string | null> | undefined;

  private async mayHaveSigned(key: string, signedAt: string): Promise<boolean> {
    if (key === this.user.publicKey) return true;
    if (!this.keys) {
      const { rows } = await this.db.query<{ old_key: string; at: string }>(
        `SELECT record ->> 'oldKey' AS old_key, record ->> 'at' AS at FROM hub.key_events WHERE email = $1 AND record ->> 'kind' = 'rotation'`,
        [this.user.email],
      );
      this.keys = new Map(rows.map((r) => [r.old_key, r.at]));
    }
    const until = this.keys.get(key);
    return until !== undefined && until !== null && signedAt <= until;
  }

  private mustManage(): void {
    if (this.user.role !== 'hiring-manager') throw new Refusal(`only a hiring manager may change this (you are an ${this.user.role})`);
  }

  /**
   * A record kept at a revision: inserted when new to the hub (base null), else updated only where
   * the hub still has the base revision. Anything else is stale, unchanged or not this user's.
   */
  private async revised(table: RevisedTable, id: string, revision: number, base: number | null, columns: Record<string, unknown>, record: unknown): Promise<Omit<PushResult, 'key'>> {
    if (base !== null && revision <= base) throw new Refusal(`revision ${revision} is not newer than the hub's ${base}`);
    const names = Object.keys(columns);
    const values = Object.values(columns);
    const written =
      base === null
        ? await this.db.query(
            `INSERT INTO hub.${table} (id, revision, record${names.map((n) => `, ${n}`).join('')}) VALUES ($1, $2, $3${names.map((_, i) => `, $${i + 4}`).join('')}) ON CONFLICT DO NOTHING`,
            [id, revision, JSON.stringify(record), ...values],
          )
        : await this.db.query(
            `UPDATE hub.${table} SET revision = $2, record = $3${names.map((n, i) => `, ${n} = $${i + 5}`).join('')} WHERE id = $1 AND revision = $4`,
            [id, revision, JSON.stringify(record), base, ...values],
          );
    if (written.rowCount) return { outcome: 'accepted', revision };
    const { rows } = await this.db.query<Row>(`SELECT revision, record FROM hub.${table} WHERE id = $1`, [id]);
    const held = rows[0];
    if (!held) throw new Refusal('the hub has this record, and it is not yours to change');
    if (held.revision === revision && sameJson(held.record, record)) return { outcome: 'unchanged', revision };
    return { outcome: 'stale', revision: held.revision, reason: `the hub has revision ${held.revision}: pull, merge and try again` };
  }

  private async interviewer(r: Bundle['interviewers'][number]): Promise<Omit<PushResult, 'key'>> {
    const email = r.email.trim().toLowerCase();
    if (this.user.role !== 'hiring-manager' && email !== this.user.email) throw new Refusal('an interviewer may only change their own record');
    // Desktops pin the key a record carries the first time they see it: it must be the person's.
    if (r.publicKey && email && !(await this.isKeyOf(email, r.publicKey))) throw new Refusal(`the key in this record is not the one the hub has for ${email}`);
    // A hiring manager links a person's ids on every installation; an interviewer claims only the id
    // of the installation that holds their key (else they could take a colleague's id before it is known).
    const ids = this.user.role === 'hiring-manager' ? [r.id, ...r.aliases] : r.publicKey === this.user.publicKey ? [r.id] : [];
    for (const id of ids) {
      await this.db.query('INSERT INTO hub.interviewer_ids (id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, email]);
      this.emails.delete(id);
    }
    return this.revised('interviewers', r.id, r.revision, this.base('interviewers', r.id), { email }, r);
  }

  private async rubricVersion(rubric: Bundle['rubrics'][number], v: Bundle['rubrics'][number]['versions'][number]): Promise<Omit<PushResult, 'key'>> {
    this.mustManage();
    if (rubricHash({ id: v.id, scaleMax: v.scaleMax, scaleLabels: v.scaleLabels, criteria: v.criteria } as Parameters<typeof rubricHash>[0]) !== v.contentHash) {
      throw new Refusal(`rubric version ${v.id} does not match its own content hash`);
    }
    const record = { ...rubric, versions: [v] };
    const { rowCount } = await this.db.query('INSERT INTO hub.rubric_versions (id, rubric_id, content_hash, record) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [v.id, rubric.id, v.contentHash, JSON.stringify(record)]);
    if (rowCount) return { outcome: 'accepted', revision: 1 };
    const { rows } = await this.db.query<{ content_hash: string }>('SELECT content_hash FROM hub.rubric_versions WHERE id = $1', [v.id]);
    if (rows[0]?.content_hash !== v.contentHash) throw new Refusal('a published rubric version never changes, and the hub has other content for this one');
    return { outcome: 'unchanged', revision: 1 };
  }

  private async role(r: Bundle['roles'][number]): Promise<Omit<PushResult, 'key'>> {
    this.mustManage();
    for (const stage of r.loop.stages) {
      const { rowCount } = await this.db.query('SELECT 1 FROM hub.rubric_versions WHERE id = $1', [stage.rubricVersionId]);
      if (!rowCount) throw new Refusal(`stage "${stage.title}" uses rubric version ${stage.rubricVersionId}, which the hub does not have`);
    }
    const base = this.base('roles', r.id);
    if (base !== null && !(await this.ask('hub.manages($1)', [r.id]))) throw new Refusal('this role is not one you manage on the hub');
    return this.revised('roles', r.id, r.revision, base, {}, r);
  }

  private async candidate(r: Bundle['candidates'][number]): Promise<Omit<PushResult, 'key'>> {
    this.mustManage();
    if (!(await this.ask('hub.manages($1)', [r.roleId]))) throw new Refusal(`the candidate's role ${r.roleId} is not on the hub or not one you manage`);
    const { rowCount } = await this.db.query('SELECT 1 FROM hub.tombstones WHERE candidate_id = $1', [r.id]);
    if (rowCount) throw new Refusal('this candidate was erased');
    return this.revised('candidates', r.id, r.revision, this.base('candidates', r.id), { role_id: r.roleId }, r);
  }

  private async interview(r: Bundle['interviews'][number]): Promise<Omit<PushResult, 'key'>> {
    this.mustManage();
    if (!(await this.ask('hub.manages_candidate($1)', [r.candidateId]))) throw new Refusal(`candidate ${r.candidateId} is not on the hub or not in a role you manage`);
    const seats: { email: string; active: boolean }[] = [];
    for (const seat of r.panel) {
      const email = await this.emailOf(seat.interviewerId);
      if (email === null) throw new Refusal(`panelist ${seat.interviewerId} is not known to the hub (sync their interviewer record first)`);
      if (email) seats.push({ email, active: !seat.withdrawnAt && !r.cancelledAt });
    }
    const result = await this.revised('interviews', r.id, r.revision, this.base('interviews', r.id), { candidate_id: r.candidateId }, r);
    if (result.outcome !== 'accepted') return result;
    // One seat per person (a panel may name them by two installations' ids).
    const byEmail = new Map(seats.map((seat) => [seat.email, seat.active]));
    await this.db.query('DELETE FROM hub.seats WHERE interview_id = $1 AND NOT (email = ANY($2))', [r.id, [...byEmail.keys()]]);
    await this.db.query(
      `INSERT INTO hub.seats (interview_id, candidate_id, email, active) SELECT $1, $2, email, active FROM unnest($3::text[], $4::boolean[]) AS seat (email, active)
       ON CONFLICT (interview_id, email) DO UPDATE SET active = excluded.active, candidate_id = excluded.candidate_id
        WHERE (hub.seats.active, hub.seats.candidate_id) IS DISTINCT FROM (excluded.active, excluded.candidate_id)`,
      [r.id, r.candidateId, [...byEmail.keys()], [...byEmail.values()]],
    );
    return result;
  }

  /** What the scorecards of a push are checked against, read in three queries rather than several per scorecard. */
  private facts = { seats: new Map<string, string>(), rubrics: new Map<string, string>(), held: new Map<string, { revision: number; record: Bundle['scorecards'][number] }>() };

  private async prefetchScorecardFacts(scorecards: Bundle['scorecards']): Promise<void> {
    const { rows: seats } = await this.db.query<{ interview_id: string; candidate_id: string }>(
      'SELECT interview_id, candidate_id FROM hub.seats WHERE interview_id = ANY($1::uuid[]) AND email = $2',
      [[...new Set(scorecards.map((r) => r.interviewId))], this.user.email],
    );
    const { rows: rubrics } = await this.db.query<{ id: string; content_hash: string }>('SELECT id, content_hash FROM hub.rubric_versions WHERE id = ANY($1::uuid[])', [
      [...new Set(scorecards.map((r) => r.rubricVersionId))],
    ]);
    const { rows: held } = await this.db.query<{ id: string; revision: number; record: Bundle['scorecards'][number] }>('SELECT id, revision, record FROM hub.scorecards WHERE id = ANY($1::uuid[])', [
      scorecards.map((r) => r.id),
    ]);
    this.facts = {
      seats: new Map(seats.map((r) => [r.interview_id, r.candidate_id])),
      rubrics: new Map(rubrics.map((r) => [r.id, r.content_hash])),
      held: new Map(held.map((r) => [r.id, r])),
    };
  }

  private async scorecard(r: Bundle['scorecards'][number]): Promise<Omit<PushResult, 'key'>> {
    const email = await this.emailOf(r.interviewerId);
    if (email !== this.user.email) throw new Refusal("a scorecard may only be pushed by its author: this one is someone else's");
    const candidateId = this.facts.seats.get(r.interviewId);
    if (!candidateId) throw new Refusal(`you have no seat on interview ${r.interviewId} on the hub`);
    const contentHash = this.facts.rubrics.get(r.rubricVersionId);
    if (!contentHash) throw new Refusal(`rubric version ${r.rubricVersionId} is not on the hub`);
    const chain = [...r.revisions].sort((a, b) => a.revision - b.revision);
    let parent: string | null = null;
    for (const revision of chain) {
      const where = `revision ${revision.revision}`;
      if (revision.authorId !== r.interviewerId && (await this.emailOf(revision.authorId)) !== email) throw new Refusal(`${where} claims another author than the scorecard's`);
      if (!(await this.mayHaveSigned(revision.publicKey, revision.signedAt))) throw new Refusal(`${where} is signed with a key other than the one the hub has for you`);
      const signed = arrived(r.id, revision);
      const problem = revisionIntegrityProblem(signed);
      if (problem) throw new Refusal(`${where} is refused: ${problem}`);
      const statement = signedStatement(signed.bytes);
      if (statement.interviewId !== r.interviewId || statement.candidateId !== candidateId || statement.rubricVersionId !== r.rubricVersionId) {
        throw new Refusal(`${where} was signed for another interview, candidate or rubric than it claims`);
      }
      if (statement.rubricHash !== contentHash) throw new Refusal(`${where} was scored on a rubric version with other content`);
      if (revision.parentHash !== parent) throw new Refusal(`${where} does not follow the revision before it`);
      parent = revision.hash;
    }
    const revision = scorecardRevision(r);
    const ours = this.facts.held.get(r.id);
    if (ours) {
      const hashes = new Set(chain.map((c) => c.hash));
      const held = new Set(ours.record.revisions.map((c) => c.hash));
      // An older copy of what the hub has (a replay, or a desktop behind): nothing new.
      if (chain.every((c) => held.has(c.hash))) return { outcome: 'unchanged', revision: ours.revision };
      if (!ours.record.revisions.every((c) => hashes.has(c.hash))) {
        throw new Refusal('the hub has other revisions of this scorecard after the same one (it was amended on two machines): settle the conflict in the app');
      }
    }
    const base = this.base('scorecards', r.id);
    const columns = [r.id, r.interviewId, candidateId, email, revision, parent, JSON.stringify(r)];
    const written = ours
      ? await this.db.query(`UPDATE hub.scorecards SET revision = $5, head_hash = $6, record = $7 WHERE id = $1 AND revision = $8`, [...columns, base ?? ours.revision])
      : await this.db.query(
          `INSERT INTO hub.scorecards (id, interview_id, candidate_id, author_email, revision, head_hash, record) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          columns,
        );
    if (written.rowCount) return { outcome: 'accepted', revision };
    return { outcome: 'stale', revision: ours?.revision ?? null, reason: 'the hub has another revision of this scorecard: pull, merge and try again' };
  }

  private async revote(r: Bundle['revotes'][number]): Promise<Omit<PushResult, 'key'>> {
    if ((await this.emailOf(r.interviewerId)) !== this.user.email) throw new Refusal("a re-vote may only be pushed by the panelist who signed it");
    if (!(await this.mayHaveSigned(r.publicKey, r.at))) throw new Refusal('the re-vote is signed with a key other than the one the hub has for you');
    const problem = revoteProblem({ ...r, bytes: Buffer.from(r.bytes, 'base64'), signature: Buffer.from(r.signature, 'base64') }, r.publicKey);
    if (problem) throw new Refusal(`the re-vote is refused: ${problem}`);
    if (!(await this.ask('hub.sits($1)', [r.candidateId]))) throw new Refusal(`you sit on no panel of candidate ${r.candidateId} on the hub`);
    const { rowCount } = await this.db.query('INSERT INTO hub.revotes (id, candidate_id, author_email, record) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [r.id, r.candidateId, this.user.email, JSON.stringify(r)]);
    return { outcome: rowCount ? 'accepted' : 'unchanged', revision: 1 };
  }

  private async keyEvent(r: Bundle['keyEvents'][number]): Promise<Omit<PushResult, 'key'>> {
    if ((await this.emailOf(r.interviewerId)) !== this.user.email) throw new Refusal('a key change may only be pushed by its interviewer');
    const problem = keyEventProblem({ ...r, bytes: Buffer.from(r.bytes, 'base64'), signature: Buffer.from(r.signature, 'base64') });
    if (problem) throw new Refusal(`the key change is refused: ${problem}`);
    const { rowCount: held } = await this.db.query('SELECT 1 FROM hub.key_events WHERE hash = $1', [r.hash]);
    if (held) return { outcome: 'unchanged', revision: 1 };
    // Rotations chain from the key bound at add-user: a stolen token alone cannot start a chain of its own
    // from a key it made up, nor fork one from a key already rotated away.
    if (r.kind === 'rotation') {
      if (r.oldKey !== this.user.publicKey) throw new Refusal('a key rotation must start from the key the hub has for you now');
      // What I sign from now on is checked against the new key.
      if (!(await this.ask('hub.rotate_own_key($1, $2)', [r.oldKey, r.newKey]))) throw new Refusal('your key on the hub changed while this push ran: sync again');
      this.user.publicKey = r.newKey;
      this.keys = undefined;
    }
    await this.db.query('INSERT INTO hub.key_events (hash, email, record) VALUES ($1, $2, $3)', [r.hash, this.user.email, JSON.stringify(r)]);
    return { outcome: 'accepted', revision: 1 };
  }

  /** An erasure: the tombstone stays on the hub for every desktop, and the candidate's records go. */
  private async tombstone(r: Bundle['tombstones'][number]): Promise<Omit<PushResult, 'key'>> {
    this.mustManage();
    const { rowCount: known } = await this.db.query('SELECT 1 FROM hub.tombstones WHERE candidate_id = $1', [r.candidateId]);
    if (known) return { outcome: 'unchanged', revision: 1 };
    if (!(await this.ask('hub.manages_candidate($1)', [r.candidateId]))) throw new Refusal(`candidate ${r.candidateId} is not on the hub or not in a role you manage`);
    await this.db.query('INSERT INTO hub.tombstones (candidate_id, record) VALUES ($1, $2)', [r.candidateId, JSON.stringify(r)]);
    await this.db.query('DELETE FROM hub.candidates WHERE id = $1', [r.candidateId]);
    return { outcome: 'accepted', revision: 1 };
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}
