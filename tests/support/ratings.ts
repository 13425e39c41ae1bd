import { criterionLabel, type IndexedRatings } from '../../src/main/core/services/calibration/ratings';

export interface RatingInput {
  interview: string;
  candidate: string;
  rater: string;
  session: string;
  criterion: string;
  score: number;
}

function interner() {
  const names: string[] = [];
  const index = new Map<string, number>();
  return { names, of: (name: string) => index.get(name) ?? index.set(name, names.push(name) - 1).get(name)! };
}

/** IndexedRatings straight from rows (grouped by candidate, then interview), without a database. */
export function indexedRatings(rows: readonly RatingInput[]): IndexedRatings {
  const [interviews, candidates, raters, sessions, criteria] = [interner(), interner(), interner(), interner(), interner()];
  const column = (pick: (row: RatingInput) => number) => Int32Array.from(rows, pick);
  return {
    n: rows.length,
    interview: column((r) => interviews.of(r.interview)),
    candidate: column((r) => candidates.of(r.candidate)),
    rater: column((r) => raters.of(r.rater)),
    session: column((r) => sessions.of(r.session)),
    criterion: column((r) => criteria.of(criterionLabel(r.session, r.criterion))),
    score: Float64Array.from(rows, (r) => r.score),
    interviews: interviews.names.length,
    interviewId: (i) => interviews.names[i]!,
    candidateIds: candidates.names,
    raterIds: raters.names,
    sessionKinds: sessions.names,
    criteria: criteria.names,
    scaleMax: 4,
  };
}
