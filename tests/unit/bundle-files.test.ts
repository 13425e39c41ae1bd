import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, describeCounts, fileSize } from '../../src/renderer/src/lib/bundle-files';

describe('the renderer side of .panelist files', () => {
  it('encodes bytes as the base64 the contract takes, in slices, and back', () => {
    for (const size of [0, 1, 2, 3, 0x8000 - 1, 0x8000, 0x8000 * 3 + 7]) {
      const bytes = new Uint8Array(randomBytes(size));
      const encoded = bytesToBase64(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(encoded)).toEqual(bytes);
    }
  });

  it('says counts in words, and nothing as nothing', () => {
    expect(describeCounts({ roles: 1, candidates: 2, 'rubric versions': 4, interviews: 0 })).toBe('1 role, 2 candidates, and 4 rubric versions');
    expect(describeCounts({ scorecards: 0 })).toBe('nothing');
    expect(describeCounts({ widgets: 2, erasures: 1 })).toBe('2 widgets and 1 erasure');
    expect(fileSize(12)).toBe('12 bytes');
    expect(fileSize(9_300)).toBe('9.1 KB');
    expect(fileSize(64 * 1024 * 1024)).toBe('64.0 MB');
  });
});
