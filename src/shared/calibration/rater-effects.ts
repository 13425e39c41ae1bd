import {
  choleskyInPlace,
  choleskySolveInPlace,
  inverseDiagonalFromCholesky,
} from './linear-algebra';
import { reducedRightHandSide, solveReducedSystemCg } from './rater-effects-cg';
import { componentCount, toSparse, type RatingMatrix, type SparseRatings } from './ratings';

export interface RaterEffectsFit {
  /** μ: the mean of `adjustedScores` over candidates with at least one rating. */
  mean: number;
  /** Leniency of each rater (positive = scores higher than the average rater); they sum to zero over raters with ratings. */
  raterEffects: number[];
  /** Standard error of each rater effect under the sum-to-zero constraint. */
  standardErrors: number[];
  /** μ + candidate effect: the score an average rater would have given each candidate. */
  adjustedScores: number[];
  /** Residual mean square RSS / df. */
  residualVariance: number;
  /** Residual degrees of freedom. */
  df: number;
  /** Whether the candidate–rater graph of observed ratings is connected (rater effects are only estimable then). */
  connected: boolean;
}

/**
 * Fixed-effects additive model  score_ij = μ + candidate_i + rater_j + error,  fitted by
 * least squares with the rater effects summing to zero.
 *
 * The candidate effects are absorbed (within-candidate demeaning), leaving the reduced
 * normal equations C·b = q for the R rater effects, with
 *   C = diag(m_j) − Σ_i (1/n_i) v_i v_iᵀ,  q_j = Σ_{i rated by j} (y_ij − ȳ_i)
 * (v_i the indicator of the raters of candidate i, n_i and m_j the rating counts).
 * C is singular along 1 when the design is connected; C + 11ᵀ/R is positive definite, its
 * solution satisfies Σ b = 0, and its inverse minus 11ᵀ/R is the Moore–Penrose inverse C⁺,
 * so Var(b) = σ²·C⁺ gives the standard errors. Work: O(Σ_i n_i²) to build C and one dense
 * R×R Cholesky factorisation plus the diagonal of its inverse (O(R³)); the design matrix
 * is never formed. Without standard errors (`standardErrors: false`) and with more than
 * {@link ITERATIVE_ABOVE} raters, (C + 11ᵀ/R)·b = q is instead solved matrix-free by
 * Jacobi-preconditioned conjugate gradients (O(N) per iteration, N ratings) to a relative
 * residual of 1e-12, falling back to the dense path if that does not reach 1e-10.
 *
 * Conventions:
 * - Raters with no ratings: effect and standard error NaN (not estimable); they are
 *   left out of the sum-to-zero constraint. Candidates with no ratings: adjusted score NaN.
 * - When the graph of observed ratings is not connected (`connected: false`) nothing is
 *   adjusted: the fitted model is score = candidate + error, adjustedScores are the raw
 *   candidate means, rater effects are 0 (NaN for raters without ratings), standard
 *   errors are NaN, and residualVariance / df are those of that candidate-only model.
 * - residualVariance and the standard errors are NaN when df = 0.
 *
 * @throws Error for a ragged matrix or non-finite ratings.
 */
export interface RaterEffectsOptions {
  /** The standard errors need the diagonal of an R×R inverse, as costly as the fit itself; false leaves them NaN. */
  standardErrors?: boolean;
  /**
   * Internal (tests): without standard errors, solve iteratively when more than this many
   * raters have ratings. Default {@link ITERATIVE_ABOVE}.
   */
  iterativeAbove?: number;
}

/** Above this many active raters (and without standard errors) the reduced system is solved by CG. */
export const ITERATIVE_ABOVE = 300;
/** CG stops at this relative residual ‖q − A·b‖/‖q‖ … */
const CG_TOLERANCE = 1e-12;
/** … and its answer is used if it reached at least this one; otherwise the dense Cholesky path runs. */
const CG_ACCEPT = 1e-10;

