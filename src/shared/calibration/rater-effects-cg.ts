/**
 * Matrix-free solver for the reduced normal equations of the additive rater-effects model
 * (see `raterEffects`):  (C + 11ᵀ/r)·b = q  with  C = diag(m) − Σ_i (1/n_i) v_i v_iᵀ.
 *
 * C·x is applied through the ratings in O(N + r) per product (N ratings, r active raters):
 * for each candidate the mean of x over its raters is subtracted from those raters. The
 * rank-one term 11ᵀ/r removes the singularity along 1 exactly as the dense path does, so the
 * solution is the same (Σ b = 0 when Σ q = 0). Jacobi-preconditioned conjugate gradients.
 */
export interface ReducedSystem {
  /** Number of active raters r (slots 0..r−1). */
  raters: number;
  /** CSR row pointers over candidates (length rows + 1). */
  rowStart: Int32Array;
  /** Active-rater slot of each rating, in CSR order. */
  slot: Int32Array;
  /** Ratings per active rater (m_j). */
  perRater: Float64Array;
}

export interface CgSolution {
  solution: Float64Array;
  iterations: number;
  /** ‖q − A·b‖ / ‖q‖ of the returned solution, recomputed from scratch (not the recursive residual). */
  relativeResidual: number;
  converged: boolean;
}

/**
 * The mean of each row (NaN without observations) into `rowMean`, and the right-hand side
 * q_a = Σ_{observations p at slot a} (value_p − mean of its row) into `q` (zeroed by the caller);
 * returns Σ_p (value_p − mean of its row)², the residual sum of squares before the slots' effects.
 */
export function reducedRightHandSide(
  rowStart: Int32Array,
  rows: number,
  slot: Int32Array,
  value: Float64Array,
  rowMean: Float64Array,
  q: Float64Array,
): number {
  let within = 0;
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    let s = 0;
    for (let p = begin; p < end; p++) s += value[p]!;
    const m = s / (end - begin);
    rowMean[i] = m;
    for (let p = begin; p < end; p++) {
      const d = value[p]! - m;
      within += d * d;
      q[slot[p]!] = q[slot[p]!]! + d;
    }
  }
  return within;
}

/** A·x = (C + 11ᵀ/r)·x into `out`. */
export function applyReducedOperator(system: ReducedSystem, x: Float64Array, out: Float64Array): void {
  const { raters: r, rowStart, slot, perRater } = system;
  let sum = 0;
  for (let a = 0; a < r; a++) sum += x[a]!;
  const shift = sum / r;
  for (let a = 0; a < r; a++) out[a] = perRater[a]! * x[a]! + shift;
  const rows = rowStart.length - 1;
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    if (end === begin) continue;
    let s = 0;
    for (let p = begin; p < end; p++) s += x[slot[p]!]!;
    s /= end - begin;
    for (let p = begin; p < end; p++) {
      const a = slot[p]!;
      out[a] = out[a]! - s;
    }
  }
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let a = 0; a < x.length; a++) s += x[a]! * y[a]!;
  return s;
}

/**
 * Preconditioned CG from b = 0 until the recursive residual is below `tolerance`·‖q‖, then the
 * true residual is recomputed; if it is not yet small enough CG restarts from the current
 * iterate (which removes the drift of the recursive residual). Gives up after `maxIterations`
 * products, 8 restarts, or when a restart no longer halves the true residual (rounding floor,
 * reachable for very ill-conditioned designs); `converged` is then false and
 * `relativeResidual` says how far it got — the caller decides whether that is good enough.
 */
export function solveReducedSystemCg(
  system: ReducedSystem,
  q: Float64Array,
  tolerance = 1e-12,
  maxIterations = Math.max(500, 4 * system.raters),
): CgSolution {
  const r = system.raters;
  const x = new Float64Array(r);
  const qNorm = Math.sqrt(dot(q, q));
  if (qNorm === 0) return { solution: x, iterations: 0, relativeResidual: 0, converged: true };

  const inverseDiagonal = jacobiPreconditioner(system);
  const residual = Float64Array.from(q);
  const z = new Float64Array(r);
  const direction = new Float64Array(r);
  const product = new Float64Array(r);
  const target = tolerance * qNorm;
  let iterations = 0;
  let relativeResidual = 1;

  for (let restart = 0; restart < 8 && iterations < maxIterations; restart++) {
    let rz = precondition(residual, inverseDiagonal, z);
    direction.set(z);
    while (iterations < maxIterations) {
      applyReducedOperator(system, direction, product);
      iterations++;
      const curvature = dot(direction, product);
      if (!(curvature > 0)) break;
      const rr = step(x, residual, direction, product, rz / curvature);
      if (Math.sqrt(rr) <= target) break;
      const rzNext = precondition(residual, inverseDiagonal, z);
      addScaled(z, rzNext / rz, direction);
      rz = rzNext;
    }
    // True residual q − A·x.
    applyReducedOperator(system, x, product);
    for (let a = 0; a < r; a++) residual[a] = q[a]! - product[a]!;
    const previous = relativeResidual;
    relativeResidual = Math.sqrt(dot(residual, residual)) / qNorm;
    if (relativeResidual <= tolerance) return { solution: x, iterations, relativeResidual, converged: true };
    if (relativeResidual > 0.5 * previous) break; // stagnating at the attainable accuracy
  }
  return { solution: x, iterations, relativeResidual, converged: false };
}

/** The Jacobi preconditioner 1 / (diag(C) + 1/r), each diagonal entry kept ≥ 1/r. */
function jacobiPreconditioner(system: ReducedSystem): Float64Array {
  const r = system.raters;
  const inverse = reducedDiagonal(system);
  for (let a = 0; a < r; a++) inverse[a] = 1 / Math.max(inverse[a]! + 1 / r, 1 / r);
  return inverse;
}

/** diag(C)_j = m_j − Σ_{i rated by j} 1/n_i (exact without repeated (candidate, rater) pairs). */
export function reducedDiagonal(system: ReducedSystem): Float64Array {
  const { rowStart, slot, perRater } = system;
  const diagonal = Float64Array.from(perRater);
  const rows = rowStart.length - 1;
  for (let i = 0; i < rows; i++) {
    const begin = rowStart[i]!;
    const end = rowStart[i + 1]!;
    const inv = 1 / (end - begin);
    for (let p = begin; p < end; p++) diagonal[slot[p]!] = diagonal[slot[p]!]! - inv;
  }
  return diagonal;
}

/** z = D⁻¹ residual; returns residualᵀz. */
function precondition(residual: Float64Array, inverseDiagonal: Float64Array, z: Float64Array): number {
  let rz = 0;
  for (let a = 0; a < z.length; a++) {
    z[a] = residual[a]! * inverseDiagonal[a]!;
    rz += residual[a]! * z[a]!;
  }
  return rz;
}

/** x += α·direction, residual −= α·product; returns ‖residual‖². */
function step(x: Float64Array, residual: Float64Array, direction: Float64Array, product: Float64Array, alpha: number): number {
  let rr = 0;
  for (let a = 0; a < x.length; a++) {
    x[a] = x[a]! + alpha * direction[a]!;
    const value = residual[a]! - alpha * product[a]!;
    residual[a] = value;
    rr += value * value;
  }
  return rr;
}

/** direction = z + β·direction. */
function addScaled(z: Float64Array, beta: number, direction: Float64Array): void {
  for (let a = 0; a < z.length; a++) direction[a] = z[a]! + beta * direction[a]!;
}
