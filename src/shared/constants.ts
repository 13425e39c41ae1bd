/**
 * Plain values shared by every layer, free of zod, so that the renderer bundle does not carry the
 * schemas. domain.ts builds its schemas from these.
 */
export const SESSION_KINDS = ['architecture', 'technical_experience', 'team_collaboration', 'ceo_cto'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const SESSION_KIND_LABELS: Record<SessionKind, string> = {
  architecture: 'Architecture',
  technical_experience: 'Technical experience',
  team_collaboration: 'Team collaboration',
  ceo_cto: 'CEO/CTO',
};

export const RECOMMENDATIONS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];
export const RECOMMENDATION_LABELS: Record<Recommendation, string> = {
  strong_no: 'Strong no',
  no: 'No',
  yes: 'Yes',
  strong_yes: 'Strong yes',
};

/** The decision the app exists for: hire, no hire or hold. */
export const DECISIONS = ['hire', 'no_hire', 'hold'] as const;
export const DECISION_LABELS: Record<(typeof DECISIONS)[number], string> = { hire: 'Hire', no_hire: 'No hire', hold: 'Hold' };

export const SCALE_MIN_MAX = 4;
export const SCALE_MAX_LIMIT = 7;
export const NOTE_MAX_LENGTH = 20_000;

/** Below this many scorecards an interviewer's figures are shown but said to be too few to tell. */
export const MIN_SCORECARDS_TO_TELL = 5;

/**
 * A field of a scorecard that a screen edits on its own; writes to different fields never conflict.
 * Spelled the same by the core (its per-field revisions) and the renderer (its pending writes).
 */
export type ScorecardField = `score:${string}` | `evidence:${string}` | 'recommendation' | 'takeaways' | 'privateNote';
export const scoreField = (criterionId: string): ScorecardField => `score:${criterionId}`;
export const evidenceField = (criterionId: string): ScorecardField => `evidence:${criterionId}`;
