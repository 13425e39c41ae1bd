import { describe, it, expect } from 'vitest';
import { raterEffects, sparseRatings } from '../../../src/shared/calibration';
import { ITERATIVE_ABOVE } from '../../../src/shared/calibration/rater-effects';
import { applyReducedOperator, solveReducedSystemCg } from '../../../src/shared/calibration/rater-effects-cg';
import { denseInverse, gaussian, rng, SHROUT_FLEISS } from './helpers';

type Matrix = (number | null)[][];

/** A connected incomplete design: candidate i is seen by raters i, i+1 and i+3 (mod R). */
function incompleteDesign(candidates: number, raters: number, score: (i: number, j: number) => number): Matrix {
  return Array.from({ length: candidates }, (_, i) => {
    const row: (number | null)[] = new Array<number | null>(raters).fill(null);
    for (const d of [0, 1, 3]) row[(i + d) % raters] = score(i, (i + d) % raters);
    return row;
  });
}

/**
 * Ordinary least squares with a dense design matrix: one column per candidate (absorbing μ)
 * and R − 1 sum-to-zero contrasts for the raters (b_R = −Σ b_j).
 */
function denseFit(data: Matrix) {
  const candidates = data.length;
  const raters = data[0]!.length;
  const p = candidates + raters - 1;
  const rows: number[][] = [];
  const y: number[] = [];
  data.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v === null) return;
      const x = new Array<number>(p).fill(0);
      x[i] = 1;
      if (j < raters - 1) x[candidates + j] = 1;
      else for (let t = 0; t < raters - 1; t++) x[candidates + t] = -1;
      rows.push(x);
      y.push(v);
    }),
  );
  const xtx = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => rows.reduce((s, x) => s + x[a]! * x[b]!, 0)));
  const xty = Array.from({ length: p }, (_, a) => rows.reduce((s, x, t) => s + x[a]! * y[t]!, 0));
  const { inverse } = denseInverse(xtx);
  const beta = inverse.map((row) => row.reduce((s, v, b) => s + v * xty[b]!, 0));
  const rss = rows.reduce((s, x, t) => s + (y[t]! - x.reduce((u, v, a) => u + v * beta[a]!, 0)) ** 2, 0);
  const df = rows.length - p;
  const sigma2 = rss / df;
  const effects: number[] = [];
  const se: number[] = [];
  for (let j = 0; j < raters - 1; j++) {
    effects.push(beta[candidates + j]!);
    se.push(Math.sqrt(sigma2 * inverse[candidates + j]![candidates + j]!));
  }
  let last = 0;
  let lastVar = 0;
  for (let a = 0; a < raters - 1; a++) {
    last -= beta[candidates + a]!;
    for (let b = 0; b < raters - 1; b++) lastVar += inverse[candidates + a]![candidates + b]!;
  }
  effects.push(last);
  se.push(Math.sqrt(sigma2 * lastVar));
  return { effects, se, adjusted: beta.slice(0, candidates), sigma2, df };
}

