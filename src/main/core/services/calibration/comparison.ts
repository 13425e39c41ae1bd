import type { GroupComparison, SessionComparison } from '../../../../shared/calibration-report';
import { meanWithInterval } from './intervals';
import type { IndexedRatings } from './ratings';

/** One group's mean score per candidate, raw and with rater effects removed; arrays are indexed by candidate. */
interface CandidateMeans {
  /** How many scores the group gave each candidate (0: not scored). */
  count: Int32Array;
  raw: Float64Array;
  adjusted: Float64Array | null;
}

/** Mean score per candidate within each of `groups` groups of scores, in one pass: score p is in group groupOf[p] (none if negative). */
function candidateMeans(r: IndexedRatings, groupOf: Int32Array, groups: number, effect: ArrayLike<number> | null): CandidateMeans[] {
  const { candidate, rater, score } = r;
  const size = r.candidateIds.length;
  const count = new Int32Array(groups * size);
  const raw = new Float64Array(groups * size);
  const adjusted = effect ? new Float64Array(groups * size) : null;
  for (let p = 0; p < r.n; p++) {
    const g = groupOf[p]!;
    if (g < 0) continue;
    const at = g * size + candidate[p]!;
    count[at]!++;
    raw[at]! += score[p]!;
    if (adjusted) adjusted[at]! += score[p]! - (effect![rater[p]!] ?? 0);
  }
  divide(raw, count);
  if (adjusted) divide(adjusted, count);
  return Array.from({ length: groups }, (_, g) => {
    const slice = <T extends Int32Array | Float64Array>(a: T) => a.subarray(g * size, (g + 1) * size) as T;
    return { count: slice(count), raw: slice(raw), adjusted: adjusted && slice(adjusted) };
  });
}

/** Sums to means, where there is anything to average. */
function divide(sums: Float64Array, counts: Int32Array): void {
  for (let at = 0; at < sums.length; at++) if (counts[at]! > 0) sums[at]! /= counts[at]!;
}

interface Paired {
  /** b − a per candidate both groups scored, in candidate order (their order of first appearance, as ratings come grouped by candidate). */
  diffs: number[];
  /** a's and b's means added up over those candidates. */
  sumA: number;
  sumB: number;
}

/**
 * Each pair's differences, raw and (with rater effects) adjusted, all pairs in one pass over the
 * candidates: short passes, one per pair, would run mostly unoptimised.
 */
function pairedDifferences(pairs: readonly (readonly [CandidateMeans, CandidateMeans])[]): { raw: Paired; adjusted: Paired | null }[] {
  const paired = (): Paired => ({ diffs: [], sumA: 0, sumB: 0 });
  const lanes = pairs.map(([a, b]) => ({ a, b, raw: paired(), adjusted: a.adjusted && b.adjusted ? paired() : null }));
  const candidates = pairs[0]?.[0].count.length ?? 0;
  for (let c = 0; c < candidates; c++) {
    for (let k = 0; k < lanes.length; k++) {
      const { a, b, raw, adjusted } = lanes[k]!;
      if (a.count[c] === 0 || b.count[c] === 0) continue;
      add(raw, a.raw[c]!, b.raw[c]!);
      if (adjusted) add(adjusted, a.adjusted![c]!, b.adjusted![c]!);
    }
  }
  return lanes;
}

function add(paired: Paired, a: number, b: number): void {
  paired.diffs.push(b - a);
  paired.sumA += a;
  paired.sumB += b;
}

/** Is one session kind harsher than another on the candidates both saw? b − a, raw and adjusted. */
export function compareSessions(r: IndexedRatings, effect: ArrayLike<number> | null): SessionComparison[] {
  const sessions = r.sessionKinds.length;
  const means = candidateMeans(r, r.session, sessions, effect);
  const pairs: [number, number][] = [];
  for (let a = 0; a < sessions; a++) for (let b = a + 1; b < sessions; b++) pairs.push([a, b]);
  const differences = pairedDifferences(pairs.map(([a, b]) => [means[a]!, means[b]!] as const));
  return pairs.map(([a, b], k) => {
    const { raw, adjusted } = differences[k]!;
    return {
      a: r.sessionKinds[a]!,
      b: r.sessionKinds[b]!,
      sharedCandidates: raw.diffs.length,
      raw: meanWithInterval(raw.diffs),
      adjusted: adjusted && meanWithInterval(adjusted.diffs),
    };
  });
}

/** Two groups of interviewers on the candidates both groups scored: B − A, raw and adjusted. */
export function compareGroups(r: IndexedRatings, groupA: ReadonlySet<number>, groupB: ReadonlySet<number>, effect: ArrayLike<number> | null): GroupComparison {
  // One pass per group, as nothing stops an interviewer from being in both.
  const meansOf = (group: ReadonlySet<number>) => {
    const member = new Int32Array(r.raterIds.length).fill(-1);
    for (const j of group) member[j] = 0;
    const groupOf = new Int32Array(r.n);
    for (let p = 0; p < r.n; p++) groupOf[p] = member[r.rater[p]!]!;
    return candidateMeans(r, groupOf, 1, effect)[0]!;
  };
  const { raw, adjusted: adj } = pairedDifferences([[meansOf(groupA), meansOf(groupB)]])[0]!;
  const shared = raw.diffs.length;
  const withMeans = (p: Paired) => {
    const m = meanWithInterval(p.diffs);
    return m && { a: p.sumA / Math.max(1, shared), b: p.sumB / Math.max(1, shared), ...m };
  };
  const message =
    shared < 2
      ? `The two groups share ${shared} candidate${shared === 1 ? '' : 's'}: too few to tell.`
      : adj === null
        ? 'Scores cannot be adjusted: the panels do not link every interviewer to the rest.'
        : null;
  return { sharedCandidates: shared, raw: withMeans(raw), adjusted: adj ? withMeans(adj) : null, message };
}
