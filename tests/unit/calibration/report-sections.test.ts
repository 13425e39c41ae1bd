import { describe, expect, it } from 'vitest';
import { agreement } from '../../../src/main/core/services/calibration/agreement';
import { compareGroups, compareSessions } from '../../../src/main/core/services/calibration/comparison';
import { distributions } from '../../../src/main/core/services/calibration/distributions';
import { hotspots } from '../../../src/main/core/services/calibration/hotspots';
import { meanWithInterval } from '../../../src/main/core/services/calibration/intervals';
import { splitCriterion, unitsOf, type IndexedRatings, type Units } from '../../../src/main/core/services/calibration/ratings';
import { krippendorffAlpha, shroutFleissIcc } from '../../../src/shared/calibration';
import { indexedRatings, type RatingInput } from '../../support/ratings';
import { randomInt, rng } from './helpers';

/*
 * The calibration report's sections against straightforward implementations (the ones they
 * replaced: rating matrices, Maps and full sorts), on small organisations built to hit the
 * corner cases: repeated panels and ties between them, incomplete and single-rating units, an
 * interviewer scoring a criterion twice, ties among hotspots, scores off the integer scale.
 */

const SESSIONS: Record<string, string[]> = { screen: ['Clarity', 'Depth', 'Craft'], design: ['Clarity', 'Trade-offs'], values: ['Ownership'] };

function organisation(seed: number, fractional: boolean): RatingInput[] {
  const random = rng(seed);
  const rows: RatingInput[] = [];
  const raters = ['ana', 'bo', 'cy', 'di'];
  for (let c = 0; c < 40; c++) {
    for (let k = 0; k < randomInt(random, 1, 3); k++) {
      const session = Object.keys(SESSIONS)[randomInt(random, 0, 2)]!;
      // Few interviewers, so that the same panel comes back often.
      const panel = raters.filter(() => random() < 0.5).slice(0, 3);
      if (panel.length === 0) panel.push(raters[randomInt(random, 0, raters.length - 1)]!);
      const centre = randomInt(random, 1, 4);
      for (const rater of panel) {
        for (const criterion of SESSIONS[session]!) {
          if (random() < 0.1) continue;
          const scores = random() < 0.04 ? 2 : 1;
          for (let twice = 0; twice < scores; twice++) {
            const score = Math.min(5, Math.max(1, centre + randomInt(random, -1, 1))) + (fractional && random() < 0.2 ? 0.5 : 0);
            rows.push({ interview: `i${c}-${k}`, candidate: `c${c}`, rater, session, criterion, score });
          }
        }
      }
    }
  }
  return rows;
}

function referenceAgreement(r: IndexedRatings, u: Units) {
  const MIN_UNITS = 5;
  const reading = (alpha: number | null, units: number) => (alpha === null || units < MIN_UNITS ? 'too few' : alpha >= 0.8 ? 'good' : alpha >= 0.667 ? 'tentative' : 'low');
  const size = (unit: number) => u.start[unit + 1]! - u.start[unit]!;
  const panels = new Map<number, Set<number>>();
  for (let p = 0; p < r.n; p++) (panels.get(r.interview[p]!) ?? panels.set(r.interview[p]!, new Set()).get(r.interview[p]!)!).add(r.rater[p]!);
  const panelOf = (interview: number) => [...panels.get(interview)!].sort((a, b) => a - b).join(',');
  const icc = (units: number[]) => {
    const byPanel = new Map<string, number[]>();
    for (const unit of units) {
      const interview = r.interview[u.obs[u.start[unit]!]!]!;
      if (size(unit) < 2 || u.panelSize[interview] !== size(unit)) continue;
      const list = byPanel.get(panelOf(interview)) ?? byPanel.set(panelOf(interview), []).get(panelOf(interview))!;
      list.push(unit);
    }
    let best: number[] | undefined;
    for (const group of byPanel.values()) if (group.length >= MIN_UNITS && (!best || group.length > best.length)) best = group;
    if (!best) return null;
    const matrix = best.map((unit) => Array.from(u.obs.subarray(u.start[unit]!, u.start[unit + 1]!)).sort((a, b) => r.rater[a]! - r.rater[b]!).map((p) => r.score[p]!));
    if (matrix.every((row) => row.every((v) => v === matrix[0]![0]))) return null;
    const { icc2 } = shroutFleissIcc(matrix);
    return Number.isFinite(icc2.value) ? { value: icc2.value, ci95: icc2.ci95, units: matrix.length, raters: matrix[0]!.length } : null;
  };
  const row = (scope: string, label: string, sessionKind: string, units: number[]) => {
    const pairable = units.filter((unit) => size(unit) >= 2);
    const width = Math.max(0, ...pairable.map(size));
    const matrix = pairable.map((unit) => Array.from({ length: width }, (_, k) => (k < size(unit) ? r.score[u.obs[u.start[unit]! + k]!]! : null)));
    const alphaInterval = pairable.length ? krippendorffAlpha(matrix, 'interval') : null;
    const ratings = pairable.reduce((s, unit) => s + size(unit), 0);
    const alphaOrdinal = pairable.length ? krippendorffAlpha(matrix, 'ordinal') : null;
    return { scope, label, sessionKind, units: pairable.length, ratings, alphaInterval, alphaOrdinal, icc: icc(pairable), reading: reading(alphaInterval, pairable.length) };
  };
  const bySession = new Map<number, number[]>();
  const byCriterion = new Map<number, number[]>();
  for (let unit = 0; unit < u.count; unit++) {
    const first = u.obs[u.start[unit]!]!;
    (bySession.get(r.session[first]!) ?? bySession.set(r.session[first]!, []).get(r.session[first]!)!).push(unit);
    (byCriterion.get(r.criterion[first]!) ?? byCriterion.set(r.criterion[first]!, []).get(r.criterion[first]!)!).push(unit);
  }
  return [...bySession]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([s, units]) => {
      const kind = r.sessionKinds[s]!;
      const criteria = [...byCriterion].filter(([c]) => splitCriterion(r.criteria[c]!).sessionKind === kind);
      return [row('session', kind, kind, units), ...criteria.map(([c, cUnits]) => row('criterion', splitCriterion(r.criteria[c]!).criterion, kind, cUnits))];
    });
}

