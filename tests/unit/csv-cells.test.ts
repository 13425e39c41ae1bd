import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv, type CsvValue } from '../../src/shared/csv-cells';
import { ROOT } from '../support/cli';

/** What a spreadsheet (or any RFC 4180 reader) gets back from a file we wrote. */
const readBack = (csv: string): string[][] => parse(csv, { relax_column_count: false }) as string[][];

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', '=1+1,"quoted"\r\nnext line'];

describe('CSV cells (formula injection)', () => {
  it('every CSV the app writes goes through the one shared writer', () => {
    const sources = (readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.(ts|svelte)$/.test(f));
    const text = (f: string) => readFileSync(join(ROOT, 'src', f), 'utf8');
    // Only one toCsv is written, and whoever calls one takes it from there (the renderer through its lib/csv).
    expect(sources.filter((f) => /function\s+toCsv\b|toCsv\s*=/.test(text(f)))).toEqual([join('shared', 'csv-cells.ts')]);
    expect(text('renderer/src/lib/csv.ts')).toMatch(/export \{ toCsv \} from '\.\.\/\.\.\/\.\.\/shared\/csv-cells'/);
    const callers = sources.filter((f) => /\btoCsv\(/.test(text(f)) && !f.endsWith('csv-cells.ts'));
    expect(callers).toContain(join('renderer', 'src', 'views', 'CalibrationView.svelte'));
    for (const f of callers) expect(text(f), f).toMatch(/import \{[^}]*\btoCsv\b[^}]*\} from '[./]*(lib\/csv|shared\/csv-cells)'/);
  });

  it.each(HOSTILE)('neutralises text that begins like a formula: %j', (name) => {
    const csv = toCsv(['interviewer', 'effect'], [[name, -0.25]]);
    const [header, row] = readBack(csv);
    expect(header).toEqual(['interviewer', 'effect']);
    // A quote first: the spreadsheet shows the text, runs nothing; the rest is the name as it was.
    expect(row).toEqual([`'${name}`, '-0.25']);
  });

  it('writes numbers exactly, negative ones included, and leaves ordinary text alone', () => {
    const values: CsvValue[] = [-0.25, -2, 0, 1e-7, 0.1 + 0.2, -1234567.891, 'Ana Lopez', 'O\'Brien', 'a-b', 'x=1', null];
    expect(readBack(toCsv(['v'], values.map((v) => [v]))).slice(1).map((r) => r[0])).toEqual(
      ['-0.25', '-2', '0', '1e-7', '0.30000000000000004', '-1234567.891', 'Ana Lopez', 'O\'Brien', 'a-b', 'x=1', ''],
    );
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('any text round-trips through a CSV reader, with a quote in front exactly when it begins like a formula', () => {
    const unit = fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' '), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    const text = fc.oneof(fc.string({ unit }), fc.constantFrom(...HOSTILE).chain((h) => fc.string({ unit }).map((s) => h + s)));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }), (cells) => {
        const [, row] = readBack(toCsv(['first', ...cells.map(() => 'next')], [['first', ...cells]]));
        expect(row).toEqual(['first', ...cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c))]);
      }),
      { numRuns: 300 },
    );
  });

  it('any finite number reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const [, row] = readBack(toCsv(['n'], [[n]]));
        expect(Number(row?.[0])).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 300 },
    );
  });
});
