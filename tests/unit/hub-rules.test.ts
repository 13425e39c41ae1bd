import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/main/hub/rate-limit';
import { mayPush } from '../../src/main/core/sync/sync-once';

describe('the hub rate limit', () => {
  it('lets a burst through, then one request per refill, each caller on its own', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 4, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([null, null, null, null]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeNull();
    now += 500;
    expect(limiter.take('a')).toBeNull();
    expect(limiter.take('a')).toBe(1);
    now += 10_000;
    expect([1, 2, 3, 4, 5].map(() => limiter.take('a'))).toEqual([null, null, null, null, 1]);
  });
});

describe('what a desktop offers the hub', () => {
  it('pushes an interviewer\'s own work only, a hiring manager\'s records too but never others\' signed work, and nothing for an admin', () => {
    const records = [
      { key: 'scorecards/1', mine: 1 },
      { key: 'scorecards/2', mine: 0 },
      { key: 'revotes/3', mine: 0 },
      { key: 'key-events/4', mine: 0 },
      { key: 'candidates/5', mine: 0 },
      { key: 'interviewers/6', mine: 1 },
      { key: 'interviewers/7', mine: 0 },
    ];
    const keys = (role: Parameters<typeof mayPush>[1]) => records.filter((r) => mayPush(r, role)).map((r) => r.key);
    expect(keys('interviewer')).toEqual(['scorecards/1', 'interviewers/6']);
    expect(keys('hiring-manager')).toEqual(['scorecards/1', 'candidates/5', 'interviewers/6', 'interviewers/7']);
    expect(keys('admin')).toEqual([]);
    expect(keys(null)).toEqual(['scorecards/1', 'interviewers/6']);
  });
});
