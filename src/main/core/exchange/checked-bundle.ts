import type { Bundle } from '../../../shared/bundle';
import { arrived, revisionIntegrityProblem } from '../provenance/revisions';
import { readBundle } from './read';

/**
 * A bundle read and its signatures checked, ready for the importer: for every scorecard (by its
 * index in the bundle) and every revision of it (by index), why that revision cannot be trusted on
 * its own terms, or null. Whether its key may sign for its author depends on this database, so the
 * importer asks that itself.
 */
export interface CheckedBundle {
  bundle: Bundle;
  revisionProblems: (string | null)[][];
}

export interface CheckProgress {
  phase: 'reading' | 'verifying';
  done: number;
  total: number;
}

/** One of `of` equal shares of the scorecards: every `of`-th, starting at `index`. */
export interface Share {
  index: number;
  of: number;
}

export const WHOLE: Share = { index: 0, of: 1 };

/** How often (in revisions) a share says how far it got. */
const PROGRESS_EVERY = 250;

export function revisionCount(bundle: Bundle): number {
  let total = 0;
  for (const scorecard of bundle.scorecards) total += scorecard.revisions.length;
  return total;
}

/** Checks the revisions of one share of the scorecards; the other shares' entries stay empty. */
export function checkRevisions(bundle: Bundle, share: Share, onVerified?: (done: number) => void): (string | null)[][] {
  const problems: (string | null)[][] = [];
  let done = 0;
  bundle.scorecards.forEach((scorecard, s) => {
    if (s % share.of !== share.index) return;
    problems[s] = scorecard.revisions.map((r) => {
      let problem: string | null;
      try {
        problem = revisionIntegrityProblem(arrived(scorecard.id, r));
      } catch {
        // Only a share whose records were not checked against the bundle format can get here; the
        // share that checks the format refuses the whole file.
        problem = 'it is not a revision in the bundle format';
      }
      if (++done % PROGRESS_EVERY === 0) onVerified?.(done);
      return problem;
    });
  });
  onVerified?.(done);
  return problems;
}

/** Reads and checks a bundle on the calling thread (the core's tests; the app uses workers). */
export function checkBundleHere(file: Buffer): CheckedBundle {
  const bundle = readBundle(file);
  return { bundle, revisionProblems: checkRevisions(bundle, WHOLE) };
}
