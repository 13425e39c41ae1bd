import {
  choleskyInPlace,
  choleskyLogDet,
  choleskySolveInPlace,
  inverseFromCholesky,
  solveSymmetricRidged,
} from './linear-algebra';
import { toSparse, type RatingMatrix, type SparseRatings } from './ratings';

export interface VarianceComponents {
  candidate: number;
  rater: number;
  residual: number;
}

export interface MixedModelFit {
  /** REML estimates, each ≥ 0. */
  variances: VarianceComponents;
  /** candidate / (candidate + rater + residual): agreement of a single rating with the candidate's true score. */
  iccAbsolute: number;
  /** candidate / (candidate + residual): as if rater leniency had been removed. */
  iccConsistency: number;
  /** Reliability of a candidate's mean over k raters: candidate / (candidate + (rater + residual)/k). */
  reliabilityOfMean(k: number): number;
  /** Best linear unbiased predictors of the rater effects (0 for raters without ratings). */
  raterBlups: number[];
  /** REML log-likelihood at the estimates, −½[log|V| + log|XᵀV⁻¹X| + yᵀPy + (N−1)·log 2π]. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

/**
 * Linear mixed model  score = μ + candidate + rater + error  with crossed random
 * candidate and rater effects, variance components estimated by REML.
 *
 * Algorithm: projected average-information REML (Gilmour, Thompson & Cullis 1995) with a
 * backtracking line search on the exact restricted likelihood and an active set for the
 * constraints σ² ≥ 0 (a component sits on 0 while the likelihood would drop by moving
 * it inside). Every quantity is evaluated exactly through the crossed structure: the factor
 * with more levels ("A") is absorbed analytically — V_A = σ²_e I + σ²_A Z_A Z_Aᵀ is block
 * diagonal with blocks σ²_e I + σ²_A 11ᵀ — and the other factor ("B", r levels) enters
 * through the determinant lemma and the Woodbury identity with the r×r matrix
 *   M = I + σ²_B Z_Bᵀ V_A⁻¹ Z_B,
 * so log|V| = log|V_A| + log|M|. The score needs tr(P Z_k Z_kᵀ), which reduces to
 * sums over entries of M⁻¹. One iteration costs O(Σ_i n_i² + N + r³) time and O(r²)
 * memory with r = min(#candidates, #raters) among those with ratings: instant for panels
 * with up to a few hundred on the smaller side, seconds per iteration at r ≈ 2,000.
 *
 * For a complete balanced design the estimates equal the ANOVA (method-of-moments)
 * estimates whenever those are non-negative, so iccAbsolute = ICC(2,1) and
 * iccConsistency = ICC(3,1) of Shrout & Fleiss.
 *
 * Non-identifiable components are reported as 0: the variance of a factor with fewer than
 * two levels that have ratings (not separable from μ), and of a factor each of whose
 * levels has exactly one rating (not separable from the residual, which then absorbs it).
 * With fewer than two ratings, or no variation at all, every variance is 0 and the ICCs
 * are NaN. σ²_e is kept ≥ 1e-10·Var(y) so that V stays invertible.
 *
 * @throws Error for a ragged matrix or non-finite ratings.
 */
export function mixedModel(ratings: RatingMatrix): MixedModelFit {
  const data = toSparse(ratings, 'mixedModel');
  const observations = data.value.length;
  let mean = 0;
  for (let p = 0; p < observations; p++) mean += data.value[p]!;
  mean /= Math.max(1, observations);
  let totalVariance = 0;
  for (let p = 0; p < observations; p++) totalVariance += (data.value[p]! - mean) ** 2;
  totalVariance /= Math.max(1, observations - 1);

  if (observations < 2 || !(totalVariance > 0)) {
    return buildFit({ candidate: 0, rater: 0, residual: 0 }, new Array<number>(data.cols).fill(0), NaN, 0, true);
  }

  const candidatesRated = countLevels(data, 'rows');
  const ratersRated = countLevels(data, 'cols');
  // Absorb the factor with more levels; keep the other one (dimension r) dense.
  const ratersAbsorbed = ratersRated > candidatesRated;
  const design = ratersAbsorbed ? buildDesign(transpose(data)) : buildDesign(data);
  // A factor with a single level is not separable from μ. When every level of a factor has
  // exactly one rating, its variance is not separable from the residual one; it is then
  // reported as 0 (that variation counts as residual).
  const freeA = design.groups >= 2 && design.groups < observations;
  const freeB = design.r >= 2 && design.r < observations;
  const residualFloor = 1e-10 * totalVariance;

  let theta: Theta = [freeA ? totalVariance / 3 : 0, freeB ? totalVariance / 3 : 0, totalVariance / 3];
  let current = evaluate(design, theta, true);
  let iterations = 0;
  let converged = false;
  const project = (t: readonly number[]): Theta => [
    freeA ? Math.max(0, t[0]!) : 0,
    freeB ? Math.max(0, t[1]!) : 0,
    Math.max(residualFloor, t[2]!),
  ];

  // Newton directions use the average information (positive semi-definite by construction).
  // AI-REML converges linearly, usually fast; when close to the optimum it stalls (the
  // decrement shrinks less than 1000-fold per step), the exact Hessian from forward
  // differences of the analytic gradient (one extra gradient per free component) takes over.
  let polishing = false;
  let previousDecrement = Infinity;
  for (; iterations < 200; iterations++) {
    const g = current.gradient!;
    const info = current.information!;
    const free = [0, 1, 2].filter((k) => {
      if (k === 0 && !freeA) return false;
      if (k === 1 && !freeB) return false;
      const atBound = k === 2 ? theta[2] <= residualFloor : theta[k]! <= 0;
      return !(atBound && g[k]! >= 0);
    });
    if (free.length === 0) {
      converged = true;
      break;
    }
    const scale = theta[0] + theta[1] + theta[2];
    const averageInformation = info.map((v) => 2 * v);
    const exactHessian = polishing ? finiteDifferenceHessian(design, theta, g, free, scale) : null;
    const newton =
      (exactHessian === null ? null : newtonStep(free, g, exactHessian, false)) ??
      newtonStep(free, g, averageInformation, true);
    if (newton === null) break;
    const decrement = -free.reduce((sum, k) => sum + g[k]! * newton[k]!, 0);
    // The decrement is ≈ N·(relative parameter error)², so this asks for ~1e-11 relative accuracy.
    if (decrement < 1e-22 * observations || Math.max(...newton.map(Math.abs)) <= 1e-14 * scale) {
      converged = true;
      break;
    }
    if (decrement < 1e-6 && decrement > 1e-3 * previousDecrement) polishing = true;
    previousDecrement = decrement;
    let nextTheta: Theta | null;
    if (decrement < 1e-10 * (1 + Math.abs(current.deviance))) {
      // The predicted gain is below the resolution of the deviance itself, so a line search
      // cannot judge the step; this close to the optimum the Newton step is reliable.
      nextTheta = project(theta.map((v, k) => v + newton[k]!));
    } else {
      nextTheta = lineSearch(design, theta, current, newton, project);
      if (nextTheta === null) {
        // Projection can spoil a Newton direction; fall back to a diagonally scaled gradient step.
        const diagonal: Theta = [0, 0, 0];
        for (const k of free) diagonal[k] = -g[k]! / Math.max(averageInformation[k * 3 + k]!, 1e-300);
        nextTheta = lineSearch(design, theta, current, diagonal, project);
      }
    }
    if (nextTheta === null) {
      converged = true;
      break;
    }
    const change = Math.max(...nextTheta.map((v, k) => Math.abs(v - theta[k]!)));
    theta = nextTheta;
    current = evaluate(design, theta, true);
    if (change <= 1e-14 * scale) {
      converged = true;
      break;
    }
  }

  const e = current.py!;
  const blupSums = new Float64Array(data.cols);
  const raterVariance = ratersAbsorbed ? theta[0] : theta[1];
  if (ratersAbsorbed) {
    for (let gIdx = 0; gIdx < design.groups; gIdx++) {
      let s = 0;
      for (let p = design.start[gIdx]!; p < design.start[gIdx + 1]!; p++) s += e[p]!;
      blupSums[design.groupLevel[gIdx]!] = s;
    }
  } else {
    for (let p = 0; p < design.b.length; p++) {
      const level = design.bLevel[design.b[p]!]!;
      blupSums[level] = blupSums[level]! + e[p]!;
    }
  }
  const raterBlups = Array.from(blupSums, (s) => raterVariance * s);
  const variances: VarianceComponents = ratersAbsorbed
    ? { candidate: theta[1], rater: theta[0], residual: theta[2] }
    : { candidate: theta[0], rater: theta[1], residual: theta[2] };
  const logLikelihood = -0.5 * (current.deviance + (observations - 1) * Math.log(2 * Math.PI));
  return buildFit(variances, raterBlups, logLikelihood, iterations, converged);
}

function buildFit(
  variances: VarianceComponents,
  raterBlups: number[],
  logLikelihood: number,
  iterations: number,
  converged: boolean,
): MixedModelFit {
  const { candidate, rater, residual } = variances;
  const ratio = (num: number, den: number): number => (den > 0 ? num / den : NaN);
  return {
    variances,
    iccAbsolute: ratio(candidate, candidate + rater + residual),
    iccConsistency: ratio(candidate, candidate + residual),
    reliabilityOfMean(k: number): number {
      if (!(k > 0)) throw new RangeError(`reliabilityOfMean: k must be positive, got ${k}`);
      return ratio(candidate, candidate + (rater + residual) / k);
    },
    raterBlups,
    logLikelihood,
    iterations,
    converged,
  };
}

type Theta = [number, number, number];

/** Observations grouped by the absorbed factor A, with B-levels renumbered 0..r−1. */
interface Design {
  readonly groups: number;
  readonly start: Int32Array;
  /** Original index of each A-level. */
  readonly groupLevel: Int32Array;
  readonly b: Int32Array;
  readonly y: Float64Array;
  readonly r: number;
  /** Original index of each B-level. */
  readonly bLevel: Int32Array;
  /** Number of observations of each B-level. */
  readonly perB: Float64Array;
}

function countLevels(data: SparseRatings, which: 'rows' | 'cols'): number {
  if (which === 'rows') {
    let n = 0;
    for (let i = 0; i < data.rows; i++) if (data.rowStart[i + 1]! > data.rowStart[i]!) n++;
    return n;
  }
  const seen = new Uint8Array(data.cols);
  let n = 0;
  for (let p = 0; p < data.col.length; p++) {
    if (seen[data.col[p]!] === 0) {
      seen[data.col[p]!] = 1;
      n++;
    }
  }
  return n;
}

function transpose(data: SparseRatings): SparseRatings {
  const { rows, cols, rowStart, col, value } = data;
  const colStart = new Int32Array(cols + 1);
  for (let p = 0; p < col.length; p++) colStart[col[p]! + 1]!++;
  for (let j = 0; j < cols; j++) colStart[j + 1] = colStart[j + 1]! + colStart[j]!;
  const fill = colStart.slice(0, cols);
  const rowOf = new Int32Array(col.length);
  const valueT = new Float64Array(col.length);
  for (let i = 0; i < rows; i++) {
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const at = fill[col[p]!]!++;
      rowOf[at] = i;
      valueT[at] = value[p]!;
    }
  }
  return { rows: cols, cols: rows, rowStart: colStart, col: rowOf, value: valueT };
}

