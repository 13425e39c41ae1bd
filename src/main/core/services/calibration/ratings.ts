import type { RatingRow } from '../../repositories/calibration';

/** Submitted criterion scores with every id replaced by a dense index, for the statistics. */
export interface IndexedRatings {
  n: number;
  interview: Int32Array;
  candidate: Int32Array;
  rater: Int32Array;
  session: Int32Array;
  criterion: Int32Array;
  score: Float64Array;
  interviewIds: string[];
  candidateIds: string[];
  raterIds: string[];
  sessionKinds: string[];
  criteria: string[];
}

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}

export function indexRatings(rows: readonly RatingRow[]): IndexedRatings {
  const n = rows.length;
  const interviews = new Interner();
  const candidates = new Interner();
  const raters = new Interner();
  const sessions = new Interner();
  const criteria = new Interner();
  const out = {
    interview: new Int32Array(n),
    candidate: new Int32Array(n),
    rater: new Int32Array(n),
    session: new Int32Array(n),
    criterion: new Int32Array(n),
    score: new Float64Array(n),
  };
  rows.forEach(([interviewId, candidateId, raterId, sessionKind, criterion, score], p) => {
    out.interview[p] = interviews.of(interviewId);
    out.candidate[p] = candidates.of(candidateId);
    out.rater[p] = raters.of(raterId);
    out.session[p] = sessions.of(sessionKind);
    // A criterion is named within its session: two rubrics may both have "Clarity".
    out.criterion[p] = criteria.of(`${sessionKind}\u0000${criterion}`);
    out.score[p] = score;
  });
  return {
    n,
    ...out,
    interviewIds: interviews.values,
    candidateIds: candidates.values,
    raterIds: raters.values,
    sessionKinds: sessions.values,
    criteria: criteria.values,
  };
}

/** "session\0criterion" → its two parts. */
export function splitCriterion(key: string): { sessionKind: string; criterion: string } {
  const at = key.indexOf('\u0000');
  return { sessionKind: key.slice(0, at), criterion: key.slice(at + 1) };
}

/**
 * The units of agreement: one per interview × criterion, holding the scores the panel gave it.
 * Unit u's observations are obs[start[u]] .. obs[start[u + 1] − 1] (compressed, no array per unit).
 */
export interface Units {
  count: number;
  start: Int32Array;
  obs: Int32Array;
  /** Per interview: its panel as sorted rater indices joined by commas (for complete-design ICCs). */
  panelOf: string[];
  panelSize: Int32Array;
}

export function unitsOf(r: IndexedRatings): Units {
  const criteria = r.criteria.length;
  const unitOf = new Int32Array(r.n);
  const ids = new Map<number, number>();
  for (let p = 0; p < r.n; p++) {
    const key = r.interview[p]! * criteria + r.criterion[p]!;
    let u = ids.get(key);
    if (u === undefined) ids.set(key, (u = ids.size));
    unitOf[p] = u;
  }
  const count = ids.size;
  const start = new Int32Array(count + 1);
  for (let p = 0; p < r.n; p++) start[unitOf[p]! + 1]!++;
  for (let u = 0; u < count; u++) start[u + 1]! += start[u]!;
  const next = start.slice(0, count);
  const obs = new Int32Array(r.n);
  for (let p = 0; p < r.n; p++) obs[next[unitOf[p]!]!++] = p;

  const panels = r.interviewIds.map(() => new Set<number>());
  for (let p = 0; p < r.n; p++) panels[r.interview[p]!]!.add(r.rater[p]!);
  const panelOf = panels.map((set) => [...set].sort((a, b) => a - b).join(','));
  return { count, start, obs, panelOf, panelSize: Int32Array.from(panels, (set) => set.size) };
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : Number.NaN;
}
