import { DEFAULT_ITERATIVE_OPTIONS, IterativeRaterSystems, type IterativeOptions } from './mixed-model-iterative';
import {
  buildDesign,
  denseRaterSystem,
  evaluate,
  newtonStep,
  projectedResponse,
  transpose,
  type Design,
  type Evaluation,
  type RaterSystemFactory,
  type ResponseSums,
  type Theta,
} from './mixed-model-reml';
import { solveSymmetricRidged } from './linear-algebra';
import { startValues, type FixedEffects } from './mixed-model-start';
import type { RaterEffectsFit } from './rater-effects';
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
  /**
   * @internal `raterEffects` of the same ratings, when the caller has fitted it too: the
   * iterative method starts from it instead of solving the least-squares problem again. Only
   * the start depends on it (a fit of other ratings would merely cost iterations).
   */
  fixedEffects?: RaterEffectsFit;
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
  /**
   * What the fit could say about interviewers' leniency, beyond `converged`:
   * - 'estimated': the interviewer variance is positive;
   * - 'boundary': REML puts it at exactly 0 (lme4 warns "boundary (singular) fit"): no difference
   *   between interviewers is detectable in these ratings, so every interval is [0, 0];
   * - 'not-estimable': the ratings cannot separate it at all (fewer than two interviewers, every
   *   interviewer rated once, or no variation; lme4 refuses to fit): too few shared candidates.
   */
  raterVariance: RaterVarianceStatus;
}

export type RaterVarianceStatus = 'estimated' | 'boundary' | 'not-estimable';

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
 *   costs O(N·(probes + 5)·~6) time and O(N + r·probes) memory. Fisher scoring from start
 *   values derived from the least-squares fit (mixed-model-start.ts), usually one or two
 *   evaluations (see fitIterative). The probes add a Monte Carlo error to the estimates, which
 *   is measured and kept at a standard error of ~1e-4 relative per variance by adding probes
 *   (≲5e-5 at organisation scale, where 3 probes suffice); raterBlups inherit it, and
 *   logLikelihood is an estimate within ~1 unit. Results are deterministic (fixed probe
 *   seed). 20,000 candidates × 2,000 raters × 200,000 ratings: ~0.06 s instead of ~20 s.
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
    return buildFit({ candidate: 0, rater: 0, residual: 0 }, new Array<number>(data.cols).fill(0), NaN, 0, true, 'not-estimable');
  }

  // Absorb the factor with more levels; keep the other one (dimension r) in M.
  let design = buildDesign(data);
  const ratersAbsorbed = design.r > design.groups;
  if (ratersAbsorbed) design = buildDesign(transpose(data));
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
    fixedEffects: inDesignTerms(options.fixedEffects, data, design, ratersAbsorbed),
  };
  const method = options.method ?? 'auto';
  const iterative =
    method === 'iterative' || (method === 'auto' && (design.r > EXACT_MAX_LEVELS || observations > EXACT_MAX_RATINGS));
  const { theta, evaluation, iterations, converged } = iterative
    ? fitIterative(problem, { ...DEFAULT_ITERATIVE_OPTIONS, ...options.iterative })
    : fitExact(problem);

  // BLUPs σ²_r Z_rᵀ P y.
  const raterVariance = ratersAbsorbed ? theta[0] : theta[1];
  const raterBlups = Array.from(raterSums(design, ratersAbsorbed, data.cols, evaluation.pySums!), (s) => raterVariance * s);
  const variances: VarianceComponents = ratersAbsorbed
    ? { candidate: theta[1], rater: theta[0], residual: theta[2] }
    : { candidate: theta[0], rater: theta[1], residual: theta[2] };
  const logLikelihood = -0.5 * (evaluation.deviance + (observations - 1) * Math.log(2 * Math.PI));
  const raterFree = ratersAbsorbed ? problem.freeA : problem.freeB;
  const raterStatus: RaterVarianceStatus = !raterFree ? 'not-estimable' : raterVariance > BOUNDARY * totalVariance ? 'estimated' : 'boundary';
  return buildFit(variances, raterBlups, logLikelihood, iterations, converged, raterStatus);
}

/** An interviewer variance at or below this share of the total is on the boundary (the active set holds it at 0). */
const BOUNDARY = 1e-8;

/** The sample variance, in one pass about the first value (which keeps the sums small). */
function sampleVariance(values: Float64Array): number {
  const n = values.length;
  if (n < 2) return 0;
  const origin = values[0]!;
  let s = 0;
  let ss = 0;
  for (let p = 0; p < n; p++) {
    const d = values[p]! - origin;
    s += d;
    ss += d * d;
  }
  return Math.max(0, (ss - (s * s) / n) / (n - 1));
}

