import { openCore, type Core, type CoreOptions } from '../../src/main/core';
import { dispatch } from '../../src/shared/dispatch';
import type { Channel, InputOf, OutputOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { evidenceField, scoreField } from '../../src/shared/constants';
import { tempDataDir } from './cli';

export const FIXED_NOW = new Date('2026-11-28T12:00:00.000Z');

export interface TestCore extends Core {
  dir: string;
  call<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>>;
  /** Like call, but fails the test unless the call succeeded. */
  value<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>>;
  dispose(): void;
}

/** A core on a real SQLite file in a fresh temp folder, with a fixed clock. */
export async function openTestCore(dir = tempDataDir(), options: Pick<CoreOptions, 'checkBundle'> = {}): Promise<TestCore> {
  const core = await openCore({ dataDir: dir.dir, version: 'test', clock: () => FIXED_NOW, ...options });
  const call = async <C extends Channel>(channel: C, input: InputOf<C>) =>
    (await dispatch(core.handlers, channel, input)) as Result<OutputOf<C>>;
  return {
    ...core,
    dir: dir.dir,
    call,
    async value(channel, input) {
      const result = await call(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
    dispose() {
      core.close();
      dir.remove();
    },
  };
}

type SavedResult = Result<OutputOf<'scorecards:set-score'>>;
type DetailField = 'recommendation' | 'takeaways' | 'privateNote';
type DetailValue<F extends DetailField> = Extract<InputOf<'scorecards:set-details'>, { field: F }>['value'];

/** The value of a successful Result; fails the test otherwise. */
export function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`call failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * A screen editing one of my scorecards, as the renderer does: every write says the revision at
 * which it last saw that field (and submit or amend the scorecard's revision it last saw).
 */
export async function openEditor(c: TestCore, scorecardId: string) {
  const loaded = await c.value('scorecards:get', { scorecardId });
  const seen: Record<string, number> = { ...loaded.fieldRevisions };
  let revision = loaded.revision;
  const track = (field: string | null) => (result: SavedResult) => {
    if (result.ok) {
      if (field) seen[field] = result.value.revision;
      revision = result.value.revision;
    }
    return result;
  };
  return {
    seen,
    get revision() {
      return revision;
    },
    setScore: (criterionId: string, value: InputOf<'scorecards:set-score'>['value']) =>
      c.call('scorecards:set-score', { scorecardId, criterionId, value, seenRevision: seen[scoreField(criterionId)] ?? 0 }).then(track(scoreField(criterionId))),
    setEvidence: (criterionId: string, evidence: string) =>
      c.call('scorecards:set-evidence', { scorecardId, criterionId, evidence, seenRevision: seen[evidenceField(criterionId)] ?? 0 }).then(track(evidenceField(criterionId))),
    setDetail: <F extends DetailField>(field: F, value: DetailValue<F>) =>
      c.call('scorecards:set-details', { scorecardId, field, value, seenRevision: seen[field] ?? 0 } as InputOf<'scorecards:set-details'>).then(track(field)),
    submit: () => c.call('scorecards:submit', { scorecardId, seenRevision: revision }).then(track(null)),
    amend: (input: Omit<InputOf<'scorecards:amend'>, 'scorecardId' | 'seenRevision'>) =>
      c.call('scorecards:amend', { ...input, scorecardId, seenRevision: revision }).then(track(null)),
  };
}
export type Editor = Awaited<ReturnType<typeof openEditor>>;
