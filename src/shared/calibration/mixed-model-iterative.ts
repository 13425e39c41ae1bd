/**
 * Matrix-free handling of M = I + σ²_B H for large designs (see RaterSystem in
 * mixed-model-reml.ts), where forming and factoring the dense r×r matrix is too slow.
 *
 * - Products M·x cost O(N) through the sparse design: H x = (m ∘ x − Σ_i g_i v_i (v_iᵀx))/σ²_e.
 * - Solves use conjugate gradients preconditioned by diag(M), several right-hand sides at
 *   a time (one pass over the design serves all), started from the previous θ's solution.
 *   M ⪰ I and, after Jacobi scaling, its spectrum is a tight cluster around 1 plus a few
 *   outliers (the near-constant vector), so ~10 iterations reach 1e-8.
 * - Traces tr(M⁻¹ S) are Hutchinson estimates with fixed Rademacher probes w (so the
 *   estimated likelihood is a smooth, deterministic function of θ): with D = diag(M),
 *   x = M⁻¹D^½w and ŵ = D^−½w, E[(Sŵ)ᵀx] = tr(S M⁻¹).
 * - log|M| = log|D| + log|D^−½ M D^−½| by stochastic Lanczos quadrature: the conjugate
 *   gradient run on M x = D^½w is a Lanczos process for D^−½ M D^−½ started at w, so
 *   wᵀ log(D^−½MD^−½) w ≈ ‖w‖² e₁ᵀ log(T) e₁ with the tridiagonal T of its coefficients.
 */
import type { Design, RaterSystem, RaterSystemFactory, Theta, TraceValues } from './mixed-model-reml';
import { findRoot, linkObserved, range } from './ratings';

export interface IterativeOptions {
  /** Number of Hutchinson probes to start with (rounded up so that the solves fill a block of 4 or blocks of 8). */
  probes: number;
  /** Most probes the fit may use to bring the Monte Carlo error down. */
  maxProbes: number;
  /**
   * Estimated Monte Carlo standard error the fit aims at, relative to each variance (see
   * fitIterative). Estimated from few, somewhat heavy-tailed samples, it tends to be low by up
   * to ~2×, hence the margin below the 1e-3 the results are meant to keep.
   */
  relativeError: number;
  /** Relative residual at which the solves for the likelihood and the score stop. */
  tolerance: number;
  /** Relative residual for the solves that only feed the average information. */
  informationTolerance: number;
  /** Relative residual for the probe solves (traces and log-determinant). */
  probeTolerance: number;
  seed: number;
}

export const DEFAULT_ITERATIVE_OPTIONS: IterativeOptions = {
  probes: 3,
  maxProbes: 256,
  relativeError: 1e-4,
  tolerance: 1e-8,
  informationTolerance: 1e-2,
  probeTolerance: 1e-5,
  seed: 20240611,
};

/** Deterministic pseudo-random numbers (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The matrix-free M for every θ of one fit: holds the probes (a fixed, growable set of
 * Rademacher vectors), the deflation components and the last solutions of the tagged
 * solves, to start the next θ from.
 *
 * Deflation: M is Laplacian-like (raters who share candidates are coupled), so after Jacobi
 * scaling its smallest eigenvectors are close to u_c ∝ D^½·1 on each connected component c of
 * the design. Their large eigenvalues of M⁻¹ dominate the Hutchinson error and make it
 * heavy-tailed (a χ²₁-like term per component). With P the projector off the u_c, tr(B) =
 * tr(PBP) + Σ_c u_cᵀBu_c: the probes are projected, and the u_cᵀBu_c come from one extra
 * solve each. This cuts the variance about tenfold on interview designs.
 */
export class IterativeRaterSystems {
  private readonly probes: Float64Array[] = [];
  private readonly random: () => number;
  private readonly warm = new Map<string, Float64Array>();
  /** B-levels of the largest connected components (at most MAX_DEFLATION, each ≥ 2 levels). */
  private readonly components: Int32Array[];
  /** Whether the probes are the r vectors √r·e_j, which make the traces exact. */
  private unitProbes = false;

  /** `connected`: the design is known to be connected, so its B-levels form a single component. */
  constructor(
    private readonly design: Design,
    private readonly options: IterativeOptions = DEFAULT_ITERATIVE_OPTIONS,
    connected = false,
  ) {
    this.random = mulberry32(options.seed);
    this.components = connected && design.r >= 2 ? [range(design.r)] : largestComponents(design, MAX_DEFLATION);
    this.setProbeCount(this.fillBlocks(options.probes));
  }

