import type { CalibrationFilters, Outcomes } from '../../../../shared/calibration-report';
import type { Recommendation } from '../../../../shared/constants';
import type { Decision } from '../../../../shared/decisions';
import type { CoreContext } from '../../context';

const SAYS_HIRE: Record<Recommendation, boolean> = { strong_yes: true, yes: true, no: false, strong_no: false };

function matches(recommendation: Recommendation, decision: Decision): boolean {
  return SAYS_HIRE[recommendation] === (decision === 'hire');
}

/**
 * Did recommendations match the decisions? Per interviewer and per session, of every submitted
 * recommendation for a candidate decided hire or no hire (holds say neither). Read fresh each time:
 * decisions change without touching the ratings the rest of the report is cached on.
 */
export function outcomes(ctx: CoreContext, filters: CalibrationFilters, hidden: ReadonlySet<string>, raterName: (id: string) => string): Outcomes {
  const rows = ctx.repos.calibration
    .decidedRecommendations(filters.roleId ?? null)
    .filter((r) => r.decision !== 'hold' && !hidden.has(r.candidateId) && (!filters.sessionKind || r.sessionKind === filters.sessionKind));
  const candidates = new Set(rows.map((r) => r.candidateId)).size;
  if (candidates === 0) {
    return {
      available: false,
      message: 'No hire or no-hire decisions are recorded yet: once they are, this shows how often each interviewer’s recommendation matched the decision.',
      candidates: 0,
      byInterviewer: [],
      bySession: [],
    };
  }
  const tally = <K extends string>(key: (r: (typeof rows)[number]) => K) => {
    const counts = new Map<K, { scorecards: number; matched: number }>();
    for (const r of rows) {
      const c = counts.get(key(r)) ?? { scorecards: 0, matched: 0 };
      c.scorecards++;
      if (matches(r.recommendation, r.decision)) c.matched++;
      counts.set(key(r), c);
    }
    return [...counts].sort((a, b) => b[1].scorecards - a[1].scorecards || a[0].localeCompare(b[0]));
  };
  const matched = rows.filter((r) => matches(r.recommendation, r.decision)).length;
  return {
    available: true,
    message: `${matched.toLocaleString('en')} of ${rows.length.toLocaleString('en')} recommendations matched the decision, over ${candidates.toLocaleString('en')} decided ${candidates === 1 ? 'candidate' : 'candidates'} (holds left out).`,
    candidates,
    byInterviewer: tally((r) => r.interviewerId).map(([interviewerId, c]) => ({ interviewerId, name: raterName(interviewerId), ...c })),
    bySession: tally((r) => r.sessionKind).map(([sessionKind, c]) => ({ sessionKind, ...c })),
  };
}
