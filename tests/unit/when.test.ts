// The renderer's time helpers, in a fixed zone: the viewer is in UTC here.
process.env.TZ = 'UTC';

import { describe, expect, it } from 'vitest';
import { candidateTime, formatAgo, formatInterviewTime, fromLocalInput, nextWorkingDayAt, toLocalInput, viewerZone } from '../../src/renderer/src/lib/when';

describe('interview times on screen', () => {
  it('reads a datetime-local value in the viewer zone and writes it back', () => {
    expect(viewerZone()).toBe('UTC');
    expect(fromLocalInput('2026-12-03T14:00')).toBe('2026-12-03T14:00:00.000Z');
    expect(toLocalInput('2026-12-03T14:00:00.000Z')).toBe('2026-12-03T14:00');
    expect(toLocalInput(fromLocalInput('2026-02-28T23:45') ?? '')).toBe('2026-02-28T23:45');
  });

  it('refuses what is not a date and time', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-12-03')).toBeNull();
    expect(fromLocalInput('tomorrow at ten')).toBeNull();
  });

  it("says the candidate's time only when it reads differently, with the weekday when their day differs", () => {
    expect(candidateTime('2026-12-03T14:00:00Z', '')).toBeNull();
    expect(candidateTime('2026-12-03T14:00:00Z', 'Europe/London')).toBeNull(); // GMT in December: the same clock
    expect(candidateTime('2026-12-03T14:00:00Z', 'Not/AZone')).toBeNull();
    expect(candidateTime('2026-12-03T14:00:00Z', 'Asia/Kolkata')).toMatch(/^0?7:30\sPM$|^19:30$/);
    expect(candidateTime('2026-12-03T02:00:00Z', 'America/New_York')).toMatch(/^Wed /);
  });

  it('writes an interview as its span, with the candidate beside it', () => {
    const text = formatInterviewTime('2026-12-03T14:00:00Z', 60, 'Asia/Kolkata');
    expect(text).toContain('for the candidate, Asia/Kolkata)');
    expect(formatInterviewTime('2026-12-03T14:00:00Z', 45, '')).not.toContain('candidate');
  });

  it('suggests the next working day', () => {
    // Friday 4 Dec 2026 → Monday 7 Dec, 10:00.
    const next = nextWorkingDayAt(10, new Date('2026-12-04T16:00:00Z'));
    expect(next.toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });
});

describe('how long ago, for the team hub status line', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const ago = (seconds: number) => formatAgo(new Date(now - seconds * 1000).toISOString(), now);
  it('counts minutes, hours and days, then names the day', () => {
    expect(ago(59)).toBe('just now');
    expect(ago(60)).toBe('1 min ago');
    expect(ago(59 * 60)).toBe('59 min ago');
    expect(ago(3600)).toBe('1 hour ago');
    expect(ago(5 * 3600)).toBe('5 hours ago');
    expect(ago(6 * 86_400)).toBe('6 days ago');
    expect(ago(8 * 86_400)).toMatch(/^on Sun, Nov 22/);
    expect(formatAgo('not a time', now)).toBe('');
  });
});
