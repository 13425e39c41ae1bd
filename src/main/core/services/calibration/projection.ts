import type { CalibrationKeyKind, CalibrationProjectionRepository, CandidateScoreRow } from '../../repositories/calibration-projection';
import type { CoreContext } from '../../context';
import { encodeScorecards, type ProjectedScorecard } from './projection-format';
import { criterionLabel } from './ratings';

/** Keys looked up once per refresh. */
function keyCache(repo: CalibrationProjectionRepository) {
  const known = new Map<string, number>();
  return (kind: CalibrationKeyKind, name: string): number => {
    const id = `${kind}\u0000${name}`;
    let key = known.get(id);
    if (key === undefined) known.set(id, (key = repo.keyOf(kind, name)));
    return key;
  };
}

/** Scorecards grouped by interview (in time order), each scorecard's scores in rubric order. */
function inProjectionOrder(rows: CandidateScoreRow[]): CandidateScoreRow[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => text(a[5], b[5]) || text(a[2], b[2]) || text(a[3], b[3]) || a[8] - b[8]);
}

function project(rows: readonly CandidateScoreRow[], keyOf: ReturnType<typeof keyCache>): ProjectedScorecard[] {
  const scorecards: ProjectedScorecard[] = [];
  let current: ProjectedScorecard | undefined;
  let currentInterview = '';
  let currentInterviewer = '';
  for (const [, , interviewId, interviewerId, sessionKind, scheduledAt, scaleMax, title, , score] of rows) {
    if (!current || interviewId !== currentInterview || interviewerId !== currentInterviewer) {
      current = {
        interviewKey: keyOf('interview', interviewId),
        interviewerKey: keyOf('interviewer', interviewerId),
        sessionKey: keyOf('session', sessionKind),
        scheduledAt: Date.parse(scheduledAt),
        scaleMax,
        scores: [],
      };
      scorecards.push(current);
      currentInterview = interviewId;
      currentInterviewer = interviewerId;
    }
    current.scores.push({ criterionKey: keyOf('criterion', criterionLabel(sessionKind, title)), score });
  }
  return scorecards;
}

/** Stale candidates are rebuilt this many at a time: one query each, and bounded memory after a bulk load. */
const BATCH = 500;

/**
 * Rebuilds the projection rows of the candidates the triggers marked stale, in one transaction,
 * and moves the version on. Cheap when nothing changed; after a bulk load it rebuilds them all.
 */
export function refreshProjection(ctx: CoreContext): void {
  const repo = ctx.repos.calibrationProjection;
  if (!repo.hasStale()) return;
  ctx.db
    .transaction(() => {
      const keyOf = keyCache(repo);
      for (let after = ''; ; ) {
        const batch = repo.staleCandidates(after, BATCH);
        if (batch.length === 0) break;
        const last = batch.at(-1)!;
        const byCandidate = new Map<string, CandidateScoreRow[]>();
        for (const row of repo.staleScores(after, last)) (byCandidate.get(row[0]) ?? byCandidate.set(row[0], []).get(row[0])!).push(row);
        for (const candidateId of batch) {
          const rows = byCandidate.get(candidateId);
          if (!rows) repo.remove(candidateId);
          else repo.put(candidateId, rows[0]![1], encodeScorecards(project(inProjectionOrder(rows), keyOf)), rows.length);
        }
        after = last;
      }
      repo.clearStale();
      repo.bumpVersion();
    })
    .immediate();
}