/** A raterEffects fit of `data` as effects of the design's groups and B-levels; null unless usable. */
function inDesignTerms(fit: RaterEffectsFit | undefined, data: SparseRatings, design: Design, ratersAbsorbed: boolean): FixedEffects | null {
  if (!fit?.connected || !(fit.residualVariance > 0)) return null;
  if (fit.raterEffects.length !== data.cols || fit.adjustedScores.length !== data.rows) return null;
  const [ofLevel, ofGroup] = ratersAbsorbed ? [fit.adjustedScores, fit.raterEffects] : [fit.raterEffects, fit.adjustedScores];
  const levelEffects = finiteAt(ofLevel, design.bLevel);
  const groupEffects = finiteAt(ofGroup, design.groupLevel);
  return levelEffects && groupEffects && { levelEffects, groupEffects, residual: fit.residualVariance };
}

/** values[index[k]] for each k; null if one is not finite. */
function finiteAt(values: readonly number[], index: Int32Array): Float64Array | null {
  const out = new Float64Array(index.length);
  for (let k = 0; k < index.length; k++) {
    const v = values[index[k]!]!;
    if (!Number.isFinite(v)) return null;
    out[k] = v;
  }
  return out;
}

/** Z_rᵀ P y per rater, in the original rater order (0 for raters without ratings). */
function raterSums(design: Design, ratersAbsorbed: boolean, raters: number, py: ResponseSums): Float64Array {
  const sums = new Float64Array(raters);
  const [levels, byLevel] = ratersAbsorbed ? [design.groupLevel, py.byGroup] : [design.bLevel, py.byLevel];
  for (let k = 0; k < levels.length; k++) sums[levels[k]!] = byLevel[k]!;
  return sums;
}

function buildFit(
  variances: VarianceComponents,
  raterBlups: number[],
  logLikelihood: number,
  iterations: number,
  converged: boolean,
  raterVariance: RaterVarianceStatus,
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
    raterVariance,
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
  /** The least-squares fit of the same ratings, when given (see MixedModelOptions.fixedEffects). */
  readonly fixedEffects: FixedEffects | null;
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
  const { start, project } = setUp(problem);
  let theta = start;
  let current = evaluate(design, theta, true, system);
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
    const exactHessian = polishing ? finiteDifferenceHessian(design, system, theta, g, free, scale) : null;
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
      nextTheta = lineSearch(design, system, theta, current, newton, project);
      if (nextTheta === null) {
        // Projection can spoil a Newton direction; fall back to a diagonally scaled gradient step.
        const diagonal: Theta = [0, 0, 0];
        for (const k of free) diagonal[k] = -g[k]! / Math.max(averageInformation[k * 3 + k]!, 1e-300);
        nextTheta = lineSearch(design, system, theta, current, diagonal, project);
      }
    }
    if (nextTheta === null) {
      converged = true;
      break;
    }
    const change = Math.max(...nextTheta.map((v, k) => Math.abs(v - theta[k]!)));
    theta = nextTheta;
    current = evaluate(design, theta, true, system);
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
 * Fisher scoring with the average information from start values close to the optimum
 * (mixed-model-start.ts; usually one evaluation or two):
 * - a step that would take a component below 0 shrinks it by the factor exp(step/σ²) instead,
 *   so the iteration cannot jump onto a bound and crawl back; a component shrunk below
 *   1e-12 of the total is put on its bound, where the active set decides whether it stays;
 * - a step that raises the (estimated) deviance by more than 1 is halved;
 * - a Newton step below FINAL_STEP of the total variance is the last one: scoring converges
 *   about quadratically here, so what remains after it is far below the Monte Carlo error
 *   (below), and it is taken without evaluating the likelihood there (only P·y, for the BLUPs).
 * The probes make the estimate's optimum differ from the exact one by a Monte Carlo error,
 * δθ ≈ H⁻¹δg, whose covariance follows from the spread of the per-probe gradients. Probes
 * are added (up to options.maxProbes) until its estimated standard error is at most
 * options.relativeError (1e-4) × max(σ²_k, Σσ²/20) for every free component; the actual error
 * then stays within a few 1e-4.
 */
