import { DEFAULT_ITERATIVE_OPTIONS, IterativeRaterSystems, type IterativeOptions } from './mixed-model-iterative';
import {
  buildDesign,
  countLevels,
  createWorkspace,
  denseRaterSystem,
  evaluate,
  newtonStep,
  transpose,
  type Design,
  type Evaluation,
  type RaterSystemFactory,
  type Theta,
  type Workspace,
} from './mixed-model-reml';
import { solveSymmetricRidged } from './linear-algebra';
import { toSparse, type RatingMatrix, type SparseRatings } from './ratings';

export interface VarianceComponents {
  candidate: number;
  rater: number;
  residual: number;
}

export interface MixedModelOptions {
  /**
   * 'exact': dense factorisation of M (cost ∝ r³ per iteration); 'iterative': matrix-free
   * solves with stochastic traces (cost ∝ N per iteration; variances within a few 1e-4
   * relative of the exact fit); 'auto' (default): exact while r ≤ EXACT_MAX_LEVELS and
   * N ≤ EXACT_MAX_RATINGS.
   */
  method?: 'auto' | 'exact' | 'iterative';
  /** @internal Tuning of the iterative method (tests and benchmarks). */
  iterative?: Partial<IterativeOptions>;
}

/**
 * `mixedModel` fits exactly by default while r = min(#candidates, #raters) ≤ EXACT_MAX_LEVELS
 * and there are at most EXACT_MAX_RATINGS ratings: the dense fit then takes ≲0.15 s. Beyond,
 * its r³ factorisations and its ~20 likelihood evaluations over all N ratings make it slower
 * than the iterative method (e.g. 0.6 s against 0.1 s for 20,000 candidates × 300 raters).
 */
