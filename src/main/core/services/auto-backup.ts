import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { schemaVersion } from '../db/connection';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import type { EventListener } from '../events';
import {
  AUTOMATIC_BACKUPS_FOLDER,
  backupDatabase,
  backupFilesOf,
  fileTime,
  heldCandidates,
  readTombstones,
  rewriteWithTombstones,
  type TombstoneRow,
} from './backup';

// The desktop app's automatic backups: one a day in the data folder's backups/ folder, the last N
// kept, each following every erasure. Plain functions and a small scheduler, with no Electron in
// them, so that the decisions (is one due, which is the latest, what to offer when the database
// does not open) are tested here and the app only shows them.

/** The settings key for how many automatic backups to keep. */
export const KEEP_BACKUPS_KEY = 'automatic_backups_keep';
export const DEFAULT_KEEP_BACKUPS = 7;
export const MAX_KEEP_BACKUPS = 365;
/** A new automatic backup is due when the newest is this old. */
export const BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
/** How often the running app looks whether one is due (so a laptop asleep at the hour still gets it). */
export const CHECK_EVERY_MS = 60 * 60 * 1000;
/** 16 MB at a time (4 KiB pages): the app stays responsive while a large database is copied. */
const PAGES_PER_STEP = 4096;

export interface AutomaticBackup {
  file: string;
  /** When it was taken (from its name, which a rewrite after an erasure keeps). */
  takenAt: string;
  bytes: number;
}

const NAME = /^panelist-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

export function automaticBackupsFolder(dataDir: string): string {
  return join(resolve(dataDir), AUTOMATIC_BACKUPS_FOLDER);
}

export function automaticBackupName(at: Date): string {
  return `panelist-${fileTime(at)}.sqlite`;
}

function takenAtOf(name: string): string | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const at = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The automatic backups in the data folder, newest first. */
export function listAutomaticBackups(dataDir: string): AutomaticBackup[] {
  const folder = automaticBackupsFolder(dataDir);
  if (!existsSync(folder)) return [];
  const found: AutomaticBackup[] = [];
  for (const name of readdirSync(folder)) {
    const takenAt = takenAtOf(name);
    if (!takenAt) continue;
    const file = join(folder, name);
    found.push({ file, takenAt, bytes: statSync(file).size });
  }
  return found.sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
}

export function latestAutomaticBackup(dataDir: string): AutomaticBackup | undefined {
  return listAutomaticBackups(dataDir)[0];
}

/** Due when no backup was taken in the last day (a backup dated in the future, after a clock change, does not count). */
export function isBackupDue(backups: readonly AutomaticBackup[], now: Date): boolean {
  const t = now.getTime();
  return !backups.some((b) => {
    const taken = Date.parse(b.takenAt);
    return taken <= t && t - taken < BACKUP_EVERY_MS;
  });
}

export function keepBackupsSetting(ctx: CoreContext): number {
  const n = Number(ctx.repos.settings.get(KEEP_BACKUPS_KEY) ?? DEFAULT_KEEP_BACKUPS);
  return Number.isInteger(n) && n >= 1 && n <= MAX_KEEP_BACKUPS ? n : DEFAULT_KEEP_BACKUPS;
}

export function setKeepBackupsSetting(ctx: CoreContext, keep: number): number {
  if (!Number.isInteger(keep) || keep < 1 || keep > MAX_KEEP_BACKUPS) {
    throw new AppError('invalid_input', `Keep between 1 and ${MAX_KEEP_BACKUPS} automatic backups, not ${keep}.`, 'keep');
  }
  ctx.repos.settings.set(KEEP_BACKUPS_KEY, String(keep));
  return keep;
}

