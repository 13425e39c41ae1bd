import { describe, it, expect } from 'vitest';
import { fleissKappa, krippendorffAlpha, weightedKappa } from '../../../src/shared/calibration';
import { randomInt, rng } from './helpers';

/** Expands a confusion table (rows = rater 1, columns = rater 2) into paired ratings. */
function expand(table: number[][], levels: number[]): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let t = 0; t < count; t++) {
        a.push(levels[i]!);
        b.push(levels[j]!);
      }
    }),
  );
  return { a, b };
}

describe('weightedKappa', () => {
  const { a, b } = expand(
    [
      [0, 4, 1],
      [0, 8, 0],
      [0, 1, 5],
    ],
    [1, 2, 3],
  );

  it('unweighted, with the Fleiss–Cohen–Everitt standard error', () => {
    const k = weightedKappa(a, b, [1, 2, 3], 'none');
    expect(k.value).toBeCloseTo(0.4841628959, 9);
    expect(k.standardError).toBeCloseTo(0.138014, 6);
  });

  it('linear weights', () => {
    const k = weightedKappa(a, b, [1, 2, 3], 'linear');
    expect(k.value).toBeCloseTo(0.4701195219, 9);
    expect(k.standardError).toBeCloseTo(0.145746, 6);
  });

  it('quadratic weights', () => {
    const k = weightedKappa(a, b, [1, 2, 3], 'quadratic');
    expect(k.value).toBeCloseTo(0.4501607717, 9);
    // Same formula evaluated with NumPy.
    expect(k.standardError).toBeCloseTo(0.1922326634, 9);
  });

  it('quadratic kappa equals 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²) (Fleiss & Cohen 1973)', () => {
    const random = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = randomInt(random, 5, 60);
      const x = Array.from({ length: n }, () => randomInt(random, 1, 5));
      const y = x.map((v) => Math.min(5, Math.max(1, v + randomInt(random, -2, 1))));
      const mx = x.reduce((s, v) => s + v, 0) / n;
      const my = y.reduce((s, v) => s + v, 0) / n;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        sxy += (x[i]! - mx) * (y[i]! - my);
        sxx += (x[i]! - mx) ** 2;
        syy += (y[i]! - my) ** 2;
      }
      const expected = (2 * sxy) / n / (sxx / n + syy / n + (mx - my) ** 2);
      if (!Number.isFinite(expected)) continue;
      expect(weightedKappa(x, y, [1, 2, 3, 4, 5], 'quadratic').value).toBeCloseTo(expected, 10);
    }
  });

  it('linear and unweighted kappa match the pairwise definitions', () => {
    const random = rng(4);
    for (let trial = 0; trial < 20; trial++) {
      const n = randomInt(random, 5, 40);
      const x = Array.from({ length: n }, () => randomInt(random, 0, 4));
      const y = x.map((v) => Math.min(4, Math.max(0, v + randomInt(random, -1, 2))));
      let within = 0;
      let across = 0;
      let differ = 0;
      let differAcross = 0;
      for (let i = 0; i < n; i++) {
        within += Math.abs(x[i]! - y[i]!);
        differ += x[i] === y[i] ? 0 : 1;
        for (let j = 0; j < n; j++) {
          across += Math.abs(x[i]! - y[j]!);
          differAcross += x[i] === y[j] ? 0 : 1;
        }
      }
      if (across === 0) continue;
      expect(weightedKappa(x, y, [0, 1, 2, 3, 4], 'linear').value).toBeCloseTo(1 - within / n / (across / (n * n)), 10);
      expect(weightedKappa(x, y, [0, 1, 2, 3, 4], 'none').value).toBeCloseTo(1 - differ / n / (differAcross / (n * n)), 10);
    }
  });

  it('weights follow the numeric scale: unused levels and uniform relabelling do not change kappa', () => {
    const x = [1, 3, 5, 5, 3, 1, 3, 5];
    const y = [1, 3, 3, 5, 5, 1, 1, 5];
    const full = weightedKappa(x, y, [1, 2, 3, 4, 5], 'linear');
    const compact = weightedKappa(
      x.map((v) => (v + 1) / 2),
      y.map((v) => (v + 1) / 2),
      [1, 2, 3],
      'linear',
    );
    expect(full.value).toBeCloseTo(compact.value, 12);
    expect(full.standardError).toBeCloseTo(compact.standardError, 12);
    // The order of the scale argument is irrelevant.
    expect(weightedKappa(x, y, [5, 4, 3, 2, 1], 'quadratic').value).toBeCloseTo(weightedKappa(x, y, [1, 2, 3, 4, 5], 'quadratic').value, 12);
  });

  it('perfect agreement gives 1 with zero standard error; symmetric in the raters', () => {
    const k = weightedKappa([1, 2, 3, 2], [1, 2, 3, 2], [1, 2, 3], 'linear');
    expect(k.value).toBe(1);
    expect(k.standardError).toBeCloseTo(0, 12);
    const ab = weightedKappa(a, b, [1, 2, 3], 'quadratic');
    const ba = weightedKappa(b, a, [1, 2, 3], 'quadratic');
    expect(ba.value).toBeCloseTo(ab.value, 12);
    expect(ba.standardError).toBeCloseTo(ab.standardError, 12);
  });

  it('is NaN when chance agreement is perfect', () => {
    expect(weightedKappa([2, 2], [2, 2], [1, 2, 3], 'none').value).toBeNaN();
  });

  it('rejects malformed input', () => {
    expect(() => weightedKappa([1, 2], [1], [1, 2], 'none')).toThrow(/length|ratings/);
    expect(() => weightedKappa([], [], [1, 2], 'none')).toThrow(/no ratings/);
    expect(() => weightedKappa([1], [1], [1], 'none')).toThrow(/two levels/);
    expect(() => weightedKappa([1, 4], [1, 2], [1, 2, 3], 'none')).toThrow(/not a level/);
  });
});

