import type { AppInfo } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { schemaVersion } from '../db/connection';

export function appInfo(ctx: CoreContext): AppInfo {
  const { repos } = ctx;
  return {
    version: ctx.version,
    dataDir: ctx.dataDir,
    databaseFile: ctx.databaseFile,
    schemaVersion: schemaVersion(ctx.db),
    counts: {
      roles: repos.roles.count(),
      candidates: repos.candidates.count(),
      interviewers: repos.interviewers.count(),
      scorecards: repos.scorecards.count(),
    },
    hasDemoData: repos.demo.present(),
    demoRecords: repos.demo.records(),
    desktop: ctx.desktop !== undefined,
  };
}
