import type { PanelView } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { assertMayReadPanelOf, recordPanelSeen } from '../visibility';

/**
 * The panel's scorecards for an interview. Independent scoring: while I sit on a panel of this
 * candidate whose scorecard I have not submitted, the others' scores stay hidden from me.
 * Drafts of others are never shown; private notes stay with their authors.
 */
export function getPanel(ctx: CoreContext, interviewId: string): PanelView {
  const { repos } = ctx;
  return ctx.db.transaction((): PanelView => {
    const interview = repos.interviewSummaries.byId(ctx.meId, interviewId);
    if (!interview) throw new AppError('not_found', `No interview with id ${interviewId}.`, 'interviewId');
    assertMayReadPanelOf(ctx, interview.candidateId, interview.candidateName);
    const all = repos.scorecards.forInterview(interviewId);
    const scorecards = all
      .filter((s) => s.status === 'submitted')
      .map(({ privateNote: _privateNote, fieldRevisions: _fieldRevisions, ...rest }) => ({
        ...rest,
        interviewerName: interview.panel.find((p) => p.interviewerId === rest.interviewerId)?.name ?? 'Former panelist',
        isMe: rest.interviewerId === ctx.meId,
      }));
    const versionId = all[0]?.rubricVersionId;
    const rubric = versionId ? repos.rubrics.version(versionId) : undefined;
    if (scorecards.some((s) => !s.isMe)) recordPanelSeen(ctx, interview.candidateId);
    return { interview, criteria: rubric?.criteria ?? [], scorecards };
  }).immediate();
}
