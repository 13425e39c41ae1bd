import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import type { CoreContext } from './context';
import { openDatabase, type Db } from './db/connection';
import { createRepositories } from './repositories';
import { appInfo } from './services/app-info';
import { loadDemo, removeDemo } from './services/demo';
import { listCandidates, listInterviewers, listRoles } from './services/directory';
import { ensureMe } from './services/me';
import { getScorecard, setScore } from './services/scoring';

export const DATABASE_FILE_NAME = 'panelist.sqlite';

export interface CoreOptions {
  dataDir: string;
  version: string;
  clock?: () => Date;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  close(): void;
}

/** One handler per channel; `satisfies` makes a missing or mistyped one a compile error. */
function createHandlers(ctx: CoreContext) {
  return {
    'app:info': () => appInfo(ctx),
    'roles:list': () => listRoles(ctx),
    'interviewers:list': (input) => listInterviewers(ctx, input),
    'candidates:list': (input) => listCandidates(ctx, input),
    'demo:load': (input) => loadDemo(ctx, input),
    'demo:remove': () => removeDemo(ctx),
    'scorecards:get': (input) => getScorecard(ctx, input.scorecardId),
    'scorecards:set-score': (input) => setScore(ctx, input),
  } satisfies Handlers;
}

/** Opens the data folder's database (creating and migrating it as needed) and wires the services. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const databaseFile = join(dataDir, DATABASE_FILE_NAME);
  const db: Db = await openDatabase(databaseFile);
  const repos = createRepositories(db);
  const clock = options.clock ?? (() => new Date());
  const newId = () => uuidv7();
  const meId = db.transaction(() => ensureMe(repos, newId, clock().toISOString()))();
  const ctx: CoreContext = { db, repos, dataDir, databaseFile, version: options.version, meId, clock, newId };
  return { ctx, handlers: createHandlers(ctx), close: () => db.close() };
}
