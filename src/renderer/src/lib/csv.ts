/** RFC 4180 CSV with formula-like text neutralised and numbers exact: the shared writer (src/shared/csv-cells.ts). */
export { toCsv } from '../../../shared/csv-cells';

export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Two decimals for reading; exports keep the exact value. */
export function round2(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(2);
}
