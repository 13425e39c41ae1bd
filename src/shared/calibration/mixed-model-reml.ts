/**
 * The restricted likelihood of the crossed model  y = μ + Z_A a + Z_B b + e  and its
 * derivatives, shared by the exact (dense) and the iterative (large-scale) fits of
 * `mixedModel`. See mixed-model.ts for the model and the algorithm.
 */
import {
  choleskyInPlace,
  choleskyLogDet,
  choleskySolveInPlace,
  inverseFromCholesky,
  solveSymmetricRidged,
} from './linear-algebra';
import type { SparseRatings } from './ratings';

/** (σ²_A, σ²_B, σ²_e). */
export type Theta = [number, number, number];

/** Observations grouped by the absorbed factor A, with B-levels renumbered 0..r−1. */
export interface Design {
  readonly groups: number;
  readonly start: Int32Array;
  /** Original index of each A-level. */
  readonly groupLevel: Int32Array;
  /** B-level of each observation (distinct within a group for a rating matrix; replicates are allowed). */
  readonly b: Int32Array;
  readonly y: Float64Array;
  readonly r: number;
  /** Original index of each B-level. */
  readonly bLevel: Int32Array;
  /** Number of observations of each B-level. */
  readonly perB: Float64Array;
}

export function transpose(data: SparseRatings): SparseRatings {
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

export function buildDesign(data: SparseRatings): Design {
  const { rows, cols, rowStart, col } = data;
  const groupLevel = nonEmptyRows(rowStart, rows);
  const slot = new Int32Array(cols).fill(-1);
  const bLevel = levelsInOrder(col, slot);
  const design = {
    groups: groupLevel.length,
    start: new Int32Array(groupLevel.length + 1),
    groupLevel,
    b: new Int32Array(col.length),
    y: new Float64Array(col.length),
    r: bLevel.length,
    bLevel,
    perB: new Float64Array(bLevel.length),
  };
  fillDesign(data, slot, design);
  return design;
}

/** Copies the observations of the non-empty rows into `design`, their columns renumbered by `slot`. */
function fillDesign({ rowStart, col, value }: SparseRatings, slot: Int32Array, design: Design): void {
  const { groups, start, groupLevel, b, y, perB } = design;
  let at = 0;
  for (let g = 0; g < groups; g++) {
    const i = groupLevel[g]!;
    start[g] = at;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const level = slot[col[p]!]!;
      b[at] = level;
      y[at] = value[p]!;
      perB[level] = perB[level]! + 1;
      at++;
    }
  }
  start[groups] = at;
}

function nonEmptyRows(rowStart: Int32Array, rows: number): Int32Array {
  let count = 0;
  for (let i = 0; i < rows; i++) if (rowStart[i + 1]! > rowStart[i]!) count++;
  const out = new Int32Array(count);
  let g = 0;
  for (let i = 0; i < rows; i++) if (rowStart[i + 1]! > rowStart[i]!) out[g++] = i;
  return out;
}

/** The distinct columns in order of first appearance; slot[column] becomes its position. */
function levelsInOrder(col: Int32Array, slot: Int32Array): Int32Array {
  let count = 0;
  for (let p = 0; p < col.length; p++) {
    if (slot[col[p]!] === -1) slot[col[p]!] = count++;
  }
  const out = new Int32Array(count);
  for (let j = 0; j < slot.length; j++) if (slot[j]! >= 0) out[slot[j]!] = j;
  return out;
}

/**
 * The r×r matrix M = I + σ²_B H, H = Z_Bᵀ V_A⁻¹ Z_B = (diag(m) − Σ_i g_i v_i v_iᵀ)/σ²_e, at one θ
 * (m_j = ratings of B-level j, v_i = indicator of the B-levels in group i, g_i = σ²_A/(σ²_e + n_i σ²_A)),
 * with everything the likelihood needs of it.
 */
export interface RaterSystem {
  logDet(): number;
  /**
   * Replaces every right-hand side b by M⁻¹b. `tags` name the solves so that an iterative
   * solver can start from the previous θ's solution; `accuracy` 'information' marks solves
   * that only feed the average information (the Newton matrix), which may be less precise.
   */
  solve(rhs: Float64Array[], tags: readonly string[], accuracy: 'full' | 'information'): void;
  /**
   * tr(M⁻¹ diag(m)), and for each weight vector w (one weight per group) Σ_i w_i v_iᵀ M⁻¹ v_i;
   * the first weight vector is g. Stochastic estimates also give the per-probe values they average.
   */
  traces(groupWeights: readonly Float64Array[]): Traces;
}

