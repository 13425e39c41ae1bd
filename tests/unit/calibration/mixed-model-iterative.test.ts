import { describe, it, expect } from 'vitest';
import { mixedModel, type MixedModelFit } from '../../../src/shared/calibration';
import { EXACT_MAX_LEVELS, EXACT_MAX_RATINGS } from '../../../src/shared/calibration/mixed-model';
import { lanczosLogQuadrature, tridiagonalEigen } from '../../../src/shared/calibration/mixed-model-iterative';
import type { SparseRatings } from '../../../src/shared/calibration/ratings';
import { interviews, SHROUT_FLEISS, transpose } from './helpers';

type Matrix = (number | null)[][];

function dense(data: SparseRatings): Matrix {
  const out: Matrix = Array.from({ length: data.rows }, () => new Array<number | null>(data.cols).fill(null));
  for (let i = 0; i < data.rows; i++) {
    for (let p = data.rowStart[i]!; p < data.rowStart[i + 1]!; p++) out[i]![data.col[p]!] = data.value[p]!;
  }
  return out;
}

/** The iterative fit is within `tolerance` (relative, floored at 5% of the total variance) of the exact one. */
function expectAgreement(iterative: MixedModelFit, exact: MixedModelFit, tolerance = 1e-3): void {
  expect(iterative.converged).toBe(true);
  const v = exact.variances;
  const total = v.candidate + v.rater + v.residual;
  for (const k of ['candidate', 'rater', 'residual'] as const) {
    expect(Math.abs(iterative.variances[k] - v[k])).toBeLessThanOrEqual(tolerance * Math.max(v[k], 0.05 * total));
  }
  expect(Math.abs(iterative.iccAbsolute - exact.iccAbsolute)).toBeLessThan(tolerance);
  expect(Math.abs(iterative.iccConsistency - exact.iccConsistency)).toBeLessThan(tolerance);
  const raterSd = Math.sqrt(Math.max(v.rater, 0.05 * total));
  iterative.raterBlups.forEach((b, j) => expect(Math.abs(b - exact.raterBlups[j]!)).toBeLessThan(tolerance * raterSd));
  // logLikelihood: stochastic Lanczos quadrature of log|M|.
  expect(Math.abs(iterative.logLikelihood - exact.logLikelihood)).toBeLessThan(2);
}

describe('mixedModel — iterative method agrees with the exact fit', () => {
  const cases: [string, () => SparseRatings | Matrix][] = [
    ['more candidates than raters (skewed rater activity, rounded scores)', () => interviews(1, 1800, 180, 8)],
    ['more raters than candidates (raters absorbed)', () => transpose(dense(interviews(2, 1600, 160, 8)))],
    ['few ratings per rater, continuous scores', () => interviews(3, 700, 200, 4, { rounded: false, activity: 0.5 })],
    ['two ratings per candidate, very uneven raters', () => interviews(4, 1500, 150, 2, { activity: 2 })],
    ['replicated ratings (sparse input, a rater scoring a candidate twice)', () => interviews(5, 1500, 150, 6, { replicate: 0.2 })],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      const data = make();
      expectAgreement(mixedModel(data, { method: 'iterative' }), mixedModel(data, { method: 'exact' }));
    });
  }

  it('puts a component on its bound like the exact fit', () => {
    const data = interviews(1, 1500, 150, 6, { sd: [0.7, 0, 0.55], rounded: false });
    const exact = mixedModel(data, { method: 'exact' });
    const iterative = mixedModel(data, { method: 'iterative' });
    expect(exact.variances.rater).toBe(0);
    expect(iterative.variances.rater).toBe(0);
    expectAgreement(iterative, exact);
  });

  it('is exact on small designs (the probes become the unit vectors)', () => {
    const fit = mixedModel(SHROUT_FLEISS, { method: 'iterative' });
    expect(fit.converged).toBe(true);
    expect(fit.iccAbsolute).toBeCloseTo(0.2897637795, 7);
    expect(fit.iccConsistency).toBeCloseTo(0.7148407148, 7);
    expectAgreement(fit, mixedModel(SHROUT_FLEISS, { method: 'exact' }), 1e-6);
  });

  it('is deterministic and its Monte Carlo error is small whatever the probes', () => {
    const data = interviews(7, 1500, 150, 8);
    const a = mixedModel(data, { method: 'iterative' });
    const b = mixedModel(data, { method: 'iterative' });
    expect(b.variances).toEqual(a.variances);
    expect(b.raterBlups).toEqual(a.raterBlups);
    const exact = mixedModel(data, { method: 'exact' });
    for (const seed of [1, 2, 3]) expectAgreement(mixedModel(data, { method: 'iterative', iterative: { seed } }), exact);
  });

  it('is the default above EXACT_MAX_LEVELS levels or EXACT_MAX_RATINGS ratings', () => {
    const raters = EXACT_MAX_LEVELS + 50;
    const manyRaters = interviews(8, 10 * raters, raters, 6, { activity: 0.5 });
    expect(new Set(manyRaters.col).size).toBeGreaterThan(EXACT_MAX_LEVELS);
    const manyRatings = interviews(9, Math.ceil(EXACT_MAX_RATINGS / 8) + 100, 100, 8);
    expect(manyRatings.value.length).toBeGreaterThan(EXACT_MAX_RATINGS);
    for (const data of [manyRaters, manyRatings]) {
      const auto = mixedModel(data);
      expect(auto.variances).toEqual(mixedModel(data, { method: 'iterative' }).variances);
      expectAgreement(auto, mixedModel(data, { method: 'exact' }));
    }
    const small = interviews(10, 400, 40, 5);
    expect(mixedModel(small).variances).toEqual(mixedModel(small, { method: 'exact' }).variances);
  });
});