  get probeCount(): number {
    return this.probes.length;
  }

  /** The least count ≥ `probes` with which probes and deflation vectors fill a block of 4 solves or blocks of 8. */
  fillBlocks(probes: number): number {
    const deflation = this.components.length;
    const columns = probes + deflation <= 4 ? 4 : Math.ceil((probes + deflation) / 8) * 8;
    return columns - deflation;
  }

  /**
   * Adds probes (never removes any: the first ones stay the same). Asked for r or more, it
   * uses the r vectors √r·e_j instead: the same norm as a Rademacher vector, and their average
   * quadratic form is tr(·) exactly.
   */
  setProbeCount(count: number): void {
    const { r } = this.design;
    if (count >= r) {
      if (!this.unitProbes) {
        this.probes.length = 0;
        const norm = Math.sqrt(r);
        for (let j = 0; j < r; j++) {
          const w = new Float64Array(r);
          w[j] = norm;
          this.probes.push(w);
        }
        this.unitProbes = true;
      }
      return;
    }
    while (this.probes.length < count) {
      const w = new Float64Array(r);
      for (let j = 0; j < r; j++) w[j] = this.random() < 0.5 ? -1 : 1;
      this.probes.push(w);
    }
  }

  readonly factory: RaterSystemFactory = (gG, theta, levelSums) => this.at(gG, theta, levelSums);

