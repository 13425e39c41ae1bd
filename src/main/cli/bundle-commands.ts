import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BundleKind, panelSentence, type ImportPlanSummary } from '../../shared/bundle';
import { plural } from '../../shared/plural';
import { AppError } from '../../shared/result';
import { exportBundle, importBundle, previewBundle } from '../core/services/bundles';
import { followErasures } from '../core/services/auto-backup';
import { rotateMyKey } from '../core/services/keys';
import { parse, UsageError } from './args';
import { DATA_DIR, withCore, type Io } from './run';

// Bundles from the command line: export-bundle, and import FILE.panelist.

export async function exportBundleCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    kind: { type: 'string' },
    role: { type: 'string' },
    candidate: { type: 'string' },
    out: { type: 'string' },
    'with-key': { type: 'boolean' },
    'private-notes': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`export-bundle takes no ${positionals[0]}`);
  const kind = BundleKind.safeParse(values.kind);
  if (!kind.success) throw new UsageError('--kind needs one of: panel-kit, scorecards, full');
  if (!values.out) throw new UsageError('--out FILE is needed');
  const out = values.out;
  return withCore(values['data-dir'], async (core) => {
    let file: Buffer;
    try {
      ({ file } = exportBundle(core.ctx, {
        kind: kind.data,
        roleId: values.role,
        candidateId: values.candidate,
        passphrase: values['with-key'] ? passphrase() : undefined,
        includePrivateNotes: values['private-notes'] ?? false,
      }));
    } catch (error) {
      // A scope that names nothing, or something that is not there: the command line was wrong.
      if (error instanceof AppError) throw new UsageError(error.message);
      throw error;
    }
    // Written beside and renamed, so that a failed write leaves no half file.
    writeFileSync(`${out}.part`, file, { mode: 0o600 });
    renameSync(`${out}.part`, out);
    io.out(`Wrote ${out} (${kind.data}, ${(file.length / 1024).toFixed(1)} KB).`);
    return 0;
  });
}

/** The passphrase of a bundle's key comes from the environment, never the command line (process lists show it). */
function passphrase(): string {
  const value = process.env.PANELIST_PASSPHRASE;
  if (!value) throw new UsageError('set PANELIST_PASSPHRASE to the passphrase for the key (at least 10 characters)');
  return value;
}

/** This machine's time zone, as a person reads it: "Fri 27 Nov, 15:00 CET". */
const localTime = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

function describe(summary: ImportPlanSummary): string[] {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([kind, n]) => `${n.toLocaleString('en')} ${n === 1 ? kind.replace(/s$/, '') : kind}`)
      .join(', ') || 'nothing';
  return [
    `A ${summary.kind} bundle from ${summary.createdBy.name} (key ${summary.createdBy.fingerprint}).`,
    `Adds ${list(summary.added)}; updates ${list(summary.updated)}; ${plural(summary.unchanged, 'record')} already here.`,
    ...summary.newKeys.map((k) => `New key pinned for ${k.name}: ${k.fingerprint}.`),
    ...summary.forMe.map((seat) => panelSentence(seat, (iso) => localTime.format(new Date(iso)))),
    ...summary.keyQuestions.map((q) => `${q.name}'s key in this bundle (${q.offered}) is not the one pinned here (${q.pinned}): compare it with them, then --accept-key ${q.interviewerId} to import their scorecards.`),
    ...(summary.identity
      ? [summary.identity.adopted ? `This installation is now ${summary.identity.name} (key ${summary.identity.fingerprint}).` : `It carries ${summary.identity.name}'s key: import it into a new installation with --become-me to become them there.`]
      : []),
    ...summary.conflicts.map((c) => `Conflict (${c.kind}): ${c.message}`),
  ];
}

export async function importBundleCommand(file: string, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    'dry-run': { type: 'boolean' },
    'accept-key': { type: 'string', multiple: true },
    'become-me': { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`import FILE takes no ${positionals[0]}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const options = { acceptKeys: values['accept-key'] ?? [], adoptIdentity: values['become-me'] ? { passphrase: passphrase() } : undefined };
  return withCore(values['data-dir'], async (core) => {
    try {
      const summary = values['dry-run'] ? await previewBundle(core.ctx, bytes, options) : await importBundle(core.ctx, bytes, options);
      for (const line of describe(summary)) io.out(line);
      // Tombstones in the bundle may have erased someone here: the backups follow.
      if (!values['dry-run'] && (summary.added.erasures ?? 0) > 0) await followErasures(core.ctx);
      if (values['dry-run'] && summary.keyQuestions.length) {
        io.err(`panelist: ${file}: dry run, nothing was written; the import is refused until you accept the changed keys above.`);
        return 1;
      }
      io.out(values['dry-run'] ? 'Dry run: nothing was written.' : `Imported ${file}.`);
      return 0;
    } catch (error) {
      io.err(`panelist: ${file}: ${error instanceof Error ? error.message : String(error)} Nothing was imported.`);
      return 1;
    }
  });
}

export async function rotateKeyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR });
  if (positionals.length) throw new UsageError(`rotate-key takes no ${positionals[0]}`);
  return withCore(values['data-dir'], async (core) => {
    const { fingerprint } = rotateMyKey(core.ctx);
    io.out(`New key ${fingerprint}. Your next bundles carry the rotation, signed by your old key, so others accept it.`);
    return 0;
  });
}
