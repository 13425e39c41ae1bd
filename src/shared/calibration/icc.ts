import { fQuantile } from './distributions';

export interface IccEstimate {
  value: number;
  /** Two-sided 95% confidence interval [lower, upper]. */
  ci95: [number, number];
}

export interface ShroutFleissIcc {
  /** One-way random: each target rated by a different set of raters. */
  icc1: IccEstimate;
  /** Two-way random, absolute agreement. */
  icc2: IccEstimate;
  /** Two-way mixed, consistency. */
  icc3: IccEstimate;
  /** Reliability of the mean of k raters for each of the three models. */
  icc1k: IccEstimate;
  icc2k: IccEstimate;
  icc3k: IccEstimate;
}

const WHAT = 'shroutFleissIcc';

/**
 * Shrout & Fleiss (1979) intraclass correlations for a complete n targets × k raters
 * matrix (rows = targets, columns = raters), with the F-based confidence intervals of
 * Shrout & Fleiss (1979) / McGraw & Wong (1996); ICC(2,1) uses the Satterthwaite
 * approximation. The k-rater bounds are the Spearman–Brown transforms of the
 * single-rater bounds (equivalently 1 − 1/F for ICC(1,k) and ICC(3,k)), matching
 * R's psych::ICC.
 *
 * @throws Error for an empty or ragged matrix, non-finite ratings, or fewer than
 *   2 targets or 2 raters.
 */
export function shroutFleissIcc(ratings: readonly (readonly number[])[]): ShroutFleissIcc {
  if (!Array.isArray(ratings) || ratings.length === 0) throw new Error(`${WHAT}: the rating matrix is empty`);
  const n = ratings.length;
  const k = ratings[0]!.length;
  for (let i = 0; i < n; i++) {
    const row = ratings[i];
    if (!Array.isArray(row) || row.length !== k) {
      throw new Error(`${WHAT}: ragged matrix, row ${i} has ${row?.length ?? 'no'} entries, row 0 has ${k}`);
    }
    for (let j = 0; j < k; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new Error(`${WHAT}: rating at row ${i}, column ${j} must be a finite number (the design must be complete)`);
      }
    }
  }
  if (n < 2) throw new Error(`${WHAT}: needs at least 2 targets (rows), got ${n}`);
  if (k < 2) throw new Error(`${WHAT}: needs at least 2 raters (columns), got ${k}`);

  let grand = 0;
  const rowMean = new Float64Array(n);
  const colMean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = ratings[i]![j]!;
      rowMean[i] = rowMean[i]! + v;
      colMean[j] = colMean[j]! + v;
      grand += v;
    }
  }
  grand /= n * k;
  for (let i = 0; i < n; i++) rowMean[i] = rowMean[i]! / k;
  for (let j = 0; j < k; j++) colMean[j] = colMean[j]! / n;
  let ssRows = 0;
  let ssCols = 0;
  let ssError = 0;
  for (let i = 0; i < n; i++) ssRows += (rowMean[i]! - grand) ** 2;
  for (let j = 0; j < k; j++) ssCols += (colMean[j]! - grand) ** 2;
  ssRows *= k;
  ssCols *= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) ssError += (ratings[i]![j]! - rowMean[i]! - colMean[j]! + grand) ** 2;
  }
  const bms = ssRows / (n - 1);
  const jms = ssCols / (k - 1);
  const ems = ssError / ((n - 1) * (k - 1));
  const wms = (ssCols + ssError) / (n * (k - 1));

  const icc1 = (bms - wms) / (bms + (k - 1) * wms);
  const icc2 = (bms - ems) / (bms + (k - 1) * ems + (k * (jms - ems)) / n);
  const icc3 = (bms - ems) / (bms + (k - 1) * ems);
  const icc1k = (bms - wms) / bms;
  const icc2k = (bms - ems) / (bms + (jms - ems) / n);
  const icc3k = (bms - ems) / bms;

  const upperTail = 0.975;
  const single = (f: number): number => (f === Infinity ? 1 : (f - 1) / (f + k - 1));
  const spearmanBrown = (r: number): number => (k * r) / (1 + (k - 1) * r);

  // ICC(1): F = BMS/WMS on (n−1, n(k−1)) df.
  const f1 = bms / wms;
  const df1 = n * (k - 1);
  const ci1: [number, number] = [
    single(f1 / fQuantile(upperTail, n - 1, df1)),
    single(f1 * fQuantile(upperTail, df1, n - 1)),
  ];

  // ICC(3): F = BMS/EMS on (n−1, (n−1)(k−1)) df.
  const f3 = bms / ems;
  const df3 = (n - 1) * (k - 1);
  const ci3: [number, number] = [
    single(f3 / fQuantile(upperTail, n - 1, df3)),
    single(f3 * fQuantile(upperTail, df3, n - 1)),
  ];

  // ICC(2): Satterthwaite df for a·JMS + b·EMS (McGraw & Wong 1996, case 2A),
  // with a and b multiplied through by n(1 − ρ) so that ρ = 1 needs no special case.
  const a = k * icc2;
  const b = n * (1 + (k - 1) * icc2) - k * icc2;
  const v =
    (a * jms + b * ems) ** 2 / ((a * jms) ** 2 / (k - 1) + (b * ems) ** 2 / ((n - 1) * (k - 1)));
  let ci2: [number, number] = [NaN, NaN];
  if (Number.isFinite(v) && v > 0) {
    const fStar = fQuantile(upperTail, n - 1, v);
    const fStarStar = fQuantile(upperTail, v, n - 1);
    const c = k * jms + (k * n - k - n) * ems;
    ci2 = [(n * (bms - fStar * ems)) / (fStar * c + n * bms), (n * (fStarStar * bms - ems)) / (c + n * fStarStar * bms)];
  }

  const averaged = (ci: [number, number]): [number, number] => [spearmanBrown(ci[0]), spearmanBrown(ci[1])];
  return {
    icc1: { value: icc1, ci95: ci1 },
    icc2: { value: icc2, ci95: ci2 },
    icc3: { value: icc3, ci95: ci3 },
    icc1k: { value: icc1k, ci95: averaged(ci1) },
    icc2k: { value: icc2k, ci95: averaged(ci2) },
    icc3k: { value: icc3k, ci95: averaged(ci3) },
  };
}