export interface TraceValues {
  /** tr(M⁻¹ diag(m)). */
  perB: number;
  /** Σ_i w_i v_iᵀ M⁻¹ v_i for each weight vector. */
  groups: number[];
  /**
   * tr(M⁻¹H) = (r − tr M⁻¹)/σ²_B, when given directly; otherwise it is taken as
   * (tr(M⁻¹ diag(m)) − Σ g_i v_iᵀ M⁻¹ v_i)/σ²_e with the first weight vector (g).
   */
  bTrace?: number;
}

export interface Traces extends TraceValues {
  /** The per-probe values that stochastic estimates average. */
  samples?: TraceValues[];
}

/**
 * Builds M at θ, given the g_i (gG) and Σ_{ratings at level j} c_i (levelSums); null when M is
 * not numerically positive definite.
 */
export type RaterSystemFactory = (gG: Float64Array, theta: Theta, levelSums: Float64Array) => RaterSystem | null;

export interface Evaluation {
  /** −2 × REML log-likelihood without the (N−1)·log 2π constant. */
  deviance: number;
  /** Gradient of the deviance with respect to (σ²_A, σ²_B, σ²_e). */
  gradient?: Theta;
  /** Average information matrix (3×3, row-major) for the log-likelihood, computed on the first call. */
  information?: () => number[];
  /**
   * Covariance (3×3, row-major) of the gradient's Monte Carlo error, when the traces are
   * stochastic estimates: the sample covariance of the per-probe gradients over the probe count.
   */
  gradientCovariance?: number[];
  /** Z_AᵀPy (per group) and Z_BᵀPy (per B-level). */
  pySums?: ResponseSums;
}

/** The sums of a vector over each group (Z_Aᵀ·) and over each B-level (Z_Bᵀ·). */
export interface ResponseSums {
  byGroup: Float64Array;
  byLevel: Float64Array;
}

/**
 * Exact M: built densely (lower triangle) and factored by Cholesky; the traces come from
 * the explicit inverse. O(Σ_i n_i² + r³) time, O(r²) memory.
 */
export function denseRaterSystem(design: Design): RaterSystemFactory {
  const { groups, start, b, r, perB } = design;
  return (gG, [, sB, se]) => {
    const factor = new Float64Array(r * r);
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
    if (!choleskyInPlace(factor, r)) return null;
    const logDet = choleskyLogDet(factor, r);
    return {
      logDet: () => logDet,
      solve(rhs) {
        for (const v of rhs) choleskySolveInPlace(factor, r, v);
      },
      traces(groupWeights) {
        const inv = inverseFromCholesky(factor, r);
        let dM = 0;
        for (let j = 0; j < r; j++) dM += perB[j]! * inv[j * r + j]!;
        const sums = groupWeights.map(() => 0);
        for (let g = 0; g < groups; g++) {
          let q = 0;
          for (let p = start[g]!; p < start[g + 1]!; p++) {
            const row = b[p]! * r;
            for (let s = start[g]!; s < start[g + 1]!; s++) q += inv[row + b[s]!]!;
          }
          groupWeights.forEach((w, t) => (sums[t] = sums[t]! + w[g]! * q));
        }
        return { perB: dM, groups: sums };
      },
    };
  };
}

/**
 * What an evaluation at θ learns before any trace: M, and P·y with the sums of it (and of
 * f = V⁻¹1) that the gradient and the average information need. With c_i = 1/(σ²_e + n_i σ²_A),
 * g_i = σ²_A c_i, Y_i = Σ_{p∈i} y_p and z¹ = M⁻¹Z_BᵀV_A⁻¹1, zʸ = M⁻¹Z_BᵀV_A⁻¹y (r-vectors),
 * the Woodbury identity gives, for rating p of group i at B-level b,
 *   f_p = c_i − σ²_B (z¹_b − g_i S¹_i)/σ²_e,   (V⁻¹y)_p = (y_p − g_i Y_i)/σ²_e − σ²_B (zʸ_b − g_i Sʸ_i)/σ²_e,
 * S_i = Σ_{p∈i} z_{b(p)}, so their group sums are c_i (n_i − σ²_B S¹_i) and c_i (Y_i − σ²_B Sʸ_i), and
 * P·y = V⁻¹y − β f with β = 1ᵀV⁻¹y / 1ᵀV⁻¹1. Three passes over the ratings besides the solves
 * (right-hand sides, the sums S, P·y).
 */
