import { mixedModel, raterEffects, sparseRatings, type MixedModelFit, type RaterEffectsFit } from '../../../../shared/calibration';
import { MIN_SCORECARDS_TO_TELL, type LeniencyRow } from '../../../../shared/calibration-report';
import type { IndexedRatings } from './ratings';

const Z975 = 1.959963984540054;

/** One value per candidate × interviewer: the mean of the interviewer's criterion scores for that candidate. */
export interface Cells {
  candidate: Int32Array;
  rater: Int32Array;
  value: Float64Array;
  /** Criterion scores behind each cell. */
  count: Int32Array;
}

export function cellsOf(r: IndexedRatings): Cells {
  const raters = r.raterIds.length;
  const at = new Map<number, number>();
  const candidate: number[] = [];
  const rater: number[] = [];
  const sum: number[] = [];
  const count: number[] = [];
  for (let p = 0; p < r.n; p++) {
    const key = r.candidate[p]! * raters + r.rater[p]!;
    let cell = at.get(key);
    if (cell === undefined) {
      cell = candidate.length;
      at.set(key, cell);
      candidate.push(r.candidate[p]!);
      rater.push(r.rater[p]!);
      sum.push(0);
      count.push(0);
    }
    sum[cell]! += r.score[p]!;
    count[cell]!++;
  }
  return {
    candidate: Int32Array.from(candidate),
    rater: Int32Array.from(rater),
    value: Float64Array.from(sum, (s, i) => s / count[i]!),
    count: Int32Array.from(count),
  };
}

export interface LeniencyFit {
  fixed: RaterEffectsFit;
  random: MixedModelFit | null;
  rows: Omit<LeniencyRow, 'name'>[];
}

/**
 * Interviewer leniency on the candidate × interviewer cells: the least-squares effects (not
 * shrunk, with the connectedness check) and the REML mixed model, whose BLUPs shrink
 * interviewers with few candidates toward zero. The 95% interval of a BLUP uses the
 * prediction-error variance from the diagonal of the rater block of the mixed-model equations
 * with the candidates integrated out:
 *   PEV_j ≈ (1/σ²_rater + Σ_{i rated by j} (1 − σ²_cand / (σ²_res + n_i σ²_cand)) / σ²_res)⁻¹,
 * n_i the panel size of candidate i. A candidate seen by no one else tells little about the
 * interviewer, and the interval says so. It leaves out the coupling between interviewers and the
 * uncertainty of the variance estimates, so it is slightly narrow.
 */
export function fitLeniency(r: IndexedRatings, cells: Cells): LeniencyFit {
  const data = sparseRatings(r.candidateIds.length, r.raterIds.length, cells.candidate, cells.rater, cells.value);
  const fixed = raterEffects(data, { standardErrors: false });
  const random = cells.value.length >= 3 ? mixedModel(data) : null;

  const raters = r.raterIds.length;
  const ratings = new Int32Array(raters);
  const candidates = new Int32Array(raters);
  for (let p = 0; p < r.n; p++) ratings[r.rater[p]!]!++;
  for (let c = 0; c < cells.rater.length; c++) candidates[cells.rater[c]!]!++;

  // Naive deviation: the cell minus the mean of the other interviewers' cells for that candidate.
  const bySum = new Float64Array(r.candidateIds.length);
  const byCount = new Int32Array(r.candidateIds.length);
  for (let c = 0; c < cells.value.length; c++) {
    bySum[cells.candidate[c]!]! += cells.value[c]!;
    byCount[cells.candidate[c]!]!++;
  }
  const naiveSum = new Float64Array(raters);
  const naiveCount = new Int32Array(raters);
  for (let c = 0; c < cells.value.length; c++) {
    const i = cells.candidate[c]!;
    const others = byCount[i]! - 1;
    if (others === 0) continue;
    const othersMean = (bySum[i]! - cells.value[c]!) / others;
    naiveSum[cells.rater[c]!]! += cells.value[c]! - othersMean;
    naiveCount[cells.rater[c]!]!++;
  }

  const variances = random?.variances;
  const information = new Float64Array(raters);
  if (variances && variances.residual > 0) {
    const { candidate: vc, residual: ve } = variances;
    for (let c = 0; c < cells.value.length; c++) {
      const n = byCount[cells.candidate[c]!]!;
      information[cells.rater[c]!]! += (1 - vc / (ve + n * vc)) / ve;
    }
  }
  const rows = r.raterIds.map((interviewerId, j) => {
    const effect = random ? (random.raterBlups[j] ?? 0) : 0;
    let half = Number.POSITIVE_INFINITY;
    if (variances && variances.rater > 0 && variances.residual > 0) {
      half = Z975 * Math.sqrt(1 / (1 / variances.rater + information[j]!));
    } else if (variances && variances.rater === 0) {
      half = 0;
    }
    const ci95: [number, number] = [effect - half, effect + half];
    const tooFew = candidates[j]! < MIN_SCORECARDS_TO_TELL;
    const excludesZero = ci95[0] > 0 || ci95[1] < 0;
    return {
      interviewerId,
      ratings: ratings[j]!,
      candidates: candidates[j]!,
      effect,
      ci95,
      fixedEffect: fixed.connected ? (fixed.raterEffects[j] ?? null) : null,
      naiveDeviation: naiveCount[j]! ? naiveSum[j]! / naiveCount[j]! : 0,
      flag: !tooFew && excludesZero ? (effect > 0 ? ('lenient' as const) : ('severe' as const)) : null,
      tooFew,
    };
  });
  return { fixed, random, rows };
}
