import { describe, it, expect } from 'vitest';
import {
  betaQuantile,
  fCdf,
  fQuantile,
  lnGamma,
  normalQuantile,
  regularizedIncompleteBeta,
} from '../../../src/shared/calibration';

// Reference values from SciPy 1.17 (scipy.stats / scipy.special).
const relClose = (actual: number, expected: number, tol: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
};

describe('lnGamma', () => {
  it.each([
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247],
    [1, 0],
    [2.5, 0.2846828704729192],
    [10, 12.801827480081469],
    [171.3, 708.1149470389971],
    [1e5, 1051287.7089736569],
  ])('lnGamma(%f)', (x, expected) => relClose(lnGamma(x), expected, 1e-13));
});

describe('regularizedIncompleteBeta', () => {
  it.each([
    [0.3, 2, 5, 0.5798250000000003],
    [0.9, 0.5, 0.5, 0.7951672353008665],
    [0.01, 10, 2, 1.0900000000000003e-19],
    [0.5, 200, 300, 0.9999964565197356],
    [0.999, 0.3, 4, 0.9999999999998765],
  ])('I_%f(%f, %f)', (x, a, b, expected) => {
    expect(Math.abs(regularizedIncompleteBeta(x, a, b) - expected)).toBeLessThanOrEqual(1e-13 * Math.max(expected, 1e-6));
  });

  it('is 0 and 1 at the ends and symmetric', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    relClose(regularizedIncompleteBeta(0.37, 2.5, 7) + regularizedIncompleteBeta(0.63, 7, 2.5), 1, 1e-14);
  });
});

describe('betaQuantile', () => {
  it.each([
    [0.1, 0.5, 0.5, 0.024471741852423214],
    [0.9, 2, 3, 0.6795394162781817],
    [1e-6, 3, 7, 0.0022912212217033106],
    [0.5, 1000, 2000, 0.3332962917247511],
  ])('quantile %f of Beta(%f, %f)', (p, a, b, expected) => relClose(betaQuantile(p, a, b) / expected, 1, 1e-11));

  it('inverts the incomplete beta function', () => {
    for (const [a, b] of [[0.3, 0.7], [1, 1], [4, 9], [50, 3], [0.8, 120]] as const) {
      for (const p of [1e-8, 0.01, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9]) {
        relClose(regularizedIncompleteBeta(betaQuantile(p, a, b), a, b), p, 1e-10);
      }
    }
  });
});

describe('F distribution', () => {
  it.each([
    [0.975, 5, 18, 3.381967805875243],
    [0.975, 18, 5, 6.361883204654352],
    [0.025, 5, 15, 0.15557596307848703],
    [0.975, 4.785143862212758, 5, 7.19073716923816],
    [0.5, 1, 1, 1],
    [0.999, 2, 1000, 6.955692868339705],
    [0.001, 30, 3, 0.14175435178357057],
    [0.95, 1, 1, 161.4476387975882],
  ])('quantile %f with df (%f, %f)', (p, d1, d2, expected) => relClose(fQuantile(p, d1, d2) / expected, 1, 1e-11));

  it('cdf', () => {
    relClose(fCdf(3.1, 4, 12), 0.9427051434383424, 1e-13);
    relClose(fCdf(0.2, 7, 2.5), 0.04014693699152532, 1e-13);
    expect(fCdf(0, 3, 4)).toBe(0);
  });
});

describe('normalQuantile', () => {
  it.each([
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.999999, 4.753424308817087],
  ])('Φ⁻¹(%f)', (p, expected) => relClose(normalQuantile(p), expected, 1e-14));

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(normalQuantile(0)).toBe(-Infinity);
  });
});
