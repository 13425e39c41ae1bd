/**
 * Start values for the iterative REML fit of `mixedModel` (see fitIterative in mixed-model.ts):
 * the closer they are, the fewer evaluations of the likelihood, each of which costs dozens of
 * passes over the ratings.
 */
import type { Design, Theta } from './mixed-model-reml';
import { reducedDiagonal, reducedRightHandSide, solveReducedSystemCg } from './rater-effects-cg';

export interface StartProblem {
  readonly design: Design;
  /** Whether σ²_A and σ²_B are identifiable (otherwise they stay 0). */
  readonly freeA: boolean;
  readonly freeB: boolean;
  readonly totalVariance: number;
}

/** The least-squares fit of the additive model with both factors fixed, in the design's terms. */
export interface FixedEffects {
  /** Effect of each B-level (any common shift is immaterial). */
  levelEffects: Float64Array;
  /** Effect of each group (A-level), likewise. */
  groupEffects: Float64Array;
  /** Residual mean square RSS / (N − groups − r + 1). */
  residual: number;
}

/**
 * Start values from the least-squares fit of the same additive model with both factors fixed
 * (`known` when the caller has it, solved otherwise):
 * - its residual mean square estimates σ²_e without bias;
 * - each level's estimated effect is its true effect plus an error of variance s², so the
 *   factor's variance follows from REML on those estimates as if they were independent
 *   (levelVariance): s_j² = σ²_e / C_jj for the B-levels, C the reduced normal matrix, and
 *   s_i² = (σ²_e + mean of s_j² over its B-levels) / n_i for the A-levels.
 * The correlations left out are weak when levels share many groups, as in interview designs,
 * where these values come within ~1e-4 of the REML estimates and one Fisher step suffices;
 * elsewhere scoring takes a few more. Henderson's method I (momentStart) when the fixed-effects
 * fit has no residual degrees of freedom or its solve fails.
 * Each value is kept ≥ T/100 (≥ T/20 for σ²_e), T the total variance.
 */
export function startValues(problem: StartProblem, known: FixedEffects | null = null): Theta {
  const fixed = known ?? solveFixedEffects(problem.design);
  return (fixed && fixedEffectsStart(problem, fixed)) ?? momentStart(problem);
}

/** Relative residual of the fixed-effects solve: the residual sum of squares is then exact to ~1e-12. */
const FIXED_EFFECTS_TOLERANCE = 1e-6;

function solveFixedEffects(design: Design): FixedEffects | null {
  const { groups, start, b, y, r, perB } = design;
  const df = y.length - groups - r + 1;
  if (df <= 0 || r < 2) return null;
  const q = new Float64Array(r);
  const withinGroups = reducedRightHandSide(start, groups, b, y, new Float64Array(groups), q);
  const system = { raters: r, rowStart: start, slot: b, perRater: perB };
  const levelEffects = solveReducedSystemCg(system, q, FIXED_EFFECTS_TOLERANCE).solution;
  const residual = (withinGroups - dotProduct(levelEffects, q)) / df;
  if (!(residual > 0) || !levelEffects.every(Number.isFinite)) return null;
  return { levelEffects, groupEffects: groupMeansOfResiduals(start, b, y, levelEffects), residual };
}

function fixedEffectsStart(problem: StartProblem, { levelEffects, groupEffects, residual }: FixedEffects): Theta | null {
  const { design, freeA, freeB, totalVariance: total } = problem;
  const { start, b, r, perB } = design;
  // A level rated only in groups of one (C_jj = 0) tells nothing about its effect.
  const diagonal = reducedDiagonal({ raters: r, rowStart: start, slot: b, perRater: perB });
  const levelErrors = diagonal.map((c) => (c > 1e-9 ? residual / c : Infinity));
  const groupErrors = groupErrorVariances(start, b, levelErrors, residual);
  const theta: Theta = [
    freeA ? Math.max(levelVariance(groupEffects, groupErrors), total / 100) : 0,
    freeB ? Math.max(levelVariance(levelEffects, levelErrors), total / 100) : 0,
    Math.max(residual, total / 20),
  ];
  return theta.every(Number.isFinite) ? theta : null;
}

/** Each group's mean of y − b̂ over its ratings. */
function groupMeansOfResiduals(start: Int32Array, b: Int32Array, y: Float64Array, levelEffects: Float64Array): Float64Array {
  const means = new Float64Array(start.length - 1);
  for (let g = 0; g < means.length; g++) {
    let s = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) s += y[p]! - levelEffects[b[p]!]!;
    means[g] = s / (start[g + 1]! - start[g]!);
  }
  return means;
}

