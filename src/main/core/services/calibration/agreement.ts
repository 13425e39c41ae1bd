import { alphaFromCoincidences, indexValues, shroutFleissIcc } from '../../../../shared/calibration';
import type { AgreementRow } from '../../../../shared/calibration-report';
import { splitCriterion, type IndexedRatings, type Units } from './ratings';

// The loops below run once per report over every score or unit: each sits in a small function of its
// own and reads typed arrays held in locals, so that V8 optimises it early, in the middle of the loop.

const MIN_UNITS = 5;

/** After Krippendorff: ≥ 0.8 good, 0.667–0.8 tentative, below that low. */
export function reading(alpha: number | null, units: number): AgreementRow['reading'] {
  if (alpha === null || units < MIN_UNITS) return 'too few';
  if (alpha >= 0.8) return 'good';
  if (alpha >= 0.667) return 'tentative';
  return 'low';
}

/** The coincidence matrices' axis: its values, and where score p sits on it, coordinate[p] − offset. */
interface ScoreAxis {
  values: ArrayLike<number>;
  coordinate: Float64Array;
  offset: number;
}

function scoreAxis(scores: Float64Array): ScoreAxis {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let p = 0; p < scores.length; p++) {
    const v = scores[p]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isInteger(v)) integral = false;
  }
  // The usual interview scale: every integer from min to max (unused ones add zero rows).
  if (scores.length > 0 && integral && max - min <= 64) return { values: Array.from({ length: max - min + 1 }, (_, k) => min + k), coordinate: scores, offset: min };
  const { distinct, index } = indexValues(scores);
  return { values: distinct, coordinate: Float64Array.from(index), offset: 0 };
}

/** Per criterion, what its alpha needs, from one pass over the units. */
interface CriterionTallies {
  /** Criteria that have any unit, in order of their first unit. */
  seen: number[];
  /** Each criterion's session (a criterion label includes its session kind, so there is one). */
  sessionOf: Int32Array;
  /** Criterion c's coincidence matrix over the axis: D × D entries from c·D². */
  coincidences: Float64Array;
  /** Per criterion, its pairable units (two ratings or more) and their ratings. */
  pairable: Int32Array;
  ratings: Int32Array;
}

function tallyCriteria(r: IndexedRatings, u: Units, axis: ScoreAxis): CriterionTallies {
  const { criterion, session } = r;
  const { start, obs, count } = u;
  const { coordinate, offset } = axis;
  const criteria = r.criteria.length;
  const d = axis.values.length;
  const seen: number[] = [];
  const sessionOf = new Int32Array(criteria).fill(-1);
  const coincidences = new Float64Array(criteria * d * d);
  const pairable = new Int32Array(criteria);
  const ratings = new Int32Array(criteria);
  for (let unit = 0; unit < count; unit++) {
    const begin = start[unit]!;
    const size = start[unit + 1]! - begin;
    const c = criterion[obs[begin]!]!;
    if (sessionOf[c] === -1) {
      sessionOf[c] = session[obs[begin]!]!;
      seen.push(c);
    }
    if (size < 2) continue;
    pairable[c]!++;
    ratings[c]! += size;
    // Each ordered pair of the unit's values weighs 1/(m − 1).
    const weight = 1 / (size - 1);
    const at = c * d * d;
    for (let q = begin; q < begin + size; q++) {
      const a = coordinate[obs[q]!]! - offset;
      for (let t = q + 1; t < begin + size; t++) {
        const b = coordinate[obs[t]!]! - offset;
        coincidences[at + a * d + b]! += weight;
        coincidences[at + b * d + a]! += weight;
      }
    }
  }
  return { seen, sessionOf, coincidences, pairable, ratings };
}

/**
 * The units the ICC can use, complete ones (scored by every interviewer of their interview, at least
 * two): per criterion a list of them in unit order, threaded through `next` (−1 ends it).
 */
interface CompleteUnits {
  first: Int32Array;
  next: Int32Array;
  /** Per complete unit, its interview. */
  interview: Int32Array;
  /** Per interview, the id of its panel, and how many panels there are (from unitsOf). */
  panelOfInterview: Int32Array;
  panels: number;
}

function completeUnits(r: IndexedRatings, u: Units): CompleteUnits {
  const { criterion, interview } = r;
  const { start, obs, count, panelSize } = u;
  const first = new Int32Array(r.criteria.length).fill(-1);
  const last = new Int32Array(r.criteria.length).fill(-1);
  const next = new Int32Array(count);
  const interviewOf = new Int32Array(count);
  for (let unit = 0; unit < count; unit++) {
    const begin = start[unit]!;
    const size = start[unit + 1]! - begin;
    const i = interview[obs[begin]!]!;
    if (size < 2 || panelSize[i] !== size) continue;
    const c = criterion[obs[begin]!]!;
    interviewOf[unit] = i;
    next[unit] = -1;
    if (last[c]! < 0) first[c] = unit;
    else next[last[c]!] = unit;
    last[c] = unit;
  }
  return { first, next, interview: interviewOf, panelOfInterview: u.panel, panels: u.panels };
}

/** A session's ICC groups: per row, the complete units of the panel that scored the most of them (empty under MIN_UNITS). */
interface PanelGroups {
  session: number[];
  /** In the order of the criteria asked for. */
  criteria: number[][];
}

/** Units counted per panel, with the panels met listed so that only they are read and reset. */
class PanelTally {
  private readonly count: Int32Array;
  /** Per panel, its earliest unit counted. */
  private readonly firstUnit: Int32Array;
  private readonly met: Int32Array;
  private size = 0;

  constructor(panels: number) {
    this.count = new Int32Array(panels);
    this.firstUnit = new Int32Array(panels);
    this.met = new Int32Array(panels);
  }

