import { describe, it, expect } from 'vitest';
import { krippendorffAlpha, type AlphaLevel } from '../../../src/shared/calibration';
import { KRIPPENDORFF_C, KRIPPENDORFF_C_ALPHA, randomInt, randomMatrix, rng, shuffled, VALUE_SCALES } from './helpers';

type Matrix = (number | null)[][];
const N = null;
const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/**
 * Textbook implementation, independent of the production code: the coincidence matrix
 * from every ordered pair of values within each unit, then
 * α = 1 − (n−1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck with the δ² of Krippendorff (2011).
 */
function bruteForceAlpha(data: Matrix, level: AlphaLevel): number | null {
  const units = data.map((row) => row.filter((v): v is number => v !== null)).filter((u) => u.length >= 2);
  if (units.length < 2) return null;
  const values = [...new Set(units.flat())].sort((a, b) => a - b);
  const at = new Map(values.map((v, i) => [v, i]));
  const d = values.length;
  const o = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const u of units) {
    for (let i = 0; i < u.length; i++) {
      for (let j = 0; j < u.length; j++) {
        if (i !== j) o[at.get(u[i]!)!]![at.get(u[j]!)!]! += 1 / (u.length - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  const delta2 = (c: number, k: number): number => {
    const a = values[c]!;
    const b = values[k]!;
    switch (level) {
      case 'nominal':
        return a === b ? 0 : 1;
      case 'interval':
        return (a - b) ** 2;
      case 'ratio':
        return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
      case 'ordinal': {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        let s = 0;
        for (let g = lo; g <= hi; g++) s += nc[g]!;
        return (s - (nc[lo]! + nc[hi]!) / 2) ** 2;
      }
    }
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < d; c++) {
    for (let k = 0; k < d; k++) {
      observed += o[c]![k]! * delta2(c, k);
      expected += nc[c]! * nc[k]! * delta2(c, k);
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

describe('krippendorffAlpha — published values', () => {
  it.each(KRIPPENDORFF_C_ALPHA)('Krippendorff (2011) section C, %s', (level, expected) => {
    expect(krippendorffAlpha(KRIPPENDORFF_C, level)).toBeCloseTo(expected, 9);
  });

  it('Krippendorff (2011) section A: binary data, two observers → 0.095', () => {
    const mary = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const dave = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    const data = mary.map((m, i) => [m, dave[i]!]);
    const alpha = krippendorffAlpha(data, 'nominal')!;
    expect(alpha).toBeCloseTo(0.095, 3);
    // Hand computation: n0 = 14, n1 = 6, o01 = 4, α = 1 − 19·4/(14·6).
    expect(alpha).toBeCloseTo(1 - (19 * 4) / (14 * 6), 12);
  });

  it('Krippendorff (2011) section B: nominal data, two observers → 0.692', () => {
    const code = { a: 1, b: 2, c: 3, d: 4, e: 5 } as const;
    const ben = 'a a b b d c c c e d d a'.split(' ') as (keyof typeof code)[];
    const gerry = 'b a b b b c c c e d d d'.split(' ') as (keyof typeof code)[];
    const data = ben.map((x, i) => [code[x], code[gerry[i]!]]);
    expect(krippendorffAlpha(data, 'nominal')).toBeCloseTo(0.692, 3);
  });

  it('Wikipedia "Krippendorff\'s alpha" computational example (15 units, 3 coders) → nominal 0.691', () => {
    const a = [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3];
    const b = [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N];
    const c = [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4];
    const data = a.map((x, i) => [x, b[i]!, c[i]!]);
    expect(krippendorffAlpha(data, 'nominal')).toBeCloseTo(0.691, 3);
  });
});

describe('krippendorffAlpha — agrees with the textbook pairwise computation', () => {
  for (const level of LEVELS) {
    it(`random sparse matrices, ${level}`, () => {
      for (let seed = 1; seed <= 30; seed++) {
        const values = VALUE_SCALES[seed % VALUE_SCALES.length]!;
        const data = randomMatrix(seed, randomInt(rng(seed * 7), 2, 25), randomInt(rng(seed * 13), 2, 7), 0.35, values);
        const expected = bruteForceAlpha(data, level);
        const actual = krippendorffAlpha(data, level);
        if (expected === null) expect(actual).toBeNull();
        else expect(actual).toBeCloseTo(expected, 10);
      }
    });
  }

  it('many distinct non-integer values (sorted lookup path)', () => {
    const random = rng(99);
    const data: Matrix = Array.from({ length: 40 }, () => {
      const centre = random() * 10;
      return Array.from({ length: 5 }, () => (random() < 0.3 ? null : centre + random()));
    });
    for (const level of LEVELS) expect(krippendorffAlpha(data, level)).toBeCloseTo(bruteForceAlpha(data, level)!, 10);
  });

  it('large integer range (sorted lookup path)', () => {
    const data: Matrix = [
      [0, 1_000_000, 999_999],
      [5, 6, null],
      [123_456, 123_457, 123_450],
    ];
    for (const level of LEVELS) expect(krippendorffAlpha(data, level)).toBeCloseTo(bruteForceAlpha(data, level)!, 10);
  });
});

describe('krippendorffAlpha — properties', () => {
  it('is 1 for perfect agreement with variation across units', () => {
    const data: Matrix = [
      [1, 1, null],
      [3, 3, 3],
      [2, null, 2],
      [5, 5, 5],
    ];
    for (const level of LEVELS) expect(krippendorffAlpha(data, level)).toBeCloseTo(1, 12);
  });

  it('is invariant to permuting units and raters', () => {
    const random = rng(5);
    const data = randomMatrix(5, 20, 6, 0.3, [1, 2, 3, 4, 5]);
    for (let trial = 0; trial < 5; trial++) {
      const rowOrder = shuffled(data.map((_, i) => i), random);
      const colOrder = shuffled([0, 1, 2, 3, 4, 5], random);
      const permuted = rowOrder.map((i) => colOrder.map((j) => data[i]![j]!));
      for (const level of LEVELS) {
        expect(krippendorffAlpha(permuted, level)).toBeCloseTo(krippendorffAlpha(data, level)!, 12);
      }
    }
  });

  it('is null when undefined: no pairable values, a single pairable unit, or no variation', () => {
    for (const level of LEVELS) {
      expect(krippendorffAlpha([], level)).toBeNull();
      expect(krippendorffAlpha([[1, null], [null, 2], [3, null]], level)).toBeNull();
      expect(krippendorffAlpha([[1, 2, 3]], level)).toBeNull();
      expect(krippendorffAlpha([[1, 2, 3], [4, null, null]], level)).toBeNull();
      expect(krippendorffAlpha([[2, 2], [2, 2], [2, null]], level)).toBeNull();
      expect(krippendorffAlpha([[0.1, 0.1, 0.1], [0.1, 0.1, 0.1]], level)).toBeNull();
    }
  });

  it('ignores units with a single rating', () => {
    const base = randomMatrix(8, 15, 4, 0.2, [1, 2, 3, 4, 5]);
    const padded = [...base, [null, 5, null, null], [1, null, null, null]];
    for (const level of LEVELS) expect(krippendorffAlpha(padded, level)).toBeCloseTo(krippendorffAlpha(base, level)!, 12);
  });

  it('interval alpha is invariant to affine rescaling; ordinal to monotone maps; nominal to relabelling; ratio to scaling', () => {
    const data = randomMatrix(11, 25, 5, 0.3, [1, 2, 3, 4, 5]);
    const map = (f: (v: number) => number): Matrix => data.map((row) => row.map((v) => (v === null ? null : f(v))));
    const interval = krippendorffAlpha(data, 'interval')!;
    expect(krippendorffAlpha(map((v) => -3 * v + 17.5), 'interval')).toBeCloseTo(interval, 12);
    const ordinal = krippendorffAlpha(data, 'ordinal')!;
    expect(krippendorffAlpha(map((v) => Math.exp(v) / 3), 'ordinal')).toBeCloseTo(ordinal, 12);
    const nominal = krippendorffAlpha(data, 'nominal')!;
    const relabel = new Map([[1, 40], [2, -7], [3, 0.5], [4, 12], [5, 3]]);
    expect(krippendorffAlpha(map((v) => relabel.get(v)!), 'nominal')).toBeCloseTo(nominal, 12);
    const ratio = krippendorffAlpha(data, 'ratio')!;
    expect(krippendorffAlpha(map((v) => 2.5 * v), 'ratio')).toBeCloseTo(ratio, 12);
  });

  it('rejects malformed input', () => {
    expect(() => krippendorffAlpha([[1, 2], [3]], 'nominal')).toThrow(/ragged/);
    expect(() => krippendorffAlpha([[1, Number.NaN]], 'interval')).toThrow(/finite/);
    expect(() => krippendorffAlpha([[1, -2], [3, 4]], 'ratio')).toThrow(/non-negative/);
    expect(() => krippendorffAlpha([[1, 2]], 'bogus' as AlphaLevel)).toThrow(/level/);
  });

  it('interval alpha handles a million ratings in a wide sparse matrix', () => {
    const random = rng(2024);
    const units = 250_000;
    const width = 12;
    const data: Matrix = new Array(units);
    for (let i = 0; i < units; i++) {
      const row: (number | null)[] = new Array<number | null>(width).fill(null);
      const centre = 1 + Math.floor(random() * 5);
      for (let r = 0; r < 4; r++) row[(i + r * 3) % width] = Math.min(5, Math.max(1, centre + Math.round(random() * 2 - 1)));
      data[i] = row;
    }
    // Its speed is measured by `npm run bench` (calibration.alpha_1m_ms), never asserted here.
    const alpha = krippendorffAlpha(data, 'interval');
    expect(alpha).toBeGreaterThan(0.5);
  });
});