describe('mixedModel — organisation scale', () => {
  // Its speed is measured by `npm run bench` (calibration.org_ms), never asserted here.
  it('20,000 candidates × 2,000 raters × 200,000 ratings: recovers the generating variances', () => {
    const data = interviews(11, 20_000, 2_000, 10, { rounded: false });
    const fit = mixedModel(data);
    expect(fit.converged).toBe(true);
    // Generating values 0.49, 0.1225, 0.3025; sampling error a few percent.
    expect(fit.variances.candidate).toBeGreaterThan(0.49 * 0.9);
    expect(fit.variances.candidate).toBeLessThan(0.49 * 1.1);
    expect(fit.variances.rater).toBeGreaterThan(0.1225 * 0.8);
    expect(fit.variances.rater).toBeLessThan(0.1225 * 1.2);
    expect(fit.variances.residual).toBeGreaterThan(0.3025 * 0.97);
    expect(fit.variances.residual).toBeLessThan(0.3025 * 1.03);
    // Another probe set: the Monte Carlo error is far below the 1e-3 tolerance.
    const other = mixedModel(data, { iterative: { seed: 99 } });
    expectAgreement(other, fit, 2e-4);
  }, 30_000);
});

describe('Lanczos quadrature', () => {
  it('tridiagonalEigen: the second-difference matrix', () => {
    const m = 7;
    const d = new Float64Array(m).fill(2);
    const e = new Float64Array(m).fill(-1);
    const z = tridiagonalEigen(d, e);
    const order = Array.from(d.keys()).sort((a, b) => d[a]! - d[b]!);
    order.forEach((index, k) => {
      const angle = ((k + 1) * Math.PI) / (m + 1);
      expect(d[index]).toBeCloseTo(2 - 2 * Math.cos(angle), 12);
      // First component of the normalised eigenvector √(2/(m+1))·sin(kπ/(m+1)), up to sign.
      expect(Math.abs(z[index]!)).toBeCloseTo(Math.sqrt(2 / (m + 1)) * Math.sin(angle), 12);
    });
  });

  it('a complete conjugate-gradient run gives wᵀ log(A) w exactly', () => {
    // A = diag(λ), unpreconditioned CG from x = 0 with right-hand side w.
    const lambda = [0.3, 0.9, 1.4, 2.2, 5];
    const w = [1, -1, 1, 1, -1];
    const n = lambda.length;
    const residual = [...w];
    const direction = [...w];
    const alpha: number[] = [];
    const beta: number[] = [];
    let rr = residual.reduce((s, v) => s + v * v, 0);
    for (let k = 0; k < n; k++) {
      const product = direction.map((p, j) => lambda[j]! * p);
      const a = rr / direction.reduce((s, p, j) => s + p * product[j]!, 0);
      for (let j = 0; j < n; j++) residual[j]! -= a * product[j]!;
      const next = residual.reduce((s, v) => s + v * v, 0);
      alpha.push(a);
      beta.push(next / rr);
      for (let j = 0; j < n; j++) direction[j] = residual[j]! + (next / rr) * direction[j]!;
      rr = next;
    }
    const exact = lambda.reduce((s, l, j) => s + w[j]! ** 2 * Math.log(l), 0);
    expect(n * lanczosLogQuadrature(alpha, beta)).toBeCloseTo(exact, 10);
  });
});