function buildDesign(data: SparseRatings): Design {
  const { rows, cols, rowStart, col, value } = data;
  const groupLevel: number[] = [];
  for (let i = 0; i < rows; i++) if (rowStart[i + 1]! > rowStart[i]!) groupLevel.push(i);
  const slot = new Int32Array(cols).fill(-1);
  const bLevel: number[] = [];
  for (let p = 0; p < col.length; p++) {
    if (slot[col[p]!] === -1) {
      slot[col[p]!] = bLevel.length;
      bLevel.push(col[p]!);
    }
  }
  const start = new Int32Array(groupLevel.length + 1);
  const b = new Int32Array(col.length);
  const y = new Float64Array(col.length);
  const perB = new Float64Array(bLevel.length);
  let at = 0;
  groupLevel.forEach((i, g) => {
    start[g] = at;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const level = slot[col[p]!]!;
      b[at] = level;
      y[at] = value[p]!;
      perB[level] = perB[level]! + 1;
      at++;
    }
  });
  start[groupLevel.length] = at;
  return {
    groups: groupLevel.length,
    start,
    groupLevel: Int32Array.from(groupLevel),
    b,
    y,
    r: bLevel.length,
    bLevel: Int32Array.from(bLevel),
    perB,
  };
}

interface Evaluation {
  /** −2 × REML log-likelihood without the (N−1)·log 2π constant. */
  deviance: number;
  /** Gradient of the deviance with respect to (σ²_A, σ²_B, σ²_e). */
  gradient?: Theta;
  /** Average information matrix (3×3, row-major) for the log-likelihood. */
  information?: number[];
  /** P·y. */
  py?: Float64Array;
}

