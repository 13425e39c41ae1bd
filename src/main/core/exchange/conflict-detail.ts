import type { BundleRevision } from '../../../shared/bundle';

/** The records an import compares by revision (scorecards merge by their signed chains instead). */
export type RecordKind = 'interviewers' | 'roles' | 'candidates' | 'interviews';

/** What a recorded conflict keeps of what came in, by kind (stored as JSON in exchange_conflicts.detail). */
export type ConflictDetail =
  /** `record`: the other machine's version at the same revision. */
  | { recordKind: RecordKind; incoming: { id: string; revision: number } & Record<string, unknown> }
  /** `scorecard-fork`: the other branch of signed revisions; `ours`, the scorecard here when it has another id. */
  | { ours?: string; theirs: BundleRevision[] }
  /** `draft-superseded`: my submitted revisions from another machine, while this one holds my draft. */
  | { revisions: BundleRevision[] }
  /** `key`: the key offered for an interviewer and the one pinned here. */
  | { offered: string; pinned: string; acceptedBy?: string };
