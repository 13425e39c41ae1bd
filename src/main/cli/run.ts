import type { Channel, InputOf, OutputOf } from '../../shared/contract';
import { dispatch } from '../../shared/dispatch';
import { openCore, type Core } from '../core';
import type { DesktopPort } from '../core/context';
import { resolveDataDir } from '../paths';
import { APP_VERSION } from '../version';
import { UsageError } from './args';

// What every command needs: where it prints, the data folder option, and calls into the core.

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const DATA_DIR = { 'data-dir': { type: 'string' } } as const;

/** Calls one channel exactly as a transport would; a failed Result becomes an error line. */
export async function call<C extends Channel>(core: Core, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const result = await dispatch(core.handlers, channel, input);
  if (!result.ok) throw new UsageError(result.error.message);
  return result.value as OutputOf<C>;
}

/** What the desktop app lends its command line (printing PDFs with Electron); absent in a checkout's CLI. */
let desktop: DesktopPort | undefined;

export function lendDesktop(port: DesktopPort): void {
  desktop = port;
}

export async function withCore<T>(dataDir: string | undefined, run: (core: Core) => Promise<T>): Promise<T> {
  const core = await openCore({ dataDir: resolveDataDir(dataDir), version: APP_VERSION, ...(desktop ? { desktop } : {}) });
  try {
    return await run(core);
  } finally {
    core.close();
  }
}

