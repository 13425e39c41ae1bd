import { plural } from '../../../shared/plural';
import { isTimeZone } from '../../../shared/time-zone';
/**
 * Interview times on screen. The core stores UTC (ISO 8601); the screen shows the viewer's own
 * zone, with the candidate's wall-clock time beside it when it differs. A date-and-time field
 * (`<input type="datetime-local">`) holds a local time without a zone, read in the viewer's zone.
 */

/** The viewer's time zone (IANA name), as the browser knows it. */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Every IANA time zone the browser knows, for a datalist (empty on a browser without the list). */
export function timeZones(): string[] {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

export { isTimeZone };

/** "14:00" where the locale counts 24 hours, "2:00 PM" where it counts 12. */
const HOUR: 'numeric' | '2-digit' = /h2[34]/.test(new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '') ? '2-digit' : 'numeric';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-12-03T14:00": the value of a datetime-local field for this instant, in the viewer's zone. */
export function toLocalInput(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant a datetime-local value names in the viewer's zone, as UTC ISO 8601; null when it is not one. */
export function fromLocalInput(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The next working day at the given hour, in the viewer's zone (a sensible first slot for a loop). */
export function nextWorkingDayAt(hour: number, now = new Date()): Date {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, hour, 0, 0, 0);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  return d;
}

type Parts = { year: string; month: string; day: string; hour: string; minute: string };

function partsIn(date: Date, timeZone: string | undefined): Parts {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

const sameDay = (a: Parts, b: Parts) => a.year === b.year && a.month === b.month && a.day === b.day;

/** "Tue 3 Dec, 14:00" in the viewer's locale and zone (the year only when it is not this year). */
export function formatDay(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: HOUR, minute: '2-digit' };
  if (d.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(undefined, options).format(d);
}

function formatTime(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: HOUR, minute: '2-digit', timeZone }).format(date);
}

/**
 * The candidate's wall-clock time for this instant, "09:00" (with the weekday when their day is
 * not the viewer's: "Mon 23:00"), or null when it reads the same as the viewer's or no valid
 * zone is recorded.
 */
export function candidateTime(iso: string, candidateZone: string): string | null {
  if (!candidateZone || !isTimeZone(candidateZone)) return null;
  const date = new Date(iso);
  const theirs = partsIn(date, candidateZone);
  const mine = partsIn(date, undefined);
  if (sameDay(theirs, mine) && theirs.hour === mine.hour && theirs.minute === mine.minute) return null;
  const time = formatTime(date, candidateZone);
  if (sameDay(theirs, mine)) return time;
  const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: candidateZone }).format(date);
  return `${weekday} ${time}`;
}

/**
 * "Tue 3 Dec, 14:00–15:00 (09:00 for the candidate, America/New_York)": an interview's time in
 * the viewer's zone, with the candidate's beside it when it differs.
 */
export function formatInterviewTime(iso: string, durationMinutes: number, candidateZone = ''): string {
  const end = new Date(Date.parse(iso) + durationMinutes * 60_000);
  const main = `${formatDay(iso)}–${formatTime(end)}`;
  const theirs = candidateTime(iso, candidateZone);
  return theirs ? `${main} (${theirs} for the candidate, ${candidateZone})` : main;
}

/**
 * "just now", "2 min ago", "3 hours ago", "2 days ago", then "on Tue 3 Dec, 14:00": how long ago
 * something happened, for a line that is re-read every minute or so (the caller passes `now`). A
 * time ahead of `now` (another machine's clock) reads "just now".
 */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (Number.isNaN(seconds)) return '';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${plural(days, 'day')} ago`;
  return `on ${formatDay(iso, new Date(now))}`;
}
