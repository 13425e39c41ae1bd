import type { Db } from './db/connection';
import type { Repositories } from './repositories';

/** What every service gets: the connection, the repositories, and the installation's facts. */
export interface CoreContext {
  db: Db;
  repos: Repositories;
  dataDir: string;
  databaseFile: string;
  version: string;
  /** The interviewer who uses this installation. */
  meId: string;
  clock: () => Date;
  newId: () => string;
}

export function nowOf(ctx: CoreContext): string {
  return ctx.clock().toISOString();
}