interface Response {
  system: RaterSystem | null;
  /** log|V_A|. */
  logDetVA: number;
  cG: Float64Array;
  gG: Float64Array;
  /** 1ᵀV⁻¹1. */
  s1: number;
  /** P·y. */
  e: Float64Array;
  yPy: number;
  /** Z_Aᵀf, Z_Aᵀe (per group); Z_Bᵀf, Z_Bᵀe (per B-level); fᵀf, eᵀe, fᵀe, e = P·y. */
  fA: Float64Array;
  eA: Float64Array;
  fB: Float64Array;
  eB: Float64Array;
  ff: number;
  ee: number;
  fe: number;
}

/** null when M is not numerically positive definite at θ. */
function solveResponse(design: Design, theta: Theta, makeSystem: RaterSystemFactory): Response | null {
  const { groups, start, b, y, r } = design;
  const [sA, sB, se] = theta;
  const cG = new Float64Array(groups);
  const gG = new Float64Array(groups);
  const logDetVA = groupConstants(start, groups, sA, se, cG, gG);
  const yA = new Float64Array(groups);
  const z1 = new Float64Array(r);
  const zy = new Float64Array(r);
  let system: RaterSystem | null = null;
  if (sB > 0 && r > 0) {
    responseRightHandSides(start, b, y, cG, gG, se, yA, z1, zy);
    system = makeSystem(gG, theta, z1);
    if (system === null) return null;
    system.solve([z1, zy], ['one', 'y'], 'full');
  } else {
    // Without M (σ²_B = 0) the terms in z vanish.
    groupSums(start, groups, y, yA);
  }
  const s1A = new Float64Array(groups);
  const syA = new Float64Array(groups);
  groupSumsAtLevels(start, b, z1, zy, s1A, syA);
  const fA = new Float64Array(groups);
  const hA = new Float64Array(groups);
  groupResponseSums(start, cG, yA, s1A, syA, sB, fA, hA);
  const s1 = sumOf(fA);
  const beta = sumOf(hA) / s1;
  const eA = new Float64Array(groups);
  combine(hA, beta, fA, eA);
  const pass = responsePass(design, { cG, gG, yA, s1A, syA, z1, zy }, sB / se, 1 / se, beta);
  return { system, logDetVA, cG, gG, s1, fA, eA, ...pass };
}

/** Z_Aᵀf = c_i (n_i − σ²_B S¹_i) and Z_AᵀV⁻¹y = c_i (Y_i − σ²_B Sʸ_i) (see Response). */
function groupResponseSums(
  start: Int32Array,
  cG: Float64Array,
  yA: Float64Array,
  s1A: Float64Array,
  syA: Float64Array,
  sB: number,
  fA: Float64Array,
  hA: Float64Array,
): void {
  for (let g = 0; g < fA.length; g++) {
    fA[g] = cG[g]! * (start[g + 1]! - start[g]! - sB * s1A[g]!);
    hA[g] = cG[g]! * (yA[g]! - sB * syA[g]!);
  }
}

/** out = x − a·z. */
function combine(x: Float64Array, a: number, z: Float64Array, out: Float64Array): void {
  for (let g = 0; g < out.length; g++) out[g] = x[g]! - a * z[g]!;
}

/** Y_i = Σ_{p∈i} y_p into yA, and Z_BᵀV_A⁻¹1 (Σ c_i per level) and Z_BᵀV_A⁻¹y into rhs1, rhsY (zeroed). */
function responseRightHandSides(
  start: Int32Array,
  b: Int32Array,
  y: Float64Array,
  cG: Float64Array,
  gG: Float64Array,
  se: number,
  yA: Float64Array,
  rhs1: Float64Array,
  rhsY: Float64Array,
): void {
  for (let g = 0; g < yA.length; g++) {
    let s = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) s += y[p]!;
    yA[g] = s;
    const c = cG[g]!;
    const shift = gG[g]! * s;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      rhs1[b[p]!] = rhs1[b[p]!]! + c;
      rhsY[b[p]!] = rhsY[b[p]!]! + (y[p]! - shift) / se;
    }
  }
}

