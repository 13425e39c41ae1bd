import type { BundleKind } from '../../../shared/bundle';
import type { AppErrorShape } from '../../../shared/result';
import { countOf, listing } from './format';

/**
 * .panelist files in the renderer: their bytes as base64 (the way they cross the contract), saved
 * the way a browser saves a file, and their counts said in words. Only types come from
 * shared/bundle.ts: its values would bring zod (the schemas) into the renderer's bundle.
 */

/**
 * The largest .panelist file an import reads (BUNDLE_MAX_FILE_BYTES in shared/bundle.ts, which
 * the renderer cannot import without zod). Checked here only to refuse a huge file before
 * encoding it; the core checks it again and has the last word.
 */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

/** Base64 of bytes, in slices (a spread of millions of arguments would overflow the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  const SLICE = 0x8000;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + SLICE)));
  }
  return btoa(parts.join(''));
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** "12.3 KB", "1.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The core counts records by kind ("rubric versions"); each kind in the singular and plural. */
const NOUNS: Record<string, [string, string]> = {
  interviewers: ['interviewer', 'interviewers'],
  'rubric versions': ['rubric version', 'rubric versions'],
  roles: ['role', 'roles'],
  candidates: ['candidate', 'candidates'],
  interviews: ['interview', 'interviews'],
  scorecards: ['scorecard', 'scorecards'],
  erasures: ['erasure', 'erasures'],
  'key changes': ['key change', 'key changes'],
  drafts: ['draft', 'drafts'],
};

/** "1 role, 2 candidates and 4 rubric versions", or `none` when there is nothing. */
export function describeCounts(counts: Record<string, number>, none = 'nothing'): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = NOUNS[kind] ?? [kind.replace(/s$/, ''), kind];
      return countOf(n, one, many);
    });
  return parts.length ? listing(parts) : none;
}

export const KIND_LABELS: Record<BundleKind, string> = {
  'panel-kit': 'panel kit',
  scorecards: 'scorecards bundle',
  full: 'full bundle',
};

/** Open conflicts by the core's kind, in words. */
export const CONFLICT_LABELS: Record<string, string> = {
  'scorecard-fork': 'Two versions of one scorecard',
  record: 'Record changed on two machines',
  key: 'Signing key',
  'draft-superseded': 'Your draft and a submitted version',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The interviewer whose new key a refusal asks the user to accept, or null when the refusal is
 * about something else. The core refuses a scorecard signed by another key than the one pinned
 * with "… accept it explicitly (--accept-key ID)." and no path; the id is taken from the error's
 * path when the core puts it there, and until then from that one token of the message. Nothing
 * else is read from the message, which is shown as it is.
 */
export function keyToAccept(error: AppErrorShape): string | null {
  if (error.code !== 'invalid_input') return null;
  if (error.path && UUID.test(error.path)) return error.path;
  const token = /--accept-key ([0-9a-f-]{36})\b/i.exec(error.message)?.[1];
  return token && UUID.test(token) ? token : null;
}

const INSTANT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)/g;
const interviewTime = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

/**
 * A line from the core with its ISO times in the reader's zone and words: the core writes the
 * interview's time in a panel kit's "for me" lines as an ISO instant ("…, 2026-11-27T14:00:00.000Z."),
 * which reads as "…, Fri, Nov 27, 3:00 PM." here. Nothing else in the line changes.
 */
export function withLocalTimes(line: string): string {
  return line.replace(INSTANT, (iso) => {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? iso : interviewTime.format(at);
  });
}
