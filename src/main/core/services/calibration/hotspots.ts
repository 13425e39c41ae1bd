import type { Hotspot } from '../../../../shared/calibration-report';
import { splitCriterion, type IndexedRatings, type Units } from './ratings';

const TOP = 25;

/**
 * The TOP units with the most disagreement met so far, best first: widest spread, then largest SD,
 * then most ratings, then the earlier unit. Kept in typed arrays, so that nothing is allocated per unit.
 */
class Top {
  readonly unit = new Int32Array(TOP);
  readonly size = new Int32Array(TOP);
  readonly spread = new Float64Array(TOP);
  readonly sd = new Float64Array(TOP);
  length = 0;

  /** The narrowest spread a unit needs to have a chance. */
  get threshold(): number {
    return this.length < TOP ? 0 : this.spread[TOP - 1]!;
  }

  /** Adds a unit met after all those already kept, if it ranks among the TOP. */
  offer(unit: number, size: number, spread: number, sd: number): void {
    let at = this.length;
    while (at > 0 && (spread - this.spread[at - 1]! || sd - this.sd[at - 1]! || size - this.size[at - 1]!) > 0) at--;
    if (at === TOP) return;
    for (const column of [this.unit, this.size, this.spread, this.sd]) column.copyWithin(at + 1, at, TOP - 1);
    this.unit[at] = unit;
    this.size[at] = size;
    this.spread[at] = spread;
    this.sd[at] = sd;
    this.length = Math.min(TOP, this.length + 1);
  }
}

/** Population SD of a unit's scores, summed in the same order as ever so that ties stay ties. */
function unitSd(score: Float64Array, obs: Int32Array, begin: number, end: number): number {
  let sum = 0;
  for (let q = begin; q < end; q++) sum += score[obs[q]!]!;
  const m = sum / (end - begin);
  let ss = 0;
  for (let q = begin; q < end; q++) ss += (score[obs[q]!]! - m) ** 2;
  return Math.sqrt(ss / (end - begin));
}

/** The units with the most disagreement, from one pass over the units. */
function topUnits(r: IndexedRatings, u: Units): Top {
  const { score } = r;
  const { start, obs, count } = u;
  const top = new Top();
  for (let unit = 0; unit < count; unit++) {
    const begin = start[unit]!;
    const end = start[unit + 1]!;
    let min = Infinity;
    let max = -Infinity;
    for (let q = begin; q < end; q++) {
      const v = score[obs[q]!]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const spread = max - min;
    if (spread > 0 && spread >= top.threshold) top.offer(unit, end - begin, spread, unitSd(score, obs, begin, end));
  }
  return top;
}

/** The interview × criterion cells where the panel disagreed most (widest spread, then largest SD). */
export function hotspots(r: IndexedRatings, u: Units, raterName: (id: string) => string, candidateName: (id: string) => string): Hotspot[] {
  const top = topUnits(r, u);
  return Array.from(top.unit.subarray(0, top.length), (unit, k) => {
    const spread = top.spread[k]!;
    const obs = Array.from(u.obs.subarray(u.start[unit]!, u.start[unit + 1]!));
    const first = obs[0]!;
    const candidateId = r.candidateIds[r.candidate[first]!]!;
    const { sessionKind, criterion } = splitCriterion(r.criteria[r.criterion[first]!]!);
    return {
      interviewId: r.interviewId(r.interview[first]!),
      candidateId,
      candidateName: candidateName(candidateId),
      sessionKind,
      criterion,
      spread,
      scores: obs.map((p) => ({ name: raterName(r.raterIds[r.rater[p]!]!), score: r.score[p]! })),
    };
  });
}
