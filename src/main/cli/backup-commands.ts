import { AppError } from '../../shared/result';
import { resolveDataDir } from '../paths';
import { listAutomaticBackups, keepBackupsSetting, setKeepBackupsSetting } from '../core/services/auto-backup';
import { backupDataFolder, describeRestore, restoreDatabase } from '../core/services/backup';
import { integerOption, parse, UsageError } from './args';
import { DATA_DIR, withCore, type Io } from './run';

// Backup and restore: files in, files out. Neither goes through a contract channel: a backup reads
// the database from a connection of its own (the app may be running), and a restore replaces the
// file under the core (the app must not be).

const count = (n: number) => n.toLocaleString('en-US');

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A refusal from the service is a refused command: one line, exit 2, nothing written. */
async function refusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
}

export async function backupCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, force: { type: 'boolean' } });
  const [file] = positionals;
  if (positionals.length !== 1 || !file) throw new UsageError('backup needs the file to write, e.g. panelist backup panelist-backup.sqlite');
  const done = await refusals(() => backupDataFolder(resolveDataDir(values['data-dir']), file, { force: values.force === true }));
  io.out(
    `Backed up ${done.database} to ${done.file} (schema ${done.schemaVersion}, ${count(done.candidates)} candidate${done.candidates === 1 ? '' : 's'}, ${megabytes(done.bytes)}).`,
  );
  return 0;
}

export async function restoreCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, DATA_DIR);
  const [file] = positionals;
  if (positionals.length !== 1 || !file) throw new UsageError('restore needs the backup file to restore from');
  const report = await refusals(() => restoreDatabase({ dataDir: resolveDataDir(values['data-dir']), source: file }));
  io.out(describeRestore(report));
  return 0;
}

/** Lists the automatic backups (newest first), and shows or sets how many are kept. */
export async function backupsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, keep: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`backups takes no ${positionals[0]}`);
  const keepWanted = integerOption(values.keep, 'keep', 1, 365);
  const dataDir = resolveDataDir(values['data-dir']);
  return withCore(dataDir, async (core) => {
    const keep = keepWanted === undefined ? keepBackupsSetting(core.ctx) : setKeepBackupsSetting(core.ctx, keepWanted);
    const backups = listAutomaticBackups(core.ctx.dataDir);
    if (values.json) {
      io.out(JSON.stringify({ keep, backups }, null, 2));
      return 0;
    }
    io.out(`The desktop app keeps the last ${count(keep)} automatic backup${keep === 1 ? '' : 's'}, one a day.`);
    if (backups.length === 0) io.out('There are none yet.');
    for (const b of backups) io.out(`${b.takenAt}  ${megabytes(b.bytes).padStart(9)}  ${b.file}`);
    return 0;
  });
}
