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

export function countLevels(data: SparseRatings, which: 'rows' | 'cols'): number {
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
  const { rows, cols, rowStart, col, value } = data;
  const groupLevel = nonEmptyRows(rowStart, rows);
  const slot = new Int32Array(cols).fill(-1);
  const bLevel = levelsInOrder(col, slot);
  const n = col.length;
  const start = new Int32Array(groupLevel.length + 1);
  const b = new Int32Array(n);
  const y = new Float64Array(n);
  const perB = new Float64Array(bLevel.length);
  let at = 0;
  for (let g = 0; g < groupLevel.length; g++) {
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
  start[groupLevel.length] = at;
  return { groups: groupLevel.length, start, groupLevel, b, y, r: bLevel.length, bLevel, perB };
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

/** Builds M at θ (gG holds the g_i); null when M is not numerically positive definite. */
export type RaterSystemFactory = (gG: Float64Array, theta: Theta) => RaterSystem | null;

export interface Evaluation {
  /** −2 × REML log-likelihood without the (N−1)·log 2π constant. */
  deviance: number;
  /** Gradient of the deviance with respect to (σ²_A, σ²_B, σ²_e). */
  gradient?: Theta;
  /**
   * Average information matrix (3×3, row-major) for the log-likelihood, computed on the first
   * call. It reuses the workspace: call it before the next `evaluate` with the same workspace.
   */
  information?: () => number[];
  /**
   * Covariance (3×3, row-major) of the gradient's Monte Carlo error, when the traces are
   * stochastic estimates: the sample covariance of the per-probe gradients over the probe count.
   */
  gradientCovariance?: number[];
  /** P·y. */
  py?: Float64Array;
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
 * Deviance d = log|V| + log(1ᵀV⁻¹1) + yᵀPy at θ = (σ²_A, σ²_B, σ²_e), and optionally its
 * gradient ∂d/∂θ_k = tr(P V_k) − yᵀP V_k P y (V_A = Z_A Z_Aᵀ, V_B = Z_B Z_Bᵀ, V_e = I) and the
 * average information AI_kl = ½ (V_k P y)ᵀ P (V_l P y).
 *
 * Per group i (size n_i) V_A,i⁻¹ = (I − g_i 11ᵀ)/σ²_e with c_i = 1/(σ²_e + n_i σ²_A), g_i = σ²_A c_i;
 * the B factor enters through log|V| = log|V_A| + log|M| and the Woodbury identity
 * V⁻¹ = V_A⁻¹ − σ²_B V_A⁻¹ Z_B M⁻¹ Z_Bᵀ V_A⁻¹, so all that is needed of M is how to solve
 * with it, its log-determinant and a few traces (see RaterSystem).
 *
 * The loops live in small helper functions so that each is optimised on its own: one large
 * function with many loops gets compiled mid-loop and then thrown back to the interpreter
 * whenever it reaches code that has not run yet, which at N = 200,000 costs more than the
 * arithmetic.
 */
export function evaluate(
  design: Design,
  theta: Theta,
  withDerivatives: boolean,
  makeSystem: RaterSystemFactory,
  workspace: Workspace = createWorkspace(design),
): Evaluation {
  const { groups, start, b, y, r } = design;
  const [sA, sB, se] = theta;
  const n = y.length;
  const cG = new Float64Array(groups);
  const gG = new Float64Array(groups);
  const logDetVA = groupConstants(start, groups, sA, se, cG, gG);

  const useM = sB > 0 && r > 0;
  let system: RaterSystem | null = null;
  if (useM) {
    system = makeSystem(gG, theta);
    if (system === null) return { deviance: Infinity };
  }

  const { scratch, groupBuffer } = workspace;
  // outs[t] = V⁻¹ xs[t] (Woodbury).
  const applyVInverse = (
    xs: readonly Float64Array[],
    outs: Float64Array[],
    tags: readonly string[],
    accuracy: 'full' | 'information',
  ): Float64Array[] => {
    xs.forEach((x, t) => applyVAInverse(start, groups, gG, se, groupBuffer, x, outs[t]!));
    if (system === null) return outs;
    const rhs = outs.map((out) => scatterByLevel(b, out, new Float64Array(r)));
    system.solve(rhs, tags, accuracy);
    outs.forEach((out, t) => {
      gatherByLevel(b, rhs[t]!, scratch);
      applyVAInverse(start, groups, gG, se, groupBuffer, scratch, scratch);
      subtractScaled(out, sB, scratch);
    });
    return outs;
  };

  const [f, h] = applyVInverse([workspace.ones, y], [workspace.f, workspace.h], ['one', 'y'], 'full') as [
    Float64Array,
    Float64Array,
  ];
  const s1 = sum(f);
  const beta = sum(h) / s1;
  const e = new Float64Array(n);
  combine(h, beta, f, e);
  const yPy = dot(y, e);
  const logDetM = system === null ? 0 : system.logDet();
  const deviance = logDetVA + logDetM + Math.log(s1) + yPy;
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

  const fA = groupSums(start, groups, f, new Float64Array(groups));
  const eA = groupSums(start, groups, e, new Float64Array(groups));
  const fB = scatterByLevel(b, f, new Float64Array(r));
  const eB = scatterByLevel(b, e, new Float64Array(r));
  const gradient: Theta = [
    trZAVZA - dot(fA, fA) / s1 - dot(eA, eA),
    trZBVZB - dot(fB, fB) / s1 - dot(eB, eB),
    trVInverse - dot(f, f) / s1 - dot(e, e),
  ];

  let information: number[] | null = null;
  const averageInformation = (): number[] => {
    if (information !== null) return information;
    const u: Float64Array[] = [
      fillByGroup(start, groups, eA, workspace.uA),
      gatherByLevel(b, eB, workspace.uB),
      e,
    ];
    const pu = applyVInverse(u, workspace.pu, ['uA', 'uB', 'ue'], 'information');
    for (const vx of pu) subtractScaled(vx, sum(vx) / s1, f);
    information = new Array<number>(9).fill(0);
    for (let k = 0; k < 3; k++) {
      for (let l = k; l < 3; l++) {
        const s = 0.5 * dot(u[k]!, pu[l]!);
        information[k * 3 + l] = s;
        information[l * 3 + k] = s;
      }
    }
    return information;
  };

  const evaluation: Evaluation = { deviance, gradient, information: averageInformation, py: e };
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

/** c_i = 1/(σ²_e + n_i σ²_A), g_i = σ²_A c_i; returns log|V_A|. */
function groupConstants(start: Int32Array, groups: number, sA: number, se: number, cG: Float64Array, gG: Float64Array): number {
  let logDet = 0;
  for (let g = 0; g < groups; g++) {
    const size = start[g + 1]! - start[g]!;
    const d = se + size * sA;
    cG[g] = 1 / d;
    gG[g] = sA / d;
    logDet += (size - 1) * Math.log(se) + Math.log(d);
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

/** out = V_A⁻¹ x (out may be x). */
function applyVAInverse(
  start: Int32Array,
  groups: number,
  gG: Float64Array,
  se: number,
  buffer: Float64Array,
  x: Float64Array,
  out: Float64Array,
): void {
  groupSums(start, groups, x, buffer);
  for (let g = 0; g < groups; g++) {
    const shift = gG[g]! * buffer[g]!;
    for (let p = start[g]!; p < start[g + 1]!; p++) out[p] = (x[p]! - shift) / se;
  }
}

/** out (zeroed by the caller) += Z_Bᵀ x. */
function scatterByLevel(b: Int32Array, x: Float64Array, out: Float64Array): Float64Array {
  for (let p = 0; p < b.length; p++) out[b[p]!] = out[b[p]!]! + x[p]!;
  return out;
}

/** out = Z_B v. */
function gatherByLevel(b: Int32Array, v: Float64Array, out: Float64Array): Float64Array {
  for (let p = 0; p < b.length; p++) out[p] = v[b[p]!]!;
  return out;
}

/** out = Z_A v. */
function fillByGroup(start: Int32Array, groups: number, v: Float64Array, out: Float64Array): Float64Array {
  for (let g = 0; g < groups; g++) {
    const value = v[g]!;
    for (let p = start[g]!; p < start[g + 1]!; p++) out[p] = value;
  }
  return out;
}

/** out −= a·x. */
function subtractScaled(out: Float64Array, a: number, x: Float64Array): void {
  for (let p = 0; p < out.length; p++) out[p] = out[p]! - a * x[p]!;
}

/** out = x − a·z. */
function combine(x: Float64Array, a: number, z: Float64Array, out: Float64Array): void {
  for (let p = 0; p < out.length; p++) out[p] = x[p]! - a * z[p]!;
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let p = 0; p < x.length; p++) s += x[p]!;
  return s;
}

function dot(x: Float64Array, z: Float64Array): number {
  let s = 0;
  for (let p = 0; p < x.length; p++) s += x[p]! * z[p]!;
  return s;
}

/** Scratch vectors of length N for `evaluate`, reused from one evaluation to the next. */
export interface Workspace {
  readonly ones: Float64Array;
  readonly scratch: Float64Array;
  /** One value per group. */
  readonly groupBuffer: Float64Array;
  readonly f: Float64Array;
  readonly h: Float64Array;
  readonly uA: Float64Array;
  readonly uB: Float64Array;
  readonly pu: Float64Array[];
}

export function createWorkspace(design: Design): Workspace {
  const n = design.y.length;
  const vector = (): Float64Array => new Float64Array(n);
  return {
    ones: new Float64Array(n).fill(1),
    scratch: vector(),
    groupBuffer: new Float64Array(design.groups),
    f: vector(),
    h: vector(),
    uA: vector(),
    uB: vector(),
    pu: [vector(), vector(), vector()],
  };
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
