import { readFileSync } from 'node:fs';
import type { ImportPreview } from '../../shared/hiring';
import { plural } from '../../shared/plural';
import type { Core } from '../core';
import { followErasures } from '../core/services/auto-backup';
import { integerOption, parse, UsageError } from './args';
import { call, DATA_DIR, withCore, type Io } from './run';

// Real hiring work from the command line: me, add, import, schedule, erase.

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is needed`);
  return value;
}

function readFile(file: string | undefined): string {
  if (!file) throw new UsageError('name the CSV file to import');
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

export async function meCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, name: { type: 'string' }, email: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`me takes no ${positionals[0]}`);
  return withCore(values['data-dir'], async (core) => {
    let me = await call(core, 'me:get', {});
    if (values.name !== undefined || values.email !== undefined) {
      me = await call(core, 'me:update', { name: values.name ?? me.name, email: values.email ?? me.email, revision: me.revision });
    }
    io.out(values.json ? JSON.stringify({ ...me, publicKey: core.ctx.keys.publicKey }, null, 2) : `${me.name}${me.email ? ` <${me.email}>` : ''} (${me.id})`);
    return 0;
  });
}

export async function addCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    name: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    source: { type: 'string' },
    note: { type: 'string' },
    'time-zone': { type: 'string' },
    json: { type: 'boolean' },
  });
  const what = positionals[0];
  if (positionals.length !== 1 || (what !== 'interviewer' && what !== 'candidate')) throw new UsageError('add needs one of: interviewer, candidate');
  return withCore(values['data-dir'], async (core) => {
    const added =
      what === 'interviewer'
        ? await call(core, 'interviewers:add', { name: required(values.name, 'name'), email: required(values.email, 'email') })
        : await call(core, 'candidates:add', {
            name: required(values.name, 'name'),
            email: values.email ?? '',
            roleId: required(values.role, 'role'),
            source: values.source ?? '',
            note: values.note ?? '',
            timeZone: values['time-zone'] ?? '',
          });
    io.out(values.json ? JSON.stringify(added, null, 2) : added.id);
    return 0;
  });
}

function printProblems(preview: ImportPreview, io: Io): void {
  for (const line of preview.lines.filter((l) => l.outcome === 'error')) {
    for (const e of line.errors) io.err(`line ${line.line}, ${e.column}: ${e.message}`);
  }
}

export async function importCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, role: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  const [what, file] = positionals;
  if (positionals.length !== 2 || (what !== 'interviewers' && what !== 'candidates' && what !== 'schedule')) {
    throw new UsageError('import needs a .panelist file, or one of interviewers, candidates, schedule and then the CSV file');
  }
  if (what === 'candidates' && !values.role) throw new UsageError('import candidates needs --role ROLE_ID');
  if (what !== 'candidates' && values.role !== undefined) throw new UsageError('--role only applies to import candidates');
  const csv = readFile(file);
  return withCore(values['data-dir'], async (core: Core) => {
    const preview =
      what === 'interviewers'
        ? await call(core, 'interviewers:import-preview', { csv })
        : what === 'candidates'
          ? await call(core, 'candidates:import-preview', { csv, roleId: values.role ?? '' })
          : await call(core, 'schedule:import-preview', { csv });
    const noun = what === 'schedule' ? 'interview' : what.slice(0, -1);
    if (preview.errors) {
      printProblems(preview, io);
      io.err(`panelist: ${plural(preview.errors, 'line')} of ${preview.lines.length} ${preview.errors === 1 ? 'has' : 'have'} errors; nothing was imported. Fix them and try again.`);
      return 1;
    }
    if (values['dry-run']) {
      io.out(`Would import ${plural(preview.adds, noun)} from ${file} (dry run: nothing written).`);
      return 0;
    }
    const done =
      what === 'interviewers'
        ? await call(core, 'interviewers:import', { csv })
        : what === 'candidates'
          ? await call(core, 'candidates:import', { csv, roleId: values.role ?? '' })
          : await call(core, 'schedule:import', { csv });
    io.out(`Imported ${plural(done.added, noun)} from ${file}.`);
    return 0;
  });
}

export async function scheduleCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    ...DATA_DIR,
    stage: { type: 'string' },
    at: { type: 'string' },
    minutes: { type: 'string' },
    panel: { type: 'string' },
    link: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [candidateId] = positionals;
  if (positionals.length !== 1 || !candidateId) throw new UsageError('schedule needs the candidate id');
  const stageNumber = integerOption(required(values.stage, 'stage'), 'stage', 1, 12) ?? 1;
  const emails = required(values.panel, 'panel').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  return withCore(values['data-dir'], async (core) => {
    const candidate = await call(core, 'candidates:get', { candidateId });
    const role = await call(core, 'roles:get', { roleId: candidate.roleId });
    const stage = role.stages.find((s) => s.position === stageNumber);
    if (!stage) throw new UsageError(`the ${role.title} loop has no stage ${stageNumber} (it has ${role.stages.length})`);
    const interviewers = await call(core, 'interviewers:list', {});
    const panel = emails.map((email) => {
      const found = interviewers.find((i) => i.email.toLowerCase() === email);
      if (!found) throw new UsageError(`no interviewer has the email ${email}`);
      return found.id;
    });
    const scheduled = await call(core, 'interviews:schedule', {
      candidateId,
      stageId: stage.id,
      scheduledAt: required(values.at, 'at'),
      durationMinutes: integerOption(values.minutes, 'minutes', 5, 480) ?? stage.durationMinutes,
      panel,
      videoLink: values.link ?? '',
    });
    for (const clash of scheduled.clashes) {
      io.err(`warning: ${clash.name} is already booked then (${clash.candidateName}, ${clash.scheduledAt}, ${clash.durationMinutes} min)`);
    }
    io.out(values.json ? JSON.stringify(scheduled, null, 2) : scheduled.interview.interviewId);
    return 0;
  });
}

export async function eraseCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...DATA_DIR, yes: { type: 'boolean' } });
  const [what, candidateId] = positionals;
  if (positionals.length !== 2 || what !== 'candidate' || !candidateId) throw new UsageError('erase needs: candidate ID');
  return withCore(values['data-dir'], async (core) => {
    const preview = await call(core, 'candidates:erase-preview', { candidateId });
    const what = `${preview.candidateName}: ${plural(preview.interviews, 'interview')}, ${plural(preview.scorecards, 'scorecard')} by ${plural(preview.interviewers, 'interviewer')}`;
    if (!values.yes) throw new UsageError(`this erases ${what}, and cannot be undone: add --yes to go ahead`);
    await call(core, 'candidates:erase', { candidateIds: [candidateId] });
    io.out(`Erased ${what}.`);
    // The automatic backups (and kept copies) in the data folder follow the erasure at once.
    const followed = await followErasures(core.ctx);
    if (followed.rewritten.length) io.out(`Rewrote ${plural(followed.rewritten.length, 'backup')} in the data folder without them.`);
    if (followed.removed.length) io.out(`Removed ${plural(followed.removed.length, 'backup')} in the data folder that held them and could not be rewritten.`);
    return 0;
  });
}
