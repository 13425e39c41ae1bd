import { describe, expect, it } from 'vitest';
import type { RatingRow } from '../../src/main/core/repositories/calibration';
import { cellsOf, fitLeniency } from '../../src/main/core/services/calibration/leniency';
import { indexRatings } from '../../src/main/core/services/calibration/ratings';

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

describe('leniency intervals', () => {
  it('cover the true interviewer effects about 95% of the time', () => {
    let state = 7;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const raters = 150;
    const truth = Array.from({ length: raters }, () => 0.3 * gaussian(next));
    const rows: RatingRow[] = [];
    for (let i = 0; i < 3000; i++) {
      const ability = 0.6 * gaussian(next);
      const panel = new Set<number>();
      while (panel.size < 3) panel.add(Math.floor(next() * raters));
      for (const j of panel) rows.push([`interview-${i}`, `candidate-${i}`, `rater-${j}`, 'architecture', 'Clarity', 2.5 + ability + truth[j]! + 0.5 * gaussian(next)]);
    }
    const ratings = indexRatings(rows, (id) => id);
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
