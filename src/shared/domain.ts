import { z } from 'zod';
import { RECOMMENDATIONS, SCALE_MAX_LIMIT, SESSION_KINDS } from './constants';

export {
  NOTE_MAX_LENGTH,
  RECOMMENDATIONS,
  RECOMMENDATION_LABELS,
  SCALE_MAX_LIMIT,
  SCALE_MIN_MAX,
  SESSION_KINDS,
  SESSION_KIND_LABELS,
} from './constants';

export const Id = z.uuid();
export const IsoDateTime = z.iso.datetime();
export const Revision = z.int().min(1);

export const SessionKind = z.enum(SESSION_KINDS);
export type SessionKind = z.infer<typeof SessionKind>;

export const Recommendation = z.enum(RECOMMENDATIONS);
export type Recommendation = z.infer<typeof Recommendation>;

export const ScorecardStatus = z.enum(['draft', 'submitted']);
export type ScorecardStatus = z.infer<typeof ScorecardStatus>;


const Record_ = { id: Id, createdAt: IsoDateTime, updatedAt: IsoDateTime, revision: Revision };

export const Role = z.object({
  ...Record_,
  title: z.string(),
  team: z.string(),
  description: z.string(),
  isDemo: z.boolean(),
});
export type Role = z.infer<typeof Role>;

export const Interviewer = z.object({
  ...Record_,
  name: z.string(),
  email: z.string(),
  isMe: z.boolean(),
  isDemo: z.boolean(),
  /** A deactivated interviewer keeps their history and drops out of pickers. */
  active: z.boolean(),
});
export type Interviewer = z.infer<typeof Interviewer>;

export const InterviewerListItem = Interviewer.extend({
  assignedInterviews: z.int().min(0),
  submittedScorecards: z.int().min(0),
});
export type InterviewerListItem = z.infer<typeof InterviewerListItem>;

const CandidateHeader = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  roleId: Id,
  roleTitle: z.string(),
  isDemo: z.boolean(),
});

export const CandidateListItem = CandidateHeader.extend({
  archived: z.boolean(),
  interviewsTotal: z.int().min(0),
  interviewsDone: z.int().min(0),
  nextInterviewAt: IsoDateTime.nullable(),
});
export type CandidateListItem = z.infer<typeof CandidateListItem>;

export const ScoreValue = z.union([z.int().min(1).max(SCALE_MAX_LIMIT), z.literal('not_assessed'), z.null()]);
export type ScoreValue = z.infer<typeof ScoreValue>;

export const CriterionScore = z.object({
  criterionId: Id,
  value: ScoreValue,
  evidence: z.string(),
  updatedAt: IsoDateTime,
});
export type CriterionScore = z.infer<typeof CriterionScore>;

export const Scorecard = z.object({
  ...Record_,
  interviewId: Id,
  interviewerId: Id,
  rubricVersionId: Id,
  status: ScorecardStatus,
  recommendation: Recommendation.nullable(),
  takeaways: z.string(),
  privateNote: z.string(),
  submittedAt: IsoDateTime.nullable(),
  scores: z.array(CriterionScore),
  /**
   * The scorecard revision at which each field last changed (fields never changed are absent: 0).
   * A write names the field's revision its screen last saw; only a field changed since is refused.
   */
  fieldRevisions: z.record(z.string(), Revision),
});
export type Scorecard = z.infer<typeof Scorecard>;

export const SavedChange = z.object({ scorecardId: Id, revision: Revision, updatedAt: IsoDateTime });
export type SavedChange = z.infer<typeof SavedChange>;

export const Criterion = z.object({
  id: Id,
  position: z.int().min(1),
  title: z.string(),
  description: z.string(),
  weight: z.number(),
  guidingQuestions: z.array(z.string()),
  /** anchors[i] describes level i + 1. */
  anchors: z.array(z.string()),
});
export type Criterion = z.infer<typeof Criterion>;

export const RubricVersionView = z.object({
  id: Id,
  rubricId: Id,
  name: z.string(),
  sessionKind: z.string(),
  purpose: z.string(),
  version: z.int().min(1),
  scaleMax: z.int().min(4).max(SCALE_MAX_LIMIT),
  scaleLabels: z.array(z.string()),
  status: z.enum(['draft', 'published']),
  publishedAt: IsoDateTime.nullable(),
  revision: Revision,
  criteria: z.array(Criterion),
});
export type RubricVersionView = z.infer<typeof RubricVersionView>;

export const RubricVersionSummary = z.object({
  id: Id,
  version: z.int().min(1),
  status: z.enum(['draft', 'published']),
  scaleMax: z.int(),
  publishedAt: IsoDateTime.nullable(),
  criteriaCount: z.int(),
  /** Loop stages that score with this version. */
  usedBy: z.int(),
});

