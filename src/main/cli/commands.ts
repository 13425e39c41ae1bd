import { plural } from '../../shared/plural';
import { openCore } from '../core';
import { DEFAULT_SCHEDULE } from '../core/sync/hub-syncer';
import { startServer } from '../http/server';
import { rendererDir, resolveDataDir } from '../paths';
import { APP_VERSION } from '../version';
import { integerOption, parse, UsageError } from './args';
import { call, DATA_DIR, withCore, type Io } from './run';
import { exportBundleCommand, importBundleCommand, rotateKeyCommand } from './bundle-commands';
import { decideCommand, packetCommand, packetsCommand, verifyPacketCommand } from './packet-commands';
import { addCommand, eraseCommand, importCommand, meCommand, scheduleCommand } from './hiring-commands';
import { backupCommand, backupsCommand, restoreCommand } from './backup-commands';
import { AutomaticBackups } from '../core/services/auto-backup';
import { formatTable } from './table';
import { hubCommand, syncCommand } from './hub-commands';

export const USAGE = `Usage: panelist <command> [options]

Commands:
  serve [--port N]                                  serve the app on http://127.0.0.1 (prints the address)
  list roles|candidates|interviewers [--role ID] [--search TEXT] [--json]
  demo --candidates N --interviewers M [--seed S]   load a realistic demo organisation
  demo --remove                                     remove every demo record
  calibration [--role ID] [--session KIND] [--json] interviewer leniency, agreement and session comparison
  me [--name N] [--email E] [--json]                shows or sets this installation's interviewer
  add interviewer --name N --email E [--json]       prints the new interviewer's id
  add candidate --name N --email E --role ROLE_ID [--source S] [--note T] [--time-zone Z] [--json]
  import interviewers FILE.csv [--dry-run]          name, email
  import candidates FILE.csv --role ROLE_ID [--dry-run]
                                                    name, email, source, note, time zone
  import schedule FILE.csv [--dry-run]              candidate email, stage, start, duration, interviewer emails, video link
  schedule CANDIDATE_ID --stage N --at ISO-8601 --panel EMAIL,EMAIL [--minutes 60] [--link URL] [--json]
  erase candidate ID --yes                          erases a candidate: scorecards, notes and all (asks for --yes)
  backup FILE [--force]                             copies the database to FILE (safe while the app runs)
  restore FILE                                      replaces the database with FILE (app closed; keeps the old one, erasures re-applied)
  backups [--keep N] [--json]                       lists the automatic backups; sets how many the desktop app keeps
  export-bundle --kind panel-kit|scorecards|full [--role ID] [--candidate ID] --out FILE
                [--with-key] [--private-notes]      full: your key sealed with PANELIST_PASSPHRASE; your private notes
  import FILE.panelist [--dry-run] [--accept-key INTERVIEWER_ID]... [--become-me]
  rotate-key                                        a new key for this installation, signed over by the old one
  decide CANDIDATE_ID --decision hire|no-hire|hold --rationale TEXT [--reason TEXT]
                                                    records the decision (a change needs --reason)
  packet CANDIDATE_ID --format pdf|html|md|json --out FILE [--paper a4|letter] [--private-notes]
                                                    the signed decision packet (PDF through PANELIST_CHROMIUM or Chromium)
  packets --role ROLE_ID --format pdf|html|md|json --out DIR
                                                    a packet for every candidate of the role
  verify-packet FILE [--json]                       intact or changed, and who signed (exit 0 only when intact)
  sync --hub URL --token TOKEN [--json]             one push and pull with the team hub; prints what moved

Team hub (PostgreSQL; --database is a postgres:// URL):
  hub init --database URL                           creates or upgrades the hub's schema (as the database owner)
  hub --database URL [--port N] [--host H] [--tls-cert F --tls-key F] [--rate N] [--pool-size N]
                                                    serves the hub (as panelist_service); N requests/s per token (20)
  hub add-user EMAIL --role interviewer|hiring-manager|admin [--public-key KEY] --database URL
                                                    prints the user's token once (KEY: "panelist me --json")
  hub revoke EMAIL --database URL                   revokes the user and their tokens
  hub share-role ROLE_ID EMAIL --database URL       lets a hiring manager manage a role
  hub users [--json] --database URL                 lists the users

Every command takes --data-dir DIR (default: PANELIST_DATA_DIR, else the desktop app's folder).`;