  private at(gG: Float64Array, theta: Theta, levelSums: Float64Array): RaterSystem | null {
    const { design, options, probes, warm, unitProbes } = this;
    const { groups, r, perB } = design;
    const [, sB, se] = theta;
    const coef = sB / se;
    const weight = new Float64Array(groups);
    const diag = new Float64Array(r);
    const coupled = diagonalOfM(design, theta, gG, levelSums, weight, diag);
    if (!(minimum(diag) > 0)) return null;
    const apply = makeProduct(design, coef, weight);
    const inverseDiagonal = new Float64Array(r);
    const root = new Float64Array(r);
    for (let j = 0; j < r; j++) {
      inverseDiagonal[j] = 1 / diag[j]!;
      root[j] = Math.sqrt(diag[j]!);
    }

    /** M⁻¹ rhs[c] for each column, in blocks of at most 8, starting from initial[c] when given. */
    const solveColumns = (
      rhs: readonly Float64Array[],
      initial: readonly (Float64Array | undefined)[],
      tolerance: number,
      lanczos?: Lanczos,
    ): Float64Array[] => {
      const out: Float64Array[] = [];
      for (let c0 = 0; c0 < rhs.length; c0 += 8) {
        const columns = Math.min(8, rhs.length - c0);
        const width = widthFor(columns);
        const packed = new Float64Array(r * width);
        const x = new Float64Array(r * width);
        let started = false;
        for (let c = 0; c < columns; c++) {
          packColumn(rhs[c0 + c]!, packed, width, c);
          const x0 = initial[c0 + c];
          if (x0 !== undefined) {
            started = true;
            packColumn(x0, x, width, c);
          }
        }
        const block: Lanczos | undefined = lanczos === undefined ? undefined : { alpha: [], beta: [] };
        pcg(apply, inverseDiagonal, r, width, packed, x, started, tolerance, block);
        for (let c = 0; c < columns; c++) {
          out.push(unpackColumn(x, width, c, new Float64Array(r)));
          if (lanczos !== undefined) {
            lanczos.alpha.push(block!.alpha[c]!);
            lanczos.beta.push(block!.beta[c]!);
          }
        }
      }
      return out;
    };

    // Unit probes are exact already; otherwise deflate u_c ∝ D^½·1_c and project the probes.
    const deflation = unitProbes ? [] : this.components.map((members) => normalised(members, root, r));
    const projected = probes.map((w) => (deflation.length === 0 ? w : projectOff(w, deflation)));
    // x = M⁻¹D^½v for v = each projected probe, then each u_c, from a zero start so that the
    // coefficients give the Lanczos tridiagonals.
    const vectors = [...projected, ...deflation];
    let solutions: Float64Array[] | null = null;
    const lanczos: Lanczos = { alpha: [], beta: [] };
    const solveProbes = (): Float64Array[] => {
      solutions ??= solveColumns(
        vectors.map((v) => multiply(root, v, new Float64Array(r))),
        [],
        options.probeTolerance,
        lanczos,
      );
      return solutions;
    };

    return {
      logDet() {
        let logDetD = 0;
        for (let j = 0; j < r; j++) logDetD += Math.log(diag[j]!);
        if (!coupled) return logDetD;
        solveProbes();
        // wᵀ log(Â) w ≈ ‖w‖² e₁ᵀ log(T) e₁ for Â = D^−½MD^−½.
        const quadrature = vectors.map((v, c) => dot(v, v) * lanczosLogQuadrature(lanczos.alpha[c]!, lanczos.beta[c]!));
        const k = projected.length;
        let probeMean = 0;
        for (let c = 0; c < k; c++) probeMean += quadrature[c]! / k;
        let exact = 0;
        for (let c = k; c < vectors.length; c++) exact += quadrature[c]!;
        return logDetD + probeMean + exact;
      },
      solve(rhs, tags, accuracy) {
        if (!coupled) {
          for (const v of rhs) for (let j = 0; j < r; j++) v[j] = v[j]! / diag[j]!;
          return;
        }
        const tolerance = accuracy === 'full' ? options.tolerance : options.informationTolerance;
        const solved = solveColumns(
          rhs,
          tags.map((tag) => warm.get(tag)),
          tolerance,
        );
        rhs.forEach((v, c) => {
          v.set(solved[c]!);
          warm.set(tags[c]!, solved[c]!);
        });
      },
      traces(groupWeights) {
        if (!coupled) {
          // M is diagonal: q_i = Σ_j v_ij² / M_jj.
          let dM = 0;
          for (let j = 0; j < r; j++) dM += perB[j]! / diag[j]!;
          const q = diagonalGroupTraces(design, inverseDiagonal);
          return { perB: dM, groups: groupWeights.map((w) => weightedSum(w, q)) };
        }
        const x = solveProbes();
        const z = new Float64Array(r);
        // Per vector v, with ŵ = D^−½v: tr M⁻¹ ← ŵᵀx, tr(M⁻¹ diag(m)) ← (diag(m) ŵ)ᵀx and
        // Σ_i w_i v_iᵀM⁻¹v_i ← Σ_i w_i (v_iᵀŵ)(v_iᵀx).
        const values = vectors.map((v, c) => probeTraces(design, multiply(inverseDiagonal, multiply(root, v, z), z), x[c]!, groupWeights));
        const k = projected.length;
        const exact = values.slice(k).reduce((sum, t) => addTraces(sum, t), zeroTraces(groupWeights.length));
        // The σ²_B term from r − tr M⁻¹, so that the identity part of M⁻¹(M − I) stays exact.
        const samples = values.slice(0, k).map((t) => {
          const { inverse, perB: dM, groups: sums } = addTraces(t, exact);
          return { perB: dM, groups: sums, bTrace: (r - inverse) / sB };
        });
        const mean = (pick: (t: TraceValues) => number): number => samples.reduce((sum, t) => sum + pick(t), 0) / k;
        return {
          perB: mean((t) => t.perB),
          groups: groupWeights.map((_, t) => mean((sample) => sample.groups[t]!)),
          bTrace: mean((t) => t.bTrace!),
          ...(unitProbes ? {} : { samples }),
        };
      },
    };
  }
}

/** How many connected components are deflated at most. */
const MAX_DEFLATION = 4;

interface ProbeTraces {
  /** ŵᵀx. */
  inverse: number;
  perB: number;
  groups: number[];
}

function zeroTraces(weights: number): ProbeTraces {
  return { inverse: 0, perB: 0, groups: new Array<number>(weights).fill(0) };
}

function addTraces(a: ProbeTraces, b: ProbeTraces): ProbeTraces {
  return { inverse: a.inverse + b.inverse, perB: a.perB + b.perB, groups: a.groups.map((v, t) => v + b.groups[t]!) };
}

/** out = a ∘ v. */
function multiply(a: Float64Array, v: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < out.length; j++) out[j] = a[j]! * v[j]!;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** The unit vector ∝ root on `members` (0 elsewhere). */
function normalised(members: Int32Array, root: Float64Array, r: number): Float64Array {
  const u = new Float64Array(r);
  let norm = 0;
  for (let t = 0; t < members.length; t++) norm += root[members[t]!]! ** 2;
  norm = Math.sqrt(norm);
  for (let t = 0; t < members.length; t++) u[members[t]!] = root[members[t]!]! / norm;
  return u;
}

