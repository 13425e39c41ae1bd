import type { GroupComparison, SessionComparison } from '../../../../shared/calibration-report';
import { meanWithInterval } from './intervals';
import type { IndexedRatings } from './ratings';

/** Mean score per candidate over the selected observations, raw and with rater effects removed. */
function candidateMeans(r: IndexedRatings, include: (p: number) => boolean, effect: ArrayLike<number> | null) {
  const raw = new Map<number, [number, number]>();
  const adjusted = new Map<number, [number, number]>();
  for (let p = 0; p < r.n; p++) {
    if (!include(p)) continue;
    const c = r.candidate[p]!;
    const a = raw.get(c) ?? [0, 0];
    a[0] += r.score[p]!;
    a[1]++;
    raw.set(c, a);
    if (effect) {
      const b = adjusted.get(c) ?? [0, 0];
      b[0] += r.score[p]! - (effect[r.rater[p]!] ?? 0);
      b[1]++;
      adjusted.set(c, b);
    }
  }
  const finish = (m: Map<number, [number, number]>) => new Map([...m].map(([c, [s, n]]) => [c, s / n]));
  return { raw: finish(raw), adjusted: effect ? finish(adjusted) : null };
}

function paired(a: Map<number, number>, b: Map<number, number>): { shared: number[]; meanA: number; meanB: number; diffs: number[] } {
  const shared = [...a.keys()].filter((c) => b.has(c));
  const diffs = shared.map((c) => b.get(c)! - a.get(c)!);
  const avg = (m: Map<number, number>) => shared.reduce((s, c) => s + m.get(c)!, 0) / Math.max(1, shared.length);
  return { shared, meanA: avg(a), meanB: avg(b), diffs };
}

/** Is one session kind harsher than another on the candidates both saw? b − a, raw and adjusted. */
export function compareSessions(r: IndexedRatings, effect: ArrayLike<number> | null): SessionComparison[] {
  const means = r.sessionKinds.map((_, s) => candidateMeans(r, (p) => r.session[p] === s, effect));
  const out: SessionComparison[] = [];
  for (let a = 0; a < r.sessionKinds.length; a++) {
    for (let b = a + 1; b < r.sessionKinds.length; b++) {
      const raw = paired(means[a]!.raw, means[b]!.raw);
      const adj = means[a]!.adjusted && means[b]!.adjusted ? paired(means[a]!.adjusted!, means[b]!.adjusted!) : null;
      out.push({
        a: r.sessionKinds[a]!,
        b: r.sessionKinds[b]!,
        sharedCandidates: raw.shared.length,
        raw: meanWithInterval(raw.diffs),
        adjusted: adj ? meanWithInterval(adj.diffs) : null,
      });
    }
  }
  return out;
}

/** Two groups of interviewers on the candidates both groups scored: B − A, raw and adjusted. */
export function compareGroups(r: IndexedRatings, groupA: ReadonlySet<number>, groupB: ReadonlySet<number>, effect: ArrayLike<number> | null): GroupComparison {
  const a = candidateMeans(r, (p) => groupA.has(r.rater[p]!), effect);
  const b = candidateMeans(r, (p) => groupB.has(r.rater[p]!), effect);
  const raw = paired(a.raw, b.raw);
  const adj = a.adjusted && b.adjusted ? paired(a.adjusted, b.adjusted) : null;
  const withMeans = (p: ReturnType<typeof paired>) => {
    const m = meanWithInterval(p.diffs);
    return m && { a: p.meanA, b: p.meanB, ...m };
  };
  const message =
    raw.shared.length < 2
      ? `The two groups share ${raw.shared.length} candidate${raw.shared.length === 1 ? '' : 's'}: too few to tell.`
      : adj === null
        ? 'Scores cannot be adjusted: the panels do not link every interviewer to the rest.'
        : null;
  return { sharedCandidates: raw.shared.length, raw: withMeans(raw), adjusted: adj ? withMeans(adj) : null, message };
}
