import { plural } from '../../../shared/plural';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const whole = new Intl.NumberFormat();
const andList = new Intl.ListFormat('en', { type: 'conjunction' });

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatCount(n: number): string {
  return whole.format(n);
}

/** "1 candidate", "1,234 candidates": a formatted count with its noun in the right number. */
export function countOf(n: number, one: string, many?: string): string {
  return plural(n, one, many, formatCount);
}

/** "a, b and c" (English list, Oxford comma as Intl writes it). */
export function listing(items: string[]): string {
  return andList.format(items);
}