/** w − Σ_c (u_cᵀw) u_c for orthonormal u_c. */
function projectOff(w: Float64Array, us: readonly Float64Array[]): Float64Array {
  const out = Float64Array.from(w);
  for (const u of us) {
    const c = dot(u, w);
    for (let j = 0; j < out.length; j++) out[j] = out[j]! - c * u[j]!;
  }
  return out;
}

/**
 * The B-levels of the `count` largest connected components of the design (levels linked by a
 * shared group), leaving out single levels: a lone level adds nothing off the diagonal.
 */
function largestComponents(design: Design, count: number): Int32Array[] {
  const { groups, start, b, r } = design;
  const parent = range(r);
  for (let g = 0; g < groups; g++) linkObserved(parent, b, start[g]!, start[g + 1]!);
  const members = new Map<number, number[]>();
  for (let j = 0; j < r; j++) {
    const root = findRoot(parent, j);
    const list = members.get(root);
    if (list === undefined) members.set(root, [j]);
    else list.push(j);
  }
  return [...members.values()]
    .filter((list) => list.length >= 2)
    .sort((x, y) => y.length - x.length)
    .slice(0, count)
    .map((list) => Int32Array.from(list));
}

/** q_i = v_iᵀ diag(d) v_i = Σ_j v_ij² d_j (v_ij counts group i's ratings of level j, usually 0 or 1). */
function diagonalGroupTraces(design: Design, d: Float64Array): Float64Array {
  const { groups, start, b } = design;
  const q = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    let s = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      for (let t = start[g]!; t < start[g + 1]!; t++) if (b[t] === b[p]) s += d[b[p]!]!;
    }
    q[g] = s;
  }
  return q;
}

/** For one probe ŵ and x = M⁻¹D^½w: ŵᵀx, (diag(m) ŵ)ᵀx and, per weight vector, Σ_i w_i (v_iᵀŵ)(v_iᵀx). */
function probeTraces(
  design: Design,
  z: Float64Array,
  x: Float64Array,
  groupWeights: readonly Float64Array[],
): ProbeTraces {
  const q = groupProducts(design.groups, design.start, design.b, z, x, new Float64Array(design.groups));
  return { inverse: dot(z, x), perB: tripleDot(design.perB, z, x), groups: groupWeights.map((w) => weightedSum(w, q)) };
}

/** q_i = (v_iᵀz)(v_iᵀx). */
function groupProducts(groups: number, start: Int32Array, b: Int32Array, z: Float64Array, x: Float64Array, q: Float64Array): Float64Array {
  for (let g = 0; g < groups; g++) {
    let zg = 0;
    let xg = 0;
    for (let p = start[g]!; p < start[g + 1]!; p++) {
      zg += z[b[p]!]!;
      xg += x[b[p]!]!;
    }
    q[g] = zg * xg;
  }
  return q;
}

function tripleDot(a: Float64Array, z: Float64Array, x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * z[j]! * x[j]!;
  return s;
}

function weightedSum(w: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let g = 0; g < q.length; g++) s += w[g]! * q[g]!;
  return s;
}

interface Lanczos {
  alpha: number[][];
  beta: number[][];
}

/**
 * weight_i = σ²_B g_i/σ²_e and D = diag(M) = 1 + (σ²_B/σ²_e)(m_j − σ²_A Σ_{ratings at j} c_i) (Σ g_i
 * over a level's ratings is σ²_A times its `levelSums`); returns whether M has off-diagonal
 * entries (some group with a non-zero weight has more than one rating). When a group rates a
 * level more than once (replicates), D is a positive approximation of diag(M) instead, which is
 * all the preconditioner, the probes and the split of log|M| need.
 */
function diagonalOfM(
  design: Design,
  [sA, sB, se]: Theta,
  gG: Float64Array,
  levelSums: Float64Array,
  weight: Float64Array,
  diag: Float64Array,
): boolean {
  const { groups, start, r, perB } = design;
  const coef = sB / se;
  let coupled = false;
  for (let g = 0; g < groups; g++) {
    weight[g] = coef * gG[g]!;
    if (weight[g] !== 0 && start[g + 1]! - start[g]! > 1) coupled = true;
  }
  for (let j = 0; j < r; j++) diag[j] = 1 + coef * (perB[j]! - sA * levelSums[j]!);
  return coupled;
}

