import { z } from 'zod';
import { Id, IsoDateTime } from './domain';

export const CalibrationFilters = z
  .object({
    roleId: Id.optional(),
    sessionKind: z.string().max(60).optional(),
    criterion: z.string().max(200).optional(),
    from: IsoDateTime.optional(),
    to: IsoDateTime.optional(),
    /** Only the candidates this interviewer scored (everyone's ratings of them). */
    interviewerId: Id.optional(),
  })
  .strict();
export type CalibrationFilters = z.infer<typeof CalibrationFilters>;

const Interval = z.tuple([z.number(), z.number()]);

export { MIN_SCORECARDS_TO_TELL } from './constants';

export const LeniencyRow = z.object({
  interviewerId: Id,
  name: z.string(),
  ratings: z.int(),
  candidates: z.int(),
  /** Shrunk effect (BLUP), in scale points: + scores higher than an average interviewer. */
  effect: z.number(),
  ci95: Interval,
  /** Least-squares effect, not shrunk; null when the design is not connected. */
  fixedEffect: z.number().nullable(),
  /** The interviewer's mean minus the mean of everyone else's ratings of the same candidates. */
  naiveDeviation: z.number(),
  flag: z.enum(['lenient', 'severe']).nullable(),
  tooFew: z.boolean(),
});
export type LeniencyRow = z.infer<typeof LeniencyRow>;

export const AgreementRow = z.object({
  scope: z.enum(['session', 'criterion']),
  label: z.string(),
  sessionKind: z.string(),
  units: z.int(),
  ratings: z.int(),
  alphaInterval: z.number().nullable(),
  alphaOrdinal: z.number().nullable(),
  /** ICC(2,1) on the largest group of units scored by the very same panel, when there is one. */
  icc: z.object({ value: z.number(), ci95: Interval, units: z.int(), raters: z.int() }).nullable(),
  reading: z.enum(['good', 'tentative', 'low', 'too few']),
});
export type AgreementRow = z.infer<typeof AgreementRow>;

export const SessionComparison = z.object({
  a: z.string(),
  b: z.string(),
  sharedCandidates: z.int(),
  /** Mean of (b − a) over shared candidates, raw and with each interviewer's effect removed. */
  raw: z.object({ difference: z.number(), ci95: Interval }).nullable(),
  adjusted: z.object({ difference: z.number(), ci95: Interval }).nullable(),
});
export type SessionComparison = z.infer<typeof SessionComparison>;

export const Hotspot = z.object({
  interviewId: Id,
  candidateId: Id,
  candidateName: z.string(),
  sessionKind: z.string(),
  criterion: z.string(),
  spread: z.number(),
  scores: z.array(z.object({ name: z.string(), score: z.number() })),
});
export type Hotspot = z.infer<typeof Hotspot>;

export const DistributionRow = z.object({
  interviewerId: Id,
  name: z.string(),
  ratings: z.int(),
  /** Share of this interviewer's ratings at each level (index 0 = level 1). */
  shares: z.array(z.number()),
  /** The same for everyone else, on the same scale. */
  othersShares: z.array(z.number()),
});
export type DistributionRow = z.infer<typeof DistributionRow>;

/** How often recommendations matched the decisions (hire ↔ yes or strong yes, no hire ↔ no or strong no; holds left out). */
const OutcomeRow = z.object({ scorecards: z.int(), matched: z.int() });
export const Outcomes = z.object({
  available: z.boolean(),
  message: z.string(),
  /** Decided candidates counted (hire or no hire). */
  candidates: z.int(),
  byInterviewer: z.array(OutcomeRow.extend({ interviewerId: Id, name: z.string() })),
  bySession: z.array(OutcomeRow.extend({ sessionKind: z.string() })),
});
export type Outcomes = z.infer<typeof Outcomes>;

export const CalibrationReport = z.object({
  filters: CalibrationFilters,
  options: z.object({
    roles: z.array(z.object({ id: Id, title: z.string() })),
    sessionKinds: z.array(z.string()),
    criteria: z.array(z.string()),
    interviewers: z.array(z.object({ id: Id, name: z.string() })),
  }),
  totals: z.object({ ratings: z.int(), scorecards: z.int(), candidates: z.int(), interviewers: z.int() }),
  /** Candidates left out because I hold an unsubmitted seat on their loop (independent scoring). */
  withheld: z.object({ candidates: z.int(), message: z.string().nullable() }),
  scaleMax: z.int(),
  model: z.object({
    connected: z.boolean(),
    variances: z.object({ candidate: z.number(), rater: z.number(), residual: z.number() }).nullable(),
    /** What the fit could tell about interviewers' leniency (see MixedModelFit.raterVariance); not 'estimated' means every interval is [0, 0]. */
    raterVariance: z.enum(['estimated', 'boundary', 'not-estimable']),
    /** Why the intervals are empty, in words, when they are; null otherwise. */
    leniencyNote: z.string().nullable(),
    iccAbsolute: z.number().nullable(),
    reliabilityOfPanelOf3: z.number().nullable(),
  }),
  leniency: z.array(LeniencyRow),
  distributions: z.array(DistributionRow),
  agreement: z.array(AgreementRow),
  sessions: z.array(SessionComparison),
  hotspots: z.array(Hotspot),
  outcomes: Outcomes,
});
export type CalibrationReport = z.infer<typeof CalibrationReport>;

export const GroupComparison = z.object({
  sharedCandidates: z.int(),
  raw: z.object({ a: z.number(), b: z.number(), difference: z.number(), ci95: Interval }).nullable(),
  adjusted: z.object({ a: z.number(), b: z.number(), difference: z.number(), ci95: Interval }).nullable(),
  message: z.string().nullable(),
});
export type GroupComparison = z.infer<typeof GroupComparison>;

/** Why every leniency interval is [0, 0], in the words the calibration view, the debrief and the packet use. */
export const LENIENCY_NOTES = {
  boundary: 'No difference between interviewers is detectable in these ratings, so no one’s scores are adjusted.',
  'not-estimable': 'Too few shared candidates to estimate leniency: each interviewer needs candidates that others rated too.',
} as const;

export const CandidateAdjustment = z.object({
  candidateId: Id,
  ratings: z.int(),
  raw: z.number().nullable(),
  adjusted: z.number().nullable(),
  /** Why no adjusted score is given, in one sentence; null when there is one. */
  reason: z.string().nullable(),
});
export type CandidateAdjustment = z.infer<typeof CandidateAdjustment>;
