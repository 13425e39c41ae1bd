import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, describeCounts, fileSize, keyToAccept, withLocalTimes } from '../../src/renderer/src/lib/bundle-files';

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

  it('finds the interviewer whose key to accept in the path when the core puts it there, else in the --accept-key token only', () => {
    const id = '01a22fba-ef78-719b-b5b5-62b650238a6a';
    const message = `Ana Lee's key in this bundle (AB47) is not the one pinned here (23E5). Their scorecards in it cannot be trusted: if you know the key changed, accept it explicitly (--accept-key ${id}).`;
    expect(keyToAccept({ code: 'invalid_input', message })).toBe(id);
    expect(keyToAccept({ code: 'invalid_input', message: 'refused', path: id })).toBe(id);
    expect(keyToAccept({ code: 'invalid_input', message: `Interview ${id} has panelist x, whom neither the bundle nor this database has.`, path: 'interviews.0.panel.0.interviewerId' })).toBeNull();
    expect(keyToAccept({ code: 'internal', message })).toBeNull();
  });

  it("writes the core's ISO times in the reader's words and leaves the rest of the line alone", () => {
    const line = withLocalTimes('You are on the Architecture panel for Jane Doe, 2026-11-27T14:00:00.000Z.');
    expect(line).toMatch(/^You are on the Architecture panel for Jane Doe, .*Nov.*27.*\.$/);
    expect(line).not.toContain('2026-11-27T');
    expect(withLocalTimes('Nothing to see, 2026-13-99T99:99Z.')).toBe('Nothing to see, 2026-13-99T99:99Z.');
  });
});
