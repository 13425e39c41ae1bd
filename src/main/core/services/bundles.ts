import type { ImportPlanSummary } from '../../../shared/bundle';
import type { CoreContext } from '../context';
import { buildBundle, bundleFile, type ExportScope } from '../exchange/export';
import { Importer, keyRefusal, type ImportOptions } from '../exchange/import';
import type { CheckedBundle } from '../exchange/checked-bundle';
import { replaceInstallationKey, restoreInstallationKey } from '../provenance/keys';
import { hiddenCandidates } from '../visibility';
import { runJob } from './jobs';

// Moving work between installations as .panelist files.

/**
 * A .panelist file for the scope. Independent scoring holds here too: other panelists' scorecards
 * for a candidate on whose loop I hold an unsubmitted seat never leave in my bundles.
 */
export function exportBundle(ctx: CoreContext, scope: ExportScope): { fileName: string; file: Buffer } {
  const bundle = buildBundle(ctx, scope);
  const hidden = hiddenCandidates(ctx);
  if (hidden.size) {
    const hiddenInterviews = new Set(bundle.interviews.filter((i) => hidden.has(i.candidateId)).map((i) => i.id));
    bundle.scorecards = bundle.scorecards.filter((s) => !hiddenInterviews.has(s.interviewId) || ctx.repos.exchange.scorecard(s.id)?.interviewerId === ctx.meId);
    bundle.revotes = bundle.revotes.filter((v) => !hidden.has(v.candidateId) || v.interviewerId === ctx.meId);
  }
  const day = bundle.createdAt.slice(0, 10);
  return { fileName: `panelist-${scope.kind}-${day}.panelist`, file: bundleFile(bundle) };
}

/**
 * Reads and checks the file off the main thread; under a ticket, saying how far it got and
 * stoppable (see jobs.ts) until the merge begins.
 */
function checkFile(ctx: CoreContext, file: Buffer, ticket: string | undefined): Promise<CheckedBundle> {
  if (!ticket) return ctx.checkBundle(file);
  return runJob(ctx, ticket, ({ signal, progress }) => ctx.checkBundle(file, { signal, onProgress: progress }));
}

/** What importing the file would do; nothing is written. */
export async function previewBundle(ctx: CoreContext, file: Buffer, options: ImportOptions = {}, ticket?: string): Promise<ImportPlanSummary> {
  const checked = await checkFile(ctx, file, ticket);
  return ctx.db.transaction(() => new Importer(ctx, checked, options).plan()).deferred();
}

/**
 * Reads and checks the file off the main thread, then imports it in one short transaction: all of
 * it or none of it. Conflicts are recorded as part of the import for the user to resolve, not a
 * reason to refuse the rest. Importing the same file twice changes nothing the second time.
 */
export async function importBundle(ctx: CoreContext, file: Buffer, options: ImportOptions = {}, ticket?: string): Promise<ImportPlanSummary> {
  return importChecked(ctx, await checkFile(ctx, file, ticket), options);
}

/** Imports a bundle already read and checked (a file, or what a team hub sent) in one transaction. */
export function importChecked(ctx: CoreContext, checked: CheckedBundle, options: ImportOptions = {}, reason: 'imported' | 'synced' = 'imported'): ImportPlanSummary {
  const bundle = checked.bundle;
  let previousKey: string | null | undefined;
  try {
    const { summary, erasures, adopted } = ctx.db.transaction(() => {
      const importer = new Importer(ctx, checked, options);
      const planned = importer.plan();
      const waiting = keyRefusal(planned.keyQuestions);
      if (waiting) throw waiting;
      const applied = importer.apply();
      const keys = importer.adoptedKeys();
      // The key file changes last, inside the transaction: if it cannot be written, nothing changed.
      if (keys) previousKey = replaceInstallationKey(ctx.dataDir, keys.privateKey);
      return { summary: planned, ...applied, adopted: keys };
    }).immediate();
    if (adopted && bundle.identity) {
      ctx.meId = bundle.identity.interviewerId;
      ctx.keys = adopted;
    }
    if (erasures) ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    ctx.events.emit({ name: 'data:changed', payload: { reason } });
    return summary;
  } catch (error) {
    if (previousKey !== undefined) restoreInstallationKey(ctx.dataDir, previousKey);
    throw error;
  }
}