describe('raterEffects', () => {
  it('recovers μ, candidate and rater effects exactly from noise-free data', () => {
    const random = rng(1);
    const mu = 3.2;
    const candidate = Array.from({ length: 40 }, () => gaussian(random));
    const raw = Array.from({ length: 9 }, () => gaussian(random) * 0.7);
    const centre = raw.reduce((s, v) => s + v, 0) / raw.length;
    const rater = raw.map((v) => v - centre);
    const data = incompleteDesign(40, 9, (i, j) => mu + candidate[i]! + rater[j]!);
    const fit = raterEffects(data);
    expect(fit.connected).toBe(true);
    fit.raterEffects.forEach((b, j) => expect(b).toBeCloseTo(rater[j]!, 10));
    fit.adjustedScores.forEach((s, i) => expect(s).toBeCloseTo(mu + candidate[i]!, 10));
    const meanCandidate = candidate.reduce((s, v) => s + v, 0) / candidate.length;
    expect(fit.mean).toBeCloseTo(mu + meanCandidate, 10);
    expect(fit.residualVariance).toBeCloseTo(0, 20);
    expect(fit.df).toBe(40 * 3 - 40 - 9 + 1);
    fit.standardErrors.forEach((se) => expect(se).toBeCloseTo(0, 8));
  });

  it('rater effects sum to zero and shift when a rater becomes more lenient', () => {
    const random = rng(2);
    const data = incompleteDesign(25, 7, () => Math.round(1 + random() * 4));
    const fit = raterEffects(data);
    expect(fit.raterEffects.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    const lenient = data.map((row) => row.map((v, j) => (v !== null && j === 2 ? v + 1 : v)));
    const shifted = raterEffects(lenient);
    fit.raterEffects.forEach((b, j) => expect(shifted.raterEffects[j]).toBeCloseTo(b + (j === 2 ? 1 : 0) - 1 / 7, 10));
    expect(shifted.residualVariance).toBeCloseTo(fit.residualVariance, 10);
  });

  it('matches a dense least-squares fit (effects, standard errors, adjusted scores, residual variance)', () => {
    const random = rng(3);
    const data: Matrix = Array.from({ length: 14 }, (_, i) =>
      Array.from({ length: 6 }, (_, j) => {
        const observed = (i + j) % 6 === 0 || random() < 0.5;
        return observed ? 3 + 0.4 * j + gaussian(random) : null;
      }),
    );
    const fit = raterEffects(data);
    const dense = denseFit(data);
    expect(fit.connected).toBe(true);
    expect(fit.df).toBe(dense.df);
    expect(fit.residualVariance).toBeCloseTo(dense.sigma2, 10);
    fit.raterEffects.forEach((b, j) => expect(b).toBeCloseTo(dense.effects[j]!, 10));
    fit.standardErrors.forEach((se, j) => expect(se).toBeCloseTo(dense.se[j]!, 10));
    fit.adjustedScores.forEach((s, i) => expect(s).toBeCloseTo(dense.adjusted[i]!, 10));
  });

  it('complete design: effects are column mean − grand mean, SE² = EMS·(k−1)/(n·k)', () => {
    const data = SHROUT_FLEISS;
    const fit = raterEffects(data);
    const grand = data.flat().reduce((s, v) => s + v, 0) / 24;
    [0, 1, 2, 3].forEach((j) => {
      const colMean = data.reduce((s, row) => s + row[j]!, 0) / 6;
      expect(fit.raterEffects[j]).toBeCloseTo(colMean - grand, 12);
      expect(fit.standardErrors[j]).toBeCloseTo(Math.sqrt((1.0194444444444444 * 3) / 24), 12);
    });
    expect(fit.residualVariance).toBeCloseTo(1.0194444444444444, 12);
    expect(fit.df).toBe(15);
    data.forEach((row, i) => expect(fit.adjustedScores[i]).toBeCloseTo(row.reduce((s, v) => s + v, 0) / 4, 12));
  });

  it('disconnected design: connected = false and nothing is adjusted', () => {
    const data: Matrix = [
      [4, 5, null, null],
      [3, 4, null, null],
      [null, null, 2, 1],
      [null, null, 3, 3],
      [null, null, null, null],
    ];
    const fit = raterEffects(data);
    expect(fit.connected).toBe(false);
    expect(fit.raterEffects).toEqual([0, 0, 0, 0]);
    fit.standardErrors.forEach((se) => expect(se).toBeNaN());
    expect(fit.adjustedScores.slice(0, 4)).toEqual([4.5, 3.5, 1.5, 3]);
    expect(fit.adjustedScores[4]).toBeNaN();
    expect(fit.df).toBe(4);
    expect(fit.residualVariance).toBeCloseTo((4 * 0.25 + 2 * 0.25 + 0) / 4, 12);
  });

  it('raters and candidates without ratings are NaN and do not disturb the fit', () => {
    const random = rng(4);
    const data = incompleteDesign(12, 5, () => 1 + Math.floor(random() * 5));
    const padded = [...data.map((row) => [...row, null]), new Array<number | null>(6).fill(null)];
    const base = raterEffects(data);
    const fit = raterEffects(padded);
    expect(fit.connected).toBe(true);
    expect(fit.raterEffects[5]).toBeNaN();
    expect(fit.standardErrors[5]).toBeNaN();
    expect(fit.adjustedScores[12]).toBeNaN();
    base.raterEffects.forEach((b, j) => expect(fit.raterEffects[j]).toBeCloseTo(b, 12));
    base.standardErrors.forEach((s, j) => expect(fit.standardErrors[j]).toBeCloseTo(s, 12));
  });

  it('handles a single rater and an empty matrix', () => {
    const one = raterEffects([[3], [4], [5]]);
    expect(one.raterEffects).toEqual([0]);
    expect(one.adjustedScores).toEqual([3, 4, 5]);
    expect(one.connected).toBe(true);
    expect(one.df).toBe(0);
    expect(one.standardErrors[0]).toBeNaN(); // df = 0: no residual information
    const empty = raterEffects([]);
    expect(empty.adjustedScores).toEqual([]);
    expect(empty.raterEffects).toEqual([]);
  });

  it('rejects malformed input', () => {
    expect(() => raterEffects([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => raterEffects([[1, Number.POSITIVE_INFINITY]])).toThrow(/finite/);
  });

  it('scales to thousands of candidates without a dense design matrix', () => {
    const random = rng(5);
    const candidates = 4000;
    const raters = 300;
    const truth = Array.from({ length: raters }, () => gaussian(random));
    const data: Matrix = Array.from({ length: candidates }, () => {
      const row: (number | null)[] = new Array<number | null>(raters).fill(null);
      const level = gaussian(random);
      for (let t = 0; t < 5; t++) {
        const j = Math.floor(random() * raters);
        row[j] = level + truth[j]! + 0.1 * gaussian(random);
      }
      return row;
    });
    const fit = raterEffects(data);
    expect(fit.connected).toBe(true);
    const centre = truth.reduce((s, v) => s + v, 0) / raters;
    let maxError = 0;
    fit.raterEffects.forEach((b, j) => (maxError = Math.max(maxError, Math.abs(b - (truth[j]! - centre)))));
    expect(maxError).toBeLessThan(0.15);
  });
});

describe('raterEffects without standard errors', () => {
  it('gives the same effects and adjusted scores, and NaN standard errors', () => {
    const data = [
      [4, 3, null, 2],
      [3, null, 2, 1],
      [null, 4, 3, 3],
      [2, 2, 1, null],
      [4, null, 4, 2],
    ];
    const full = raterEffects(data);
    const lean = raterEffects(data, { standardErrors: false });
    expect(lean.raterEffects).toEqual(full.raterEffects);
    expect(lean.adjustedScores).toEqual(full.adjustedScores);
    expect(lean.standardErrors.every(Number.isNaN)).toBe(true);
  });
});

/**
 * A random sparse connected design: candidate i is seen by raters i and i+1 (mod R, so the
 * graph is connected) and by `extra` random others; raters ≥ `unrated` get no ratings and
 * every 50th candidate none either.
 */
function randomSparseDesign(seed: number, candidates: number, raters: number, extra: number, unrated = raters) {
  const random = rng(seed);
  const truth = Array.from({ length: raters }, () => gaussian(random));
  const row: number[] = [];
  const col: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < candidates; i++) {
    if (i % 50 === 49) continue;
    const level = gaussian(random);
    const seen = new Set<number>([i % unrated, (i + 1) % unrated]);
    while (seen.size < 2 + extra) seen.add(Math.floor(random() * unrated));
    for (const j of seen) {
      row.push(i);
      col.push(j);
      value.push(Math.round(5 + level + truth[j]! + gaussian(random)));
    }
  }
  return sparseRatings(candidates, raters, row, col, value);
}

function maxAbsDifference(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((x, k) => {
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) expect(Number.isNaN(x) && Number.isNaN(y)).toBe(true);
    else worst = Math.max(worst, Math.abs(x - y));
  });
  return worst;
}

describe('raterEffects: iterative (conjugate-gradient) path', () => {
  it('matches the dense path on a random sparse connected design of a few hundred raters', () => {
    const data = randomSparseDesign(11, 3000, 420, 4, 400);
    const iterative = raterEffects(data, { standardErrors: false });
    const dense = raterEffects(data, { standardErrors: false, iterativeAbove: Number.POSITIVE_INFINITY });
    const full = raterEffects(data);
    expect(400).toBeGreaterThan(ITERATIVE_ABOVE); // the default threshold sends this design to CG
    expect(iterative.connected).toBe(true);
    expect(maxAbsDifference(iterative.raterEffects, dense.raterEffects)).toBeLessThan(1e-8);
    expect(maxAbsDifference(iterative.adjustedScores, dense.adjustedScores)).toBeLessThan(1e-8);
    expect(maxAbsDifference(iterative.raterEffects, full.raterEffects)).toBeLessThan(1e-8);
    expect(iterative.raterEffects.slice(400).every(Number.isNaN)).toBe(true);
    expect(iterative.adjustedScores[49]).toBeNaN();
    expect(iterative.raterEffects.slice(0, 400).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 9);
    expect(iterative.mean).toBeCloseTo(dense.mean, 10);
    expect(iterative.df).toBe(dense.df);
    expect(iterative.residualVariance).toBeCloseTo(dense.residualVariance, 10);
    expect(iterative.standardErrors.every(Number.isNaN)).toBe(true);
    expect(full.standardErrors.slice(0, 400).every(Number.isFinite)).toBe(true);
  });

  it('matches the dense path on a poorly conditioned chain-like design', () => {
    // Each candidate links only two neighbouring raters: a long cycle, condition number ~R².
    const raters = 350;
    const row: number[] = [];
    const col: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < 2 * raters; i++) {
      for (const d of [0, 1]) {
        row.push(i);
        col.push((i + d) % raters);
        value.push(3 * Math.sin(7.3 * i + d) + 0.01 * ((i + d) % raters));
      }
    }
    const data = sparseRatings(2 * raters, raters, row, col, value);
    const iterative = raterEffects(data, { standardErrors: false });
    const dense = raterEffects(data, { standardErrors: false, iterativeAbove: Number.POSITIVE_INFINITY });
    expect(maxAbsDifference(iterative.raterEffects, dense.raterEffects)).toBeLessThan(1e-8);
    expect(maxAbsDifference(iterative.adjustedScores, dense.adjustedScores)).toBeLessThan(1e-8);
    expect(iterative.residualVariance).toBeCloseTo(dense.residualVariance, 10);
  });

  it('forced on a small design, agrees with the dense path and with noise-free truth', () => {
    const random = rng(12);
    const candidate = Array.from({ length: 30 }, () => gaussian(random));
    const raw = Array.from({ length: 8 }, () => gaussian(random));
    const centre = raw.reduce((s, v) => s + v, 0) / raw.length;
    const data = incompleteDesign(30, 8, (i, j) => 2 + candidate[i]! + raw[j]! - centre);
    const iterative = raterEffects(data, { standardErrors: false, iterativeAbove: 0 });
    iterative.raterEffects.forEach((b, j) => expect(b).toBeCloseTo(raw[j]! - centre, 9));
    iterative.adjustedScores.forEach((s, i) => expect(s).toBeCloseTo(2 + candidate[i]!, 9));
    const noisy = incompleteDesign(30, 8, () => Math.round(1 + 4 * random()));
    const a = raterEffects(noisy, { standardErrors: false, iterativeAbove: 0 });
    const b = raterEffects(noisy);
    expect(maxAbsDifference(a.raterEffects, b.raterEffects)).toBeLessThan(1e-8);
    expect(maxAbsDifference(a.adjustedScores, b.adjustedScores)).toBeLessThan(1e-8);
    expect(a.residualVariance).toBeCloseTo(b.residualVariance, 10);
    expect(a.df).toBe(b.df);
  });

  it('the solver reaches a relative residual of 1e-10 and the operator is C + 11ᵀ/R', () => {
    const data = randomSparseDesign(13, 1500, 320, 3);
    const r = data.cols;
    const perRater = new Float64Array(r);
    for (const j of data.col) perRater[j]!++;
    const system = { raters: r, rowStart: data.rowStart, slot: data.col, perRater };
    // Dense C + 11ᵀ/R for comparison of a product.
    const dense = new Float64Array(r * r).fill(1 / r);
    for (let i = 0; i < data.rows; i++) {
      const begin = data.rowStart[i]!;
      const end = data.rowStart[i + 1]!;
      for (let p = begin; p < end; p++) {
        const a = data.col[p]!;
        dense[a * r + a]! += 1;
        for (let s = begin; s < end; s++) dense[a * r + data.col[s]!]! -= 1 / (end - begin);
      }
    }
    const random = rng(14);
    const x = Float64Array.from({ length: r }, () => gaussian(random));
    const product = new Float64Array(r);
    applyReducedOperator(system, x, product);
    for (let a = 0; a < r; a++) {
      let s = 0;
      for (let b = 0; b < r; b++) s += dense[a * r + b]! * x[b]!;
      expect(product[a]).toBeCloseTo(s, 10);
    }
    const q = Float64Array.from({ length: r }, () => gaussian(random));
    const solved = solveReducedSystemCg(system, q);
    expect(solved.converged).toBe(true);
    expect(solved.relativeResidual).toBeLessThan(1e-10);
    applyReducedOperator(system, solved.solution, product);
    let residual = 0;
    let norm = 0;
    for (let a = 0; a < r; a++) {
      residual += (q[a]! - product[a]!) ** 2;
      norm += q[a]! ** 2;
    }
    expect(Math.sqrt(residual / norm)).toBeLessThan(1e-10);
    expect(solveReducedSystemCg(system, new Float64Array(r)).solution.every((v) => v === 0)).toBe(true);
  });
});
