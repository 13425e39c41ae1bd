import { describe, it, expect } from 'vitest';
import { alphaFromCoincidences, krippendorffAlpha, type AlphaLevel } from '../../../src/shared/calibration';
import { KRIPPENDORFF_C, KRIPPENDORFF_C_ALPHA, randomInt, randomMatrix, rng, VALUE_SCALES } from './helpers';

type Matrix = (number | null)[][];
const N = null;
const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/** The coincidence matrix over `values` from every ordered pair of values within each pairable unit. */
function coincidencesOf(data: Matrix, values: readonly number[]): { matrix: Float64Array; units: number } {
  const d = values.length;
  const at = new Map(values.map((v, i) => [v, i]));
  const matrix = new Float64Array(d * d);
  let units = 0;
  for (const row of data) {
    const unit = row.filter((v): v is number => v !== null);
    if (unit.length < 2) continue;
    units++;
    for (let i = 0; i < unit.length; i++) {
      for (let j = 0; j < unit.length; j++) if (i !== j) matrix[at.get(unit[i]!)! * d + at.get(unit[j]!)!]! += 1 / (unit.length - 1);
    }
  }
  return { matrix, units };
}

function distinctValues(data: Matrix): number[] {
  return [...new Set(data.flat().filter((v): v is number => v !== null))].sort((a, b) => a - b);
}

function alphaOf(data: Matrix, level: AlphaLevel, values = distinctValues(data)): number | null {
  const { matrix, units } = coincidencesOf(data, values);
  return alphaFromCoincidences(values, matrix, units, level);
}

describe('alphaFromCoincidences — published values', () => {
  it.each(KRIPPENDORFF_C_ALPHA)('Krippendorff (2011) section C, %s', (level, expected) => {
    expect(alphaOf(KRIPPENDORFF_C, level)).toBeCloseTo(expected, 9);
    expect(alphaOf(KRIPPENDORFF_C, level)).toBeCloseTo(krippendorffAlpha(KRIPPENDORFF_C, level)!, 12);
  });

  it('Krippendorff (2011) sections A and B, and the Wikipedia example (nominal)', () => {
    const mary = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const dave = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(alphaOf(mary.map((m, i) => [m, dave[i]!]), 'nominal')).toBeCloseTo(1 - (19 * 4) / (14 * 6), 12);

    const ben = [1, 1, 2, 2, 4, 3, 3, 3, 5, 4, 4, 1];
    const gerry = [2, 1, 2, 2, 2, 3, 3, 3, 5, 4, 4, 4];
    expect(alphaOf(ben.map((b, i) => [b, gerry[i]!]), 'nominal')).toBeCloseTo(0.692, 3);

    const a = [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3];
    const b = [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N];
    const c = [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4];
    expect(alphaOf(a.map((x, i) => [x, b[i]!, c[i]!]), 'nominal')).toBeCloseTo(0.691, 3);
  });
});

describe('alphaFromCoincidences — equals krippendorffAlpha', () => {
  for (const level of LEVELS) {
    it(`random sparse matrices, ${level}`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const values = VALUE_SCALES[seed % VALUE_SCALES.length]!;
        const data = randomMatrix(seed, randomInt(rng(seed * 7), 2, 30), randomInt(rng(seed * 13), 2, 7), 0.35, values);
        const expected = krippendorffAlpha(data, level);
        if (expected === null) expect(alphaOf(data, level)).toBeNull();
        else expect(alphaOf(data, level)).toBeCloseTo(expected, 10);
      }
    });
  }

  it('values listed on the axis but never used change nothing', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const data = randomMatrix(seed, 20, 4, 0.3, [2, 3, 5]);
      for (const level of LEVELS) {
        const expected = krippendorffAlpha(data, level);
        expect(alphaOf(data, level, [0, 1, 2, 3, 4, 5, 6, 7])).toBeCloseTo(expected!, 10);
      }
    }
  });

  it('is null when undefined: fewer than two pairable units, or no variation', () => {
    for (const level of LEVELS) {
      expect(alphaOf([], level, [1, 2])).toBeNull();
      expect(alphaOf([[1, 2, 3]], level)).toBeNull();
      expect(alphaOf([[1, 2, 3], [4, null, null]], level)).toBeNull();
      expect(alphaOf([[2, 2], [2, 2], [2, null]], level, [1, 2, 3])).toBeNull();
    }
  });

  it('rejects malformed input', () => {
    expect(() => alphaFromCoincidences([1, 2], new Float64Array(3), 2, 'interval')).toThrow(/entries/);
    expect(() => alphaFromCoincidences([2, 1], new Float64Array(4), 2, 'interval')).toThrow(/increasing/);
    expect(() => alphaFromCoincidences([1, 1], new Float64Array(4), 2, 'interval')).toThrow(/increasing/);
    expect(() => alphaFromCoincidences([1, 2], new Float64Array(4), 2, 'bogus' as AlphaLevel)).toThrow(/level/);
    expect(() => alphaOf([[-1, 2], [3, 4]], 'ratio')).toThrow(/non-negative/);
    // A negative value that no unit uses is no obstacle.
    expect(alphaOf([[1, 2], [3, 4]], 'ratio', [-1, 1, 2, 3, 4])).toBeCloseTo(krippendorffAlpha([[1, 2], [3, 4]], 'ratio')!, 12);
  });
});
