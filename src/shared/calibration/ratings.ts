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

/** Validates a rating matrix and returns its observed cells. */
export function toSparse(ratings: RatingMatrix, what: string): SparseRatings {
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
  const parent = new Int32Array(rows + cols);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const used = new Uint8Array(rows + cols);
  for (let i = 0; i < rows; i++) {
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const a = find(i);
      const b = find(rows + col[p]!);
      used[i] = 1;
      used[rows + col[p]!] = 1;
      if (a !== b) parent[a] = b;
    }
  }
  let components = 0;
  for (let x = 0; x < parent.length; x++) if (used[x] === 1 && find(x) === x) components++;
  return components;
}
