import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint, PRIVATE_KEY_FILE } from '../../src/main/core/provenance/keys';
import { revisionProblem, type RevisionStatement } from '../../src/main/core/provenance/revisions';
import { tempDataDir } from '../support/cli';
import { must, openEditor, openTestCore, type TestCore } from '../support/core';

let core: TestCore;
afterEach(() => core?.dispose());

async function submitOne(c: TestCore) {
  const { unsubmitted } = await c.value('today:list', {});
  const view = await c.value('scorecards:open', { interviewId: unsubmitted[0]!.interviewId });
  const editor = await openEditor(c, view.scorecard.id);
  for (const criterion of view.rubric.criteria) must(await editor.setScore(criterion.id, 3));
  must(await editor.setEvidence(view.rubric.criteria[0]!.id, 'asked about scale first'));
  must(await editor.setDetail('privateNote', 'for my eyes only'));
  must(await editor.setDetail('recommendation', 'yes'));
  must(await editor.submit());
  return { view, editor };
}

describe('signed revisions', () => {
  it('gives the installation an Ed25519 key, private to its owner, the same on every start, with a fingerprint to compare', async () => {
    const dir = tempDataDir();
    core = await openTestCore(dir);
    const me = await core.value('me:get', {});
    expect(me.keyFingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    expect(statSync(join(dir.dir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    core.close();
    core = await openTestCore(dir);
    expect((await core.value('me:get', {})).keyFingerprint).toBe(me.keyFingerprint);
    expect(fingerprint(core.ctx.repos.interviewers.publicKey(core.ctx.meId)!)).toBe(me.keyFingerprint);
  });

  it('signs each submission and amendment over canonical JSON naming every id, chained by hash, never with the private note', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 5, seed: 4 });
    const { view, editor } = await submitOne(core);
    must(await editor.amend({ reason: 'Second look', scores: [{ criterionId: view.rubric.criteria[1]!.id, value: 4 }] }));
    const [first, second] = core.ctx.repos.scorecardRevisions.list(view.scorecard.id);
    const myKey = core.ctx.keys.publicKey;
    expect(revisionProblem(first!, myKey)).toBeNull();
    expect(revisionProblem(second!, myKey)).toBeNull();
    expect(first!.parentHash).toBeNull();
    expect(second!.parentHash).toBe(first!.hash);
    const statement = JSON.parse(second!.bytes.toString('utf8')) as RevisionStatement;
    expect(statement).toMatchObject({
      scorecardId: view.scorecard.id,
      interviewId: view.interview.interviewId,
      candidateId: view.interview.candidateId,
      rubricVersionId: view.rubric.id,
      authorId: core.ctx.meId,
      amendmentReason: 'Second look',
      recommendation: 'yes',
    });
    expect(statement.rubricHash).toMatch(/^[0-9a-f]{64}$/);
    expect(statement.scores[0]).toEqual({ criterionId: view.rubric.criteria[0]!.id, value: 3, evidence: 'asked about scale first' });
    expect(second!.bytes.toString('utf8')).not.toContain('for my eyes only');
    // Keys sorted, no spaces: RFC 8785.
    expect(second!.bytes.toString('utf8').startsWith('{"amendmentReason":"Second look","authorId":')).toBe(true);
  });

  it('catches a changed byte, a signature moved onto another scorecard, and a key that is not the author\'s', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 5, seed: 4 });
    const { view } = await submitOne(core);
    const [signed] = core.ctx.repos.scorecardRevisions.list(view.scorecard.id);
    const key = core.ctx.keys.publicKey;
    const edited = Buffer.from(signed!.bytes.toString('utf8').replace('asked about scale first', 'asked about scale later'));
    expect(revisionProblem({ ...signed!, bytes: edited }, key)).toBe('its content does not match its hash');
    expect(revisionProblem({ ...signed!, scorecardId: '019b0000-0000-7000-8000-000000000000' }, key)).toBe('what it says does not match the record it came with');
    const someoneElse = core.ctx.repos.interviewers.list(null).find((i) => !i.isMe)!;
    expect(revisionProblem(signed!, core.ctx.repos.interviewers.publicKey(someoneElse.id)!)).toBe("it is signed with a key other than its author's");
    const forged = Buffer.from(signed!.signature);
    forged[0] = forged[0]! ^ 0xff;
    expect(revisionProblem({ ...signed!, signature: forged }, key)).toBe('its signature does not verify');
    expect(() => core.ctx.db.prepare(`UPDATE scorecard_revisions SET signed_at = 'x'`).run()).toThrow(/append-only/);
  });

  it('signs the demo like real data, each interviewer with a key derived from the seed', async () => {
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 5, seed: 4 });
    const rows = core.ctx.db
      .prepare(`SELECT r.*, iv.public_key AS author_key FROM scorecard_revisions r JOIN interviewers iv ON iv.id = r.author_id`)
      .all() as { author_key: string; scorecard_id: string; revision: number; author_id: string; hash: string; parent_hash: string | null; bytes: Buffer; signature: Buffer; public_key: string; signed_at: string }[];
    const submitted = core.ctx.db.prepare(`SELECT count(*) FROM scorecards WHERE status = 'submitted'`).pluck().get() as number;
    expect(rows.length).toBe(submitted);
    for (const r of rows) {
      expect(
        revisionProblem(
          { scorecardId: r.scorecard_id, revision: r.revision, authorId: r.author_id, hash: r.hash, parentHash: r.parent_hash, bytes: r.bytes, signature: r.signature, publicKey: r.public_key, signedAt: r.signed_at },
          r.author_key,
        ),
      ).toBeNull();
    }
    const keys = core.ctx.db.prepare(`SELECT public_key FROM interviewers WHERE is_demo = 1 ORDER BY id`).pluck().all();
    core.dispose();
    core = await openTestCore();
    await core.value('demo:load', { candidates: 20, interviewers: 5, seed: 4 });
    expect(core.ctx.db.prepare(`SELECT public_key FROM interviewers WHERE is_demo = 1 ORDER BY id`).pluck().all()).toEqual(keys);
  });
});