function minimum(x: Float64Array): number {
  let m = Infinity;
  for (let j = 0; j < x.length; j++) if (!(x[j]! >= m)) m = x[j]!;
  return m;
}

/**
 * y = M x for 1, 2, 4 or 8 interleaved columns (x[j·width + c]). One kernel per width keeps
 * the column sums in registers (a pass over the design costs about as much for 8 columns as
 * for 2); separate functions keep each one monomorphic.
 */
function makeProduct(design: Design, coef: number, weight: Float64Array): (x: Float64Array, y: Float64Array, width: Width) => void {
  const { groups, start, b, r, perB } = design;
  const diagonal = new Float64Array(r);
  for (let j = 0; j < r; j++) diagonal[j] = 1 + coef * perB[j]!;
  return (x, y, width) => {
    scaleRows(diagonal, x, y, width);
    if (width === 1) product1(groups, start, b, weight, x, y);
    else if (width === 2) product2(groups, start, b, weight, x, y);
    else if (width === 4) product4(groups, start, b, weight, x, y);
    else product8(groups, start, b, weight, x, y);
  };
}

/** y = diag(d) x for interleaved columns. */
function scaleRows(d: Float64Array, x: Float64Array, y: Float64Array, width: number): void {
  for (let j = 0; j < d.length; j++) {
    const s = d[j]!;
    const o = j * width;
    for (let c = 0; c < width; c++) y[o + c] = s * x[o + c]!;
  }
}

/** y −= Σ_i w_i v_i (v_iᵀ x), one column. */
function product1(groups: number, start: Int32Array, b: Int32Array, weight: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const s0 = start[g]!;
    const s1 = start[g + 1]!;
    let a = 0;
    for (let p = s0; p < s1; p++) a += x[b[p]!]!;
    a *= weight[g]!;
    for (let p = s0; p < s1; p++) y[b[p]!] = y[b[p]!]! - a;
  }
}

function product2(groups: number, start: Int32Array, b: Int32Array, weight: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const s0 = start[g]!;
    const s1 = start[g + 1]!;
    let a0 = 0;
    let a1 = 0;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 1;
      a0 += x[o]!;
      a1 += x[o + 1]!;
    }
    const w = weight[g]!;
    a0 *= w;
    a1 *= w;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 1;
      y[o] = y[o]! - a0;
      y[o + 1] = y[o + 1]! - a1;
    }
  }
}

function product4(groups: number, start: Int32Array, b: Int32Array, weight: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const s0 = start[g]!;
    const s1 = start[g + 1]!;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 2;
      a0 += x[o]!;
      a1 += x[o + 1]!;
      a2 += x[o + 2]!;
      a3 += x[o + 3]!;
    }
    const w = weight[g]!;
    a0 *= w;
    a1 *= w;
    a2 *= w;
    a3 *= w;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 2;
      y[o] = y[o]! - a0;
      y[o + 1] = y[o + 1]! - a1;
      y[o + 2] = y[o + 2]! - a2;
      y[o + 3] = y[o + 3]! - a3;
    }
  }
}

function product8(groups: number, start: Int32Array, b: Int32Array, weight: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let g = 0; g < groups; g++) {
    const s0 = start[g]!;
    const s1 = start[g + 1]!;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 3;
      a0 += x[o]!;
      a1 += x[o + 1]!;
      a2 += x[o + 2]!;
      a3 += x[o + 3]!;
      a4 += x[o + 4]!;
      a5 += x[o + 5]!;
      a6 += x[o + 6]!;
      a7 += x[o + 7]!;
    }
    const w = weight[g]!;
    a0 *= w;
    a1 *= w;
    a2 *= w;
    a3 *= w;
    a4 *= w;
    a5 *= w;
    a6 *= w;
    a7 *= w;
    for (let p = s0; p < s1; p++) {
      const o = b[p]! << 3;
      y[o] = y[o]! - a0;
      y[o + 1] = y[o + 1]! - a1;
      y[o + 2] = y[o + 2]! - a2;
      y[o + 3] = y[o + 3]! - a3;
      y[o + 4] = y[o + 4]! - a4;
      y[o + 5] = y[o + 5]! - a5;
      y[o + 6] = y[o + 6]! - a6;
      y[o + 7] = y[o + 7]! - a7;
    }
  }
}

type Width = 1 | 2 | 4 | 8;