export const RubricSummary = z.object({
  id: Id,
  name: z.string(),
  sessionKind: z.string(),
  purpose: z.string(),
  isDemo: z.boolean(),
  versions: z.array(RubricVersionSummary),
});
export type RubricSummary = z.infer<typeof RubricSummary>;

/** A criterion as the rubric editor sends it: a new one has no id yet. */
export const CriterionDraft = z
  .object({
    id: Id.optional(),
    title: z.string().trim().min(1, 'give the criterion a title').max(200),
    description: z.string().max(2000),
    weight: z.number().min(0).max(100),
    guidingQuestions: z.array(z.string().max(500)).max(20),
    anchors: z.array(z.string().max(1000)).max(SCALE_MAX_LIMIT),
  })
  .strict();
export type CriterionDraft = z.infer<typeof CriterionDraft>;

export const LoopStage = z.object({
  id: Id,
  position: z.int().min(1),
  sessionKind: z.string(),
  title: z.string(),
  durationMinutes: z.int(),
  rubricVersionId: Id,
  rubricName: z.string(),
  rubricVersion: z.int(),
  interviews: z.int(),
});
export type LoopStage = z.infer<typeof LoopStage>;

export const RoleDetail = z.object({
  id: Id,
  title: z.string(),
  team: z.string(),
  description: z.string(),
  isDemo: z.boolean(),
  stages: z.array(LoopStage),
});
export type RoleDetail = z.infer<typeof RoleDetail>;

export const StageDraft = z
  .object({
    id: Id.optional(),
    sessionKind: z.string().trim().min(1).max(60),
    title: z.string().trim().min(1, 'give the stage a title').max(200),
    durationMinutes: z.int().min(5).max(480).default(60),
    rubricVersionId: Id,
  })
  .strict();
export type StageDraft = z.infer<typeof StageDraft>;

export const PanelMember = z.object({
  interviewerId: Id,
  name: z.string(),
  isMe: z.boolean(),
  /** Taken off the panel: the seat is kept (with its scorecard, if any), marked so. */
  withdrawn: z.boolean(),
});

export const InterviewSummary = z.object({
  interviewId: Id,
  candidateId: Id,
  candidateName: z.string(),
  roleTitle: z.string(),
  stageId: Id,
  sessionKind: z.string(),
  stageTitle: z.string(),
  scheduledAt: IsoDateTime,
  durationMinutes: z.int(),
  /** An https:// link to the video call, or empty. */
  videoLink: z.string(),
  /** When the interview was cancelled; its scorecards are kept. */
  cancelledAt: IsoDateTime.nullable(),
  /** The candidate's time zone (IANA name), or empty when not recorded. */
  candidateTimeZone: z.string(),
  revision: Revision,
  panel: z.array(PanelMember),
  /** My scorecard for it, if I sit on its panel and have opened it. */
  myScorecard: z.object({ id: Id, status: ScorecardStatus, revision: Revision }).nullable(),
});
export type InterviewSummary = z.infer<typeof InterviewSummary>;

export const ScorecardView = z.object({
  scorecard: Scorecard,
  rubric: RubricVersionView,
  interview: InterviewSummary,
  /** Whether I had seen other panelists' scorecards for this candidate (amendments say so). */
  sawPanel: z.boolean(),
});
export type ScorecardView = z.infer<typeof ScorecardView>;

/** Another panelist's scorecard as the panel sees it: the private note stays with its author. */
export const PanelScorecard = Scorecard.omit({ privateNote: true, fieldRevisions: true }).extend({ interviewerName: z.string(), isMe: z.boolean() });
export type PanelScorecard = z.infer<typeof PanelScorecard>;

export const PanelView = z.object({
  interview: InterviewSummary,
  criteria: z.array(Criterion),
  scorecards: z.array(PanelScorecard),
});
export type PanelView = z.infer<typeof PanelView>;

export const HistoryEntry = z.object({
  id: Id,
  at: IsoDateTime,
  actorId: Id,
  actorName: z.string(),
  kind: z.enum(['created', 'submitted', 'amended']),
  revision: z.int().min(1),
  reason: z.string().nullable(),
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
  afterSeeingPanel: z.boolean(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const CandidateDetail = CandidateHeader.extend({
  source: z.string(),
  note: z.string(),
  /** IANA time zone, or empty when not recorded. */
  timeZone: z.string(),
  archivedAt: IsoDateTime.nullable(),
  revision: Revision,
  interviews: z.array(InterviewSummary),
});
export type CandidateDetail = z.infer<typeof CandidateDetail>;

export const Reminder = z.object({ interview: InterviewSummary, overdueSince: IsoDateTime });
export type Reminder = z.infer<typeof Reminder>;
