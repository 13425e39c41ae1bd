/**
 * Rating matrices: rows are units (candidates, or candidate × criterion), columns are
 * raters (interviewers), `null` is a missing rating.
 */
export type RatingMatrix = readonly (readonly (number | null)[])[];

/** The observed cells of a rating matrix in compressed-row form. */
export interface SparseRatings {
  readonly rows: number;
  readonly cols: number;
  /** Observations of row i are at indices rowStart[i] .. rowStart[i+1]−1. */
  readonly rowStart: Int32Array;
  readonly col: Int32Array;
  readonly value: Float64Array;
}

/** Throws unless every row has the same length; returns that length (0 for no rows). */
export function columnCount(ratings: RatingMatrix, what: string): number {
  if (!Array.isArray(ratings)) throw new TypeError(`${what}: ratings must be an array of rows`);
  const first = ratings[0];
  const cols = first === undefined ? 0 : first.length;
  for (let i = 0; i < ratings.length; i++) {
    const row = ratings[i];
    if (!Array.isArray(row)) throw new TypeError(`${what}: row ${i} is not an array`);
    if (row.length !== cols) {
      throw new RangeError(`${what}: ragged matrix, row ${i} has ${row.length} entries, row 0 has ${cols}`);
    }
  }
  return cols;
}

export function invalidRating(what: string, row: number, col: number, v: unknown): Error {
  return new TypeError(`${what}: rating at row ${row}, column ${col} must be a finite number or null, got ${String(v)}`);
}

function isSparse(ratings: RatingMatrix | SparseRatings): ratings is SparseRatings {
  return !Array.isArray(ratings) && typeof ratings === 'object' && ratings !== null && 'rowStart' in ratings;
}

/**
 * Builds the compressed-row form from observations in any order: the way to pass a large,
 * sparse design (20,000 candidates × 2,000 raters) without a dense matrix of nulls.
 */
export function sparseRatings(rows: number, cols: number, row: ArrayLike<number>, col: ArrayLike<number>, value: ArrayLike<number>): SparseRatings {
  const n = row.length;
  if (col.length !== n || value.length !== n) throw new RangeError('sparseRatings: row, col and value must have the same length');
  const rowStart = new Int32Array(rows + 1);
  for (let p = 0; p < n; p++) {
    const i = row[p]!;
    const j = col[p]!;
    if (!Number.isInteger(i) || i < 0 || i >= rows) throw new RangeError(`sparseRatings: row index ${i} at ${p} is outside 0..${rows - 1}`);
    if (!Number.isInteger(j) || j < 0 || j >= cols) throw new RangeError(`sparseRatings: column index ${j} at ${p} is outside 0..${cols - 1}`);
    if (!Number.isFinite(value[p]!)) throw invalidRating('sparseRatings', i, j, value[p]);
    rowStart[i + 1]!++;
  }
  for (let i = 0; i < rows; i++) rowStart[i + 1]! += rowStart[i]!;
  const next = rowStart.slice(0, rows);
  const outCol = new Int32Array(n);
  const outValue = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const at = next[row[p]!]!++;
    outCol[at] = col[p]!;
    outValue[at] = value[p]!;
  }
  return { rows, cols, rowStart, col: outCol, value: outValue };
}

/** Validates a rating matrix and returns its observed cells; a sparse input is used as it is. */
export function toSparse(ratings: RatingMatrix | SparseRatings, what: string): SparseRatings {
  if (isSparse(ratings)) return ratings;
  const cols = columnCount(ratings, what);
  const rows = ratings.length;
  let count = 0;
  for (let i = 0; i < rows; i++) {
    const row = ratings[i]!;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRating(what, i, j, v);
      count++;
    }
  }
  const rowStart = new Int32Array(rows + 1);
  const col = new Int32Array(count);
  const value = new Float64Array(count);
  let p = 0;
  for (let i = 0; i < rows; i++) {
    rowStart[i] = p;
    const row = ratings[i]!;
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v === 'number') {
        col[p] = j;
        value[p] = v;
        p++;
      }
    }
  }
  rowStart[rows] = p;
  return { rows, cols, rowStart, col, value };
}

/**
 * Number of connected components of the bipartite row–column graph whose edges are the
 * observed ratings. Rows and columns without any rating are not counted.
 */
export function componentCount(data: SparseRatings): number {
  const { rows, cols, rowStart, col } = data;
  // A row belongs to the component of the columns it rates: joining those columns suffices.
  const parent = range(cols);
  for (let i = 0; i < rows; i++) linkObserved(parent, col, rowStart[i]!, rowStart[i + 1]!);
  const used = new Uint8Array(cols);
  for (let p = 0; p < col.length; p++) used[col[p]!] = 1;
  let components = 0;
  for (let j = 0; j < cols; j++) if (used[j] === 1 && findRoot(parent, j) === j) components++;
  return components;
}

/** Joins the columns level[begin], …, level[end − 1] (those one row rates) in the union–find forest. */
export function linkObserved(parent: Int32Array, level: Int32Array, begin: number, end: number): void {
  for (let p = begin + 1; p < end; p++) link(parent, level[begin]!, level[p]!);
}

/** 0, 1, …, size − 1: also a union–find forest of `size` singletons. */
export function range(size: number): Int32Array {
  const values = new Int32Array(size);
  for (let x = 0; x < size; x++) values[x] = x;
  return values;
}

/** The root of x's tree, halving the path on the way. */
export function findRoot(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    const grandparent = parent[parent[x]!]!;
    parent[x] = grandparent;
    x = grandparent;
  }
  return x;
}

/** Merges the trees of a and b. */
function link(parent: Int32Array, a: number, b: number): void {
  const ra = findRoot(parent, a);
  const rb = findRoot(parent, b);
  if (ra !== rb) parent[ra] = rb;
}
