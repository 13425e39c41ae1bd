/**
 * How a candidate's submitted scorecards are packed in calibration_candidates.scorecards:
 * one record after another, little-endian,
 *
 *   int32 interview key, int32 interviewer key, int32 session key, float64 scheduled at (epoch ms),
 *   int32 scale max, int32 score count, then per score one int32: criterion key × 8 + score
 *   (scores are 1–7).
 *
 * Keys are rows of calibration_keys. The records of an interview are contiguous.
 */
export interface ProjectedScorecard {
  interviewKey: number;
  interviewerKey: number;
  sessionKey: number;
  scheduledAt: number;
  scaleMax: number;
  scores: { criterionKey: number; score: number }[];
}

const HEADER_BYTES = 28;
const SCORE_BYTES = 4;
const SCORE_BITS = 3;
const SCORE_MASK = (1 << SCORE_BITS) - 1;

export function encodeScorecards(scorecards: readonly ProjectedScorecard[]): Buffer {
  const bytes = scorecards.reduce((sum, s) => sum + HEADER_BYTES + s.scores.length * SCORE_BYTES, 0);
  const out = Buffer.alloc(bytes);
  let at = 0;
  for (const s of scorecards) {
    at = out.writeInt32LE(s.interviewKey, at);
    at = out.writeInt32LE(s.interviewerKey, at);
    at = out.writeInt32LE(s.sessionKey, at);
    at = out.writeDoubleLE(s.scheduledAt, at);
    at = out.writeInt32LE(s.scaleMax, at);
    at = out.writeInt32LE(s.scores.length, at);
    for (const { criterionKey, score } of s.scores) {
      if (!Number.isInteger(score) || score < 1 || score > SCORE_MASK) throw new RangeError(`calibration projection: score ${score} is not a whole number from 1 to ${SCORE_MASK}`);
      at = out.writeInt32LE(criterionKey * (SCORE_MASK + 1) + score, at);
    }
  }
  return out;
}

/** Walks the records of one packed value without allocating one object per scorecard. */
export class ScorecardCursor {
  interviewKey = 0;
  interviewerKey = 0;
  sessionKey = 0;
  scheduledAt = 0;
  scaleMax = 0;
  count = 0;
  private readonly view: DataView;
  private at = 0;
  private scoresAt = 0;

  constructor(packed: Uint8Array) {
    this.view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  }

  /** Moves to the next record; false when there is none. */
  next(): boolean {
    const view = this.view;
    if (this.at >= view.byteLength) return false;
    if (this.at + HEADER_BYTES > view.byteLength) throw new RangeError('calibration projection: a scorecard record is cut short');
    this.interviewKey = view.getInt32(this.at, true);
    this.interviewerKey = view.getInt32(this.at + 4, true);
    this.sessionKey = view.getInt32(this.at + 8, true);
    this.scheduledAt = view.getFloat64(this.at + 12, true);
    this.scaleMax = view.getInt32(this.at + 20, true);
    this.count = view.getInt32(this.at + 24, true);
    this.scoresAt = this.at + HEADER_BYTES;
    this.at = this.scoresAt + this.count * SCORE_BYTES;
    if (this.count < 0 || this.at > view.byteLength) throw new RangeError('calibration projection: a scorecard record is cut short');
    return true;
  }

  /** The k-th score of the record, as one word: see criterionKeyOf and scoreOf. */
  scoreWord(k: number): number {
    return this.view.getInt32(this.scoresAt + k * SCORE_BYTES, true);
  }
}

export function criterionKeyOf(scoreWord: number): number {
  return scoreWord >> SCORE_BITS;
}

export function scoreOf(scoreWord: number): number {
  return scoreWord & SCORE_MASK;
}