function referenceHotspots(r: IndexedRatings, u: Units) {
  const ranked: { unit: number[]; spread: number; sd: number }[] = [];
  for (let k = 0; k < u.count; k++) {
    const unit = Array.from(u.obs.subarray(u.start[k]!, u.start[k + 1]!));
    const scores = unit.map((p) => r.score[p]!);
    const spread = Math.max(...scores) - Math.min(...scores);
    if (unit.length < 2 || spread === 0) continue;
    const m = scores.reduce((a, b) => a + b, 0) / scores.length;
    ranked.push({ unit, spread, sd: Math.sqrt(scores.reduce((a, b) => a + (b - m) ** 2, 0) / scores.length) });
  }
  ranked.sort((x, y) => y.spread - x.spread || y.sd - x.sd || y.unit.length - x.unit.length);
  return ranked.slice(0, 25).map(({ unit, spread }) => ({ interview: r.interview[unit[0]!]!, spread, scores: unit.map((p) => [r.rater[p]!, r.score[p]!] as const) }));
}

/** Per group, mean score per candidate in order of first appearance; then b − a over shared candidates. */
function referenceDifferences(r: IndexedRatings, inA: (p: number) => boolean, inB: (p: number) => boolean, adjust: (p: number) => number) {
  const means = (include: (p: number) => boolean) => {
    const sums = new Map<number, [number, number]>();
    for (let p = 0; p < r.n; p++) {
      if (!include(p)) continue;
      const s = sums.get(r.candidate[p]!) ?? sums.set(r.candidate[p]!, [0, 0]).get(r.candidate[p]!)!;
      s[0] += r.score[p]! - adjust(p);
      s[1]++;
    }
    return new Map([...sums].map(([c, [s, n]]) => [c, s / n]));
  };
  const a = means(inA);
  const b = means(inB);
  const shared = [...a.keys()].filter((c) => b.has(c));
  const avg = (m: Map<number, number>) => shared.reduce((s, c) => s + m.get(c)!, 0) / Math.max(1, shared.length);
  return { shared: shared.length, diffs: shared.map((c) => b.get(c)! - a.get(c)!), meanA: avg(a), meanB: avg(b) };
}

