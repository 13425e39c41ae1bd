import { describe, it, expect } from 'vitest';
import { mixedModel, shroutFleissIcc } from '../../../src/shared/calibration';
import { gaussian, rng, transpose, SHROUT_FLEISS } from './helpers';

type Matrix = (number | null)[][];
type Variances = [candidate: number, rater: number, residual: number];


function observations(data: Matrix): { i: number; j: number; y: number }[] {
  const out: { i: number; j: number; y: number }[] = [];
  data.forEach((row, i) => row.forEach((y, j) => y !== null && out.push({ i, j, y })));
  return out;
}

/**
 * Brute-force REML: builds V = σ²_c Z_c Z_cᵀ + σ²_r Z_r Z_rᵀ + σ²_e I densely, factorises it
 * (plain Cholesky, written out here) and returns
 * −2ℓ_R = log|V| + log(1ᵀV⁻¹1) + yᵀPy + (N−1) log 2π, plus P·y.
 */
function denseReml(data: Matrix, [sc, sr, se]: Variances): { deviance: number; py: number[] } {
  const obs = observations(data);
  const n = obs.length;
  const l = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      const oa = obs[a]!;
      const ob = obs[b]!;
      l[a * n + b] = (oa.i === ob.i ? sc : 0) + (oa.j === ob.j ? sr : 0) + (a === b ? se : 0);
    }
  }
  let logDet = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b <= a; b++) {
      let s = l[a * n + b]!;
      for (let k = 0; k < b; k++) s -= l[a * n + k]! * l[b * n + k]!;
      if (a === b) {
        if (!(s > 0)) return { deviance: Infinity, py: [] };
        l[a * n + a] = Math.sqrt(s);
        logDet += 2 * Math.log(l[a * n + a]!);
      } else {
        l[a * n + b] = s / l[b * n + b]!;
      }
    }
  }
  const solve = (rhs: number[]): number[] => {
    const x = [...rhs];
    for (let a = 0; a < n; a++) {
      for (let k = 0; k < a; k++) x[a]! -= l[a * n + k]! * x[k]!;
      x[a]! /= l[a * n + a]!;
    }
    for (let a = n - 1; a >= 0; a--) {
      for (let k = a + 1; k < n; k++) x[a]! -= l[k * n + a]! * x[k]!;
      x[a]! /= l[a * n + a]!;
    }
    return x;
  };
  const vinv1 = solve(obs.map(() => 1));
  const vinvY = solve(obs.map((o) => o.y));
  const s1 = vinv1.reduce((s, x) => s + x, 0);
  const beta = vinvY.reduce((s, x) => s + x, 0) / s1;
  const py = vinvY.map((x, t) => x - beta * vinv1[t]!);
  const yPy = py.reduce((s, x, t) => s + x * obs[t]!.y, 0);
  return { deviance: logDet + Math.log(s1) + yPy + (n - 1) * Math.log(2 * Math.PI), py };
}

/** Nelder–Mead on standard deviations (variances = squares, so σ² ≥ 0 holds automatically), with restarts. */
function nelderMead(f: (x: number[]) => number, start: number[]): { x: number[]; value: number } {
  let best = { x: start, value: f(start) };
  for (let restart = 0; restart < 4; restart++) {
    const dim = best.x.length;
    let simplex = [best.x, ...best.x.map((_, k) => best.x.map((v, t) => (t === k ? v + 0.2 * Math.max(Math.abs(v), 0.1) : v)))];
    let values = simplex.map(f);
    for (let iter = 0; iter < 4000; iter++) {
      const order = values.map((_, k) => k).sort((a, b) => values[a]! - values[b]!);
      simplex = order.map((k) => simplex[k]!);
      values = order.map((k) => values[k]!);
      if (values[dim]! - values[0]! < 1e-13) break;
      const centroid = simplex[0]!.map((_, t) => simplex.slice(0, dim).reduce((s, x) => s + x[t]!, 0) / dim);
      const along = (c: number): number[] => centroid.map((v, t) => v + c * (simplex[dim]![t]! - v));
      const reflected = along(-1);
      const fr = f(reflected);
      if (fr < values[0]!) {
        const expanded = along(-2);
        const fe = f(expanded);
        [simplex[dim], values[dim]] = fe < fr ? [expanded, fe] : [reflected, fr];
      } else if (fr < values[dim - 1]!) {
        [simplex[dim], values[dim]] = [reflected, fr];
      } else {
        const contracted = along(fr < values[dim]! ? -0.5 : 0.5);
        const fc = f(contracted);
        if (fc < Math.min(fr, values[dim]!)) {
          [simplex[dim], values[dim]] = [contracted, fc];
        } else {
          simplex = simplex.map((x) => x.map((v, t) => simplex[0]![t]! + 0.5 * (v - simplex[0]![t]!)));
          values = simplex.map(f);
        }
      }
    }
    const k = values.indexOf(Math.min(...values));
    if (values[k]! <= best.value) best = { x: simplex[k]!, value: values[k]! };
  }
  return best;
}