/** Σ_{p∈i} u_{b(p)} and Σ_{p∈i} v_{b(p)} per group into uA and vA. */
function groupSumsAtLevels(start: Int32Array, b: Int32Array, u: Float64Array, v: Float64Array, uA: Float64Array, vA: Float64Array): void {
  for (let g = 0; g < uA.length; g++) {
    let su = 0;
    let sv = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      su += u[b[p]!]!;
      sv += v[b[p]!]!;
    }
    uA[g] = su;
    vA[g] = sv;
  }
}

interface ResponseTerms {
  cG: Float64Array;
  gG: Float64Array;
  yA: Float64Array;
  s1A: Float64Array;
  syA: Float64Array;
  z1: Float64Array;
  zy: Float64Array;
}

/** e = P·y rating by rating (see Response) with its sums. */
function responsePass(
  design: Design,
  terms: ResponseTerms,
  coef: number,
  inverseSe: number,
  beta: number,
): { e: Float64Array; yPy: number; fB: Float64Array; eB: Float64Array; ff: number; ee: number; fe: number } {
  const { groups, start, b, y, r } = design;
  const { cG, gG, yA, s1A, syA, z1, zy } = terms;
  const e = new Float64Array(y.length);
  const fB = new Float64Array(r);
  const eB = new Float64Array(r);
  let yPy = 0;
  let ff = 0;
  let ee = 0;
  let fe = 0;
  for (let g = 0; g < groups; g++) {
    const gi = gG[g]!;
    const f0 = cG[g]! + coef * gi * s1A[g]!;
    const h0 = coef * gi * syA[g]! - gi * yA[g]! * inverseSe;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      const level = b[p]!;
      const f = f0 - coef * z1[level]!;
      const ep = h0 + y[p]! * inverseSe - coef * zy[level]! - beta * f;
      e[p] = ep;
      fB[level] = fB[level]! + f;
      eB[level] = eB[level]! + ep;
      yPy += y[p]! * ep;
      ff += f * f;
      ee += ep * ep;
      fe += f * ep;
    }
  }
  return { e, yPy, fB, eB, ff, ee, fe };
}

/** The sums of P·y at θ alone (no log-determinant, no traces); null when M is not numerically positive definite. */
export function projectedResponse(design: Design, theta: Theta, makeSystem: RaterSystemFactory): ResponseSums | null {
  const response = solveResponse(design, theta, makeSystem);
  return response === null ? null : { byGroup: response.eA, byLevel: response.eB };
}

/**
 * Deviance d = log|V| + log(1ᵀV⁻¹1) + yᵀPy at θ = (σ²_A, σ²_B, σ²_e), and optionally its
 * gradient ∂d/∂θ_k = tr(P V_k) − yᵀP V_k P y (V_A = Z_A Z_Aᵀ, V_B = Z_B Z_Bᵀ, V_e = I) and the
 * average information AI_kl = ½ (V_k P y)ᵀ P (V_l P y).
 *
 * Per group i (size n_i) V_A,i⁻¹ = (I − g_i 11ᵀ)/σ²_e with c_i = 1/(σ²_e + n_i σ²_A), g_i = σ²_A c_i;
 * the B factor enters through log|V| = log|V_A| + log|M| and the Woodbury identity
 * V⁻¹ = V_A⁻¹ − σ²_B V_A⁻¹ Z_B M⁻¹ Z_Bᵀ V_A⁻¹, so all that is needed of M is how to solve
 * with it, its log-determinant and a few traces (see RaterSystem).
 *
 * The loops live in small helper functions, fused so that each pass over the ratings does all
 * it can: a loop that runs only a few times is compiled only after V8 has interpreted it for a
 * while, in proportion to the size of its function, which at N = 200,000 costs more than the
 * arithmetic.
 */