describe('calibration report sections', () => {
  for (let seed = 1; seed <= 25; seed++) {
    const r = indexedRatings(organisation(seed, seed % 5 === 0));
    const u = unitsOf(r);
    const effect = Float64Array.from({ length: r.raterIds.length - 1 }, (_, j) => 0.3 * Math.sin(j + seed));

    it(`agreement, organisation ${seed}`, () => {
      const actual = agreement(r, u);
      const expected = referenceAgreement(r, u);
      expect(actual.map((row) => [row.scope, row.label, row.units, row.ratings, row.icc?.units ?? null, row.reading])).toEqual(
        expected.map((row) => [row.scope, row.label, row.units, row.ratings, row.icc?.units ?? null, row.reading]),
      );
      actual.forEach((row, k) => {
        const want = expected[k]!;
        for (const key of ['alphaInterval', 'alphaOrdinal'] as const) {
          if (want[key] === null) expect(row[key]).toBeNull();
          else expect(row[key]).toBeCloseTo(want[key], 10);
        }
        expect(row.icc?.value ?? null).toBe(want.icc?.value ?? null);
      });
    });

    it(`hotspots, organisation ${seed}`, () => {
      const actual = hotspots(r, u, (id) => id, (id) => id);
      const expected = referenceHotspots(r, u);
      expect(actual.map((h) => [h.interviewId, h.spread, h.scores.map((s) => [s.name, s.score])])).toEqual(
        expected.map((h) => [r.interviewId(h.interview), h.spread, h.scores.map(([j, score]) => [r.raterIds[j]!, score])]),
      );
    });

    it(`session and group comparisons, organisation ${seed}`, () => {
      const actual = compareSessions(r, effect);
      let k = 0;
      for (let a = 0; a < r.sessionKinds.length; a++) {
        for (let b = a + 1; b < r.sessionKinds.length; b++) {
          const raw = referenceDifferences(r, (p) => r.session[p] === a, (p) => r.session[p] === b, () => 0);
          const adjusted = referenceDifferences(r, (p) => r.session[p] === a, (p) => r.session[p] === b, (p) => effect[r.rater[p]!] ?? 0);
          expect(actual[k++]).toEqual({ a: r.sessionKinds[a], b: r.sessionKinds[b], sharedCandidates: raw.shared, raw: meanWithInterval(raw.diffs), adjusted: meanWithInterval(adjusted.diffs) });
        }
      }
      const groupA = new Set([0, 1, 2]);
      const groupB = new Set([2, 3, 4, 5]);
      const groups = compareGroups(r, groupA, groupB, effect);
      const raw = referenceDifferences(r, (p) => groupA.has(r.rater[p]!), (p) => groupB.has(r.rater[p]!), () => 0);
      expect(groups.sharedCandidates).toBe(raw.shared);
      const interval = meanWithInterval(raw.diffs);
      expect(groups.raw).toEqual(interval && { a: raw.meanA, b: raw.meanB, ...interval });
    });

    it(`distributions, organisation ${seed}`, () => {
      const rows = distributions(r, 5, (id) => id);
      const levels = (include: (p: number) => boolean) => {
        const counts = [0, 0, 0, 0, 0];
        for (let p = 0; p < r.n; p++) if (include(p) && Math.round(r.score[p]!) >= 1 && Math.round(r.score[p]!) <= 5) counts[Math.round(r.score[p]!) - 1]!++;
        const n = counts.reduce((a, b) => a + b, 0);
        return { n, shares: counts.map((x) => (n ? x / n : 0)) };
      };
      rows.forEach((row, j) => {
        const own = levels((p) => r.rater[p] === j);
        expect(row).toEqual({ interviewerId: r.raterIds[j], name: r.raterIds[j], ratings: own.n, shares: own.shares, othersShares: levels((p) => r.rater[p] !== j).shares });
      });
    });
  }

  it('a tie between two panels goes to the one seen first, for a session and for a criterion', () => {
    // Panels (ana, bo) and (cy, di) each interview five candidates; (cy, di) comes first, then they alternate.
    const rows: RatingInput[] = [];
    for (let c = 0; c < 10; c++) {
      const panel = c % 2 === 0 ? ['cy', 'di'] : ['ana', 'bo'];
      panel.forEach((rater, k) => {
        for (const criterion of ['Clarity', 'Depth']) rows.push({ interview: `i${c}`, candidate: `c${c}`, rater, session: 'screen', criterion, score: 1 + ((c * (k + 2) + criterion.length) % 4) });
      });
    }
    const r = indexedRatings(rows);
    const u = unitsOf(r);
    const actual = agreement(r, u);
    expect(actual.map((row) => row.icc)).toEqual(referenceAgreement(r, u).map((row) => row.icc));
    expect(actual.every((row) => row.icc !== null)).toBe(true);
  });

  it('the organisations do hit the corner cases', () => {
    let icc = 0;
    let twice = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const rows = organisation(seed, false);
      const r = indexedRatings(rows);
      icc += agreement(r, unitsOf(r)).filter((row) => row.icc !== null).length;
      twice += rows.filter((row, k) => k > 0 && rows[k - 1]!.interview === row.interview && rows[k - 1]!.rater === row.rater && rows[k - 1]!.criterion === row.criterion).length;
    }
    expect(icc).toBeGreaterThan(30);
    expect(twice).toBeGreaterThan(5);
  });
});
