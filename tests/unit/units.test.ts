import { describe, expect, it } from 'vitest';
import { criterionLabel, unitsOf } from '../../src/main/core/services/calibration/ratings';
import { indexedRatings, type RatingInput } from '../support/ratings';

function interview(id: string, raters: string[], criteria = ['Clarity', 'Depth']): RatingInput[] {
  return raters.flatMap((rater) => criteria.map((criterion) => ({ interview: id, candidate: `c-${id}`, rater, session: 'architecture', criterion, score: 3 })));
}

describe('units of agreement', () => {
  it('group an interview’s scores by criterion and name each panel by who sat on it, in any order', () => {
    const r = indexedRatings([
      ...interview('i1', ['ana', 'bo', 'cy']),
      ...interview('i2', ['cy', 'ana', 'bo']),
      ...interview('i3', ['ana', 'bo']),
      ...interview('i4', ['ana', 'bo', 'cy', 'di']),
      ...interview('i5', ['di', 'cy', 'bo', 'ana']),
      ...interview('i6', ['ana', 'bo', 'cy', 'eve']),
    ]);
    const u = unitsOf(r);
    expect(u.count).toBe(12);
    expect(Array.from(u.panelSize)).toEqual([3, 3, 2, 4, 4, 4]);
    const [p1, p2, p3, p4, p5, p6] = Array.from(u.panel);
    expect(p1).toBe(p2);
    expect(p4).toBe(p5);
    expect(new Set([p1, p3, p4, p6]).size).toBe(4);
    expect(u.panels).toBe(4);
    // Unit 0 is i1 × Clarity: the three panel members' scores, nothing else.
    const unit0 = Array.from(u.obs.subarray(u.start[0]!, u.start[1]!));
    const clarity = criterionLabel('architecture', 'Clarity');
    expect(unit0.map((p) => [r.interview[p], r.criteria[r.criterion[p]!]])).toEqual([[0, clarity], [0, clarity], [0, clarity]]);
  });

  it('refuse ratings whose interviews are not contiguous', () => {
    const rows = [...interview('i1', ['ana']), ...interview('i2', ['bo']), ...interview('i1', ['cy'])];
    expect(() => unitsOf(indexedRatings(rows))).toThrow(/contiguous/);
  });
});