/**
 * Deviance d = log|V| + log(1ᵀV⁻¹1) + yᵀPy at θ = (σ²_A, σ²_B, σ²_e), and optionally its
 * gradient ∂d/∂θ_k = tr(P V_k) − yᵀP V_k P y (V_A = Z_A Z_Aᵀ, V_B = Z_B Z_Bᵀ, V_e = I) and the
 * average information AI_kl = ½ (V_k P y)ᵀ P (V_l P y).
 */
function evaluate(design: Design, theta: Theta, withDerivatives: boolean): Evaluation {
  const { groups, start, b, y, r, perB } = design;
  const [sA, sB, se] = theta;
  const n = y.length;
  // Per group i (size n_i): V_A,i⁻¹ = (I − g_i 11ᵀ)/σ²_e with g_i = σ²_A c_i, c_i = 1/(σ²_e + n_i σ²_A);
  // note V_A,i⁻¹ 1 = c_i 1.
  const cG = new Float64Array(groups);
  const gG = new Float64Array(groups);
  let logDetVA = 0;
  for (let g = 0; g < groups; g++) {
    const size = start[g + 1]! - start[g]!;
    const d = se + size * sA;
    cG[g] = 1 / d;
    gG[g] = sA / d;
    logDetVA += (size - 1) * Math.log(se) + Math.log(d);
  }

  // M = I + σ²_B H with H = Z_Bᵀ V_A⁻¹ Z_B = (diag(m) − Σ_i g_i v_i v_iᵀ)/σ²_e (lower triangle).
  const useM = sB > 0 && r > 0;
  let factor: Float64Array | null = null;
  let logDetM = 0;
  if (useM) {
    factor = new Float64Array(r * r);
    const k = sB / se;
    for (let j = 0; j < r; j++) factor[j * r + j] = 1 + k * perB[j]!;
    for (let g = 0; g < groups; g++) {
      const w = k * gG[g]!;
      if (w === 0) continue;
      for (let p = start[g]!; p < start[g + 1]!; p++) {
        const bp = b[p]!;
        for (let s = start[g]!; s < start[g + 1]!; s++) {
          const bs = b[s]!;
          if (bs <= bp) factor[bp * r + bs] = factor[bp * r + bs]! - w;
        }
      }
    }
    if (!choleskyInPlace(factor, r)) return { deviance: Infinity };
    logDetM = choleskyLogDet(factor, r);
  }

  const sumByGroup = (x: Float64Array, out: Float64Array): Float64Array => {
    for (let g = 0; g < groups; g++) {
      let s = 0;
      for (let p = start[g]!; p < start[g + 1]!; p++) s += x[p]!;
      out[g] = s;
    }
    return out;
  };
  const groupSums = new Float64Array(groups);
  const bVector = new Float64Array(r);
  // out = V_A⁻¹ x
  const applyVAInverse = (x: Float64Array, out: Float64Array): void => {
    sumByGroup(x, groupSums);
    for (let g = 0; g < groups; g++) {
      const shift = gG[g]! * groupSums[g]!;
      for (let p = start[g]!; p < start[g + 1]!; p++) out[p] = (x[p]! - shift) / se;
    }
  };
  const scratch = new Float64Array(n);
  // V⁻¹ = V_A⁻¹ − σ²_B V_A⁻¹ Z_B M⁻¹ Z_Bᵀ V_A⁻¹ (Woodbury).
  const applyVInverse = (x: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    applyVAInverse(x, out);
    if (!useM) return out;
    bVector.fill(0);
    for (let p = 0; p < n; p++) bVector[b[p]!] = bVector[b[p]!]! + out[p]!;
    choleskySolveInPlace(factor!, r, bVector);
    for (let p = 0; p < n; p++) scratch[p] = bVector[b[p]!]!;
    applyVAInverse(scratch, scratch);
    for (let p = 0; p < n; p++) out[p] = out[p]! - sB * scratch[p]!;
    return out;
  };

  const f = applyVInverse(new Float64Array(n).fill(1));
  const h = applyVInverse(y);
  let s1 = 0;
  let oneH = 0;
  for (let p = 0; p < n; p++) {
    s1 += f[p]!;
    oneH += h[p]!;
  }
  const beta = oneH / s1;
  const e = new Float64Array(n);
  let yPy = 0;
  for (let p = 0; p < n; p++) {
    e[p] = h[p]! - beta * f[p]!;
    yPy += y[p]! * e[p]!;
  }
  const deviance = logDetVA + logDetM + Math.log(s1) + yPy;
  if (!withDerivatives) return { deviance };

  // q_i = v_iᵀ M⁻¹ v_i and dM = Σ_j m_j (M⁻¹)_jj (M = I when σ²_B = 0).
  const qG = new Float64Array(groups);
  let dM = 0;
  if (useM) {
    const inv = inverseFromCholesky(factor!, r);
    for (let j = 0; j < r; j++) dM += perB[j]! * inv[j * r + j]!;
    for (let g = 0; g < groups; g++) {
      let s = 0;
      for (let p = start[g]!; p < start[g + 1]!; p++) {
        const row = b[p]! * r;
        for (let q = start[g]!; q < start[g + 1]!; q++) s += inv[row + b[q]!]!;
      }
      qG[g] = s;
    }
  } else {
    for (let g = 0; g < groups; g++) qG[g] = start[g + 1]! - start[g]!;
    dM = n;
  }
  let trVAInverse = 0;
  let trZAVAZA = 0;
  let sumGq = 0;
  let sumQ2q = 0;
  let sumTq = 0;
  for (let g = 0; g < groups; g++) {
    const size = start[g + 1]! - start[g]!;
    const gg = gG[g]!;
    trVAInverse += (size * (1 - gg)) / se;
    trZAVAZA += size * cG[g]!;
    sumGq += gg * qG[g]!;
    sumQ2q += (2 * gg - size * gg * gg) * qG[g]!;
    sumTq += cG[g]! * cG[g]! * qG[g]!;
  }
  // tr(M⁻¹H), tr(M⁻¹ Z_Bᵀ V_A⁻² Z_B), tr(M⁻¹ Σ_i c_i² v_i v_iᵀ).
  const trMH = (dM - sumGq) / se;
  const trMQ2 = (dM - sumQ2q) / (se * se);
  const trMT = sumTq;
  const trVInverse = trVAInverse - (useM ? sB * trMQ2 : 0);
  const trZAVZA = trZAVAZA - (useM ? sB * trMT : 0);
  const trZBVZB = trMH;

  const fA = sumByGroup(f, new Float64Array(groups));
  const eA = sumByGroup(e, new Float64Array(groups));
  const fB = new Float64Array(r);
  const eB = new Float64Array(r);
  let ff = 0;
  let ee = 0;
  for (let p = 0; p < n; p++) {
    fB[b[p]!] = fB[b[p]!]! + f[p]!;
    eB[b[p]!] = eB[b[p]!]! + e[p]!;
    ff += f[p]! * f[p]!;
    ee += e[p]! * e[p]!;
  }
  const sumSquares = (x: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
    return s;
  };
  const gradient: Theta = [
    trZAVZA - sumSquares(fA) / s1 - sumSquares(eA),
    trZBVZB - sumSquares(fB) / s1 - sumSquares(eB),
    trVInverse - ff / s1 - ee,
  ];

  const u: Float64Array[] = [new Float64Array(n), new Float64Array(n), e];
  for (let g = 0; g < groups; g++) {
    for (let p = start[g]!; p < start[g + 1]!; p++) u[0]![p] = eA[g]!;
  }
  for (let p = 0; p < n; p++) u[1]![p] = eB[b[p]!]!;
  const pu = u.map((x) => {
    const vx = applyVInverse(x);
    let total = 0;
    for (let p = 0; p < n; p++) total += vx[p]!;
    const shift = total / s1;
    for (let p = 0; p < n; p++) vx[p] = vx[p]! - shift * f[p]!;
    return vx;
  });
  const information: number[] = new Array<number>(9).fill(0);
  for (let k = 0; k < 3; k++) {
    for (let l = k; l < 3; l++) {
      let s = 0;
      const uk = u[k]!;
      const pl = pu[l]!;
      for (let p = 0; p < n; p++) s += uk[p]! * pl[p]!;
      information[k * 3 + l] = 0.5 * s;
      information[l * 3 + k] = 0.5 * s;
    }
  }
  return { deviance, gradient, information, py: e };
}

