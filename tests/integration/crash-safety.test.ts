import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src/main/core';
import { rpc, runCli, startServe, tempDataDir, type ServeProcess } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
let serve: ServeProcess | undefined;
afterEach(async () => {
  await serve?.stop();
  data?.remove();
});

describe('crash safety', () => {
  it('keeps every save it acknowledged when the process is killed mid-burst', async () => {
    data = tempDataDir();
    expect(runCli(['demo', '--candidates', '12', '--interviewers', '4', '--seed', '6', '--data-dir', data.dir]).code).toBe(0);
    serve = await startServe(data.dir);
    const today = await rpc<{ unsubmitted: { interviewId: string }[]; upcoming: { interviewId: string }[] }>(serve, 'today:list', {});
    const interviewId = (today.unsubmitted[0] ?? today.upcoming[0])?.interviewId;
    if (!interviewId) throw new Error('no interview of mine in the demo');
    const opened = await rpc<{ scorecard: { id: string }; rubric: { criteria: { id: string }[] } }>(serve, 'scorecards:open', { interviewId });
    const scorecardId = opened.scorecard.id;
    const [first, second] = opened.rubric.criteria;
    if (!first || !second) throw new Error('rubric without criteria');

    let lastAcked = { n: -1, revision: 0, score: 0 };
    // What this "screen" last saw of each field; in the burst, only the first write per field can win.
    const seen = { evidence: 0, score: 0 };
    const inFlight: Promise<unknown>[] = [];
    for (let n = 0; n < 400; n++) {
      const score = (n % 4) + 1;
      const write = Promise.all([
        rpc<{ revision: number }>(serve, 'scorecards:set-evidence', { scorecardId, criterionId: first.id, evidence: `note ${n}`, seenRevision: seen.evidence }),
        rpc<{ revision: number }>(serve, 'scorecards:set-score', { scorecardId, criterionId: second.id, value: score, seenRevision: seen.score }),
      ]);
      if (n < 250) {
        const [note, saved] = await write;
        seen.evidence = note.revision;
        seen.score = saved.revision;
        lastAcked = { n, revision: Math.max(note.revision, saved.revision), score };
      } else {
        // The burst: writes still in flight when the process dies.
        inFlight.push(write.catch(() => undefined));
        if (n === 260) serve.child.kill('SIGKILL');
      }
    }
    await Promise.all(inFlight);
    await new Promise<void>((resolve) => (serve?.child.exitCode !== null || serve?.child.signalCode ? resolve() : serve?.child.once('exit', () => resolve())));
    expect(serve.child.signalCode).toBe('SIGKILL');
    serve = undefined;

    const core = await openCore({ dataDir: data.dir, version: 'test' });
    try {
      expect(core.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const card = core.ctx.repos.scorecards.get(scorecardId);
      const note = card?.scores.find((s) => s.criterionId === first.id)?.evidence ?? '';
      const savedN = Number(/^note (\d+)$/.exec(note)?.[1] ?? -1);
      expect(savedN).toBeGreaterThanOrEqual(lastAcked.n);
      expect(card?.revision).toBeGreaterThanOrEqual(lastAcked.revision);
      if (savedN === lastAcked.n) expect(card?.scores.find((s) => s.criterionId === second.id)?.value).toBe(lastAcked.score);
    } finally {
      core.close();
    }
  });
});

describe('crash safety of decisions and imports', () => {
  it('keeps every acknowledged decision, and an import killed midway is all there or not at all', async () => {
    data = tempDataDir();
    const other = tempDataDir();
    try {
      expect(runCli(['demo', '--candidates', '16', '--interviewers', '5', '--seed', '8', '--data-dir', data.dir]).code).toBe(0);
      // A panel kit from another installation: a role, its rubrics, a candidate and an interview.
      const at = (...args: string[]) => runCli([...args, '--data-dir', other.dir]);
      at('me', '--name', 'Hana Other', '--email', 'hana@other.example');
      at('add', 'interviewer', '--name', 'Ola Panel', '--email', 'ola@other.example');
      const roleId = (JSON.parse(at('list', 'roles', '--json').stdout) as { id: string }[])[0]!.id;
      const kitCandidate = at('add', 'candidate', '--name', 'Kit Candidate', '--email', 'kit@other.example', '--role', roleId).stdout.trim();
      expect(at('schedule', kitCandidate, '--stage', '1', '--at', '2026-12-03T14:00:00Z', '--panel', 'ola@other.example').code).toBe(0);
      const kitFile = `${other.dir}/kit.panelist`;
      expect(at('export-bundle', '--kind', 'panel-kit', '--candidate', kitCandidate, '--out', kitFile).code).toBe(0);
      const kit = readFileSync(kitFile).toString('base64');

      serve = await startServe(data.dir);
      const s = serve;
      const { items } = await rpc<{ items: { id: string }[] }>(s, 'candidates:list', { limit: 100 });
      const decidable: string[] = [];
      for (const c of items) {
        try {
          await rpc(s, 'debrief:get', { candidateId: c.id });
          decidable.push(c.id);
        } catch {
          // Hidden from me until I submit: not decided here.
        }
      }
      expect(decidable.length).toBeGreaterThan(3);
      const revisions = new Map<string, number>();
      const decide = (candidateId: string, n: number) =>
        rpc<{ revision: number }>(s, 'decisions:record', {
          candidateId,
          decision: n % 2 ? 'hire' : 'hold',
          rationale: `Decision ${n}`,
          seenRevision: revisions.get(candidateId) ?? 0,
          ...(revisions.has(candidateId) ? { changeReason: `Changed at ${n}` } : {}),
        });
      for (let n = 0; n < 40; n++) {
        const id = decidable[n % decidable.length]!;
        revisions.set(id, (await decide(id, n)).revision);
      }
      // The burst: an import and more decisions in flight when the process dies.
      const inFlight = [rpc(s, 'bundles:import', { data: kit }).catch(() => undefined), ...decidable.map((id, k) => decide(id, 100 + k).catch(() => undefined))];
      s.child.kill('SIGKILL');
      await Promise.all(inFlight);
      await new Promise<void>((resolve) => (s.child.exitCode !== null || s.child.signalCode ? resolve() : s.child.once('exit', () => resolve())));
      serve = undefined;

      const core = await openCore({ dataDir: data.dir, version: 'test' });
      try {
        const db = core.ctx.db;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        for (const [candidateId, revision] of revisions) {
          const kept = db.prepare(`SELECT max(revision) FROM decisions WHERE candidate_id = ?`).pluck().get(candidateId) as number;
          expect(kept).toBeGreaterThanOrEqual(revision);
        }
        const imported = db.prepare(`SELECT (SELECT count(*) FROM candidates WHERE id = ?) + (SELECT count(*) FROM roles WHERE id = ?) + (SELECT count(*) FROM interviews WHERE candidate_id = ?)`).pluck().get(kitCandidate, roleId, kitCandidate);
        expect([0, 3]).toContain(imported);
      } finally {
        core.close();
      }
    } finally {
      other.remove();
    }
  });
});