function packColumn(v: Float64Array, packed: Float64Array, width: number, c: number): void {
  for (let j = 0; j < v.length; j++) packed[j * width + c] = v[j]!;
}

function unpackColumn(packed: Float64Array, width: number, c: number, out: Float64Array): Float64Array {
  for (let j = 0; j < out.length; j++) out[j] = packed[j * width + c]!;
  return out;
}

/** The smallest kernel width that holds `columns` columns. */
function widthFor(columns: number): Width {
  return columns <= 1 ? 1 : columns <= 2 ? 2 : columns <= 4 ? 4 : 8;
}

/**
 * Jacobi-preconditioned conjugate gradients for `width` interleaved right-hand sides at once
 * (each column has its own coefficients and stops on its own). x holds the start (zero unless
 * `started`) and the result.
 * With `lanczos`, records each column's coefficients α, β.
 */
function pcg(
  apply: (x: Float64Array, y: Float64Array, width: Width) => void,
  inverseDiagonal: Float64Array,
  r: number,
  width: Width,
  rhs: Float64Array,
  x: Float64Array,
  started: boolean,
  tolerance: number,
  lanczos?: Lanczos,
): void {
  const size = r * width;
  const residual = new Float64Array(size);
  const direction = new Float64Array(size);
  const product = new Float64Array(size);
  if (started) {
    apply(x, product, width);
    difference(rhs, product, residual);
  } else {
    residual.set(rhs);
  }
  const target = columnDots(rhs, rhs, width, new Float64Array(width));
  const rr = columnDots(residual, residual, width, new Float64Array(width));
  const active = new Uint8Array(width);
  let remaining = 0;
  for (let c = 0; c < width; c++) {
    target[c] = tolerance * Math.sqrt(target[c]!);
    if (lanczos !== undefined) {
      lanczos.alpha.push([]);
      lanczos.beta.push([]);
    }
    if (Math.sqrt(rr[c]!) > target[c]!) {
      active[c] = 1;
      remaining++;
    }
  }
  const alpha = new Float64Array(width);
  const beta = new Float64Array(width);
  const pq = new Float64Array(width);
  const rzNext = new Float64Array(width);
  // rz = residualᵀ D⁻¹ residual, direction = D⁻¹ residual (active columns).
  const rz = weightedColumnSquares(residual, inverseDiagonal, width, new Float64Array(width));
  nextDirection(direction, residual, inverseDiagonal, beta, active, width);
  const maxIterations = Math.max(50, Math.min(r, 1000));
  for (let iteration = 0; iteration < maxIterations && remaining > 0; iteration++) {
    apply(direction, product, width);
    columnDots(direction, product, width, pq);
    for (let c = 0; c < width; c++) {
      alpha[c] = active[c] === 1 && pq[c]! > 0 ? rz[c]! / pq[c]! : 0;
      if (active[c] === 1 && !(pq[c]! > 0)) {
        active[c] = 0;
        remaining--;
      }
    }
    conjugateGradientStep(x, residual, direction, product, alpha, inverseDiagonal, width, rr, rzNext);
    for (let c = 0; c < width; c++) {
      if (active[c] === 0) continue;
      if (Math.sqrt(rr[c]!) <= target[c]!) {
        active[c] = 0;
        remaining--;
      }
    }
    // β is needed for the Lanczos coefficients even of a column that just stopped.
    for (let c = 0; c < width; c++) {
      beta[c] = alpha[c] !== 0 ? rzNext[c]! / rz[c]! : 0;
      if (lanczos !== undefined && alpha[c] !== 0) {
        lanczos.alpha[c]!.push(alpha[c]!);
        lanczos.beta[c]!.push(beta[c]!);
      }
      if (active[c] === 1) rz[c] = rzNext[c]!;
    }
    nextDirection(direction, residual, inverseDiagonal, beta, active, width);
  }
}

/** out = a − b. */
function difference(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
}

/** out[c] = Σ_j a[j·width + c]·b[j·width + c]. */
function columnDots(a: Float64Array, b: Float64Array, width: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let o = 0; o < a.length; o += width) {
    for (let c = 0; c < width; c++) out[c] = out[c]! + a[o + c]! * b[o + c]!;
  }
  return out;
}