  add(panel: number, unit: number): void {
    if (this.count[panel]!++ === 0) {
      this.met[this.size++] = panel;
      this.firstUnit[panel] = unit;
    } else if (unit < this.firstUnit[panel]!) this.firstUnit[panel] = unit;
  }

  /** The panel with the most units, if at least MIN_UNITS (else −1), the one with the earliest unit on a tie; then starts afresh. */
  takeLargest(): number {
    const best = this.largest();
    this.clear();
    return best;
  }

  private largest(): number {
    const { count, firstUnit, met, size } = this;
    let best = -1;
    for (let t = 0; t < size; t++) {
      const p = met[t]!;
      if (count[p]! >= MIN_UNITS && (best < 0 || count[p]! > count[best]! || (count[p] === count[best] && firstUnit[p]! < firstUnit[best]!))) best = p;
    }
    return best;
  }

  private clear(): void {
    const { count, met, size } = this;
    this.size = 0;
    for (let t = 0; t < size; t++) count[met[t]!] = 0;
  }
}

/**
 * Finds the largest group of complete units scored by one panel, for a session and for each of its
 * criteria in one walk over their lists. The tallies are indexed by panel and reused throughout.
 */
class PanelCounter {
  private readonly inCriterion: PanelTally;
  private readonly inSession: PanelTally;

  constructor(private readonly complete: CompleteUnits) {
    this.inCriterion = new PanelTally(complete.panels);
    this.inSession = new PanelTally(complete.panels);
  }

  groupsOf(criteria: readonly number[]): PanelGroups {
    const bestOfCriterion = criteria.map((c) => {
      this.tally(c);
      return this.inCriterion.takeLargest();
    });
    const bestOfSession = this.inSession.takeLargest();
    return {
      session: criteria.flatMap((c) => this.unitsOf(c, bestOfSession)).sort((a, b) => a - b),
      criteria: criteria.map((c, k) => this.unitsOf(c, bestOfCriterion[k]!)),
    };
  }

  private tally(c: number): void {
    const { first, next, interview, panelOfInterview } = this.complete;
    for (let unit = first[c]!; unit >= 0; unit = next[unit]!) {
      const panel = panelOfInterview[interview[unit]!]!;
      this.inCriterion.add(panel, unit);
      this.inSession.add(panel, unit);
    }
  }

  /** Criterion c's complete units that panel p scored. */
  private unitsOf(c: number, p: number): number[] {
    const { first, next, interview, panelOfInterview } = this.complete;
    const units: number[] = [];
    if (p >= 0) for (let unit = first[c]!; unit >= 0; unit = next[unit]!) if (panelOfInterview[interview[unit]!] === p) units.push(unit);
    return units;
  }
}

/** ICC(2,1) on a set of units all scored in full by the very same interviewers. */
function completePanelIcc(r: IndexedRatings, u: Units, group: readonly number[]): AgreementRow['icc'] {
  if (!group.length) return null;
  const matrix = group.map((unit) => {
    const ps = Array.from(u.obs.subarray(u.start[unit]!, u.start[unit + 1]!));
    return ps.sort((a, b) => r.rater[a]! - r.rater[b]!).map((p) => r.score[p]!);
  });
  if (matrix.every((row) => row.every((v) => v === matrix[0]?.[0]))) return null;
  const { icc2 } = shroutFleissIcc(matrix);
  if (!Number.isFinite(icc2.value)) return null;
  return { value: icc2.value, ci95: icc2.ci95, units: matrix.length, raters: matrix[0]?.length ?? 0 };
}

/**
 * Do panels agree? Per session kind the units are interview × criterion; per criterion they are
 * interviews. Alpha (interval and ordinal) handles any panel; the ICC needs a complete design.
 * Alpha comes from coincidence matrices (scores take few distinct values, so they are small),
 * accumulated per criterion in one pass over the units and summed over a session's criteria.
 */
export function agreement(r: IndexedRatings, u: Units): AgreementRow[] {
  const axis = scoreAxis(r.score);
  const d = axis.values.length;
  const tallies = tallyCriteria(r, u, axis);
  const counter = new PanelCounter(completeUnits(r, u));

  const row = (scope: AgreementRow['scope'], label: string, sessionKind: string, criteria: readonly number[], panelGroup: readonly number[]): AgreementRow => {
    const coincidences = new Float64Array(d * d);
    let units = 0;
    let ratings = 0;
    for (const c of criteria) {
      for (let k = 0; k < d * d; k++) coincidences[k]! += tallies.coincidences[c * d * d + k]!;
      units += tallies.pairable[c]!;
      ratings += tallies.ratings[c]!;
    }
    const alphaInterval = alphaFromCoincidences(axis.values, coincidences, units, 'interval');
    return {
      scope,
      label,
      sessionKind,
      units,
      ratings,
      alphaInterval,
      alphaOrdinal: alphaFromCoincidences(axis.values, coincidences, units, 'ordinal'),
      icc: completePanelIcc(r, u, panelGroup),
      reading: reading(alphaInterval, units),
    };
  };

  const sessions = [...new Set(tallies.seen.map((c) => tallies.sessionOf[c]!))].sort((a, b) => a - b);
  return sessions.flatMap((s) => {
    const kind = r.sessionKinds[s] ?? '';
    const criteria = tallies.seen.filter((c) => tallies.sessionOf[c] === s);
    const groups = counter.groupsOf(criteria);
    return [
      row('session', kind, kind, criteria, groups.session),
      ...criteria.map((c, k) => row('criterion', splitCriterion(r.criteria[c] ?? '').criterion, kind, [c], groups.criteria[k]!)),
    ];
  });
}