/** Keeps the newest `keep` automatic backups and removes the rest (and any copy a crash left half written). */
export function pruneAutomaticBackups(dataDir: string, keep: number, now = new Date()): string[] {
  const removed: string[] = [];
  for (const old of listAutomaticBackups(dataDir).slice(keep)) {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${old.file}${suffix}`, { force: true });
    removed.push(old.file);
  }
  const folder = automaticBackupsFolder(dataDir);
  if (existsSync(folder)) {
    for (const name of readdirSync(folder)) {
      if (!name.startsWith('.panelist-') || !name.includes('.sqlite.')) continue;
      const file = join(folder, name);
      if (now.getTime() - statSync(file).mtimeMs > BACKUP_EVERY_MS) rmSync(file, { force: true });
    }
  }
  return removed;
}

/** Takes an automatic backup now (SQLite's online backup of the core's own connection) and prunes to the setting. */
export async function makeAutomaticBackup(ctx: CoreContext): Promise<{ backup: AutomaticBackup; removed: string[] }> {
  const folder = automaticBackupsFolder(ctx.dataDir);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const at = ctx.clock();
  const report = await backupDatabase(ctx.db, join(folder, automaticBackupName(at)), { pagesPerStep: PAGES_PER_STEP });
  const removed = pruneAutomaticBackups(ctx.dataDir, keepBackupsSetting(ctx), at);
  return { backup: { file: report.file, takenAt: at.toISOString(), bytes: report.bytes }, removed };
}

/** At start, and every hour while running: a backup if the newest is a day old or there is none. */
export async function backUpIfDue(ctx: CoreContext): Promise<AutomaticBackup | null> {
  if (!isBackupDue(listAutomaticBackups(ctx.dataDir), ctx.clock())) return null;
  return (await makeAutomaticBackup(ctx)).backup;
}

export interface FollowReport {
  /** Backups that held an erased candidate and were rewritten without them (their tombstones added). */
  rewritten: string[];
  /** Backups that held one (or could not be read to tell) and were removed instead. */
  removed: string[];
}

/**
 * Makes every Panelist-made copy in the data folder follow the erasures recorded in the database: a
 * copy that still holds an erased candidate is rewritten, the way a restore would (the tombstones
 * recorded, the candidates erased with secure_delete, migrated first if it is older, then VACUUMed),
 * so that the candidate's text survives in none of them. Removed instead: a copy this Panelist
 * cannot rewrite (damaged, or from a newer Panelist), and a pre-migration copy beside the database
 * (panelist.sqlite.schema-N.….bak: rewritten, it would no longer be the older schema it keeps).
 * Copies that hold no erased candidate are not touched.
 */
export async function followErasures(ctx: CoreContext, tombstones: readonly TombstoneRow[] = readTombstones(ctx.db)): Promise<FollowReport> {
  const report: FollowReport = { rewritten: [], removed: [] };
  if (tombstones.length === 0) return report;
  const { automatic, beside } = backupFilesOf(ctx.dataDir);
  for (const [file, isAutomatic] of [...automatic.map((f) => [f, true] as const), ...beside.map((f) => [f, false] as const)]) {
    const look = holdsErased(file, tombstones);
    if (look === 'busy' || look === 'clean') continue;
    const rewritable = look === 'holds-current' || (look === 'holds-older' && isAutomatic);
    if (rewritable) {
      try {
        await rewriteWithTombstones(file, ctx.dataDir, tombstones);
        report.rewritten.push(file);
        continue;
      } catch {
        /* could not be rewritten: removed below, since it holds an erased candidate */
      }
    }
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    report.removed.push(file);
  }
  return report;
}

type Look = 'clean' | 'busy' | 'holds-current' | 'holds-older' | 'holds-unrewritable';

function holdsErased(file: string, tombstones: readonly TombstoneRow[]): Look {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 2000 });
    if (heldCandidates(db, tombstones).length === 0) return 'clean';
    const version = schemaVersion(db);
    if (version === LATEST_SCHEMA_VERSION) return 'holds-current';
    return version < LATEST_SCHEMA_VERSION ? 'holds-older' : 'holds-unrewritable';
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
    // Damaged, or not a database: it cannot be shown to be free of the erased candidates.
    return 'holds-unrewritable';
  } finally {
    db?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// When the database does not open

export type StartupDecision =
  | { action: 'offer-backup'; backup: AutomaticBackup; message: string; question: string }
  | { action: 'report'; message: string };

/**
 * What the app does when its database fails to open: a damaged file, or one that is not a database,
 * gets the latest automatic backup offered (if there is one). Anything else (a file from a newer
 * Panelist, a database in use by another process, an unreadable key file) is only reported:
 * restoring a backup would not mend it, and could lose work.
 */
export function decideAfterOpenFailure(dataDir: string, error: unknown): StartupDecision {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  // The core says storage_corrupt for a damaged file or one that is not a Panelist database.
  const damaged = code === 'storage_corrupt' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB');
  if (!damaged) return { action: 'report', message };
  const backup = latestAutomaticBackup(dataDir);
  if (!backup) return { action: 'report', message: `${message}. There is no automatic backup to restore.` };
  return {
    action: 'offer-backup',
    backup,
    message: `Panelist could not open its database: ${message}.`,
    question: `Restore the latest automatic backup, taken ${backup.takenAt.slice(0, 16).replace('T', ' ')} UTC? The database you have now is kept beside it, and every erasure recorded since is applied again.`,
  };
}

// ---------------------------------------------------------------------------------------------
// While the app runs

export interface SchedulerOptions {
  /** Core push events: an erasure makes the backups follow it at once. */
  subscribe?: (listener: EventListener) => () => void;
  log?: (line: string) => void;
  /** Timers, for tests. */
  setInterval?: (run: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/**
 * The running app's automatic backups: at start, the erasures are followed and a backup is made if
 * due; then every hour the same; and after every erasure (or import) the backups follow it at once.
 * One task at a time, in order, so that a backup and a rewrite never meet.
 */
export class AutomaticBackups {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: unknown;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly options: SchedulerOptions = {},
  ) {}

  start(): Promise<void> {
    const every = this.options.setInterval ?? ((run, ms) => setInterval(run, ms).unref());
    // Each hour also catches erasures made by another process (a bundle imported from the command line).
    this.timer = every(() => {
      void this.followErasures();
      void this.backUpIfDue();
    }, CHECK_EVERY_MS);
    this.followEveryErasure();
    void this.followErasures();
    return this.backUpIfDue().then(() => undefined);
  }

  /**
   * Only follows erasures, making no backups of its own: for serve mode, so that an erasure made
   * through it still reaches the backups the desktop app keeps in the same data folder.
   */
  followEveryErasure(): void {
    this.unsubscribe ??= this.options.subscribe?.((event) => {
      // An import erases too, when a bundle carries a tombstone for a candidate this installation has.
      if (event.name === 'data:changed' && (event.payload.reason === 'erased' || event.payload.reason === 'imported')) void this.followErasures();
    });
  }

  stop(): Promise<void> {
    if (this.timer !== undefined) (this.options.clearInterval ?? ((h) => clearInterval(h as ReturnType<typeof setInterval>)))(this.timer);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    return this.queue.then(() => undefined);
  }

  /** Resolves when every task asked for so far has run. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  backUpIfDue(): Promise<AutomaticBackup | null> {
    return this.enqueue('automatic backup', async () => {
      const made = await backUpIfDue(this.ctx);
      if (made) this.log(`Automatic backup: ${made.file}`);
      return made;
    }, null);
  }

  followErasures(): Promise<FollowReport> {
    return this.enqueue('following an erasure in the backups', async () => {
      const done = await followErasures(this.ctx);
      for (const file of done.rewritten) this.log(`Automatic backups: rewrote ${file} without the erased candidates`);
      for (const file of done.removed) this.log(`Automatic backups: removed ${file}, which held an erased candidate`);
      return done;
    }, { rewritten: [], removed: [] });
  }

  private enqueue<T>(what: string, task: () => Promise<T>, fallback: T): Promise<T> {
    const run = this.queue.then(task).catch((error: unknown) => {
      this.log(`Panelist: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    });
    this.queue = run;
    return run;
  }

  private log(line: string): void {
    (this.options.log ?? console.log)(line);
  }
}
