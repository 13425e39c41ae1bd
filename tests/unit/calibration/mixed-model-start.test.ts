import { describe, it, expect } from 'vitest';
import { mixedModel, raterEffects } from '../../../src/shared/calibration';
import { buildDesign } from '../../../src/shared/calibration/mixed-model-reml';
import { levelVariance, startValues } from '../../../src/shared/calibration/mixed-model-start';
import { gaussian, interviews, rng } from './helpers';

describe('levelVariance', () => {
  it('with equal error variances is the unbiased spread minus the error variance', () => {
    const random = rng(1);
    const x = Float64Array.from({ length: 400 }, () => 3 + 0.8 * gaussian(random));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const spread = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1);
    expect(levelVariance(x, new Float64Array(x.length).fill(0.25))).toBeCloseTo(spread - 0.25, 8);
    // Less spread than the errors alone explain: 0.
    expect(levelVariance(x, new Float64Array(x.length).fill(spread + 0.1))).toBe(0);
  });

  it('recovers the variance of effects measured with unequal errors, ignoring infinite ones', () => {
    const random = rng(2);
    const k = 4000;
    const s2 = Float64Array.from({ length: k }, (_, i) => (i % 5 === 0 ? Infinity : 0.05 + 0.5 * random()));
    const x = Float64Array.from(s2, (s) => 1 + 0.6 * gaussian(random) + (s === Infinity ? 100 : Math.sqrt(s) * gaussian(random)));
    expect(levelVariance(x, s2)).toBeGreaterThan(0.36 * 0.9);
    expect(levelVariance(x, s2)).toBeLessThan(0.36 * 1.1);
  });
});

describe('startValues', () => {
  it('on an interview design come within 0.5% of the REML estimates', () => {
    const data = interviews(3, 3000, 250, 8, { rounded: false });
    const exact = mixedModel(data, { method: 'exact' }).variances;
    const design = buildDesign(data);
    const total = exact.candidate + exact.rater + exact.residual;
    const [candidate, rater, residual] = startValues({ design, freeA: true, freeB: true, totalVariance: total });
    expect(Math.abs(candidate / exact.candidate - 1)).toBeLessThan(0.005);
    expect(Math.abs(rater / exact.rater - 1)).toBeLessThan(0.005);
    expect(Math.abs(residual / exact.residual - 1)).toBeLessThan(0.005);
  });
});

describe('mixedModel with the least-squares fit given (fixedEffects)', () => {
  it('starts from it and reaches the same estimates', () => {
    const data = interviews(4, 4000, 400, 6);
    const alone = mixedModel(data);
    const given = mixedModel(data, { fixedEffects: raterEffects(data, { standardErrors: false }) });
    for (const k of ['candidate', 'rater', 'residual'] as const) {
      expect(Math.abs(given.variances[k] / alone.variances[k] - 1)).toBeLessThan(1e-5);
    }
    given.raterBlups.forEach((b, j) => expect(Math.abs(b - alone.raterBlups[j]!)).toBeLessThan(1e-5));
  });

  it('only costs iterations when it is the fit of other ratings', () => {
    const data = interviews(5, 1500, 150, 6);
    const other = interviews(6, 1500, 150, 6, { sd: [0.2, 1, 1] });
    const exact = mixedModel(data, { method: 'exact' });
    const misled = mixedModel(data, { method: 'iterative', fixedEffects: raterEffects(other) });
    expect(misled.converged).toBe(true);
    const total = exact.variances.candidate + exact.variances.rater + exact.variances.residual;
    for (const k of ['candidate', 'rater', 'residual'] as const) {
      expect(Math.abs(misled.variances[k] - exact.variances[k])).toBeLessThan(1e-3 * Math.max(exact.variances[k], 0.05 * total));
    }
  });
});