export function evaluate(design: Design, theta: Theta, withDerivatives: boolean, makeSystem: RaterSystemFactory): Evaluation {
  const response = solveResponse(design, theta, makeSystem);
  if (response === null) return { deviance: Infinity };
  const { start, groups, y } = design;
  const [, sB, se] = theta;
  const n = y.length;
  const { system, cG, gG, s1, fA, eA, fB, eB } = response;
  const useM = system !== null;
  const logDetM = system === null ? 0 : system.logDet();
  const deviance = response.logDetVA + logDetM + Math.log(s1) + response.yPy;
  if (!withDerivatives) return { deviance };

  // q_i = v_iᵀ M⁻¹ v_i and dM = Σ_j m_j (M⁻¹)_jj (M = I when σ²_B = 0); only weighted sums of
  // the q_i are needed.
  const q2Weights = new Float64Array(groups);
  const tWeights = new Float64Array(groups);
  traceWeights(start, groups, gG, cG, q2Weights, tWeights);
  const traces: Traces =
    system !== null
      ? system.traces([gG, q2Weights, tWeights])
      : { perB: n, groups: [gG, q2Weights, tWeights].map((w) => sumBySize(start, groups, w)) };
  const [trVAInverse, trZAVAZA] = baseTraces(start, groups, gG, cG, se);
  // The trace parts of the gradient, tr(P V_k) up to the terms in f: with
  // tr(M⁻¹H) = (dM − Σ g_i q_i)/σ²_e, tr(M⁻¹ Z_Bᵀ V_A⁻² Z_B) = (dM − Σ (2g_i − n_i g_i²) q_i)/σ⁴_e
  // and tr(M⁻¹ Σ_i c_i² v_i v_iᵀ) = Σ c_i² q_i.
  const traceTerms = ({ perB: dM, groups: [sumGq, sumQ2q, sumTq], bTrace }: TraceValues): Theta => [
    trZAVAZA - (useM ? sB * sumTq! : 0),
    bTrace ?? (dM - sumGq!) / se,
    trVAInverse - (useM ? (sB * (dM - sumQ2q!)) / (se * se) : 0),
  ];
  const [trZAVZA, trZBVZB, trVInverse] = traceTerms(traces);
  const gradient: Theta = [
    trZAVZA - dot(fA, fA) / s1 - dot(eA, eA),
    trZBVZB - dot(fB, fB) / s1 - dot(eB, eB),
    trVInverse - response.ff / s1 - response.ee,
  ];

  let information: number[] | null = null;
  const evaluation: Evaluation = {
    deviance,
    gradient,
    information: () => (information ??= averageInformation(design, theta, response)),
    pySums: { byGroup: eA, byLevel: eB },
  };
  const samples = traces.samples;
  if (samples !== undefined && samples.length > 1) {
    const mean = [trZAVZA, trZBVZB, trVInverse];
    const covariance = new Array<number>(9).fill(0);
    for (const sample of samples) {
      const d = traceTerms(sample).map((v, k) => v - mean[k]!);
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) covariance[k * 3 + l] = covariance[k * 3 + l]! + d[k]! * d[l]!;
    }
    const k = samples.length;
    evaluation.gradientCovariance = covariance.map((v) => v / (k * (k - 1)));
  }
  return evaluation;
}

/**
 * AI_kl = ½ u_kᵀ P u_l for u_A = Z_A Z_AᵀPy, u_B = Z_B Z_BᵀPy, u_e = Py, with
 *   u_kᵀ P u_l = u_kᵀV_A⁻¹u_l − σ²_B t_kᵀ M⁻¹ t_l − (fᵀu_k)(fᵀu_l)/1ᵀV⁻¹1,  t_k = Z_BᵀV_A⁻¹u_k:
 * one pass over the ratings for the t_k and the u_kᵀV_A⁻¹u_l, and one solve with three columns.
 */
function averageInformation(design: Design, theta: Theta, response: Response): number[] {
  const { r } = design;
  const [, sB, se] = theta;
  const { system, gG, s1, e, fA, eA, fB, eB, fe } = response;
  const t = [new Float64Array(r), new Float64Array(r), new Float64Array(r)];
  const quadratic = informationPass(design, gG, 1 / se, eA, eB, e, t);
  const solved = t.map((v) => Float64Array.from(v));
  system?.solve(solved, ['uA', 'uB', 'ue'], 'information');
  const fu = [dot(fA, eA), dot(fB, eB), fe];
  const information = new Array<number>(9).fill(0);
  for (let k = 0; k < 3; k++) {
    for (let l = k; l < 3; l++) {
      const viaM = system === null ? 0 : sB * dot(t[k]!, solved[l]!);
      const s = 0.5 * (quadratic[k * 3 + l]! - viaM - (fu[k]! * fu[l]!) / s1);
      information[k * 3 + l] = s;
      information[l * 3 + k] = s;
    }
  }
  return information;
}

/**
 * t_k = Z_Bᵀ V_A⁻¹ u_k into `t` (zeroed) for u_A = Z_A eA, u_B = Z_B eB, u_e = e; returns the
 * 3×3 matrix u_kᵀ V_A⁻¹ u_l (row-major; only k ≤ l filled).
 */
