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

/** Int32/Float64 columns that double their capacity as rows arrive. */
class Column<T extends Int32Array | Float64Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  set(p: number, v: number): void {
    if (p >= this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[p] = v;
  }
  trimmed(n: number): T {
    return this.data.subarray(0, n) as T;
  }
}

export function indexRatings(rows: Iterable<RatingRow>, titleOf: (criterionId: string) => string): IndexedRatings {
  const interviews = new Interner();
  const candidates = new Interner();
  const raters = new Interner();
  const sessions = new Interner();
  const criteria = new Interner();
  // Criteria are grouped by session and title: the versions of a rubric share them, and two
  // rubrics may both have "Clarity".
  const criterionOf = new Map<number, Map<string, number>>();
  const int = (n: number) => new Int32Array(n);
  const cols = { interview: new Column(int), candidate: new Column(int), rater: new Column(int), session: new Column(int), criterion: new Column(int), score: new Column((n) => new Float64Array(n)) };
  let n = 0;
  for (const [interviewId, candidateId, raterId, sessionKind, criterionId, score] of rows) {
    const s = sessions.of(sessionKind);
    let byId = criterionOf.get(s);
    if (!byId) criterionOf.set(s, (byId = new Map()));
    let c = byId.get(criterionId);
    if (c === undefined) byId.set(criterionId, (c = criteria.of(`${sessionKind}\u0000${titleOf(criterionId)}`)));
    cols.interview.set(n, interviews.of(interviewId));
    cols.candidate.set(n, candidates.of(candidateId));
    cols.rater.set(n, raters.of(raterId));
    cols.session.set(n, s);
    cols.criterion.set(n, c);
    cols.score.set(n, score);
    n++;
  }
  return {
    n,
    interview: cols.interview.trimmed(n),
    candidate: cols.candidate.trimmed(n),
    rater: cols.rater.trimmed(n),
    session: cols.session.trimmed(n),
    criterion: cols.criterion.trimmed(n),
    score: cols.score.trimmed(n),
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
