import type { Recommendation } from '../../../shared/constants';
import { RECOMMENDATIONS } from '../../../shared/constants';
import type { Debrief, DebriefSession, DecisionRevision, Disagreement, Vote } from '../../../shared/decisions';
import type { RubricVersionView, Scorecard } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { signedStatement } from '../provenance/revisions';
import type { DecisionRow } from '../repositories/decisions';
import { assertMayReadPanelOf, recordPanelSeen } from '../visibility';
import { candidateAdjustment, leniencyContext } from './calibration';

/**
 * The candidate's debrief, for the hiring manager: per session and criterion everyone's scores, raw
 * and adjusted for their leniency, the anchor of the level chosen and the evidence; the votes in
 * two rounds; the disagreements, widest first; the decision and its history. Independent scoring
 * holds (refused while I hold an unsubmitted seat on this candidate's loop); private notes never
 * appear; reading it counts as having seen the panel.
 */
export function debrief(ctx: CoreContext, candidateId: string): Debrief {
  const { repos } = ctx;
  return ctx.db.transaction((): Debrief => {
    const candidate = repos.candidates.get(candidateId);
    if (!candidate) throw new AppError('not_found', `No candidate with id ${candidateId}.`, 'candidateId');
    assertMayReadPanelOf(ctx, candidateId, candidate.name);
    const names = new Map(repos.interviewers.list(null).map((i) => [i.id, i.name]));
    const person = (id: string) => ({ id, name: names.get(id) ?? 'Former interviewer' });
    const leniency = leniencyContext(ctx);
    const rubrics = new Map<string, RubricVersionView | undefined>();
    const rubricOf = (id: string) => (rubrics.has(id) ? rubrics.get(id) : rubrics.set(id, repos.rubrics.version(id)).get(id));

    const submitted: Scorecard[] = [];
    const sessions: DebriefSession[] = [];
    for (const interview of repos.interviewSummaries.byCandidate(ctx.meId, candidateId)) {
      const scorecards = repos.scorecards.forInterview(interview.interviewId).filter((s) => s.status === 'submitted');
      const rubric = scorecards[0] && rubricOf(scorecards[0].rubricVersionId);
      if (!rubric) continue;
      submitted.push(...scorecards);
      sessions.push(sessionOf(interview, rubric, scorecards, person, leniency));
    }
    if (submitted.some((s) => s.interviewerId !== ctx.meId)) recordPanelSeen(ctx, candidateId);

    const votes = votesOf(ctx, candidateId, submitted, person);
    const history = repos.decisions.history(candidateId).map(decisionOf);
    return {
      candidate: { id: candidate.id, name: candidate.name, roleId: candidate.roleId, roleTitle: candidate.roleTitle },
      adjustment: candidateAdjustment(ctx, candidateId),
      leniencyNote: leniency.note,
      interviewers: [...new Set(submitted.map((s) => s.interviewerId))].flatMap((id) => {
        const row = leniency.rows.get(id);
        return row ? [{ interviewer: person(id), effect: row.effect, ci95: row.ci95.every(Number.isFinite) ? row.ci95 : null, candidates: row.candidates, tooFew: row.tooFew, flag: row.flag }] : [];
      }),
      sessions,
      votes,
      tally: { round1: tally(votes.map((v) => v.round1)), current: tally(votes.map((v) => v.round2?.recommendation ?? v.round1)) },
      disagreements: disagreementsOf(sessions),
      decision: { current: history.at(-1) ?? null, history },
      packets: repos.decisions.packets(candidateId).map((p) => ({ format: p.format, hash: p.hash, exportedAt: p.exportedAt, exportedBy: { id: p.exportedById, name: p.exportedByName } })),
    };
  }).immediate();
}

type PersonOf = (id: string) => { id: string; name: string };

