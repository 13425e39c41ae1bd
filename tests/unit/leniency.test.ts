import { describe, expect, it } from 'vitest';
import { cellsOf, fitLeniency, type Cells } from '../../src/main/core/services/calibration/leniency';
import type { IndexedRatings } from '../../src/main/core/services/calibration/ratings';
import { indexedRatings, type RatingInput } from '../support/ratings';

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

describe('leniency intervals', () => {
  it('cover the true interviewer effects about 95% of the time', () => {
    let state = 7;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const raters = 150;
    const truth = Array.from({ length: raters }, () => 0.3 * gaussian(next));
    const rows: RatingInput[] = [];
    for (let i = 0; i < 3000; i++) {
      const ability = 0.6 * gaussian(next);
      const panel = new Set<number>();
      while (panel.size < 3) panel.add(Math.floor(next() * raters));
      for (const j of panel) {
        rows.push({ interview: `interview-${i}`, candidate: `candidate-${i}`, rater: `rater-${j}`, session: 'architecture', criterion: 'Clarity', score: 2.5 + ability + truth[j]! + 0.5 * gaussian(next) });
      }
    }
    const ratings = indexedRatings(rows);
    const fit = fitLeniency(ratings, cellsOf(ratings));
    // Effects sum to zero in the model: compare with the centred truth.
    const centre = truth.reduce((a, b) => a + b, 0) / raters;
    let covered = 0;
    fit.rows.forEach((row) => {
      const j = Number(row.interviewerId.slice('rater-'.length));
      const t = truth[j]! - centre;
      if (row.ci95[0] <= t && t <= row.ci95[1]) covered++;
    });
    const coverage = covered / raters;
    expect(coverage).toBeGreaterThan(0.88);
    expect(coverage).toBeLessThan(0.995);
  });
});

/** The same ratings (same indices) with the rows in another order. */
function reordered(r: IndexedRatings, order: number[]): IndexedRatings {
  const int = (x: Int32Array) => Int32Array.from(order, (p) => x[p]!);
  return { ...r, interview: int(r.interview), candidate: int(r.candidate), rater: int(r.rater), session: int(r.session), criterion: int(r.criterion), score: Float64Array.from(order, (p) => r.score[p]!) };
}

function cellList(cells: Cells): string[] {
  return Array.from(cells.value, (v, c) => `${cells.candidate[c]}/${cells.rater[c]}: ${v} × ${cells.count[c]}`);
}

describe('cellsOf', () => {
  const rows: RatingInput[] = [];
  const add = (candidate: number, rater: number, scores: number[]) =>
    scores.forEach((score, k) => rows.push({ interview: `i${candidate}`, candidate: `c${candidate}`, rater: `r${rater}`, session: 'coding', criterion: `k${k}`, score }));
  add(0, 0, [1, 2, 3]);
  add(0, 1, [4, 4]);
  add(1, 1, [2]);
  add(1, 2, [3, 1]);
  add(2, 0, [4, 3]);
  const ratings = indexedRatings(rows);

  it('averages each interviewer’s scores per candidate, sorted by candidate', () => {
    expect(cellList(cellsOf(ratings))).toEqual(['0/0: 2 × 3', '0/1: 4 × 2', '1/1: 2 × 1', '1/2: 2 × 2', '2/0: 3.5 × 2']);
  });

  it('gives the same cells whatever the order of the rows', () => {
    const expected = cellList(cellsOf(ratings)).sort();
    const n = ratings.n;
    for (const order of [Array.from({ length: n }, (_, p) => n - 1 - p), [3, 9, 0, 5, 1, 7, 2, 8, 4, 6]]) {
      const cells = cellsOf(reordered(ratings, order));
      expect(cellList(cells).sort()).toEqual(expected);
      expect([...cells.candidate]).toEqual([...cells.candidate].sort((a, b) => a - b));
    }
  });

  it('leaves the leniency fit unchanged when the rows come in another order', () => {
    let state = 3;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const many: RatingInput[] = [];
    for (let i = 0; i < 400; i++) {
      for (let t = 0; t < 3; t++) {
        const j = (i * 7 + t * 5) % 40;
        many.push({ interview: `i${i}`, candidate: `c${i}`, rater: `r${j}`, session: 'coding', criterion: 'k', score: 1 + Math.floor(4 * next()) });
      }
    }
    const sorted = indexedRatings(many);
    const shuffled = reordered(sorted, Array.from({ length: sorted.n }, (_, p) => (p * 7919) % sorted.n));
    const a = fitLeniency(sorted, cellsOf(sorted)).rows;
    const b = fitLeniency(shuffled, cellsOf(shuffled)).rows;
    a.forEach((row, j) => {
      expect(b[j]!.ratings).toBe(row.ratings);
      expect(b[j]!.candidates).toBe(row.candidates);
      expect(b[j]!.effect).toBeCloseTo(row.effect, 9);
      expect(b[j]!.fixedEffect!).toBeCloseTo(row.fixedEffect!, 9);
      expect(b[j]!.naiveDeviation).toBeCloseTo(row.naiveDeviation, 9);
    });
  });
});
