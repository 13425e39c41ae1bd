import {
  mixedModel,
  raterEffects,
  type MixedModelFit,
  type RaterEffectsFit,
  type SparseRatings,
  type VarianceComponents,
} from '../../../../shared/calibration';
import { MIN_SCORECARDS_TO_TELL, type LeniencyRow } from '../../../../shared/calibration-report';
import type { IndexedRatings } from './ratings';

const Z975 = 1.959963984540054;

/**
 * One value per candidate × interviewer: the mean of the interviewer's criterion scores for
 * that candidate. Sorted by candidate.
 */
export interface Cells {
  candidate: Int32Array;
  rater: Int32Array;
  value: Float64Array;
  /** Criterion scores behind each cell. */
  count: Int32Array;
}

export function cellsOf(r: IndexedRatings): Cells {
  const cellOf = new Int32Array(r.n);
  let cells = numberCells(r, null, cellOf);
  if (cells < 0) cells = numberCells(r, orderByCandidate(r), cellOf);
  return sumCells(r, cellOf, cells);
}

/**
 * The cell of each row into `cellOf`, numbered in order of first appearance visiting the rows
 * in `order` (row order when null); returns the number of cells, or −1 as soon as the rows turn
 * out not to be sorted by candidate. Then each interviewer's latest cell tells whether they
 * already have one for the current candidate, without a Map.
 */
function numberCells(r: IndexedRatings, order: Int32Array | null, cellOf: Int32Array): number {
  const { n, candidate, rater } = r;
  const latest = new Int32Array(r.raterIds.length).fill(-1);
  let cells = 0;
  let current = -1;
  let currentStart = 0;
  for (let k = 0; k < n; k++) {
    const p = order === null ? k : order[k]!;
    const i = candidate[p]!;
    if (i !== current) {
      if (i < current) return -1;
      current = i;
      currentStart = cells;
    }
    const j = rater[p]!;
    if (latest[j]! < currentStart) latest[j] = cells++;
    cellOf[p] = latest[j]!;
  }
  return cells;
}

function sumCells(r: IndexedRatings, cellOf: Int32Array, cells: number): Cells {
  const candidate = new Int32Array(cells);
  const rater = new Int32Array(cells);
  const value = new Float64Array(cells);
  const count = new Int32Array(cells);
  const { n, score } = r;
  for (let p = 0; p < n; p++) {
    const c = cellOf[p]!;
    candidate[c] = r.candidate[p]!;
    rater[c] = r.rater[p]!;
    value[c]! += score[p]!;
    count[c]!++;
  }
  for (let c = 0; c < cells; c++) value[c]! /= count[c]!;
  return { candidate, rater, value, count };
}

/** The rows sorted by candidate (a stable counting sort). */
function orderByCandidate(r: IndexedRatings): Int32Array {
  const next = new Int32Array(r.candidateIds.length + 1);
  for (let p = 0; p < r.n; p++) next[r.candidate[p]! + 1]!++;
  for (let i = 1; i < next.length; i++) next[i]! += next[i - 1]!;
  const order = new Int32Array(r.n);
  for (let p = 0; p < r.n; p++) order[next[r.candidate[p]!]!++] = p;
  return order;
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
  const raters = r.raterIds.length;
  const data = ratingMatrix(cells, r.candidateIds.length, raters);
  const fixed = raterEffects(data, { standardErrors: false });
  const random = cells.value.length >= 3 ? mixedModel(data, { fixedEffects: fixed }) : null;
  const variances = random?.variances;
  const { ratings, candidates, naiveSum, naiveCount, information } = panelTallies(data, cells.count, variances);

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

/** The cells as a rating matrix, candidates × interviewers: they are its rows in order already. */
function ratingMatrix(cells: Cells, candidates: number, raters: number): SparseRatings {
  const rowStart = new Int32Array(candidates + 1);
  for (let c = 0; c < cells.candidate.length; c++) rowStart[cells.candidate[c]! + 1]!++;
  for (let i = 0; i < candidates; i++) rowStart[i + 1]! += rowStart[i]!;
  return { rows: candidates, cols: raters, rowStart, col: cells.rater, value: cells.value };
}

interface PanelTallies {
  /** Criterion scores and candidates (cells) per interviewer. */
  ratings: Int32Array;
  candidates: Int32Array;
  /** Sum and count of the naive deviations per interviewer. */
  naiveSum: Float64Array;
  naiveCount: Int32Array;
  information: Float64Array;
}

/**
 * Per interviewer, over the panels they sat on (`count`: criterion scores behind each cell): how
 * many criterion scores and candidates, the sum and count of naive deviations (the cell minus
 * the mean of the other interviewers' cells for that candidate), and the information about
 * their effect, Σ (1 − σ²_cand / (σ²_res + n_i σ²_cand)) / σ²_res (0 without a residual variance).
 */
function panelTallies(data: SparseRatings, count: Int32Array, variances: VarianceComponents | undefined): PanelTallies {
  const { rows, cols, rowStart, col, value } = data;
  const tallies: PanelTallies = {
    ratings: new Int32Array(cols),
    candidates: new Int32Array(cols),
    naiveSum: new Float64Array(cols),
    naiveCount: new Int32Array(cols),
    information: new Float64Array(cols),
  };
  const { ratings, candidates, naiveSum, naiveCount, information } = tallies;
  const vc = variances?.candidate ?? 0;
  const ve = variances?.residual ?? 0;
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    const n = end - begin;
    const weight = ve > 0 ? (1 - vc / (ve + n * vc)) / ve : 0;
    let sum = 0;
    for (let p = begin; p < end; p++) sum += value[p]!;
    for (let p = begin; p < end; p++) {
      const j = col[p]!;
      ratings[j]! += count[p]!;
      candidates[j]!++;
      information[j]! += weight;
      if (n === 1) continue;
      naiveSum[j]! += value[p]! - (sum - value[p]!) / (n - 1);
      naiveCount[j]!++;
    }
  }
  return tallies;
}
