import type { CalibrationFilters } from '../../../../shared/calibration-report';
import { SESSION_KINDS } from '../../../../shared/constants';
import type { ProjectedRow } from '../../repositories/calibration-projection';
import { criterionKeyOf, ScorecardCursor, scoreOf } from './projection-format';

/**
 * Submitted criterion scores with every id replaced by a dense index, for the statistics. Rows
 * are grouped by candidate, and within a candidate by interview: interview indices count up
 * from 0 in row order.
 */
export interface IndexedRatings {
  n: number;
  interview: Int32Array;
  candidate: Int32Array;
  rater: Int32Array;
  session: Int32Array;
  criterion: Int32Array;
  score: Float64Array;
  /** How many interviews; their ids are looked up on demand (only a few are ever shown). */
  interviews: number;
  interviewId: (index: number) => string;
  candidateIds: string[];
  raterIds: string[];
  sessionKinds: string[];
  /** criterionLabel(session, title) of each criterion. */
  criteria: string[];
  /** The longest scale among the scored rubrics. */
  scaleMax: number;
}

/** A criterion is known by its session and title: the versions of a rubric share it, and two rubrics may both have "Clarity". */
export function criterionLabel(sessionKind: string, title: string): string {
  return `${sessionKind}\u0000${title}`;
}

/** criterionLabel → its two parts. */
export function splitCriterion(label: string): { sessionKind: string; criterion: string } {
  const at = label.indexOf('\u0000');
  return { sessionKind: label.slice(0, at), criterion: label.slice(at + 1) };
}

/** The names behind the projection's keys. */
export interface ProjectionKeys {
  interviewers: ReadonlyMap<number, string>;
  sessions: ReadonlyMap<number, string>;
  criteria: ReadonlyMap<number, string>;
  interviewId: (key: number) => string;
}

/**
 * Dense indices for keys, in order of first use; a key the filters leave out maps to −1. Looked
 * up once per score, so a typed table rather than a Map.
 */
class DenseKeys {
  readonly names: string[] = [];
  /** Dense index per key; UNSEEN until first looked up. */
  readonly table: Int32Array;
  constructor(
    private readonly named: ReadonlyMap<number, string>,
    private readonly kept: (name: string) => boolean,
  ) {
    let maxKey = 0;
    for (const key of named.keys()) maxKey = Math.max(maxKey, key);
    this.table = new Int32Array(maxKey + 1).fill(UNSEEN);
  }

  of(key: number): number {
    const i = key < this.table.length ? this.table[key]! : UNSEEN;
    return i === UNSEEN ? this.add(key) : i;
  }

  private add(key: number): number {
    const name = this.named.get(key);
    if (name === undefined) throw new Error(`calibration projection: unknown key ${key}`);
    const i = this.kept(name) ? this.names.push(name) - 1 : -1;
    this.table[key] = i;
    return i;
  }
}

const UNSEEN = -2;

/** The projection's packed rows, filtered by session, criterion and date, as dense columns. */
export function indexRatings(rows: readonly ProjectedRow[], keys: ProjectionKeys, filters: CalibrationFilters): IndexedRatings {
  const from = filters.from ? Date.parse(filters.from) : -Infinity;
  const to = filters.to ? Date.parse(filters.to) : Infinity;
  const raters = new DenseKeys(keys.interviewers, () => true);
  const sessions = new DenseKeys(keys.sessions, (kind) => filters.sessionKind === undefined || kind === filters.sessionKind);
  const criteria = new DenseKeys(keys.criteria, (label) => filters.criterion === undefined || splitCriterion(label).criterion === filters.criterion);

  let capacity = 0;
  for (const row of rows) capacity += row[2];
  const interview = new Int32Array(capacity);
  const candidate = new Int32Array(capacity);
  const rater = new Int32Array(capacity);
  const session = new Int32Array(capacity);
  const criterion = new Int32Array(capacity);
  const score = new Float64Array(capacity);
  const interviewKeys: number[] = [];
  const candidateIds: string[] = [];
  let n = 0;
  let scaleMax = 0;
  for (const [candidateId, packed] of rows) {
    const c = candidateIds.length;
    let lastInterviewKey = -1;
    const cursor = new ScorecardCursor(packed);
    while (cursor.next()) {
      if (cursor.scheduledAt < from || cursor.scheduledAt >= to) continue;
      const s = sessions.of(cursor.sessionKey);
      if (s < 0) continue;
      const j = raters.of(cursor.interviewerKey);
      const before = n;
      for (let k = 0; k < cursor.count; k++) {
        const word = cursor.scoreWord(k);
        const q = criteria.of(criterionKeyOf(word));
        if (q < 0) continue;
        if (cursor.interviewKey !== lastInterviewKey) {
          lastInterviewKey = cursor.interviewKey;
          interviewKeys.push(lastInterviewKey);
        }
        interview[n] = interviewKeys.length - 1;
        candidate[n] = c;
        rater[n] = j;
        session[n] = s;
        criterion[n] = q;
        score[n] = scoreOf(word);
        n++;
      }
      if (n > before && cursor.scaleMax > scaleMax) scaleMax = cursor.scaleMax;
    }
    if (lastInterviewKey !== -1) candidateIds.push(candidateId);
  }
  return {
    n,
    interview: interview.subarray(0, n),
    candidate: candidate.subarray(0, n),
    rater: rater.subarray(0, n),
    session: session.subarray(0, n),
    criterion: criterion.subarray(0, n),
    score: score.subarray(0, n),
    interviews: interviewKeys.length,
    interviewId: (index) => keys.interviewId(interviewKeys[index]!),
    candidateIds,
    raterIds: raters.names,
    sessionKinds: inLoopOrder(sessions.names, session.subarray(0, n)),
    criteria: criteria.names,
    scaleMax: scaleMax || 4,
  };
}