function variancesOf(fit: ReturnType<typeof mixedModel>): Variances {
  return [fit.variances.candidate, fit.variances.rater, fit.variances.residual];
}

/** Checks the REML optimality (KKT) conditions with finite differences of the dense likelihood. */
function expectRemlOptimum(data: Matrix, estimate: Variances): void {
  const scale = estimate.reduce((s, v) => s + v, 0);
  const h = 1e-5 * scale;
  for (let k = 0; k < 3; k++) {
    const at = (delta: number): number => denseReml(data, estimate.map((v, t) => (t === k ? v + delta : v)) as Variances).deviance;
    if (estimate[k]! > 10 * h) {
      // Interior: the derivative in log σ² vanishes.
      const derivative = ((at(h) - at(-h)) / (2 * h)) * estimate[k]!;
      expect(Math.abs(derivative)).toBeLessThan(1e-5);
    } else {
      // On the boundary σ² = 0: moving inside must not decrease the deviance.
      expect(estimate[k]).toBe(0);
      expect((at(h) - at(0)) / h).toBeGreaterThan(-1e-6);
    }
  }
}

describe('mixedModel — balanced designs reproduce ANOVA', () => {
  it('Shrout & Fleiss (1979) data: iccAbsolute = ICC(2,1), iccConsistency = ICC(3,1)', () => {
    const fit = mixedModel(SHROUT_FLEISS);
    expect(fit.converged).toBe(true);
    expect(fit.iccAbsolute).toBeCloseTo(0.2897637795, 9);
    expect(fit.iccConsistency).toBeCloseTo(0.7148407148, 9);
    // ANOVA estimates: (BMS − EMS)/k, (JMS − EMS)/n, EMS.
    expect(fit.variances.candidate).toBeCloseTo(2.5555555555555567, 9);
    expect(fit.variances.rater).toBeCloseTo(5.244444444444445, 9);
    expect(fit.variances.residual).toBeCloseTo(1.019444444444442, 9);
    expect(fit.reliabilityOfMean(4)).toBeCloseTo(0.6200505476, 9); // ICC(2,k)
    expect(fit.reliabilityOfMean(1)).toBeCloseTo(fit.iccAbsolute, 12);
    expect(fit.logLikelihood).toBeCloseTo(-denseReml(SHROUT_FLEISS, variancesOf(fit)).deviance / 2, 9);
  });

  it('random complete designs agree with shroutFleissIcc whenever the ANOVA estimates are non-negative', () => {
    const random = rng(21);
    let checked = 0;
    for (let trial = 0; trial < 15; trial++) {
      const n = 5 + trial;
      const k = 2 + (trial % 4);
      const lenience = Array.from({ length: k }, () => gaussian(random));
      const data = Array.from({ length: n }, () => {
        const level = 2 * gaussian(random);
        return lenience.map((l) => 10 + level + l + gaussian(random));
      });
      const icc = shroutFleissIcc(data);
      const fit = mixedModel(data);
      if (fit.variances.rater === 0 || fit.variances.candidate === 0) continue;
      expect(fit.iccAbsolute).toBeCloseTo(icc.icc2.value, 9);
      expect(fit.iccConsistency).toBeCloseTo(icc.icc3.value, 9);
      expect(fit.reliabilityOfMean(k)).toBeCloseTo(icc.icc2k.value, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a negative ANOVA rater estimate becomes 0 at the REML optimum', () => {
    // Raters agree on average (column means equal) but disagree a lot per candidate.
    const data = [
      [5, 3, 4],
      [2, 4, 3],
      [4, 3, 5],
      [3, 5, 2],
      [6, 5, 6],
    ];
    const fit = mixedModel(data);
    expect(fit.variances.rater).toBe(0);
    expectRemlOptimum(data, variancesOf(fit));
  });
});

describe('mixedModel — unbalanced designs against a dense brute-force REML', () => {
  function unbalanced(seed: number, candidates: number, raters: number, keep: number, sd: Variances): Matrix {
    const random = rng(seed);
    const lenience = Array.from({ length: raters }, () => Math.sqrt(sd[1]) * gaussian(random));
    return Array.from({ length: candidates }, (_, i) => {
      const level = Math.sqrt(sd[0]) * gaussian(random);
      return Array.from({ length: raters }, (_, j) =>
        j === i % raters || random() < keep ? 3 + level + lenience[j]! + Math.sqrt(sd[2]) * gaussian(random) : null,
      );
    });
  }

  const cases: [string, Matrix][] = [
    ['more candidates than raters', unbalanced(31, 14, 5, 0.45, [1, 0.5, 0.4])],
    ['more raters than candidates', unbalanced(32, 6, 11, 0.4, [1.5, 0.8, 0.5])],
    [
      'sparse, a rater with a single rating, a candidate with none',
      [...unbalanced(33, 10, 6, 0.35, [1, 1, 0.3]), [null, null, null, null, null, null]].map((row, i) => [...row, i === 3 ? 4.5 : null]),
    ],
  ];

  cases.push(['no true rater variance (optimum on or near the boundary)', unbalanced(34, 9, 4, 0.5, [1, 0, 1])]);

  for (const [name, data] of cases) {
    it(name, () => {
      const fit = mixedModel(data);
      expect(fit.converged).toBe(true);
      const estimate = variancesOf(fit);
      expectRemlOptimum(data, estimate);

      const brute = nelderMead((x) => denseReml(data, x.map((v) => v * v) as Variances).deviance, [1, 1, 1]);
      const bruteVariances = brute.x.map((v) => v * v);
      const ours = denseReml(data, estimate).deviance;
      expect(ours).toBeLessThanOrEqual(brute.value + 1e-9);
      estimate.forEach((v, k) => expect(Math.abs(v - bruteVariances[k]!)).toBeLessThan(1e-4 * (1 + v)));
      expect(fit.logLikelihood).toBeCloseTo(-ours / 2, 8);

      // BLUPs: σ²_r Z_rᵀ P y.
      const { py } = denseReml(data, estimate);
      const obs = observations(data);
      const blups = data[0]!.map((_, j) => estimate[1] * obs.reduce((s, o, t) => s + (o.j === j ? py[t]! : 0), 0));
      fit.raterBlups.forEach((b, j) => expect(b).toBeCloseTo(blups[j]!, 8));
    });
  }

  it('is invariant to permutations; variances scale with the square of a rescaling', () => {
    const data = cases[1]![1];
    const fit = mixedModel(data);
    const permuted = [...data].reverse().map((row) => [...row.slice(3), ...row.slice(0, 3)]);
    const rescaled = data.map((row) => row.map((v) => (v === null ? null : 7 - 2 * v)));
    const p = mixedModel(permuted);
    const r = mixedModel(rescaled);
    expect(p.variances.candidate).toBeCloseTo(fit.variances.candidate, 8);
    expect(p.variances.rater).toBeCloseTo(fit.variances.rater, 8);
    expect(p.variances.residual).toBeCloseTo(fit.variances.residual, 8);
    expect(r.variances.candidate).toBeCloseTo(4 * fit.variances.candidate, 8);
    expect(r.variances.rater).toBeCloseTo(4 * fit.variances.rater, 8);
    expect(r.iccAbsolute).toBeCloseTo(fit.iccAbsolute, 9);
    expect(r.iccConsistency).toBeCloseTo(fit.iccConsistency, 9);
    // Rater j moved to position (j + 8) mod 11 by the column rotation; BLUPs flip sign under negation.
    fit.raterBlups.forEach((b, j) => {
      expect(p.raterBlups[(j + 8) % 11]).toBeCloseTo(b, 8);
      expect(r.raterBlups[j]).toBeCloseTo(-2 * b, 8);
    });
  });

  it('is symmetric in candidates and raters', () => {
    const data = cases[0]![1];
    const fit = mixedModel(data);
    const flipped = mixedModel(transpose(data));
    expect(flipped.variances.candidate).toBeCloseTo(fit.variances.rater, 8);
    expect(flipped.variances.rater).toBeCloseTo(fit.variances.candidate, 8);
    expect(flipped.variances.residual).toBeCloseTo(fit.variances.residual, 8);
  });
});

describe('mixedModel — BLUPs and edge cases', () => {
  it('shrinks raters with few ratings more', () => {
    // Raters 0 and 1 are both 1 point harsher than rater 2; rater 0 rated 12 candidates, rater 1 only 2.
    const random = rng(41);
    const data: Matrix = Array.from({ length: 12 }, (_, i) => {
      const level = 3 + gaussian(random);
      const noise = (): number => 0.2 * gaussian(random);
      return [level - 1 + noise(), i < 2 ? level - 1 + noise() : null, level + noise()];
    });
    const fit = mixedModel(data);
    const [many, few, reference] = fit.raterBlups as [number, number, number];
    expect(many).toBeLessThan(0);
    expect(few).toBeLessThan(0);
    expect(reference).toBeGreaterThan(0);
    expect(Math.abs(few - reference)).toBeLessThan(Math.abs(many - reference));
  });

  it('raters without ratings get a BLUP of 0 and do not change the fit', () => {
    const data: Matrix = SHROUT_FLEISS.map((row) => [...row, null]);
    const fit = mixedModel(data);
    expect(fit.raterBlups[4]).toBe(0);
    expect(fit.iccAbsolute).toBeCloseTo(0.2897637795, 9);
  });

  it('reliabilityOfMean grows with k towards 1 and rejects k ≤ 0', () => {
    const fit = mixedModel(SHROUT_FLEISS);
    expect(fit.reliabilityOfMean(2)).toBeGreaterThan(fit.reliabilityOfMean(1));
    expect(fit.reliabilityOfMean(1e9)).toBeCloseTo(1, 6);
    expect(() => fit.reliabilityOfMean(0)).toThrow(RangeError);
  });

  it('degenerate data: a single rater, constant scores, too few ratings', () => {
    const single = mixedModel([[3], [4], [6], [5]]);
    // One rater, one rating per candidate: neither the rater nor the candidate variance is
    // separable, so both are 0 and the residual is the sample variance.
    expect(single.variances).toEqual({ candidate: 0, rater: 0, residual: expect.closeTo(5 / 3, 10) as number });
    const constant = mixedModel([[2, 2], [2, 2]]);
    expect(constant.variances).toEqual({ candidate: 0, rater: 0, residual: 0 });
    expect(constant.iccAbsolute).toBeNaN();
    expect(mixedModel([[1, null]]).raterBlups).toEqual([0, 0]);
  });

  it('rejects malformed input', () => {
    expect(() => mixedModel([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => mixedModel([[1, Number.NaN]])).toThrow(/finite/);
  });
});

describe('mixedModel — says what it could not tell about interviewers', () => {
  it('estimated: interviewers who differ, rating shared candidates', () => {
    expect(mixedModel(SHROUT_FLEISS).raterVariance).toBe('estimated');
  });

  it('boundary: every interviewer has the same mean over the same candidates (lme4: "boundary (singular) fit")', () => {
    // A Latin square: each interviewer gives 1, 2 and 3 once, on top of each candidate's level.
    const fit = mixedModel([
      [1, 2, 3],
      [5, 3, 4],
      [6, 7, 5],
    ]);
    expect(fit.variances.rater).toBe(0);
    expect(fit.raterVariance).toBe('boundary');
    expect(fit.converged).toBe(true);
  });

  it('not estimable: every interviewer rated once, or a single interviewer (lme4 refuses to fit)', () => {
    const onceEach = [
      [4, null, null],
      [null, 2, null],
      [null, null, 5],
    ];
    expect(mixedModel(onceEach).raterVariance).toBe('not-estimable');
    expect(mixedModel([[4], [2], [5]]).raterVariance).toBe('not-estimable');
    expect(mixedModel([[3, 3], [3, 3]]).raterVariance).toBe('not-estimable');
  });
});
