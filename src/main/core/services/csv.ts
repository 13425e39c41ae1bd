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
  let rows: { record: string[]; info: { bytes: number } }[];
  try {
    rows = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false, trim: false }) as unknown as typeof rows;
  } catch (error) {
    const e = error as { lines?: number; message?: string; code?: string };
    const why = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quote is opened and never closed' : e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? 'it has a different number of fields from the header' : (e.message ?? 'it cannot be read');
    throw new AppError('invalid_input', `csv: line ${e.lines ?? '?'} is not valid CSV: ${why}. Nothing was imported.`, 'csv');
  }
  const lineOfByte = lineCounter(text);
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
  // A record starts where the one before it ended (the parser's own line count is off after a CRLF inside quotes).
  let startByte = header.info.bytes;
  return body.map(({ record, info }) => {
    const line = lineOfByte(startByte);
    startByte = info.bytes;
    const values: Record<string, string> = {};
    for (const column of columns) values[column.name] = (record[index.get(column.name) ?? -1] ?? '').trim();
    return { line, values };
  });
}

/** The line (from 1) on which a byte offset of the UTF-8 text falls, for offsets asked in increasing order. */
function lineCounter(text: string): (byte: number) => number {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let line = 1;
  return (byte) => {
    for (; at < byte && at < bytes.length; at++) if (bytes[at] === 0x0a) line++;
    return line;
  };
}
