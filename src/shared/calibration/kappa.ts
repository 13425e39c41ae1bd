export type KappaWeights = 'none' | 'linear' | 'quadratic';

export interface WeightedKappa {
  value: number;
  /** Large-sample standard error under the non-null hypothesis (Fleiss, Cohen & Everitt 1969). */
  standardError: number;
}

/**
 * Cohen's (weighted) kappa for two raters who rated the same items: a[i] and b[i] are the
 * two ratings of item i, each a level of `scale`.
 *
 * Agreement weights are defined over the full scale (every level, used or not) from the
 * numeric distance between levels, as in SAS PROC FREQ's Cicchetti–Allison (linear) and
 * Fleiss–Cohen (quadratic) weights:
 *   linear w_ij = 1 − |s_i − s_j| / (s_max − s_min),  quadratic w_ij = 1 − (s_i − s_j)² / (s_max − s_min)².
 * For an evenly spaced scale these equal the usual index-based weights.
 *
 * The standard error is the large-sample one of Fleiss, Cohen & Everitt (1969):
 *   Var = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − P_e(1 − κ))²] / (N (1 − P_e)²)
 * with w̄_i· = Σ_j p_·j w_ij and w̄_·j = Σ_i p_i· w_ij.
 *
 * `value` and `standardError` are NaN when chance agreement is already perfect (P_e = 1).
 *
 * @throws Error when a and b differ in length or are empty, when the scale has fewer than
 *   two distinct levels, or when a rating is not a level of the scale.
 */
export function weightedKappa(
  a: readonly number[],
  b: readonly number[],
  scale: readonly number[],
  weights: KappaWeights,
): WeightedKappa {
  if (a.length !== b.length) throw new Error(`weightedKappa: a has ${a.length} ratings, b has ${b.length}`);
  if (a.length === 0) throw new Error('weightedKappa: no ratings');
  if (weights !== 'none' && weights !== 'linear' && weights !== 'quadratic') {
    throw new Error(`weightedKappa: unknown weights ${String(weights)}`);
  }
  for (const s of scale) {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new Error(`weightedKappa: scale level ${String(s)} is not a finite number`);
    }
  }
  const levels = [...new Set(scale)].sort((x, y) => x - y);
  const q = levels.length;
  if (q < 2) throw new Error('weightedKappa: the scale needs at least two levels');
  const position = new Map<number, number>(levels.map((s, i) => [s, i]));

  const range = levels[q - 1]! - levels[0]!;
  const w = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const d = Math.abs(levels[i]! - levels[j]!) / range;
      w[i * q + j] = weights === 'none' ? (i === j ? 1 : 0) : weights === 'linear' ? 1 - d : 1 - d * d;
    }
  }

  const n = a.length;
  const p = new Float64Array(q * q);
  for (let t = 0; t < n; t++) {
    const i = position.get(a[t]!);
    const j = position.get(b[t]!);
    if (i === undefined) throw new Error(`weightedKappa: a[${t}] = ${String(a[t])} is not a level of the scale`);
    if (j === undefined) throw new Error(`weightedKappa: b[${t}] = ${String(b[t])} is not a level of the scale`);
    p[i * q + j] = p[i * q + j]! + 1;
  }
  for (let c = 0; c < p.length; c++) p[c] = p[c]! / n;
  const rowMargin = new Float64Array(q);
  const colMargin = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      rowMargin[i] = rowMargin[i]! + p[i * q + j]!;
      colMargin[j] = colMargin[j]! + p[i * q + j]!;
    }
  }
  let po = 0;
  let pe = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      po += w[i * q + j]! * p[i * q + j]!;
      pe += w[i * q + j]! * rowMargin[i]! * colMargin[j]!;
    }
  }
  if (!(pe < 1)) return { value: NaN, standardError: NaN };
  const kappa = (po - pe) / (1 - pe);

  const wRow = new Float64Array(q);
  const wCol = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      wRow[i] = wRow[i]! + colMargin[j]! * w[i * q + j]!;
      wCol[j] = wCol[j]! + rowMargin[i]! * w[i * q + j]!;
    }
  }
  let sum = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const d = w[i * q + j]! - (wRow[i]! + wCol[j]!) * (1 - kappa);
      sum += p[i * q + j]! * d * d;
    }
  }
  const variance = (sum - (kappa - pe * (1 - kappa)) ** 2) / (n * (1 - pe) ** 2);
  return { value: kappa, standardError: Math.sqrt(Math.max(0, variance)) };
}

export interface FleissKappa {
  value: number;
  /**
   * Kappa for each category (column), Fleiss (1971): 1 − Σ_i n_ij(m − n_ij) / (N·m(m − 1)·p_j(1 − p_j));
   * NaN for a category nobody used or everybody always used.
   */
  categories: number[];
}

/**
 * Fleiss' (1971) kappa for N subjects each rated by the same number m ≥ 2 of raters.
 * counts[i][j] is the number of raters who put subject i in category j.
 *
 * @throws Error for an empty or ragged table, negative or non-finite counts, rows with
 *   different totals, or fewer than two ratings per subject.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappa {
  const subjects = counts.length;
  if (subjects === 0) throw new Error('fleissKappa: no subjects');
  const q = counts[0]!.length;
  if (q === 0) throw new Error('fleissKappa: no categories');
  let m = -1;
  for (let i = 0; i < subjects; i++) {
    const row = counts[i];
    if (!Array.isArray(row) || row.length !== q) throw new Error(`fleissKappa: row ${i} does not have ${q} categories`);
    let total = 0;
    for (let j = 0; j < q; j++) {
      const c = row[j];
      if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) {
        throw new Error(`fleissKappa: count at row ${i}, column ${j} must be a non-negative number`);
      }
      total += c;
    }
    if (m < 0) m = total;
    else if (total !== m) {
      throw new Error(`fleissKappa: row ${i} has ${total} ratings, row 0 has ${m}; every subject needs the same number of raters`);
    }
  }
  if (m < 2) throw new Error('fleissKappa: every subject needs at least two ratings');

  const categoryTotal = new Float64Array(q);
  let agreementSum = 0;
  for (let i = 0; i < subjects; i++) {
    const row = counts[i]!;
    let sq = 0;
    for (let j = 0; j < q; j++) {
      const c = row[j]!;
      sq += c * c;
      categoryTotal[j] = categoryTotal[j]! + c;
    }
    agreementSum += (sq - m) / (m * (m - 1));
  }
  const observed = agreementSum / subjects;
  let expected = 0;
  const categories: number[] = [];
  for (let j = 0; j < q; j++) {
    const pj = categoryTotal[j]! / (subjects * m);
    expected += pj * pj;
    let disagreement = 0;
    for (let i = 0; i < subjects; i++) {
      const c = counts[i]![j]!;
      disagreement += c * (m - c);
    }
    const spread = pj * (1 - pj);
    categories.push(spread > 0 ? 1 - disagreement / (subjects * m * (m - 1) * spread) : NaN);
  }
  const value = expected < 1 ? (observed - expected) / (1 - expected) : NaN;
  return { value, categories };
}