export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...DATA_DIR, port: { type: 'string' } });
  const port = integerOption(values.port, 'port', 0, 65535) ?? 0;
  const core = await openCore({ dataDir: resolveDataDir(values['data-dir']), version: APP_VERSION, syncInBackground: DEFAULT_SCHEDULE });
  const running = await startServer({ handlers: core.handlers, subscribe: core.subscribe, rendererDir: rendererDir(), port });
  // An erasure made here reaches the desktop app's automatic backups in the same data folder.
  const backups = new AutomaticBackups(core.ctx, { subscribe: core.subscribe, log: io.err });
  backups.followEveryErasure();
  io.out(`Panelist is serving ${core.ctx.databaseFile}`);
  io.out(`Open ${running.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  await backups.stop();
  core.close();
  return 0;
}

export async function listCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    role: { type: 'string' },
    search: { type: 'string' },
    json: { type: 'boolean' },
  });
  const what = positionals[0];
  if (positionals.length !== 1 || (what !== 'roles' && what !== 'candidates' && what !== 'interviewers')) {
    throw new UsageError('list needs one of: roles, candidates, interviewers');
  }
  if (values.role !== undefined && what !== 'candidates') throw new UsageError('--role only applies to list candidates');
  return withCore(values['data-dir'], async (core) => {
    let rows: Record<string, unknown>[];
    let columns: string[];
    if (what === 'roles') {
      rows = await call(core, 'roles:list', {});
      columns = ['id', 'title', 'team', 'isDemo'];
    } else if (what === 'interviewers') {
      rows = await call(core, 'interviewers:list', values.search === undefined ? {} : { search: values.search });
      columns = ['id', 'name', 'email', 'isMe', 'assignedInterviews', 'submittedScorecards'];
    } else {
      rows = [];
      for (let offset = 0; ; offset += 500) {
        const page = await call(core, 'candidates:list', {
          limit: 500,
          offset,
          ...(values.role === undefined ? {} : { roleId: values.role }),
          ...(values.search === undefined ? {} : { search: values.search }),
        });
        rows.push(...page.items);
        if (rows.length >= page.total || page.items.length === 0) break;
      }
      columns = ['id', 'name', 'email', 'roleTitle', 'interviewsDone', 'interviewsTotal'];
    }
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else io.out(formatTable(rows, columns));
    return 0;
  });
}

export async function demoCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    candidates: { type: 'string' },
    interviewers: { type: 'string' },
    seed: { type: 'string' },
    remove: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`demo takes no positional arguments, got "${positionals[0]}"`);
  if (values.remove) {
    if (values.candidates !== undefined || values.interviewers !== undefined) {
      throw new UsageError('demo --remove takes no --candidates or --interviewers');
    }
    return withCore(values['data-dir'], async (core) => {
      const removed = await call(core, 'demo:remove', {});
      io.out(
        `Removed the demo data: ${plural(removed.roles, 'role')}, ${plural(removed.candidates, 'candidate')}, ` +
          `${plural(removed.interviewers, 'interviewer')}, ${plural(removed.scorecards, 'scorecard')}.`,
      );
      return 0;
    });
  }
  const candidates = integerOption(values.candidates, 'candidates', 1, 100_000);
  const interviewers = integerOption(values.interviewers, 'interviewers', 3, 10_000);
  if (candidates === undefined || interviewers === undefined) {
    throw new UsageError('demo needs --candidates N and --interviewers M (or --remove)');
  }
  const seed = integerOption(values.seed, 'seed', 0, 2 ** 31 - 1) ?? 1;
  return withCore(values['data-dir'], async (core) => {
    const started = performance.now();
    const s = await call(core, 'demo:load', { candidates, interviewers, seed });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(
      `Loaded demo data into ${core.ctx.databaseFile} in ${seconds} s: ${plural(s.roles, 'role')}, ${plural(s.candidates, 'candidate')}, ` +
        `${plural(s.interviewers, 'interviewer')}, ${plural(s.interviews, 'interview')}, ${plural(s.scorecards, 'scorecard')}, ${plural(s.scores, 'score')}.`,
    );
    return 0;
  });
}

const two = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(2));

export async function calibrationCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, role: { type: 'string' }, session: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`calibration takes no positional arguments, got "${positionals[0]}"`);
  return withCore(values['data-dir'], async (core) => {
    const report = await call(core, 'calibration:report', {
      ...(values.role === undefined ? {} : { roleId: values.role }),
      ...(values.session === undefined ? {} : { sessionKind: values.session }),
    });
    if (values.json) {
      io.out(JSON.stringify(report, null, 2));
      return 0;
    }
    const t = report.totals;
    io.out(`${plural(t.ratings, 'rating')}, ${plural(t.scorecards, 'scorecard')}, ${plural(t.candidates, 'candidate')}, ${plural(t.interviewers, 'interviewer')}.`);
    if (report.withheld.message) io.out(report.withheld.message);
    if (report.model.iccAbsolute !== null) {
      io.out(`ICC of one rating ${two(report.model.iccAbsolute)}; reliability of a panel of three ${two(report.model.reliabilityOfPanelOf3)}.`);
    }
    io.out('\nWho scores higher or lower than the panel?');
    io.out(
      formatTable(
        report.leniency.map((r) => ({
          interviewer: r.name,
          ratings: r.ratings,
          effect: two(r.effect),
          ci95: `${two(r.ci95[0])} to ${two(r.ci95[1])}`,
          leastSquares: two(r.fixedEffect),
          naive: two(r.naiveDeviation),
          reading: r.tooFew ? 'too few to tell' : (r.flag ?? ''),
        })),
        ['interviewer', 'ratings', 'effect', 'ci95', 'leastSquares', 'naive', 'reading'],
      ),
    );
    io.out('\nDo panels agree?');
    io.out(
      formatTable(
        report.agreement.map((a) => ({
          scope: a.scope === 'session' ? a.label : `  ${a.label}`,
          units: a.units,
          alphaInterval: two(a.alphaInterval),
          alphaOrdinal: two(a.alphaOrdinal),
          icc21: a.icc ? two(a.icc.value) : '—',
          reading: a.reading,
        })),
        ['scope', 'units', 'alphaInterval', 'alphaOrdinal', 'icc21', 'reading'],
      ),
    );
    io.out('\nIs one session harsher than another on the same candidates? (second minus first)');
    io.out(
      formatTable(
        report.sessions.map((s) => ({
          sessions: `${s.b} - ${s.a}`,
          shared: s.sharedCandidates,
          raw: s.raw ? `${two(s.raw.difference)} (${two(s.raw.ci95[0])} to ${two(s.raw.ci95[1])})` : 'too few',
          adjusted: s.adjusted ? `${two(s.adjusted.difference)} (${two(s.adjusted.ci95[0])} to ${two(s.adjusted.ci95[1])})` : '—',
        })),
        ['sessions', 'shared', 'raw', 'adjusted'],
      ),
    );
    return 0;
  });
}

/** The commands, by name: the desktop app runs one instead of opening a window when its first argument names it. */
export const COMMANDS = ['serve', 'list', 'demo', 'calibration', 'me', 'add', 'import', 'export-bundle', 'rotate-key', 'decide', 'packet', 'packets', 'verify-packet', 'schedule', 'erase', 'backup', 'restore', 'backups', 'hub', 'sync', 'help'] as const;

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serveCommand(rest, io);
      case 'list':
        return await listCommand(rest, io);
      case 'demo':
        return await demoCommand(rest, io);
      case 'calibration':
        return await calibrationCommand(rest, io);
      case 'me':
        return await meCommand(rest, io);
      case 'add':
        return await addCommand(rest, io);
      case 'import':
        return rest[0] && !['interviewers', 'candidates', 'schedule'].includes(rest[0]) && !rest[0].startsWith('-')
          ? await importBundleCommand(rest[0], rest.slice(1), io)
          : await importCommand(rest, io);
      case 'export-bundle':
        return await exportBundleCommand(rest, io);
      case 'rotate-key':
        return await rotateKeyCommand(rest, io);
      case 'decide':
        return await decideCommand(rest, io);
      case 'packet':
        return await packetCommand(rest, io);
      case 'packets':
        return await packetsCommand(rest, io);
      case 'verify-packet':
        return await verifyPacketCommand(rest, io);
      case 'schedule':
        return await scheduleCommand(rest, io);
      case 'erase':
        return await eraseCommand(rest, io);
      case 'backup':
        return await backupCommand(rest, io);
      case 'restore':
        return await restoreCommand(rest, io);
      case 'backups':
        return await backupsCommand(rest, io);
      case 'hub':
        return await hubCommand(rest, io);
      case 'sync':
        return await syncCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: serve, list, demo, calibration, me, add, import, schedule, erase, export-bundle, rotate-key, decide, packet, packets, verify-packet, backup, restore, backups, hub, sync)`);
    }
  } catch (error) {
    io.err(`panelist: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
