import type { SparseRatings } from '../../../src/shared/calibration/ratings';

/** Deterministic pseudo-random numbers for property tests (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

export function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function transpose<T>(m: readonly (readonly T[])[]): T[][] {
  const cols = m[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => m.map((row) => row[j]!));
}

/** Log-determinant and inverse of a small dense symmetric positive-definite matrix by Gauss–Jordan elimination. */
export function denseInverse(a: readonly (readonly number[])[]): { inverse: number[][]; logDet: number } {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const pv = m[c]![c]!;
    logDet += Math.log(Math.abs(pv));
    for (let j = 0; j < 2 * n; j++) m[c]![j]! /= pv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const factor = m[r]![c]!;
      if (factor === 0) continue;
      for (let j = 0; j < 2 * n; j++) m[r]![j]! -= factor * m[c]![j]!;
    }
  }
  return { inverse: m.map((row) => row.slice(n)), logDet };
}

/** Krippendorff (2011), section C: alpha of KRIPPENDORFF_C at each level. */
export const KRIPPENDORFF_C_ALPHA = [
  ['nominal', 0.7434210526],
  ['ordinal', 0.8153875038],
  ['interval', 0.8491071429],
  ['ratio', 0.7974027747],
] as const;

/** Krippendorff (2011), section C: 12 units × 4 observers, rows = units. */
export const KRIPPENDORFF_C: (number | null)[][] = [
  [1, 1, null, 1],
  [2, 2, 3, 2],
  [3, 3, 3, 3],
  [3, 3, 3, 3],
  [2, 2, 2, 2],
  [1, 2, 3, 4],
  [4, 4, 4, 4],
  [1, 1, 2, 1],
  [2, 2, 2, 2],
  [null, 5, 5, 5],
  [null, null, 1, 1],
  [null, 3, null, null],
];

/** Value scales for random alpha cases: integers, binary, uneven and widely spread values. */
export const VALUE_SCALES: readonly (readonly number[])[] = [
  [1, 2, 3, 4, 5],
  [0, 1],
  [0.5, 1.25, 2, 7.5, 10],
  [0, 3, 4, 100, 250, 251, 1000],
];

/** Units × raters with values from `values` (missing with probability `missing`); units differ in their typical value, so that alpha is clearly positive. */
export function randomMatrix(seed: number, units: number, raters: number, missing: number, values: readonly number[]): (number | null)[][] {
  const random = rng(seed);
  return Array.from({ length: units }, () => {
    const centre = randomInt(random, 0, values.length - 1);
    return Array.from({ length: raters }, () => {
      if (random() < missing) return null;
      return values[Math.min(values.length - 1, Math.max(0, centre + randomInt(random, -1, 1)))]!;
    });
  });
}

/** Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges. */
export const SHROUT_FLEISS = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

export interface DesignOptions {
  /** Standard deviations of candidate, rater and residual effects. */
  sd?: [number, number, number];
  /** Round to the 1–4 scale. */
  rounded?: boolean;
  /** Spread of log rater activity (some raters rate far more than others). */
  activity?: number;
  /** Probability that a rating is given a second time by the same rater (replicates). */
  replicate?: number;
}

/**
 * The product's interview design: each candidate rated by `perCandidate` raters drawn with
 * lognormal activity weights; score = 2.5 + candidate + rater + noise.
 */
export function interviews(seed: number, candidates: number, raters: number, perCandidate: number, options: DesignOptions = {}): SparseRatings {
  const { sd = [0.7, 0.35, 0.55], rounded = true, activity = 1, replicate = 0 } = options;
  const random = rng(seed);
  const cumulative = new Float64Array(raters);
  let total = 0;
  for (let j = 0; j < raters; j++) cumulative[j] = total += Math.exp(activity * gaussian(random));
  const lenience = Array.from({ length: raters }, () => sd[1] * gaussian(random));
  const rowStart = new Int32Array(candidates + 1);
  const col: number[] = [];
  const value: number[] = [];
  const score = (level: number, j: number): number => {
    const y = 2.5 + level + lenience[j]! + sd[2] * gaussian(random);
    return rounded ? Math.min(4, Math.max(1, Math.round(y))) : y;
  };
  for (let i = 0; i < candidates; i++) {
    rowStart[i] = col.length;
    const level = sd[0] * gaussian(random);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(perCandidate, raters)) {
      const u = random() * total;
      let lo = 0;
      let hi = raters - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      chosen.add(lo);
    }
    for (const j of chosen) {
      col.push(j);
      value.push(score(level, j));
      if (random() < replicate) {
        col.push(j);
        value.push(score(level, j));
      }
    }
  }
  rowStart[candidates] = col.length;
  return { rows: candidates, cols: raters, rowStart, col: Int32Array.from(col), value: Float64Array.from(value) };
}
