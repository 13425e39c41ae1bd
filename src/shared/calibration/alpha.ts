import { columnCount, invalidRating, type RatingMatrix } from './ratings';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';
const LEVELS: readonly string[] = ['nominal', 'ordinal', 'interval', 'ratio'] satisfies AlphaLevel[];

const WHAT = 'krippendorffAlpha';

/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
 *   α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
 * with o the coincidence matrix of pairable values and n_c its margins.
 *
 * Rows are units, columns are raters, `null` is missing. Units with fewer than two
 * ratings are not pairable and drop out. Returns `null` when alpha is undefined:
 * fewer than two pairable units (with a single unit the observed and expected
 * disagreements coincide, so α ≡ 0 whatever the data and carries no information),
 * or no variation among the pairable values (zero expected disagreement).
 *
 * Cost is linear in the number of cells, plus O(D log D) for D distinct values; the
 * ratio level additionally costs O(D²).
 *
 * @throws TypeError / RangeError for a ragged matrix, non-finite ratings, or negative
 *   ratings at the ratio level.
 */
export function krippendorffAlpha(ratings: RatingMatrix, level: AlphaLevel): number | null {
  switch (level) {
    case 'interval':
      return intervalAlphaStreaming(ratings);
    case 'nominal':
    case 'ordinal':
    case 'ratio':
      return categoricalAlpha(collectPairable(ratings), level);
    default:
      throw new RangeError(`${WHAT}: unknown level ${String(level)}`);
  }
}

/**
 * Interval metric δ² = (c − k)². Within a unit of m values,
 * Σ_{i≠j} (v_i − v_j)² = 2·m·SS_u (SS_u the sum of squared deviations from the unit mean),
 * and over all pairable values Σ_ck n_c n_k (c − k)² = 2·n·SS_total, so
 *   α = 1 − (n − 1)/n · Σ_u [m_u·SS_u / (m_u − 1)] / SS_total.
 * SS_total is accumulated from the unit summaries with Chan et al.'s pairwise update,
 * which avoids the cancellation of the raw-moment formula.
 */
function intervalAlphaStreaming(ratings: RatingMatrix): number | null {
  const cols = columnCount(ratings, WHAT);
  let units = 0;
  let n = 0;
  let grandMean = 0;
  let ssTotal = 0;
  let observed = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < ratings.length; i++) {
    const row = ratings[i]!;
    let m = 0;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRating(WHAT, i, j, v);
      m++;
      sum += v;
    }
    if (m < 2) continue;
    const mean = sum / m;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number') continue;
      const d = v - mean;
      ss += d * d;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    units++;
    observed += (m * ss) / (m - 1);
    const delta = mean - grandMean;
    const total = n + m;
    grandMean += (delta * m) / total;
    ssTotal += ss + (delta * delta * n * m) / total;
    n = total;
  }
  if (units < 2 || min === max || !(ssTotal > 0)) return null;
  return 1 - ((n - 1) / n) * (observed / ssTotal);
}

interface Pairable {
  /** Values of the pairable units, unit after unit. */
  readonly values: Float64Array;
  /** Unit u owns values[unitStart[u] .. unitStart[u+1]−1]. */
  readonly unitStart: Int32Array;
}