export function raterEffects(ratings: RatingMatrix | SparseRatings, options: RaterEffectsOptions = {}): RaterEffectsFit {
  const data = toSparse(ratings, 'raterEffects');
  const { rows, cols, rowStart, col, value } = data;
  const perRater = countPerColumn(col, cols);
  const { active, slot } = activeColumns(perRater);
  const observations = col.length;
  const connected = componentCount(data) <= 1;
  const r = active.length;
  // Each rating's rater among the active ones (the column itself when every rater has ratings).
  const ratingSlot = r === cols ? col : gather(slot, col);
  const rawMeans = new Float64Array(rows);
  const q = new Float64Array(r);
  const within = reducedRightHandSide(rowStart, rows, ratingSlot, value, rawMeans, q);
  const ratedCandidates = countFinite(rawMeans);

  if (!connected || r === 0) {
    const df = observations - ratedCandidates;
    return {
      mean: meanOfFinite(rawMeans),
      raterEffects: Array.from(perRater, (m) => (m > 0 ? 0 : NaN)),
      standardErrors: Array.from(perRater, () => NaN),
      adjustedScores: Array.from(rawMeans),
      residualVariance: df > 0 ? within / df : NaN,
      df,
      connected,
    };
  }

  const centre = 1 / r;
  const wantStandardErrors = options.standardErrors !== false;
  const threshold = options.iterativeAbove ?? ITERATIVE_ABOVE;

  let effect: Float64Array | null = null;
  if (!wantStandardErrors && r > threshold) {
    const perActive = Float64Array.from(active, (j) => perRater[j]!);
    const cg = solveReducedSystemCg({ raters: r, rowStart, slot: ratingSlot, perRater: perActive }, q, CG_TOLERANCE);
    if (cg.relativeResidual <= CG_ACCEPT) effect = cg.solution;
  }
  let factor: Float64Array | null = null;
  if (!effect) {
    factor = reducedMatrix(rows, rowStart, ratingSlot, r);
    if (!choleskyInPlace(factor, r)) {
      throw new Error('raterEffects: the reduced normal equations are numerically singular');
    }
    effect = Float64Array.from(q);
    choleskySolveInPlace(factor, r, effect);
  }

  const adjusted = new Float64Array(rows);
  const rss = adjustedScoresAndRss(rowStart, rows, value, ratingSlot, effect, adjusted);
  const df = observations - ratedCandidates - (r - 1);
  const residualVariance = df > 0 ? rss / df : NaN;
  const inverseDiagonal = wantStandardErrors && factor ? inverseDiagonalFromCholesky(factor, r) : null;

  const effects: number[] = new Array<number>(cols).fill(NaN);
  const standardErrors: number[] = new Array<number>(cols).fill(NaN);
  for (let a = 0; a < r; a++) {
    const j = active[a]!;
    effects[j] = effect[a]!;
    if (inverseDiagonal) standardErrors[j] = Math.sqrt(residualVariance * Math.max(0, inverseDiagonal[a]! - centre));
  }
  return {
    mean: meanOfFinite(adjusted),
    raterEffects: effects,
    standardErrors,
    adjustedScores: Array.from(adjusted),
    residualVariance,
    df,
    connected: true,
  };
}

/*
 * The loops over all ratings live in small functions: V8 compiles a loop that runs once only
 * after executing it for a while in proportion to the size of its function, which for one large
 * function costs more than the arithmetic (see also mixed-model-reml.ts).
 */

/** Ratings per column. */
function countPerColumn(col: Int32Array, cols: number): Int32Array {
  const counts = new Int32Array(cols);
  for (let p = 0; p < col.length; p++) counts[col[p]!]!++;
  return counts;
}

/** The columns with ratings, and each column's position among them (−1 without ratings). */
function activeColumns(perColumn: Int32Array): { active: number[]; slot: Int32Array } {
  const active: number[] = [];
  const slot = new Int32Array(perColumn.length).fill(-1);
  for (let j = 0; j < perColumn.length; j++) {
    if (perColumn[j]! > 0) {
      slot[j] = active.length;
      active.push(j);
    }
  }
  return { active, slot };
}

/** out[p] = table[index[p]]. */
function gather(table: Int32Array, index: Int32Array): Int32Array {
  const out = new Int32Array(index.length);
  for (let p = 0; p < index.length; p++) out[p] = table[index[p]!]!;
  return out;
}

/** The adjusted score of each candidate, mean of (score − rater effect) (NaN without ratings), into `out`; returns the residual sum of squares. */
function adjustedScoresAndRss(
  rowStart: Int32Array,
  rows: number,
  value: Float64Array,
  ratingSlot: Int32Array,
  effect: Float64Array,
  out: Float64Array,
): number {
  let rss = 0;
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    let s = 0;
    for (let p = begin; p < end; p++) s += value[p]! - effect[ratingSlot[p]!]!;
    const adjusted = s / (end - begin);
    out[i] = adjusted;
    for (let p = begin; p < end; p++) rss += (value[p]! - adjusted - effect[ratingSlot[p]!]!) ** 2;
  }
  return rss;
}

function countFinite(xs: Float64Array): number {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]!)) n++;
  return n;
}

/** C + 11ᵀ/r, lower triangle (row-major, r×r), built in O(Σ_i n_i²). */
function reducedMatrix(rows: number, rowStart: Int32Array, ratingSlot: Int32Array, r: number): Float64Array {
  const c = new Float64Array(r * r);
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    if (end === begin) continue;
    const inv = 1 / (end - begin);
    for (let p = begin; p < end; p++) {
      const a = ratingSlot[p]!;
      c[a * r + a] = c[a * r + a]! + 1;
      for (let s = begin; s < end; s++) {
        const b = ratingSlot[s]!;
        if (b <= a) c[a * r + b] = c[a * r + b]! - inv;
      }
    }
  }
  const centre = 1 / r;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b <= a; b++) c[a * r + b] = c[a * r + b]! + centre;
  }
  return c;
}

function meanOfFinite(xs: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isFinite(xs[i]!)) {
      s += xs[i]!;
      n++;
    }
  }
  return n > 0 ? s / n : NaN;
}