function sessionOf(
  interview: { interviewId: string; stageTitle: string; sessionKind: string; scheduledAt: string },
  rubric: RubricVersionView,
  scorecards: Scorecard[],
  person: PersonOf,
  leniency: ReturnType<typeof leniencyContext>,
): DebriefSession {
  const adjust = (interviewerId: string, value: number) => {
    const row = leniency.rows.get(interviewerId);
    return leniency.adjusts && row && !row.tooFew ? value - row.effect : null;
  };
  return {
    interviewId: interview.interviewId,
    title: interview.stageTitle,
    sessionKind: interview.sessionKind,
    scheduledAt: interview.scheduledAt,
    rubric: { versionId: rubric.id, name: rubric.name, version: rubric.version, scaleMax: rubric.scaleMax, scaleLabels: rubric.scaleLabels },
    criteria: rubric.criteria.map((criterion) => {
      const scores = scorecards.map((sc) => {
        const score = sc.scores.find((s) => s.criterionId === criterion.id);
        const value = score?.value ?? null;
        return {
          scorecardId: sc.id,
          interviewer: person(sc.interviewerId),
          value,
          adjusted: typeof value === 'number' ? adjust(sc.interviewerId, value) : null,
          anchor: typeof value === 'number' ? (criterion.anchors[value - 1] ?? null) : null,
          evidence: score?.evidence ?? '',
        };
      });
      const numbers = scores.flatMap((s) => (typeof s.value === 'number' ? [s.value] : []));
      return { criterionId: criterion.id, title: criterion.title, spread: numbers.length >= 2 ? Math.max(...numbers) - Math.min(...numbers) : null, scores };
    }),
    scorecards: scorecards.map((sc) => ({ scorecardId: sc.id, interviewer: person(sc.interviewerId), recommendation: sc.recommendation, takeaways: sc.takeaways, revision: sc.revision, submittedAt: sc.submittedAt })),
  };
}

/** Round one from each panelist's first signed revision (their earliest scorecard for this candidate); round two, their latest re-vote. */
function votesOf(ctx: CoreContext, candidateId: string, submitted: Scorecard[], person: PersonOf): Vote[] {
  const firstByInterviewer = new Map<string, Scorecard>();
  for (const sc of [...submitted].sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''))) {
    if (!firstByInterviewer.has(sc.interviewerId)) firstByInterviewer.set(sc.interviewerId, sc);
  }
  const revotes = ctx.repos.decisions.revotes(candidateId);
  const latestRevote = new Map(revotes.map((v) => [v.interviewerId, v]));
  return [...firstByInterviewer.values()].map((sc) => {
    const first = ctx.repos.scorecardRevisions.list(sc.id)[0];
    const round1 = first ? (signedStatement(first.bytes).recommendation as Recommendation | null) : sc.recommendation;
    const revote = latestRevote.get(sc.interviewerId);
    const round2 = revote
      ? { recommendation: revote.recommendation, reason: revote.reason, at: revote.recordedAt, recordedBy: { id: revote.recordedById, name: revote.recordedByName }, signed: revote.signed === 1 }
      : null;
    const revision = revotes.filter((v) => v.interviewerId === sc.interviewerId).length;
    return { interviewer: person(sc.interviewerId), round1, round2, changedMind: !!round2 && round2.recommendation !== round1, revision };
  });
}

function tally(recommendations: (Recommendation | null)[]): Record<Recommendation, number> {
  const counts = Object.fromEntries(RECOMMENDATIONS.map((r) => [r, 0])) as Record<Recommendation, number>;
  for (const r of recommendations) if (r) counts[r]++;
  return counts;
}

function disagreementsOf(sessions: DebriefSession[]): Disagreement[] {
  return sessions
    .flatMap((session) =>
      session.criteria.flatMap((c) => {
        if (!c.spread) return [];
        const numeric = c.scores.flatMap((s) => (typeof s.value === 'number' ? [{ name: s.interviewer.name, value: s.value }] : []));
        const low = Math.min(...numeric.map((s) => s.value));
        const high = Math.max(...numeric.map((s) => s.value));
        return [{ interviewId: session.interviewId, session: session.title, criterionId: c.criterionId, criterion: c.title, spread: c.spread, lowest: numeric.filter((s) => s.value === low), highest: numeric.filter((s) => s.value === high) }];
      }),
    )
    .sort((a, b) => b.spread - a.spread || a.session.localeCompare(b.session) || a.criterion.localeCompare(b.criterion));
}

export function decisionOf(row: DecisionRow): DecisionRevision {
  return { id: row.id, revision: row.revision, decision: row.decision, rationale: row.rationale, changeReason: row.changeReason, decidedBy: { id: row.decidedById, name: row.decidedByName }, decidedAt: row.decidedAt };
}
