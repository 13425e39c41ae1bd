import { z } from 'zod';
import { CandidateAdjustment } from './calibration-report';
import { DECISIONS, RECOMMENDATIONS } from './constants';
import { Id, IsoDateTime, Recommendation, Revision, ScoreValue } from './domain';

export { DECISION_LABELS, DECISIONS } from './constants';

/** The decision the app exists for. */
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;

const Person = z.object({ id: Id, name: z.string() });

/** One revision of a candidate's decision; a change is a new revision with its reason. */
export const DecisionRevision = z.object({
  id: Id,
  revision: z.int().min(1),
  decision: Decision,
  rationale: z.string(),
  /** Why it changed from the revision before; null for the first. */
  changeReason: z.string().nullable(),
  decidedBy: Person,
  decidedAt: IsoDateTime,
});
export type DecisionRevision = z.infer<typeof DecisionRevision>;

/** A panelist's vote, in two rounds. */
export const Vote = z.object({
  interviewer: Person,
  /** Round one: the recommendation of their first submitted revision (a later amendment does not rewrite it). */
  round1: Recommendation.nullable(),
  /** Round two, after the discussion: their latest re-vote, if any. */
  round2: z
    .object({
      recommendation: Recommendation,
      reason: z.string().nullable(),
      at: IsoDateTime,
      /** Who entered it: the panelist (signed by them), or the hiring manager for a vote said aloud in the meeting. */
      recordedBy: Person,
      signed: z.boolean(),
    })
    .nullable(),
  changedMind: z.boolean(),
  /** How many round-two votes are recorded for this panelist: the revision a new vote names as seen. */
  revision: z.int().min(0),
});
export type Vote = z.infer<typeof Vote>;

const Tally = z.record(z.enum(RECOMMENDATIONS), z.int());

export const DebriefScore = z.object({
  scorecardId: Id,
  interviewer: Person,
  value: ScoreValue,
  /** The score minus the interviewer's leniency, when it is known; null otherwise. */
  adjusted: z.number().nullable(),
  /** The anchor text of the level chosen. */
  anchor: z.string().nullable(),
  evidence: z.string(),
});

export const DebriefSession = z.object({
  interviewId: Id,
  title: z.string(),
  sessionKind: z.string(),
  scheduledAt: IsoDateTime,
  rubric: z.object({ versionId: Id, name: z.string(), version: z.int(), scaleMax: z.int(), scaleLabels: z.array(z.string()) }),
  criteria: z.array(
    z.object({
      criterionId: Id,
      title: z.string(),
      /** Highest minus lowest score given; null with fewer than two scores. */
      spread: z.number().nullable(),
      scores: z.array(DebriefScore),
    }),
  ),
  scorecards: z.array(
    z.object({ scorecardId: Id, interviewer: Person, recommendation: Recommendation.nullable(), takeaways: z.string(), revision: Revision, submittedAt: IsoDateTime.nullable() }),
  ),
});
export type DebriefSession = z.infer<typeof DebriefSession>;

export const Disagreement = z.object({
  interviewId: Id,
  session: z.string(),
  criterionId: Id,
  criterion: z.string(),
  spread: z.number(),
  lowest: z.array(z.object({ name: z.string(), value: z.int() })),
  highest: z.array(z.object({ name: z.string(), value: z.int() })),
});
export type Disagreement = z.infer<typeof Disagreement>;

/** An interviewer's calibration context beside their scores. */
export const InterviewerContext = z.object({
  interviewer: Person,
  /** Leniency in scale points (+ scores higher than an average interviewer), its 95% interval, and how much it rests on. */
  effect: z.number(),
  /** Null when the model cannot bound it (too little data): said in words, never drawn. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  candidates: z.int(),
  tooFew: z.boolean(),
  flag: z.enum(['lenient', 'severe']).nullable(),
});
export type InterviewerContext = z.infer<typeof InterviewerContext>;

export const PacketExport = z.object({ format: z.enum(['json', 'html', 'md', 'pdf']), hash: z.string(), exportedAt: IsoDateTime, exportedBy: Person });

/** Everything the hiring manager reviews before deciding (never a private note). */
export const Debrief = z.object({
  candidate: z.object({ id: Id, name: z.string(), roleId: Id, roleTitle: z.string() }),
  adjustment: CandidateAdjustment,
  /** Why leniency intervals are empty, in words, when they are. */
  leniencyNote: z.string().nullable(),
  interviewers: z.array(InterviewerContext),
  sessions: z.array(DebriefSession),
  votes: z.array(Vote),
  tally: z.object({ round1: Tally, current: Tally }),
  /** Criteria where the panel disagreed, the widest spread first. */
  disagreements: z.array(Disagreement),
  decision: z.object({ current: DecisionRevision.nullable(), history: z.array(DecisionRevision) }),
  packets: z.array(PacketExport),
});
export type Debrief = z.infer<typeof Debrief>;

export const DecideInput = z
  .object({
    candidateId: Id,
    decision: Decision,
    rationale: z.string().trim().min(3, 'say why (at least 3 characters)').max(10_000),
    /** The revision of the decision the screen showed (0: none yet); a change needs a reason. */
    seenRevision: z.int().min(0),
    changeReason: z.string().trim().min(3, 'say why the decision changes (at least 3 characters)').max(2000).optional(),
  })
  .strict();

export const RevoteInput = z
  .object({
    candidateId: Id,
    /** Whose vote: mine (signed with my key), or another panelist's said aloud in the meeting (recorded by me). */
    interviewerId: Id,
    recommendation: Recommendation,
    reason: z.string().trim().max(2000).optional(),
    /** The panelist's vote revision the screen showed (0: no re-vote yet): two people recording at once do not overwrite each other. */
    seenRevision: z.int().min(0),
  })
  .strict();
