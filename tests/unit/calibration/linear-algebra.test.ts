import { describe, it, expect } from 'vitest';
import {
  choleskyInPlace,
  choleskyLogDet,
  choleskySolveInPlace,
  inverseDiagonalFromCholesky,
  inverseFromCholesky,
  solveSymmetricRidged,
} from '../../../src/shared/calibration/linear-algebra';
import { denseInverse, gaussian, rng } from './helpers';

function randomSpd(n: number, seed: number): number[][] {
  const random = rng(seed);
  const b = Array.from({ length: n }, () => Array.from({ length: n }, () => gaussian(random)));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => b[i]!.reduce((s, v, k) => s + v * b[j]![k]!, 0) + (i === j ? 0.5 : 0)),
  );
}

describe('Cholesky-based dense linear algebra', () => {
  // Sizes around multiples of the 4-row blocking.
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 13, 17]) {
    it(`n = ${n}: factor, solve, log-determinant, inverse and its diagonal`, () => {
      const a = randomSpd(n, n);
      const { inverse, logDet } = denseInverse(a);
      const l = Float64Array.from(a.flat());
      expect(choleskyInPlace(l, n)).toBe(true);
      expect(choleskyLogDet(l, n)).toBeCloseTo(logDet, 9);
      const b = Array.from({ length: n }, (_, i) => i - n / 3);
      const x = Float64Array.from(b);
      choleskySolveInPlace(l, n, x);
      a.forEach((row, i) => expect(row.reduce((s, v, j) => s + v * x[j]!, 0)).toBeCloseTo(b[i]!, 9));
      const full = inverseFromCholesky(l, n);
      const diag = inverseDiagonalFromCholesky(l, n);
      for (let i = 0; i < n; i++) {
        expect(diag[i]).toBeCloseTo(inverse[i]![i]!, 10);
        for (let j = 0; j < n; j++) expect(full[i * n + j]).toBeCloseTo(inverse[i]![j]!, 10);
      }
    });
  }

  it('reports a matrix that is not positive definite', () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([0]), 1)).toBe(false);
  });

  it('solveSymmetricRidged solves well-posed systems and stays finite on singular ones', () => {
    const x = solveSymmetricRidged([4, 1, 1, 3], [1, 2]);
    expect(4 * x[0]! + x[1]!).toBeCloseTo(1, 12);
    expect(x[0]! + 3 * x[1]!).toBeCloseTo(2, 12);
    const y = solveSymmetricRidged([1, 1, 1, 1], [1, 1]);
    expect(y.every(Number.isFinite)).toBe(true);
  });
});
