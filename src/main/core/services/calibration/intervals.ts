import { fQuantile } from '../../../../shared/calibration';

/** Two-sided 95% quantile of Student's t with df degrees of freedom (t² is F(1, df)). */
export function t975(df: number): number {
  return Math.sqrt(fQuantile(0.95, 1, df));
}

/** Mean of paired differences with its 95% t interval; null below two pairs. */
export function meanWithInterval(values: readonly number[]): { difference: number; ci95: [number, number] } | null {
  const n = values.length;
  if (n < 2) return null;
  const m = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  const half = t975(n - 1) * Math.sqrt(variance / n);
  return { difference: m, ci95: [m - half, m + half] };
}
