import type { DistributionRow } from '../../../../shared/calibration-report';
import type { IndexedRatings } from './ratings';

/** Each interviewer's use of the scale against everyone else's. */
export function distributions(r: IndexedRatings, scaleMax: number, raterName: (id: string) => string): DistributionRow[] {
  const counts = r.raterIds.map(() => new Float64Array(scaleMax));
  const all = new Float64Array(scaleMax);
  for (let p = 0; p < r.n; p++) {
    const level = Math.round(r.score[p]!) - 1;
    if (level < 0 || level >= scaleMax) continue;
    counts[r.rater[p]!]![level]!++;
    all[level]!++;
  }
  const total = all.reduce((a, b) => a + b, 0);
  return r.raterIds.map((interviewerId, j) => {
    const own = counts[j]!;
    const n = own.reduce((a, b) => a + b, 0);
    const others = total - n;
    return {
      interviewerId,
      name: raterName(interviewerId),
      ratings: n,
      shares: Array.from(own, (c) => (n ? c / n : 0)),
      othersShares: Array.from(own, (c, level) => (others ? (all[level]! - c) / others : 0)),
    };
  });
}