/** out[c] = Σ_j a[j·width + c]² d_j. */
function weightedColumnSquares(a: Float64Array, d: Float64Array, width: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let j = 0; j < d.length; j++) {
    const o = j * width;
    const dj = d[j]!;
    for (let c = 0; c < width; c++) out[c] = out[c]! + a[o + c]! * a[o + c]! * dj;
  }
  return out;
}

/** x += α p, r −= α q per column; rr[c] = ‖r‖², rz[c] = rᵀD⁻¹r of the new residual. */
function conjugateGradientStep(
  x: Float64Array,
  residual: Float64Array,
  direction: Float64Array,
  product: Float64Array,
  alpha: Float64Array,
  inverseDiagonal: Float64Array,
  width: number,
  rr: Float64Array,
  rz: Float64Array,
): void {
  rr.fill(0);
  rz.fill(0);
  for (let j = 0; j < inverseDiagonal.length; j++) {
    const o = j * width;
    const inv = inverseDiagonal[j]!;
    for (let c = 0; c < width; c++) {
      const a = alpha[c]!;
      x[o + c] = x[o + c]! + a * direction[o + c]!;
      const value = residual[o + c]! - a * product[o + c]!;
      residual[o + c] = value;
      rr[c] = rr[c]! + value * value;
      rz[c] = rz[c]! + value * value * inv;
    }
  }
}

/** p = D⁻¹r + β p on active columns (0 elsewhere). */
function nextDirection(
  direction: Float64Array,
  residual: Float64Array,
  inverseDiagonal: Float64Array,
  beta: Float64Array,
  active: Uint8Array,
  width: number,
): void {
  for (let j = 0; j < inverseDiagonal.length; j++) {
    const inv = inverseDiagonal[j]!;
    const o = j * width;
    for (let c = 0; c < width; c++) {
      direction[o + c] = active[c] === 1 ? residual[o + c]! * inv + beta[c]! * direction[o + c]! : 0;
    }
  }
}

/**
 * e₁ᵀ log(T) e₁ for the Lanczos tridiagonal T of a conjugate-gradient run with coefficients
 * α_j, β_j: T_00 = 1/α_0, T_jj = 1/α_j + β_{j−1}/α_{j−1}, T_{j,j+1} = √β_j / α_j.
 */
export function lanczosLogQuadrature(alpha: readonly number[], beta: readonly number[]): number {
  const m = alpha.length;
  if (m === 0) return 0;
  const d = new Float64Array(m);
  const e = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    d[j] = 1 / alpha[j]! + (j > 0 ? beta[j - 1]! / alpha[j - 1]! : 0);
    if (j + 1 < m) e[j] = Math.sqrt(beta[j]!) / alpha[j]!;
  }
  const z = tridiagonalEigen(d, e);
  let s = 0;
  for (let j = 0; j < m; j++) s += z[j]! * z[j]! * Math.log(d[j]!);
  return s;
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix with diagonal d and off-diagonal e
 * (e[j] = T_{j,j+1}; e[m−1] unused) by the implicit QL algorithm; d is overwritten by the
 * eigenvalues and the first components of the normalised eigenvectors are returned.
 */
export function tridiagonalEigen(d: Float64Array, e: Float64Array): Float64Array {
  const m = d.length;
  const z = new Float64Array(m);
  z[0] = 1;
  e[m - 1] = 0;
  for (let l = 0; l < m; l++) {
    for (let iteration = 0; ; iteration++) {
      let mm = l;
      for (; mm < m - 1; mm++) {
        const dd = Math.abs(d[mm]!) + Math.abs(d[mm + 1]!);
        if (Math.abs(e[mm]!) <= Number.EPSILON * dd) break;
      }
      if (mm === l || iteration >= 60) break;
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let rad = Math.hypot(g, 1);
      g = d[mm]! - d[l]! + e[l]! / (g + (g >= 0 ? rad : -rad));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = mm - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const bb = c * e[i]!;
        rad = Math.hypot(f, g);
        e[i + 1] = rad;
        if (rad === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[mm] = 0;
          underflow = true;
          break;
        }
        s = f / rad;
        c = g / rad;
        g = d[i + 1]! - p;
        rad = (d[i]! - g) * s + 2 * c * bb;
        p = s * rad;
        d[i + 1] = g + p;
        g = c * rad - bb;
        const zf = z[i + 1]!;
        z[i + 1] = s * z[i]! + c * zf;
        z[i] = c * z[i]! - s * zf;
      }
      if (underflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[mm] = 0;
    }
  }
  return z;
}
