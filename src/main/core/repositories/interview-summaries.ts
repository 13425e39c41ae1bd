import type { Db } from '../db/connection';
import type { InterviewSummary, ScorecardStatus } from '../../../shared/domain';

interface SummaryRow {
  interviewId: string;
  candidateId: string;
  candidateName: string;
  roleTitle: string;
  stageId: string;
  sessionKind: string;
  stageTitle: string;
  scheduledAt: string;
  durationMinutes: number;
  videoLink: string;
  cancelledAt: string | null;
  candidateTimeZone: string;
  revision: number;
  panel: string;
  scId: string | null;
  scStatus: ScorecardStatus | null;
  scRevision: number | null;
}

const SELECT = `
  SELECT i.id AS interviewId, i.candidate_id AS candidateId, c.name AS candidateName, r.title AS roleTitle,
    st.id AS stageId, st.session_kind AS sessionKind, st.title AS stageTitle, i.scheduled_at AS scheduledAt, i.duration_minutes AS durationMinutes,
    i.video_link AS videoLink, i.cancelled_at AS cancelledAt, c.time_zone AS candidateTimeZone, i.revision AS revision,
    (SELECT json_group_array(json_object('interviewerId', iv.id, 'name', iv.name, 'isMe', iv.is_me, 'withdrawn', p.withdrawn_at IS NOT NULL))
       FROM panel_assignments p JOIN interviewers iv ON iv.id = p.interviewer_id WHERE p.interview_id = i.id) AS panel,
    sc.id AS scId, sc.status AS scStatus, sc.revision AS scRevision
  FROM interviews i
  JOIN candidates c ON c.id = i.candidate_id
  JOIN roles r ON r.id = c.role_id
  JOIN loop_stages st ON st.id = i.stage_id
  LEFT JOIN scorecards sc ON sc.interview_id = i.id AND sc.interviewer_id = :me`;

/** Interviews I am to score: my seat not withdrawn, the interview not cancelled. */
const MINE = `JOIN panel_assignments mine ON mine.interview_id = i.id AND mine.interviewer_id = :me AND mine.withdrawn_at IS NULL
  AND i.cancelled_at IS NULL`;
const ENDED_AT = `datetime(i.scheduled_at, '+' || i.duration_minutes || ' minutes')`;

function toSummary(row: SummaryRow): InterviewSummary {
  const panel = (JSON.parse(row.panel) as { interviewerId: string; name: string; isMe: number; withdrawn: number }[])
    .map((p) => ({ interviewerId: p.interviewerId, name: p.name, isMe: p.isMe === 1, withdrawn: p.withdrawn === 1 }))
    .sort((a, b) => Number(a.withdrawn) - Number(b.withdrawn) || Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name));
  return {
    interviewId: row.interviewId,
    candidateId: row.candidateId,
    candidateName: row.candidateName,
    roleTitle: row.roleTitle,
    stageId: row.stageId,
    sessionKind: row.sessionKind,
    stageTitle: row.stageTitle,
    scheduledAt: row.scheduledAt,
    durationMinutes: row.durationMinutes,
    videoLink: row.videoLink,
    cancelledAt: row.cancelledAt,
    candidateTimeZone: row.candidateTimeZone,
    revision: row.revision,
    panel,
    myScorecard: row.scId && row.scStatus && row.scRevision ? { id: row.scId, status: row.scStatus, revision: row.scRevision } : null,
  };
}

/** Interviews as the screens show them: candidate, session, panel, and my scorecard's state. */
export class InterviewSummariesRepository {
  private readonly byIdStmt;
  private readonly byCandidateStmt;
  private readonly mineBetweenStmt;
  private readonly mineUnsubmittedStmt;

  constructor(db: Db) {
    this.byIdStmt = db.prepare<{ me: string; id: string }, SummaryRow>(`${SELECT} WHERE i.id = :id`);
    this.byCandidateStmt = db.prepare<{ me: string; candidateId: string }, SummaryRow>(
      `${SELECT} JOIN loop_stages ord ON ord.id = i.stage_id WHERE i.candidate_id = :candidateId ORDER BY ord.position, i.scheduled_at`,
    );
    this.mineBetweenStmt = db.prepare<{ me: string; from: string; to: string }, SummaryRow>(
      `${SELECT} ${MINE} WHERE i.scheduled_at >= :from AND i.scheduled_at < :to ORDER BY i.scheduled_at, i.id`,
    );
    this.mineUnsubmittedStmt = db.prepare<{ me: string; now: string }, SummaryRow>(
      `${SELECT} ${MINE} WHERE (sc.id IS NULL OR sc.status = 'draft') AND ${ENDED_AT} <= datetime(:now)
       ORDER BY i.scheduled_at, i.id`,
    );
  }

  byId(me: string, id: string): InterviewSummary | undefined {
    const row = this.byIdStmt.get({ me, id });
    return row && toSummary(row);
  }

  byCandidate(me: string, candidateId: string): InterviewSummary[] {
    return this.byCandidateStmt.all({ me, candidateId }).map(toSummary);
  }

  /** My interviews scheduled in [from, to). */
  mineBetween(me: string, from: string, to: string): InterviewSummary[] {
    return this.mineBetweenStmt.all({ me, from, to }).map(toSummary);
  }

  /** My interviews that have ended and whose scorecard I have not submitted. */
  mineUnsubmitted(me: string, now: string): InterviewSummary[] {
    return this.mineUnsubmittedStmt.all({ me, now }).map(toSummary);
  }
}
