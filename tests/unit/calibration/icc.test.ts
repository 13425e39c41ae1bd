import { describe, it, expect } from 'vitest';
import { shroutFleissIcc } from '../../../src/shared/calibration';
import { gaussian, rng, shuffled, SHROUT_FLEISS } from './helpers';


const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

describe('shroutFleissIcc — Shrout & Fleiss (1979) Table 2', () => {
  const icc = shroutFleissIcc(SHROUT_FLEISS);

  it('point estimates', () => {
    expect(icc.icc1.value).toBeCloseTo(0.1657417684, 9);
    expect(icc.icc2.value).toBeCloseTo(0.2897637795, 9);
    expect(icc.icc3.value).toBeCloseTo(0.7148407148, 9);
    expect(icc.icc1k.value).toBeCloseTo(0.4427971337, 9);
    expect(icc.icc2k.value).toBeCloseTo(0.6200505476, 9);
    expect(icc.icc3k.value).toBeCloseTo(0.9093155424, 9);
  });

  it('95% intervals for ICC(2,1) and ICC(3,1) as published by psych::ICC', () => {
    expect(icc.icc2.ci95.map(round6)).toEqual([0.018787, 0.761084]);
    expect(icc.icc3.ci95.map(round6)).toEqual([0.342465, 0.945858]);
  });

  it('95% intervals for ICC(1,1) and the k-rater ICCs (psych::ICC prints −0.133 0.72, −0.884 0.91, 0.071 0.93, 0.676 0.99)', () => {
    expect(icc.icc1.ci95[0]).toBeCloseTo(-0.133, 3);
    expect(icc.icc1.ci95[1]).toBeCloseTo(0.723, 3);
    expect(icc.icc1k.ci95[0]).toBeCloseTo(-0.884, 3);
    expect(icc.icc1k.ci95[1]).toBeCloseTo(0.912, 3);
    expect(icc.icc2k.ci95[0]).toBeCloseTo(0.071, 3);
    expect(icc.icc2k.ci95[1]).toBeCloseTo(0.927, 3);
    expect(icc.icc3k.ci95[0]).toBeCloseTo(0.676, 3);
    expect(icc.icc3k.ci95[1]).toBeCloseTo(0.986, 3);
    // Full precision, computed independently with SciPy's F quantiles from the same formulas.
    expect(icc.icc1.ci95.map(round6)).toEqual([-0.132932, 0.72256]);
    expect(icc.icc1k.ci95.map(round6)).toEqual([-0.884442, 0.912415]);
    expect(icc.icc2k.ci95.map(round6)).toEqual([0.071137, 0.927232]);
    expect(icc.icc3k.ci95.map(round6)).toEqual([0.675675, 0.985892]);
  });

  it('k-rater bounds for ICC(1,k) and ICC(3,k) equal 1 − 1/F (McGraw & Wong 1996)', () => {
    const n = 6;
    const k = 4;
    // Mean squares of the Shrout–Fleiss data (their Table 3): BMS 11.24, WMS 6.26, EMS 1.02.
    const bms = 11.241666666666667;
    const wms = 6.2638888888888875;
    const ems = 1.0194444444444444;
    const fromSingle = (r: number): number => (k * r) / (1 + (k - 1) * r);
    const f1 = bms / wms;
    const f3 = bms / ems;
    // Recover the F bound from the single-rater bound and compare with 1 − 1/F_bound.
    for (const [single, averaged, f] of [
      [icc.icc1.ci95[0], icc.icc1k.ci95[0], f1],
      [icc.icc3.ci95[1], icc.icc3k.ci95[1], f3],
    ] as const) {
      const fBound = (1 + (k - 1) * single) / (1 - single);
      expect(averaged).toBeCloseTo(1 - 1 / fBound, 12);
      expect(averaged).toBeCloseTo(fromSingle(single), 12);
      expect(f).toBeGreaterThan(0);
    }
    expect(n).toBe(SHROUT_FLEISS.length);
  });
});

describe('shroutFleissIcc — properties', () => {
  const random = rng(17);
  const data = Array.from({ length: 15 }, () => {
    const target = gaussian(random) * 2;
    return [0.5, -0.3, 1.2, 0].map((lenience) => 5 + target + lenience + gaussian(random));
  });

  it('every interval contains its estimate', () => {
    const icc = shroutFleissIcc(data);
    for (const est of Object.values(icc)) {
      expect(est.ci95[0]).toBeLessThanOrEqual(est.value);
      expect(est.ci95[1]).toBeGreaterThanOrEqual(est.value);
    }
  });

  it('is invariant to permuting targets and raters and to affine rescaling', () => {
    const icc = shroutFleissIcc(data);
    const permuted = shuffled(data, random).map((row) => [row[2]!, row[0]!, row[3]!, row[1]!]);
    const rescaled = data.map((row) => row.map((v) => 10 - 2.5 * v));
    for (const other of [shroutFleissIcc(permuted), shroutFleissIcc(rescaled)]) {
      for (const key of Object.keys(icc) as (keyof typeof icc)[]) {
        expect(other[key].value).toBeCloseTo(icc[key].value, 10);
        expect(other[key].ci95[0]).toBeCloseTo(icc[key].ci95[0], 8);
        expect(other[key].ci95[1]).toBeCloseTo(icc[key].ci95[1], 8);
      }
    }
  });

  it('consistency (ICC 3) ignores rater leniency, absolute agreement (ICC 2) does not', () => {
    const icc = shroutFleissIcc(data);
    const shifted = shroutFleissIcc(data.map((row) => row.map((v, j) => v + [3, -2, 0, 5][j]!)));
    expect(shifted.icc3.value).toBeCloseTo(icc.icc3.value, 12);
    expect(shifted.icc3k.value).toBeCloseTo(icc.icc3k.value, 12);
    expect(shifted.icc2.value).toBeLessThan(icc.icc2.value);
  });

  it('perfect agreement gives 1', () => {
    const icc = shroutFleissIcc([[1, 1, 1], [4, 4, 4], [2, 2, 2]]);
    expect(icc.icc1.value).toBe(1);
    expect(icc.icc2.value).toBe(1);
    expect(icc.icc3.value).toBe(1);
    expect(icc.icc1.ci95[1]).toBe(1);
  });

  it('rejects empty, ragged and incomplete input', () => {
    expect(() => shroutFleissIcc([])).toThrow(/empty/);
    expect(() => shroutFleissIcc([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => shroutFleissIcc([[1, 2]])).toThrow(/2 targets/);
    expect(() => shroutFleissIcc([[1], [2]])).toThrow(/2 raters/);
    expect(() => shroutFleissIcc([[1, 2], [3, Number.NaN]])).toThrow(/finite/);
    expect(() => shroutFleissIcc([[1, 2], [3, null as unknown as number]])).toThrow(/finite/);
  });
});