export const EXACT_MAX_LEVELS = 300;
export const EXACT_MAX_RATINGS = 50_000;

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
 * Structure: the factor with more levels ("A") is absorbed analytically — V_A = σ²_e I +
 * σ²_A Z_A Z_Aᵀ is block diagonal with blocks σ²_e I + σ²_A 11ᵀ — and the other factor ("B",
 * r levels, r = min(#candidates, #raters) among those with ratings) enters through the
 * determinant lemma and the Woodbury identity with the r×r matrix
 *   M = I + σ²_B Z_Bᵀ V_A⁻¹ Z_B,
 * so log|V| = log|V_A| + log|M|, and the score needs tr(P Z_k Z_kᵀ), which reduces to
 * weighted sums over entries of M⁻¹ (mixed-model-reml.ts). The interview design makes M
 * nearly dense (raters who share candidates are coupled), so there are two ways to handle it:
 *
 * - Exact (default while r ≤ EXACT_MAX_LEVELS and N ≤ EXACT_MAX_RATINGS): M is formed and
 *   factored densely; projected average-information REML (Gilmour, Thompson & Cullis 1995)
 *   with a backtracking line search on the exact restricted likelihood and an active set for
 *   the constraints σ² ≥ 0 (a component sits on 0 while the likelihood would drop by moving
 *   it inside). One iteration costs O(Σ_i n_i² + N + r³) time and O(r²) memory: fine up to
 *   a few hundred, seconds per iteration at r ≈ 2,000.
 * - Iterative (default otherwise): M is never formed. Solves with it use preconditioned conjugate
 *   gradients on the sparse design, O(N) per product; traces and log|M| are estimated with a
 *   fixed set of random probes (Hutchinson, stochastic Lanczos quadrature), so each evaluation
 *   costs O(N·(probes + 5)·~6) time and O(N + r·probes) memory. Fisher scoring from
 *   method-of-moments start values, usually 3 evaluations (see fitIterative). The probes add a
 *   Monte Carlo error to the estimates, which is measured and kept at a standard error of
 *   ~1e-4 relative per variance by adding probes (≲3e-5 at organisation scale, where 8 probes
 *   suffice); raterBlups inherit it, and logLikelihood is an estimate within ~1 unit (≲0.1 at
 *   organisation scale). Results are deterministic (fixed probe seed). 20,000
 *   candidates × 2,000 raters × 200,000 ratings: ~0.1–0.2 s instead of ~20 s.
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
 * Large designs are best passed as SparseRatings: a dense 20,000 × 2,000 matrix of nulls
 * alone takes longer to scan than the fit.
 *
 * @throws Error for a ragged matrix or non-finite ratings.
 */
export function mixedModel(ratings: RatingMatrix | SparseRatings, options: MixedModelOptions = {}): MixedModelFit {
  const data = toSparse(ratings, 'mixedModel');
  const observations = data.value.length;
  const totalVariance = sampleVariance(data.value);

  if (observations < 2 || !(totalVariance > 0)) {
    return buildFit({ candidate: 0, rater: 0, residual: 0 }, new Array<number>(data.cols).fill(0), NaN, 0, true);
  }

  const candidatesRated = countLevels(data, 'rows');
  const ratersRated = countLevels(data, 'cols');
  // Absorb the factor with more levels; keep the other one (dimension r) in M.
  const ratersAbsorbed = ratersRated > candidatesRated;
  const design = ratersAbsorbed ? buildDesign(transpose(data)) : buildDesign(data);
  // A factor with a single level is not separable from μ. When every level of a factor has
  // exactly one rating, its variance is not separable from the residual one; it is then
  // reported as 0 (that variation counts as residual).
  const residualFloor = 1e-10 * totalVariance;
  const problem: Problem = {
    design,
    freeA: design.groups >= 2 && design.groups < observations,
    freeB: design.r >= 2 && design.r < observations,
    residualFloor,
    observations,
    totalVariance,
  };
  const method = options.method ?? 'auto';
  const iterative =
    method === 'iterative' || (method === 'auto' && (design.r > EXACT_MAX_LEVELS || observations > EXACT_MAX_RATINGS));
  const { theta, evaluation, iterations, converged } = iterative
    ? fitIterative(problem, { ...DEFAULT_ITERATIVE_OPTIONS, ...options.iterative })
    : fitExact(problem);

  // BLUPs σ²_r Z_rᵀ P y.
  const raterVariance = ratersAbsorbed ? theta[0] : theta[1];
  const raterBlups = Array.from(raterSums(design, ratersAbsorbed, data.cols, evaluation.py!), (s) => raterVariance * s);
  const variances: VarianceComponents = ratersAbsorbed
    ? { candidate: theta[1], rater: theta[0], residual: theta[2] }
    : { candidate: theta[0], rater: theta[1], residual: theta[2] };
  const logLikelihood = -0.5 * (evaluation.deviance + (observations - 1) * Math.log(2 * Math.PI));
  return buildFit(variances, raterBlups, logLikelihood, iterations, converged);
}

function sampleVariance(values: Float64Array): number {
  const n = values.length;
  let mean = 0;
  for (let p = 0; p < n; p++) mean += values[p]!;
  mean /= Math.max(1, n);
  let variance = 0;
  for (let p = 0; p < n; p++) variance += (values[p]! - mean) ** 2;
  return variance / Math.max(1, n - 1);
}

/** Z_rᵀ e per rater, in the original rater order (0 for raters without ratings). */
function raterSums(design: Design, ratersAbsorbed: boolean, raters: number, e: Float64Array): Float64Array {
  const sums = new Float64Array(raters);
  if (ratersAbsorbed) {
    for (let g = 0; g < design.groups; g++) {
      let s = 0;
      for (let p = design.start[g]!; p < design.start[g + 1]!; p++) s += e[p]!;
      sums[design.groupLevel[g]!] = s;
    }
  } else {
    for (let p = 0; p < design.b.length; p++) {
      const level = design.bLevel[design.b[p]!]!;
      sums[level] = sums[level]! + e[p]!;
    }
  }
  return sums;
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

interface Problem {
  readonly design: Design;
  /** Whether σ²_A and σ²_B are identifiable (otherwise they stay 0). */
  readonly freeA: boolean;
  readonly freeB: boolean;
  readonly residualFloor: number;
  readonly observations: number;
  readonly totalVariance: number;
}

interface Estimate {
  theta: Theta;
  /** The evaluation at theta, with P·y. */
  evaluation: Evaluation;
  iterations: number;
  converged: boolean;
}

/** Start values and the projection onto the feasible set. */
function setUp(problem: Problem): { start: Theta; project: (t: readonly number[]) => Theta } {
  const { freeA, freeB, residualFloor, totalVariance } = problem;
  return {
    start: [freeA ? totalVariance / 3 : 0, freeB ? totalVariance / 3 : 0, totalVariance / 3],
    project: (t) => [freeA ? Math.max(0, t[0]!) : 0, freeB ? Math.max(0, t[1]!) : 0, Math.max(residualFloor, t[2]!)],
  };
}

/** The components that may move: identifiable and not held at a bound by the sign of the gradient. */
function freeComponents(problem: Problem, theta: Theta, g: Theta): number[] {
  return [0, 1, 2].filter((k) => {
    if (k === 0 && !problem.freeA) return false;
    if (k === 1 && !problem.freeB) return false;
    const atBound = k === 2 ? theta[2] <= problem.residualFloor : theta[k]! <= 0;
    return !(atBound && g[k]! >= 0);
  });
}

/**
 * Exact fit: the likelihood and its derivatives through the dense M (see denseRaterSystem),
 * average-information Newton steps with a backtracking line search on the exact restricted
 * likelihood.
 */
function fitExact(problem: Problem): Estimate {
  const { design, observations } = problem;
  const system = denseRaterSystem(design);
  const workspace = createWorkspace(design);
  const { start, project } = setUp(problem);
  let theta = start;
  let current = evaluate(design, theta, true, system, workspace);
  let iterations = 0;
  let converged = false;

  // Newton directions use the average information (positive semi-definite by construction).
  // AI-REML converges linearly, usually fast; when close to the optimum it stalls (the
  // decrement shrinks less than 1000-fold per step), the exact Hessian from forward
  // differences of the analytic gradient (one extra gradient per free component) takes over.
  let polishing = false;
  let previousDecrement = Infinity;
  for (; iterations < 200; iterations++) {
    const g = current.gradient!;
    const info = current.information!();
    const free = freeComponents(problem, theta, g);
    if (free.length === 0) {
      converged = true;
      break;
    }
    const scale = theta[0] + theta[1] + theta[2];
    const averageInformation = info.map((v) => 2 * v);
    const exactHessian = polishing ? finiteDifferenceHessian(design, system, workspace, theta, g, free, scale) : null;
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
      nextTheta = lineSearch(design, system, workspace, theta, current, newton, project);
      if (nextTheta === null) {
        // Projection can spoil a Newton direction; fall back to a diagonally scaled gradient step.
        const diagonal: Theta = [0, 0, 0];
        for (const k of free) diagonal[k] = -g[k]! / Math.max(averageInformation[k * 3 + k]!, 1e-300);
        nextTheta = lineSearch(design, system, workspace, theta, current, diagonal, project);
      }
    }
    if (nextTheta === null) {
      converged = true;
      break;
    }
    const change = Math.max(...nextTheta.map((v, k) => Math.abs(v - theta[k]!)));
    theta = nextTheta;
    current = evaluate(design, theta, true, system, workspace);
    if (change <= 1e-14 * scale) {
      converged = true;
      break;
    }
  }

  return { theta, evaluation: current, iterations, converged };
}

/**
 * Large-scale fit: the same likelihood with M handled matrix-free (IterativeRaterSystems):
 * exact solves by conjugate gradients, traces and log|M| by Hutchinson / Lanczos estimates
 * with fixed probes, so the estimated likelihood is a smooth, deterministic function of θ.
 * Fisher scoring with the average information from method-of-moments start values
 * (usually 3–4 evaluations):
 * - a step that would take a component below 0 shrinks it by the factor exp(step/σ²) instead,
 *   so the iteration cannot jump onto a bound and crawl back; a component shrunk below
 *   1e-12 of the total is put on its bound, where the active set decides whether it stays;
 * - a step that raises the (estimated) deviance by more than 1 is halved;
 * - the iteration stops when the Newton step is below 1e-7 of the total variance.
 * The probes make the estimate's optimum differ from the exact one by a Monte Carlo error,
 * δθ ≈ H⁻¹δg, whose covariance follows from the spread of the per-probe gradients. Probes
 * are added (up to options.maxProbes) until its estimated standard error is at most
 * options.relativeError (1e-4) × max(σ²_k, Σσ²/20) for every free component; the actual error
 * then stays within a few 1e-4.
 */
function fitIterative(problem: Problem, options: IterativeOptions): Estimate {
  const { design } = problem;
  const systems = new IterativeRaterSystems(design, options);
  const workspace = createWorkspace(design);
  const { project } = setUp(problem);
  let theta = momentStart(problem);
  let current = evaluate(design, theta, true, systems.factory, workspace);
  let iterations = 0;
  let converged = false;
  let hessian: number[] = [];
  let hessianAt: Theta | null = null;
  while (iterations < 100 && current.gradient !== undefined) {
    const g = current.gradient;
    const free = freeComponents(problem, theta, g);
    if (free.length === 0) {
      converged = true;
      break;
    }
    const scale = theta[0] + theta[1] + theta[2];
    // The average information only sets the Newton metric, not the optimum: the one from a θ
    // within 1e-3 of this one is good enough, in particular to see that the step is tiny.
    const stale = hessianAt !== null && Math.max(...theta.map((v, k) => Math.abs(v - hessianAt![k]!))) <= 1e-3 * scale;
    if (!stale) {
      hessian = current.information!().map((v) => 2 * v);
      hessianAt = theta;
    }
    const wanted = probesWanted(design.r, free, theta, hessian, current.gradientCovariance, systems.probeCount, options);
    if (wanted > systems.probeCount) {
      systems.setProbeCount(Math.min(systems.fillBlocks(wanted), options.maxProbes, design.r));
      current = evaluate(design, theta, true, systems.factory, workspace);
      continue;
    }
    let newton = newtonStep(free, g, hessian, true);
    if (newton === null) break;
    if (Math.max(...newton.map(Math.abs)) <= 1e-7 * scale) {
      converged = true;
      break;
    }
    if (stale) {
      hessian = current.information!().map((v) => 2 * v);
      hessianAt = theta;
      newton = newtonStep(free, g, hessian, true);
      if (newton === null) break;
    }
    iterations++;
    let accepted = false;
    for (let fraction = 1, tries = 0; tries < 20; tries++, fraction /= 2) {
      const next = project(
        theta.map((v, k) => {
          const step = fraction * newton[k]!;
          if (step >= 0 || v <= 0) return v + step;
          const shrunk = v * Math.exp(step / v);
          return shrunk < 1e-12 * scale ? 0 : shrunk;
        }),
      );
      const evaluation = evaluate(design, next, true, systems.factory, workspace);
      if (evaluation.gradient !== undefined && evaluation.deviance <= current.deviance + 1) {
        theta = next;
        current = evaluation;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return { theta, evaluation: current, iterations, converged };
}

/**
 * The number of probes that brings the Monte Carlo standard error of the free components,
 * sqrt(diag(H⁻¹ C H⁻¹)) with C the covariance of the gradient estimate, within the target;
 * the current count when it already is. Variances scale as 1/probes.
 */
function probesWanted(
  r: number,
  free: readonly number[],
  theta: Theta,
  hessian: readonly number[],
  covariance: readonly number[] | undefined,
  probes: number,
  options: IterativeOptions,
): number {
  if (covariance === undefined || probes >= options.maxProbes) return probes;
  const scale = theta[0] + theta[1] + theta[2];
  const m = free.length;
  const sub: number[] = [];
  for (const k of free) for (const l of free) sub.push(hessian[k * 3 + l]!);
  // Columns of H⁻¹ (restricted to the free components).
  const inverse = free.map((_, i) => solveSymmetricRidged(sub, free.map((__, t) => (t === i ? 1 : 0))));
  let worst = 0;
  free.forEach((k, i) => {
    let variance = 0;
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) variance += inverse[i]![a]! * covariance[free[a]! * 3 + free[b]!]! * inverse[i]![b]!;
    }
    const target = options.relativeError * Math.max(theta[k]!, scale / 20);
    worst = Math.max(worst, variance / (target * target));
  });
  if (!(worst > 1)) return probes;
  const wanted = Math.ceil(1.25 * worst * probes);
  // From r probes on, the exact unit probes are cheaper (IterativeRaterSystems.setProbeCount).
  return Math.min(options.maxProbes, r, Math.max(wanted, probes + 8));
}

/**
 * Henderson's method I, clamped: with T the total variance, W_A the pooled variance within
 * the levels of A (≈ σ²_B + σ²_e) and W_B within the levels of B (≈ σ²_A + σ²_e),
 * σ²_A ≈ T − W_A, σ²_B ≈ T − W_B, σ²_e ≈ W_A + W_B − T. Each is kept ≥ T/100 (≥ T/20 for σ²_e).
 */
function momentStart(problem: Problem): Theta {
  const { design, freeA, freeB, totalVariance: total } = problem;
  const { groups, start, b, y, r } = design;
  const n = y.length;
  const wA = n > groups ? withinGroups(start, groups, y) / (n - groups) : total;
  const wB = n > r ? withinLevels(b, r, y) / (n - r) : total;
  return [
    freeA ? Math.max(total - wA, total / 100) : 0,
    freeB ? Math.max(total - wB, total / 100) : 0,
    Math.max(wA + wB - total, total / 20),
  ];
}

/** Σ_i Σ_{p ∈ i} (y_p − ȳ_i)². */
function withinGroups(start: Int32Array, groups: number, y: Float64Array): number {
  let within = 0;
  for (let g = 0; g < groups; g++) {
    let s = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) s += y[p]!;
    const m = s / (start[g + 1]! - start[g]!);
    for (let p = start[g]!; p < start[g + 1]!; p++) within += (y[p]! - m) ** 2;
  }
  return within;
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

function lineSearch(
  design: Design,
  system: RaterSystemFactory,
  workspace: Workspace,
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
    if (evaluate(design, candidate, false, system, workspace).deviance <= current.deviance + 1e-4 * Math.min(moved, 0)) return candidate;
  }
  return null;
}

/** Hessian of the deviance on the free coordinates by forward differences of the analytic gradient. */
function finiteDifferenceHessian(
  design: Design,
  system: RaterSystemFactory,
  workspace: Workspace,
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
    const gk = evaluate(design, shifted, true, system, workspace).gradient;
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
