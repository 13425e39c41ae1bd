import { describe, expect, it } from 'vitest';
import { criterionKeyOf, encodeScorecards, ScorecardCursor, scoreOf, type ProjectedScorecard } from '../../src/main/core/services/calibration/projection-format';

function decode(packed: Uint8Array): ProjectedScorecard[] {
  const out: ProjectedScorecard[] = [];
  const cursor = new ScorecardCursor(packed);
  while (cursor.next()) {
    const { interviewKey, interviewerKey, sessionKey, scheduledAt, scaleMax } = cursor;
    out.push({ interviewKey, interviewerKey, sessionKey, scheduledAt, scaleMax, scores: Array.from({ length: cursor.count }, (_, k) => ({ criterionKey: criterionKeyOf(cursor.scoreWord(k)), score: scoreOf(cursor.scoreWord(k)) })) });
  }
  return out;
}

describe('the packed scorecards of the calibration projection', () => {
  const scorecards: ProjectedScorecard[] = [
    { interviewKey: 1, interviewerKey: 2, sessionKey: 3, scheduledAt: Date.parse('2026-11-28T09:30:00.000Z'), scaleMax: 4, scores: [{ criterionKey: 4, score: 1 }, { criterionKey: 5, score: 4 }] },
    { interviewKey: 1, interviewerKey: 9, sessionKey: 3, scheduledAt: Date.parse('2026-11-28T09:30:00.000Z'), scaleMax: 7, scores: [{ criterionKey: 123_456_789, score: 7 }] },
    { interviewKey: 10, interviewerKey: 2, sessionKey: 11, scheduledAt: Date.parse('2031-02-03T04:05:06.789Z'), scaleMax: 5, scores: [] },
  ];

  it('reads back what was written, at any offset in its buffer', () => {
    const packed = encodeScorecards(scorecards);
    expect(decode(packed)).toEqual(scorecards);
    const shifted = new Uint8Array(packed.length + 3);
    shifted.set(packed, 3);
    expect(decode(shifted.subarray(3))).toEqual(scorecards);
  });

  it('refuses a record cut short and a score it cannot hold', () => {
    const packed = encodeScorecards(scorecards);
    expect(() => decode(packed.subarray(0, packed.length - 1))).toThrow(/cut short/);
    expect(() => encodeScorecards([{ ...scorecards[0]!, scores: [{ criterionKey: 1, score: 8 }] }])).toThrow(/score 8 is not a whole number from 1 to 7/);
  });
});