function fitIterative(problem: Problem, options: IterativeOptions): Estimate {
  const { design } = problem;
  // A usable least-squares fit (problem.fixedEffects) implies a connected design.
  const systems = new IterativeRaterSystems(design, options, problem.fixedEffects !== null);
  const { project } = setUp(problem);
  let theta = startValues(problem, problem.fixedEffects);
  let current = evaluate(design, theta, true, systems.factory);
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
    // The average information only sets the Newton metric, not the optimum: one from a θ
    // nearby is good enough to see that the step is small (and to count probes).
    if (hessianAt === null || distance(theta, hessianAt) > STALE_INFORMATION * scale) {
      hessian = current.information!().map((v) => 2 * v);
      hessianAt = theta;
    }
    const wanted = probesWanted(design.r, free, theta, hessian, current.gradientCovariance, systems.probeCount, options);
    if (wanted > systems.probeCount) {
      systems.setProbeCount(Math.min(systems.fillBlocks(wanted), options.maxProbes, design.r));
      current = evaluate(design, theta, true, systems.factory);
      continue;
    }
    let newton = newtonStep(free, g, hessian, true);
    if (newton === null) break;
    if (largest(newton) <= 1e-7 * scale) {
      converged = true;
      break;
    }
    if (largest(newton) > FINAL_STEP * scale && hessianAt !== theta) {
      hessian = current.information!().map((v) => 2 * v);
      hessianAt = theta;
      newton = newtonStep(free, g, hessian, true);
      if (newton === null) break;
    }
    iterations++;
    if (largest(newton) <= FINAL_STEP * scale) {
      const last = lastStep(design, systems.factory, theta, current, newton, hessian, project);
      if (last !== null) return { ...last, iterations, converged: true };
    }
    let accepted = false;
    for (let fraction = 1, tries = 0; tries < 20; tries++, fraction /= 2) {
      const next = project(stepFrom(theta, newton, fraction, scale));
      const evaluation = evaluate(design, next, true, systems.factory);
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

/** A Newton step below this fraction of the total variance is the last one (see fitIterative). */
const FINAL_STEP = 1e-4;
/** The average information is reused while θ stays within this fraction of the total of where it was computed. */
const STALE_INFORMATION = 0.05;

/** θ + fraction·step, where a step down shrinks a component by exp(step/σ²) instead (to 0 below 1e-12 of `scale`). */
function stepFrom(theta: Theta, step: Theta, fraction: number, scale: number): Theta {
  return theta.map((v, k) => {
    const s = fraction * step[k]!;
    if (s >= 0 || v <= 0) return v + s;
    const shrunk = v * Math.exp(s / v);
    return shrunk < 1e-12 * scale ? 0 : shrunk;
  }) as Theta;
}

/** θ + step, evaluated only for P·y (the BLUPs); the deviance there from its quadratic model. */
function lastStep(
  design: Design,
  factory: RaterSystemFactory,
  theta: Theta,
  current: Evaluation,
  step: Theta,
  hessian: readonly number[],
  project: (t: readonly number[]) => Theta,
): { theta: Theta; evaluation: Evaluation } | null {
  const next = project(stepFrom(theta, step, 1, theta[0] + theta[1] + theta[2]));
  const pySums = projectedResponse(design, next, factory);
  if (pySums === null) return null;
  const deviance = current.deviance + quadraticChange(current.gradient!, hessian, next.map((v, k) => v - theta[k]!));
  return { theta: next, evaluation: { deviance, pySums } };
}

/** The change of the deviance along δ by its quadratic model gᵀδ + ½δᵀHδ. */
function quadraticChange(g: Theta, hessian: readonly number[], delta: readonly number[]): number {
  let change = 0;
  for (let k = 0; k < 3; k++) {
    change += g[k]! * delta[k]!;
    for (let l = 0; l < 3; l++) change += 0.5 * delta[k]! * hessian[k * 3 + l]! * delta[l]!;
  }
  return change;
}

function largest(step: Theta): number {
  return Math.max(...step.map(Math.abs));
}

function distance(a: Theta, b: Theta): number {
  return Math.max(...a.map((v, k) => Math.abs(v - b[k]!)));
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

function lineSearch(
  design: Design,
  system: RaterSystemFactory,
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
    if (evaluate(design, candidate, false, system).deviance <= current.deviance + 1e-4 * Math.min(moved, 0)) return candidate;
  }
  return null;
}

/** Hessian of the deviance on the free coordinates by forward differences of the analytic gradient. */
function finiteDifferenceHessian(
  design: Design,
  system: RaterSystemFactory,
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
    const gk = evaluate(design, shifted, true, system).gradient;
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
