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

function project(rows: readonly CandidateScoreRow[], keyOf: ReturnType<typeof keyCache>): ProjectedScorecard[] {
  const scorecards: ProjectedScorecard[] = [];
  let current: ProjectedScorecard | undefined;
  let currentInterview = '';
  let currentInterviewer = '';
  for (const [, interviewId, interviewerId, sessionKind, scheduledAt, scaleMax, title, score] of rows) {
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
      for (const candidateId of repo.staleCandidates()) {
        const rows = repo.candidateScores(candidateId);
        if (rows.length === 0) repo.remove(candidateId);
        else repo.put(candidateId, rows[0]![0], encodeScorecards(project(rows, keyOf)), rows.length);
      }
      repo.clearStale();
      repo.bumpVersion();
    })
    .immediate();
}
