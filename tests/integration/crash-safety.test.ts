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
