// How Panelist writes a CSV, the one implementation for every file it writes (the renderer's
// exports and anything the main process may write). Free of zod and of Node: the renderer imports it.

/** A cell as the caller has it: text, an exact number, or nothing. */
export type CsvValue = string | number | null;

/**
 * What a spreadsheet takes for the start of a formula (or, for tab and carriage return, hides in
 * front of one): a text cell that begins with one of these could run as a formula when opened.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell, ready to join with commas. A text cell that begins like a formula gets a single quote
 * in front (the OWASP advice on CSV injection), so a spreadsheet shows it as text; a number is
 * written exactly as it is (-0.25 stays -0.25 and stays a number); a number that is not finite,
 * and null, are an empty cell. A cell with a comma, a quote or a line break is quoted (RFC 4180).
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: a header line and one line per row, CRLF line ends (RFC 4180), every cell through csvCell. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
