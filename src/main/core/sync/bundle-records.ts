import type { Bundle } from '../../../shared/bundle';
import { recordKey, type HubRecordKind } from '../../../shared/hub';

/** One record of a bundle as the hub keeps it: by kind and id, at a revision. */
export interface RecordRef {
  kind: HubRecordKind;
  id: string;
  key: string;
  revision: number;
}

function ref(kind: HubRecordKind, id: string, revision: number): RecordRef {
  return { kind, id, key: recordKey(kind, id), revision };
}

/** A scorecard's revision is its newest signed revision; append-only records are at revision 1. */
export function scorecardRevision(scorecard: Bundle['scorecards'][number]): number {
  return Math.max(...scorecard.revisions.map((r) => r.revision));
}

/** Every record a bundle holds, by key, in the order the hub writes them (what others refer to first). */
export function recordsOf(bundle: Bundle): RecordRef[] {
  return [
    ...bundle.interviewers.map((r) => ref('interviewers', r.id, r.revision)),
    ...bundle.rubrics.flatMap((r) => r.versions.map((v) => ref('rubric-versions', v.id, 1))),
    ...bundle.roles.map((r) => ref('roles', r.id, r.revision)),
    ...bundle.candidates.map((r) => ref('candidates', r.id, r.revision)),
    ...bundle.interviews.map((r) => ref('interviews', r.id, r.revision)),
    ...bundle.scorecards.map((r) => ref('scorecards', r.id, scorecardRevision(r))),
    ...bundle.revotes.map((r) => ref('revotes', r.id, 1)),
    ...bundle.keyEvents.map((r) => ref('key-events', r.hash, 1)),
    ...bundle.tombstones.map((r) => ref('tombstones', r.candidateId, 1)),
  ];
}

/** The bundle with only the records named (rubrics keep only the versions named). */
export function onlyRecords(bundle: Bundle, keys: ReadonlySet<string>): Bundle {
  const has = (kind: HubRecordKind, id: string) => keys.has(recordKey(kind, id));
  return {
    ...bundle,
    interviewers: bundle.interviewers.filter((r) => has('interviewers', r.id)),
    rubrics: bundle.rubrics.map((r) => ({ ...r, versions: r.versions.filter((v) => has('rubric-versions', v.id)) })).filter((r) => r.versions.length > 0),
    roles: bundle.roles.filter((r) => has('roles', r.id)),
    candidates: bundle.candidates.filter((r) => has('candidates', r.id)),
    interviews: bundle.interviews.filter((r) => has('interviews', r.id)),
    scorecards: bundle.scorecards.filter((r) => has('scorecards', r.id)),
    revotes: bundle.revotes.filter((r) => has('revotes', r.id)),
    keyEvents: bundle.keyEvents.filter((r) => has('key-events', r.hash)),
    tombstones: bundle.tombstones.filter((r) => has('tombstones', r.candidateId)),
  };
}