function informationPass(
  design: Design,
  gG: Float64Array,
  inverseSe: number,
  eA: Float64Array,
  eB: Float64Array,
  e: Float64Array,
  t: Float64Array[],
): number[] {
  const { groups, start, b } = design;
  const [tA, tB, tE] = t as [Float64Array, Float64Array, Float64Array];
  let aa = 0;
  let ab = 0;
  let ae = 0;
  let bb = 0;
  let be = 0;
  let ee = 0;
  for (let g = 0; g < groups; g++) {
    const begin = start[g]!;
    const end = start[g + 1]!;
    let sumB = 0;
    for (let p = begin; p < end; p++) sumB += eB[b[p]!]!;
    const a = eA[g]!;
    const gi = gG[g]!;
    // Group sums of u_A, u_B, u_e: n_i a, Σ eB, and a again (e sums to eA over the group).
    const shiftA = gi * (end - begin) * a;
    const shiftB = gi * sumB;
    const shiftE = gi * a;
    for (let p = begin; p < end; p++) {
      const level = b[p]!;
      const ub = eB[level]!;
      const ue = e[p]!;
      const va = (a - shiftA) * inverseSe;
      const vb = (ub - shiftB) * inverseSe;
      const ve = (ue - shiftE) * inverseSe;
      tA[level] = tA[level]! + va;
      tB[level] = tB[level]! + vb;
      tE[level] = tE[level]! + ve;
      aa += a * va;
      ab += a * vb;
      ae += a * ve;
      bb += ub * vb;
      be += ub * ve;
      ee += ue * ve;
    }
  }
  return [aa, ab, ae, 0, bb, be, 0, 0, ee];
}

/** c_i = 1/(σ²_e + n_i σ²_A), g_i = σ²_A c_i; returns log|V_A|. */
function groupConstants(start: Int32Array, groups: number, sA: number, se: number, cG: Float64Array, gG: Float64Array): number {
  let logDet = (start[groups]! - start[0]! - groups) * Math.log(se);
  for (let g = 0; g < groups; g++) {
    const d = se + (start[g + 1]! - start[g]!) * sA;
    cG[g] = 1 / d;
    gG[g] = sA / d;
    logDet += Math.log(d);
  }
  return logDet;
}

/** Group weights 2g_i − n_i g_i² and c_i². */
function traceWeights(start: Int32Array, groups: number, gG: Float64Array, cG: Float64Array, q2: Float64Array, t: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const size = start[g + 1]! - start[g]!;
    const gg = gG[g]!;
    q2[g] = 2 * gg - size * gg * gg;
    t[g] = cG[g]! * cG[g]!;
  }
}

/** tr(V_A⁻¹) and tr(Z_Aᵀ V_A⁻¹ Z_A). */
function baseTraces(start: Int32Array, groups: number, gG: Float64Array, cG: Float64Array, se: number): [number, number] {
  let trVAInverse = 0;
  let trZAVAZA = 0;
  for (let g = 0; g < groups; g++) {
    const size = start[g + 1]! - start[g]!;
    trVAInverse += (size * (1 - gG[g]!)) / se;
    trZAVAZA += size * cG[g]!;
  }
  return [trVAInverse, trZAVAZA];
}

/** Σ_i w_i n_i. */
function sumBySize(start: Int32Array, groups: number, w: Float64Array): number {
  let s = 0;
  for (let g = 0; g < groups; g++) s += w[g]! * (start[g + 1]! - start[g]!);
  return s;
}

function groupSums(start: Int32Array, groups: number, x: Float64Array, out: Float64Array): Float64Array {
  for (let g = 0; g < groups; g++) {
    let s = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) s += x[p]!;
    out[g] = s;
  }
  return out;
}

function sumOf(x: Float64Array): number {
  let s = 0;
  for (let p = 0; p < x.length; p++) s += x[p]!;
  return s;
}

function dot(x: Float64Array, z: Float64Array): number {
  let s = 0;
  for (let p = 0; p < x.length; p++) s += x[p]! * z[p]!;
  return s;
}

/** Newton step −H⁻¹g on the free coordinates; null if H is not positive definite there (unless ridged). */
export function newtonStep(free: readonly number[], g: Theta, hessian: readonly number[], ridged: boolean): Theta | null {
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