function collectPairable(ratings: RatingMatrix): Pairable {
  const cols = columnCount(ratings, WHAT);
  let values = new Float64Array(Math.max(16, ratings.length * 2));
  let starts = new Int32Array(Math.max(16, ratings.length + 1));
  let size = 0;
  let units = 0;
  for (let i = 0; i < ratings.length; i++) {
    const row = ratings[i]!;
    const begin = size;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRating(WHAT, i, j, v);
      if (size === values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      values[size++] = v;
    }
    if (size - begin < 2) {
      size = begin;
      continue;
    }
    if (units + 1 >= starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[units] = begin;
    units++;
  }
  starts[units] = size;
  return { values: values.subarray(0, size), unitStart: starts.subarray(0, units + 1) };
}

export interface ValueIndex {
  /** Distinct values in increasing order. */
  readonly distinct: Float64Array;
  /** index[p] = position of values[p] in `distinct`. */
  readonly index: Int32Array;
  /** counts[c] = n_c, the number of pairable values equal to distinct[c]. */
  readonly counts: Float64Array;
}

/** The distinct values of `values`, and where each value sits among them. */
export function indexValues(values: Float64Array): ValueIndex {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let p = 0; p < values.length; p++) {
    const v = values[p]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  const index = new Int32Array(values.length);
  let distinct: Float64Array;
  if (values.length > 0 && integral && max - min <= 4 * values.length + 1024) {
    // Small integer range (the usual interview scale): a direct lookup table.
    const slot = new Int32Array(max - min + 1).fill(-1);
    for (let p = 0; p < values.length; p++) slot[values[p]! - min] = 0;
    let d = 0;
    for (let s = 0; s < slot.length; s++) if (slot[s] === 0) slot[s] = d++;
    distinct = new Float64Array(d);
    for (let s = 0; s < slot.length; s++) if (slot[s]! >= 0) distinct[slot[s]!] = s + min;
    for (let p = 0; p < values.length; p++) index[p] = slot[values[p]! - min]!;
  } else {
    const sorted = Float64Array.from(values).sort();
    let d = 0;
    for (let p = 0; p < sorted.length; p++) if (p === 0 || sorted[p] !== sorted[p - 1]) sorted[d++] = sorted[p]!;
    distinct = sorted.slice(0, d);
    for (let p = 0; p < values.length; p++) {
      const v = values[p]!;
      let lo = 0;
      let hi = d - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (distinct[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      index[p] = lo;
    }
  }
  const counts = new Float64Array(distinct.length);
  for (let p = 0; p < index.length; p++) counts[index[p]!]!++;
  return { distinct, index, counts };
}

function categoricalAlpha(data: Pairable, level: 'nominal' | 'ordinal' | 'ratio'): number | null {
  const { values, unitStart } = data;
  const units = unitStart.length - 1;
  if (units < 2) return null;
  const { distinct, index, counts } = indexValues(values);
  if (distinct.length < 2) return null;
  const n = values.length;
  if (level === 'ratio') assertRatioScale(distinct[0]!);

  if (level === 'ordinal') {
    // Ordinal alpha is interval alpha on the t-scores (see ordinalRanks).
    const rank = ordinalRanks(counts);
    const transformed = new Float64Array(n);
    for (let p = 0; p < n; p++) transformed[p] = rank[index[p]!]!;
    return intervalAlphaOfUnits(transformed, unitStart);
  }

  // Per-unit value counts n_uc, kept in a scratch array reset through a touched list.
  const unitCounts = new Float64Array(distinct.length);
  const touched = new Int32Array(distinct.length);
  /** Counts one unit's values into unitCounts; returns how many distinct values it has (listed in touched). */
  const tallyUnit = (begin: number, end: number): number => {
    let t = 0;
    for (let p = begin; p < end; p++) {
      const c = index[p]!;
      if (unitCounts[c] === 0) touched[t++] = c;
      unitCounts[c]!++;
    }
    return t;
  };

  if (level === 'nominal') {
    // δ² = [c ≠ k]: Σ o_ck δ² = n − Σ_c o_cc with o_cc = Σ_u n_uc(n_uc − 1)/(m_u − 1),
    // and Σ n_c n_k δ² = n² − Σ n_c².
    let agreeing = 0;
    for (let u = 0; u < units; u++) {
      const begin = unitStart[u]!;
      const end = unitStart[u + 1]!;
      const t = tallyUnit(begin, end);
      let s = 0;
      for (let q = 0; q < t; q++) {
        const c = touched[q]!;
        const k = unitCounts[c]!;
        s += k * (k - 1);
        unitCounts[c] = 0;
      }
      agreeing += s / (end - begin - 1);
    }
    let sumSquares = 0;
    for (let c = 0; c < counts.length; c++) sumSquares += counts[c]! * counts[c]!;
    return 1 - ((n - 1) * (n - agreeing)) / (n * n - sumSquares);
  }

  // Ratio: no closed form, so sum over pairs of distinct values: O(D²) for the expected
  // and O(distinct-in-unit²) per unit for the observed.
  let observed = 0;
  for (let u = 0; u < units; u++) {
    const begin = unitStart[u]!;
    const end = unitStart[u + 1]!;
    const t = tallyUnit(begin, end);
    let s = 0;
    for (let q = 0; q < t; q++) {
      const c = touched[q]!;
      for (let r = q + 1; r < t; r++) {
        const k = touched[r]!;
        s += unitCounts[c]! * unitCounts[k]! * ratioDelta(distinct[c]!, distinct[k]!);
      }
    }
    for (let q = 0; q < t; q++) unitCounts[touched[q]!] = 0;
    observed += s / (end - begin - 1);
  }
  let expected = 0;
  for (let c = 0; c < distinct.length; c++) {
    const vc = distinct[c]!;
    const nc = counts[c]!;
    for (let k = c + 1; k < distinct.length; k++) {
      expected += nc * counts[k]! * ratioDelta(vc, distinct[k]!);
    }
  }
  if (!(expected > 0)) return null;
  // Both sums run over unordered pairs, so the factor 2 cancels.
  return 1 - ((n - 1) * observed) / expected;
}

/**
 * The ordinal δ_ck = Σ_{g=c..k} n_g − (n_c + n_k)/2 equals t_k − t_c with t_c = Σ_{g<c} n_g + n_c/2
 * (values in increasing order, n_c their counts): these t-scores.
 */
function ordinalRanks(counts: ArrayLike<number>): Float64Array {
  const rank = new Float64Array(counts.length);
  let below = 0;
  for (let c = 0; c < counts.length; c++) {
    rank[c] = below + counts[c]! / 2;
    below += counts[c]!;
  }
  return rank;
}

/** The ratio metric δ²_ck = ((c − k)/(c + k))². */
function ratioDelta(a: number, b: number): number {
  const s = a + b;
  if (s === 0) return 0;
  const r = (a - b) / s;
  return r * r;
}

function assertRatioScale(smallest: number): void {
  if (smallest < 0) throw new RangeError(`${WHAT}: the ratio level needs non-negative ratings, got ${smallest}`);
}

function intervalAlphaOfUnits(values: Float64Array, unitStart: Int32Array): number | null {
  let n = 0;
  let grandMean = 0;
  let ssTotal = 0;
  let observed = 0;
  for (let u = 0; u + 1 < unitStart.length; u++) {
    const begin = unitStart[u]!;
    const end = unitStart[u + 1]!;
    const m = end - begin;
    let sum = 0;
    for (let p = begin; p < end; p++) sum += values[p]!;
    const mean = sum / m;
    let ss = 0;
    for (let p = begin; p < end; p++) {
      const d = values[p]! - mean;
      ss += d * d;
    }
    observed += (m * ss) / (m - 1);
    const delta = mean - grandMean;
    const total = n + m;
    grandMean += (delta * m) / total;
    ssTotal += ss + (delta * delta * n * m) / total;
    n = total;
  }
  if (!(ssTotal > 0)) return null;
  return 1 - ((n - 1) / n) * (observed / ssTotal);
}

/**
 * Krippendorff's alpha from the coincidence matrix of the pairable units, for when the matrix is
 * cheaper to accumulate than the rating matrix is to build (many units, few distinct values).
 * `values` are distinct and increasing; coincidences[c·D + k] = o_ck for values c and k, where a unit
 * of m values, n_c of them equal to value c, adds n_c·(n_k − [c = k])/(m − 1); `units` counts the
 * pairable units. Values that never occur may be listed (their row and column are zero).
 *
 * Equals krippendorffAlpha on the same units at every level, with the same null cases: fewer than
 * two pairable units, or no variation. Cost O(D²).
 *
 * @throws RangeError for a matrix that is not D × D, values out of order, an unknown level, or
 *   negative values in use at the ratio level.
 */
export function alphaFromCoincidences(values: ArrayLike<number>, coincidences: ArrayLike<number>, units: number, level: AlphaLevel): number | null {
  const d = values.length;
  if (coincidences.length !== d * d) throw new RangeError(`${WHAT}: a coincidence matrix over ${d} values needs ${d * d} entries, got ${coincidences.length}`);
  for (let c = 1; c < d; c++) {
    if (!(values[c - 1]! < values[c]!)) throw new RangeError(`${WHAT}: coincidence values must be distinct and increasing`);
  }
  if (!LEVELS.includes(level)) throw new RangeError(`${WHAT}: unknown level ${String(level)}`);
  if (units < 2) return null;
  const margins = new Float64Array(d);
  let used = 0;
  for (let c = 0; c < d; c++) {
    for (let k = 0; k < d; k++) margins[c]! += coincidences[c * d + k]!;
    if (margins[c]! > 0) used++;
  }
  if (used < 2) return null;
  const delta2 = squaredDifference(level, values, margins);
  let n = 0;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < d; c++) {
    n += margins[c]!;
    for (let k = 0; k < d; k++) {
      const dd = delta2(c, k);
      observed += coincidences[c * d + k]! * dd;
      expected += margins[c]! * margins[k]! * dd;
    }
  }
  if (!(expected > 0)) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** δ²_ck of Krippendorff (2011) between values[c] and values[k], given the margins n_c. */
function squaredDifference(level: AlphaLevel, values: ArrayLike<number>, margins: Float64Array): (c: number, k: number) => number {
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'interval':
      return (c, k) => (values[c]! - values[k]!) ** 2;
    case 'ordinal': {
      const rank = ordinalRanks(margins);
      return (c, k) => (rank[c]! - rank[k]!) ** 2;
    }
    case 'ratio': {
      const smallest = margins.findIndex((m) => m > 0);
      if (smallest >= 0) assertRatioScale(values[smallest]!);
      return (c, k) => ratioDelta(values[c]!, values[k]!);
    }
  }
}
