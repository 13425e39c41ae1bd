import { describe, expect, it } from 'vitest';
import { plural } from '../../src/shared/plural';

describe('plural', () => {
  it('writes one in the singular and every other count, zero included, in the plural', () => {
    expect(plural(1, 'role')).toBe('1 role');
    expect(plural(2, 'role')).toBe('2 roles');
    expect(plural(0, 'scorecard')).toBe('0 scorecards');
    expect(plural(1, 'criterion', 'criteria')).toBe('1 criterion');
    expect(plural(5, 'criterion', 'criteria')).toBe('5 criteria');
  });

  it('lets the caller format the number', () => {
    expect(plural(12_345, 'candidate', undefined, (n) => n.toLocaleString('en'))).toBe('12,345 candidates');
    expect(plural(1, 'candidate', undefined, (n) => n.toLocaleString('en'))).toBe('1 candidate');
  });
});
