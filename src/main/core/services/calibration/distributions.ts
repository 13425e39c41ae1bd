import type { DistributionRow } from '../../../../shared/calibration-report';
import type { IndexedRatings } from './ratings';

/** Each interviewer's use of the scale against everyone else's. */
export function distributions(r: IndexedRatings, scaleMax: number, raterName: (id: string) => string): DistributionRow[] {
  const counts = levelCounts(r, scaleMax);
  const all = new Float64Array(scaleMax);
  for (let at = 0; at < counts.length; at++) all[at % scaleMax]! += counts[at]!;
  const total = all.reduce((a, b) => a + b, 0);
  return r.raterIds.map((interviewerId, j) => {
    const own = counts.subarray(j * scaleMax, (j + 1) * scaleMax);
    const n = own.reduce((a, b) => a + b, 0);
    const others = total - n;
    const shares: number[] = [];
    const othersShares: number[] = [];
    for (let level = 0; level < scaleMax; level++) {
      shares.push(n ? own[level]! / n : 0);
      othersShares.push(others ? (all[level]! - own[level]!) / others : 0);
    }
    return { interviewerId, name: raterName(interviewerId), ratings: n, shares, othersShares };
  });
}

/** counts[j·scaleMax + level]: how often interviewer j gave level + 1. */
function levelCounts(r: IndexedRatings, scaleMax: number): Float64Array {
  const { score, rater } = r;
  const counts = new Float64Array(r.raterIds.length * scaleMax);
  for (let p = 0; p < r.n; p++) {
    const level = Math.round(score[p]!) - 1;
    if (level >= 0 && level < scaleMax) counts[rater[p]! * scaleMax + level]!++;
  }
  return counts;
}