/** The error variance of each group's effect estimate, (σ²_e + mean of s_j² over its ratings) / n_i. */
function groupErrorVariances(start: Int32Array, b: Int32Array, levelErrors: Float64Array, residual: number): Float64Array {
  const errors = new Float64Array(start.length - 1);
  for (let g = 0; g < errors.length; g++) {
    const size = start[g + 1]! - start[g]!;
    let v = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) v += levelErrors[b[p]!]!;
    errors[g] = (residual + v / size) / size;
  }
  return errors;
}

/**
 * REML estimate of τ² from estimates x_k = μ + u_k + ε_k with u_k ~ (0, τ²) and independent
 * errors of known variances s_k², by its fixed-point iteration
 *   τ² ← Σ w_k² ((x_k − μ̂)² − s_k²) / Σ w_k² + 1/Σ w_k,  w_k = 1/(τ² + s_k²), μ̂ the w-weighted mean.
 * Estimates with infinite s_k² carry no weight.
 */
export function levelVariance(x: Float64Array, s2: Float64Array): number {
  // From the plain mean and variance of the estimates, which τ² + s² is about.
  const { mean: centre, variance } = plainMoments(x, s2);
  let tau = variance;
  for (let iteration = 0; iteration < 100; iteration++) {
    const m = weightedMoments(x, s2, centre, tau);
    if (!(m.w > 0 && Number.isFinite(m.w))) return 0;
    const mean = m.wx / m.w;
    // Σ w²((x − c − μ̂)² − s²) from the moments about the centre c.
    const numerator = m.w2xx - 2 * mean * m.w2x + mean * mean * m.w2 - m.w2s;
    const next = Math.max(0, numerator / m.w2 + 1 / m.w);
    const done = Math.abs(next - tau) <= 1e-10 * next;
    tau = next;
    if (done) break;
  }
  return tau;
}

interface Moments {
  w: number;
  wx: number;
  w2: number;
  w2x: number;
  w2xx: number;
  w2s: number;
}

/** Sums of w, w·x, w², w²·x, w²·x², w²·s² with w = 1/(τ² + s²), about x = centre; finite s² only. */
function weightedMoments(x: Float64Array, s2: Float64Array, centre: number, tau: number): Moments {
  const m: Moments = { w: 0, wx: 0, w2: 0, w2x: 0, w2xx: 0, w2s: 0 };
  for (let k = 0; k < x.length; k++) {
    if (s2[k] === Infinity) continue;
    const w = 1 / (tau + s2[k]!);
    const d = x[k]! - centre;
    const w2 = w * w;
    m.w += w;
    m.wx += w * d;
    m.w2 += w2;
    m.w2x += w2 * d;
    m.w2xx += w2 * d * d;
    m.w2s += w2 * s2[k]!;
  }
  return m;
}

/** Mean and sample variance of the x_k whose s²_k is finite (0 for too few). */
function plainMoments(x: Float64Array, s2: Float64Array): { mean: number; variance: number } {
  let n = 0;
  let mean = 0;
  let squares = 0;
  for (let k = 0; k < x.length; k++) {
    if (s2[k] === Infinity) continue;
    n++;
    const d = x[k]! - mean;
    mean += d / n;
    squares += d * (x[k]! - mean);
  }
  return { mean, variance: n > 1 ? squares / (n - 1) : 0 };
}

/**
 * Henderson's method I: with T the total variance, W_A the pooled variance within the levels
 * of A (≈ σ²_B + σ²_e) and W_B within the levels of B (≈ σ²_A + σ²_e), σ²_A ≈ T − W_A,
 * σ²_B ≈ T − W_B, σ²_e ≈ W_A + W_B − T.
 */
function momentStart(problem: StartProblem): Theta {
  const { design, freeA, freeB, totalVariance: total } = problem;
  const { groups, start, b, y, r } = design;
  const n = y.length;
  // Σ_i Σ_{p ∈ i} (y_p − ȳ_i)² (the right-hand side itself is not needed).
  const withinA = reducedRightHandSide(start, groups, b, y, new Float64Array(groups), new Float64Array(r));
  const wA = n > groups ? withinA / (n - groups) : total;
  const wB = n > r ? withinLevels(b, r, y) / (n - r) : total;
  return [
    freeA ? Math.max(total - wA, total / 100) : 0,
    freeB ? Math.max(total - wB, total / 100) : 0,
    Math.max(wA + wB - total, total / 20),
  ];
}

/** Σ_j Σ_{p: b_p = j} (y_p − ȳ_j)². */
function withinLevels(b: Int32Array, r: number, y: Float64Array): number {
  const sums = new Float64Array(r);
  const counts = new Float64Array(r);
  for (let p = 0; p < y.length; p++) {
    sums[b[p]!] = sums[b[p]!]! + y[p]!;
    counts[b[p]!] = counts[b[p]!]! + 1;
  }
  for (let j = 0; j < r; j++) sums[j] = sums[j]! / counts[j]!;
  let within = 0;
  for (let p = 0; p < y.length; p++) within += (y[p]! - sums[b[p]!]!) ** 2;
  return within;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}
