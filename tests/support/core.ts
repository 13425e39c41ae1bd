import { openCore, type Core } from '../../src/main/core';
import { dispatch } from '../../src/shared/dispatch';
import type { Channel, InputOf, OutputOf } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
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
export async function openTestCore(dir = tempDataDir()): Promise<TestCore> {
  const core = await openCore({ dataDir: dir.dir, version: 'test', clock: () => FIXED_NOW });
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