function lineSearch(
  design: Design,
  theta: Theta,
  current: Evaluation,
  direction: Theta,
  project: (t: readonly number[]) => Theta,
): Theta | null {
  const g = current.gradient!;
  for (let step = 1, tries = 0; tries < 60; tries++, step /= 2) {
    const candidate = project(theta.map((v, k) => v + step * direction[k]!));
    if (candidate.every((v, k) => v === theta[k])) return null;
    const moved = candidate.reduce((sum, v, k) => sum + g[k]! * (v - theta[k]!), 0);
    // Armijo condition along the projected path.
    if (evaluate(design, candidate, false).deviance <= current.deviance + 1e-4 * Math.min(moved, 0)) return candidate;
  }
  return null;
}

/** Newton step −H⁻¹g on the free coordinates; null if H is not positive definite there (unless ridged). */
function newtonStep(free: readonly number[], g: Theta, hessian: readonly number[], ridged: boolean): Theta | null {
  const sub: number[] = [];
  for (const k of free) for (const l of free) sub.push(hessian[k * 3 + l]!);
  const rhs = free.map((k) => -g[k]!);
  let solution: number[];
  if (ridged) {
    solution = solveSymmetricRidged(sub, rhs);
  } else {
    const m = Float64Array.from(sub);
    if (!choleskyInPlace(m, free.length)) return null;
    const x = Float64Array.from(rhs);
    choleskySolveInPlace(m, free.length, x);
    solution = Array.from(x);
  }
  const step: Theta = [0, 0, 0];
  free.forEach((k, i) => (step[k] = solution[i]!));
  return step.every(Number.isFinite) ? step : null;
}

/** Hessian of the deviance on the free coordinates by forward differences of the analytic gradient. */
function finiteDifferenceHessian(
  design: Design,
  theta: Theta,
  g: Theta,
  free: readonly number[],
  scale: number,
): number[] | null {
  const hessian: number[] = new Array<number>(9).fill(0);
  for (const k of free) {
    const h = 1e-5 * Math.max(theta[k]!, 1e-3 * scale);
    const shifted: Theta = [...theta];
    shifted[k] = shifted[k]! + h;
    const gk = evaluate(design, shifted, true).gradient;
    if (gk === undefined) return null;
    for (const l of free) hessian[l * 3 + k] = (gk[l]! - g[l]!) / h;
  }
  for (const k of free) {
    for (const l of free) {
      if (l <= k) continue;
      const avg = 0.5 * (hessian[k * 3 + l]! + hessian[l * 3 + k]!);
      hessian[k * 3 + l] = avg;
      hessian[l * 3 + k] = avg;
    }
  }
  return hessian;
}