/** The loop's session kinds first, in loop order, then any others by name; renumbers `column` to match. */
function inLoopOrder(kinds: readonly string[], column: Int32Array): string[] {
  const rank = (kind: string) => {
    const at = (SESSION_KINDS as readonly string[]).indexOf(kind);
    return at < 0 ? SESSION_KINDS.length : at;
  };
  const order = kinds.map((_, i) => i).sort((a, b) => rank(kinds[a]!) - rank(kinds[b]!) || kinds[a]!.localeCompare(kinds[b]!));
  const renumbered = new Int32Array(kinds.length);
  order.forEach((old, i) => (renumbered[old] = i));
  for (let p = 0; p < column.length; p++) column[p] = renumbered[column[p]!]!;
  return order.map((i) => kinds[i]!);
}

/**
 * The units of agreement: one per interview × criterion, holding the scores the panel gave it.
 * Unit u's observations are obs[start[u]] .. obs[start[u + 1] − 1] (compressed, no array per unit).
 */
export interface Units {
  count: number;
  start: Int32Array;
  obs: Int32Array;
  /** Per interview: a dense id of its panel, equal exactly when two interviews had the same interviewers. */
  panel: Int32Array;
  panels: number;
  panelSize: Int32Array;
}

/**
 * Relies on each interview's rows being contiguous, and each scorecard's within them, as
 * indexRatings gives them: units are then found and laid out one interview at a time.
 */
export function unitsOf(r: IndexedRatings): Units {
  const { n, interview: interviewOf, criterion, rater } = r;
  const start = new Int32Array(n + 1);
  const obs = new Int32Array(n);
  const panelOfInterview = new Int32Array(r.interviews);
  const panelSize = new Int32Array(r.interviews);
  const panelIds = new Map<number | string, number>();
  // Per criterion, its unit within the current interview (valid while seenIn is that interview).
  const localUnit = new Int32Array(r.criteria.length);
  const seenIn = new Int32Array(r.criteria.length).fill(-1);
  const fill = new Int32Array(r.criteria.length);
  const panel = new Int32Array(r.raterIds.length);
  let count = 0;
  for (let begin = 0, end: number; begin < n; begin = end) {
    const interview = interviewOf[begin]!;
    if (interview !== (begin === 0 ? 0 : interviewOf[begin - 1]! + 1)) throw new Error('unitsOf: the rows of an interview must be contiguous');
    for (end = begin + 1; end < n && interviewOf[end] === interview; end++);

    let units = 0;
    let size = 0;
    for (let p = begin; p < end; p++) {
      const c = criterion[p]!;
      if (seenIn[c] !== interview) {
        seenIn[c] = interview;
        localUnit[c] = units;
        fill[units++] = 0;
      }
      fill[localUnit[c]!]!++;
      // A scorecard's scores are contiguous: the panel is the rater at each change, kept sorted.
      const j = rater[p]!;
      if (p === begin || j !== rater[p - 1]) size = insertSorted(panel, size, j);
    }
    let at = begin;
    for (let u = 0; u < units; u++) {
      start[count + u] = at;
      const unitSize = fill[u]!;
      fill[u] = at;
      at += unitSize;
    }
    for (let p = begin; p < end; p++) obs[fill[localUnit[criterion[p]!]!]!++] = p;
    count += units;

    const key = panelKey(panel, size, r.raterIds.length);
    let id = panelIds.get(key);
    if (id === undefined) panelIds.set(key, (id = panelIds.size));
    panelOfInterview[interview] = id;
    panelSize[interview] = size;
  }
  start[count] = n;
  return { count, start: start.subarray(0, count + 1), obs, panel: panelOfInterview, panels: panelIds.size, panelSize };
}

/** Adds j to the sorted first `size` entries of `set` unless it is there; returns the new size. */
function insertSorted(set: Int32Array, size: number, j: number): number {
  let k = size;
  while (k > 0 && set[k - 1]! > j) k--;
  if (k > 0 && set[k - 1] === j) return size;
  set.copyWithin(k + 1, k, size);
  set[k] = j;
  return size + 1;
}

const RATER_BITS = 17;

/**
 * A key equal exactly for equal sorted sets of raters. Panels of up to three (nearly all) pack into
 * one exact number, (j + 1) per 17 bits, which is far cheaper to build and look up than a string.
 */
function panelKey(sorted: Int32Array, size: number, raters: number): number | string {
  if (size > 3 || raters >= 2 ** RATER_BITS) return sorted.subarray(0, size).join(',');
  let key = 0;
  for (let k = 0; k < size; k++) key = key * 2 ** RATER_BITS + sorted[k]! + 1;
  return key;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : Number.NaN;
}
