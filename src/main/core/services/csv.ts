import { parse } from 'csv-parse/sync';
import { AppError } from '../../../shared/result';

/** One record of a CSV file, by lower-cased header name, with the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  values: Record<string, string>;
}

/** A column an import reads: its name, other spellings of the header, and whether it must be there. */
export interface CsvColumn {
  name: string;
  aliases?: readonly string[];
  required: boolean;
}

const normalise = (header: string) => header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/**
 * Reads an RFC 4180 file (quoted fields, embedded commas and newlines, a UTF-8 BOM, CRLF) with a
 * well-kept parser. Headers match case-insensitively (and "time_zone" matches "Time zone"). A
 * malformed file, or one without a required column, is refused as a whole with its line number.
 */
export function readCsv(text: string, columns: readonly CsvColumn[]): CsvRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false, trim: false }) as unknown as typeof rows;
  } catch (error) {
    const e = error as { lines?: number; message?: string; code?: string };
    const why = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote is opened and never closed' : e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'it has a different number of fields from the header' : (e.message ?? 'it cannot be read');
    throw new AppError('invalid_input', `csv: line ${e.lines ?? '?'} is not valid CSV: ${why}. Nothing was imported.`, 'csv');
  }
  const [header, ...body] = rows;
  if (!header) throw new AppError('invalid_input', 'csv: the file is empty: it needs a header line and one line per record.', 'csv');
  const names = header.record.map(normalise);
  const index = new Map<string, number>();
  for (const column of columns) {
    const found = [column.name, ...(column.aliases ?? [])].map(normalise).map((n) => names.indexOf(n)).find((i) => i >= 0);
    if (found !== undefined) index.set(column.name, found);
    else if (column.required) {
      throw new AppError('invalid_input', `csv: line 1 has no "${column.name}" column (the header has: ${header.record.join(', ') || 'nothing'}).`, 'csv');
    }
  }
  return body.map(({ record, info }) => {
    const newlines = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0);
    const values: Record<string, string> = {};
    for (const column of columns) values[column.name] = (record[index.get(column.name) ?? -1] ?? '').trim();
    return { line: info.lines - newlines, values };
  });
}
