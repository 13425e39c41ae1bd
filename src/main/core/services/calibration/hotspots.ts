import type { Hotspot } from '../../../../shared/calibration-report';
import { splitCriterion, type IndexedRatings, type Units } from './ratings';

const TOP = 25;

/** The interview × criterion cells where the panel disagreed most (widest spread, then largest SD). */
export function hotspots(r: IndexedRatings, u: Units, raterName: (id: string) => string, candidateName: (id: string) => string): Hotspot[] {
  const ranked: { unit: number[]; spread: number; sd: number }[] = [];
  for (let k = 0; k < u.count; k++) {
    const begin = u.start[k]!;
    const end = u.start[k + 1]!;
    if (end - begin < 2) continue;
    let min = Infinity;
    let max = -Infinity;
    for (let q = begin; q < end; q++) {
      const v = r.score[u.obs[q]!]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max === min) continue;
    const unit = Array.from(u.obs.subarray(begin, end));
    const scores = unit.map((p) => r.score[p]!);
    const m = scores.reduce((a, b) => a + b, 0) / scores.length;
    ranked.push({ unit, spread: max - min, sd: Math.sqrt(scores.reduce((a, b) => a + (b - m) ** 2, 0) / scores.length) });
  }
  ranked.sort((x, y) => y.spread - x.spread || y.sd - x.sd || y.unit.length - x.unit.length);
  return ranked.slice(0, TOP).map(({ unit, spread }) => {
    const first = unit[0]!;
    const candidateId = r.candidateIds[r.candidate[first]!]!;
    const { sessionKind, criterion } = splitCriterion(r.criteria[r.criterion[first]!]!);
    return {
      interviewId: r.interviewIds[r.interview[first]!]!,
      candidateId,
      candidateName: candidateName(candidateId),
      sessionKind,
      criterion,
      spread,
      scores: unit.map((p) => ({ name: raterName(r.raterIds[r.rater[p]!]!), score: r.score[p]! })),
    };
  });
}