describe('fleissKappa', () => {
  it('Wikipedia "Fleiss\' kappa" worked example (10 subjects, 14 raters, 5 categories)', () => {
    const k = fleissKappa([
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ]);
    expect(Math.abs(k.value - 0.20993)).toBeLessThan(1e-6);
    expect(k.value).toBeCloseTo(4211 / 20059, 14); // the exact value, from rational arithmetic
    // Per-category kappas as printed by Cardillo's fleiss.m (MATLAB File Exchange 15426).
    [0.2013, 0.0797, 0.1716, 0.0304, 0.5077].forEach((v, j) => expect(k.categories[j]).toBeCloseTo(v, 4));
  });

  it('Fleiss (1971) Table 1: 30 patients, 6 psychiatrists → 0.430; categories .245 .245 .520 .471 .566', () => {
    const diagnoses = [
      [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
      [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
      [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
      [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
      [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
      [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ];
    const counts = diagnoses.map((row) => [1, 2, 3, 4, 5].map((c) => row.filter((v) => v === c).length));
    const k = fleissKappa(counts);
    expect(k.value).toBeCloseTo(0.43, 3);
    [0.245, 0.245, 0.52, 0.471, 0.566].forEach((v, j) => expect(k.categories[j]).toBeCloseTo(v, 3));
    // Nominal alpha on complete data is 1 − (1 − κ)(n − 1)/n with n = N·m pairable values.
    const n = 30 * 6;
    expect(krippendorffAlpha(diagnoses, 'nominal')).toBeCloseTo(1 - ((1 - k.value) * (n - 1)) / n, 12);
  });

  it('with two raters equals Scott\'s pi', () => {
    const random = rng(9);
    const pairs = Array.from({ length: 40 }, () => {
      const a = randomInt(random, 0, 3);
      return [a, random() < 0.6 ? a : randomInt(random, 0, 3)] as const;
    });
    const counts = pairs.map(([a, b]) => [0, 1, 2, 3].map((c) => (a === c ? 1 : 0) + (b === c ? 1 : 0)));
    const po = pairs.filter(([a, b]) => a === b).length / pairs.length;
    const share = (c: number): number =>
      (pairs.filter(([a]) => a === c).length + pairs.filter(([, b]) => b === c).length) / (2 * pairs.length);
    const pe = [0, 1, 2, 3].reduce((s, c) => s + share(c) ** 2, 0);
    expect(fleissKappa(counts).value).toBeCloseTo((po - pe) / (1 - pe), 12);
  });

  it('unused categories get NaN; complete agreement gives 1', () => {
    const k = fleissKappa([[3, 0, 0], [0, 3, 0], [3, 0, 0]]);
    expect(k.value).toBe(1);
    expect(k.categories[0]).toBe(1);
    expect(k.categories[2]).toBeNaN();
  });

  it('rejects malformed input', () => {
    expect(() => fleissKappa([])).toThrow(/no subjects/);
    expect(() => fleissKappa([[1, 2], [3]])).toThrow(/categories/);
    expect(() => fleissKappa([[1, 2], [2, 2]])).toThrow(/same number/);
    expect(() => fleissKappa([[1, 0], [0, 1]])).toThrow(/at least two/);
    expect(() => fleissKappa([[-1, 3], [1, 1]])).toThrow(/non-negative/);
  });
});
