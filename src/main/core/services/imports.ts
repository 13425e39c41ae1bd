import type { ParsedInputOf } from '../../../shared/contract';
import { Email, isTimeZone, Minutes, VideoLink, type ImportLine, type ImportPreview, type ImportResult } from '../../../shared/hiring';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { readCsv, type CsvColumn, type CsvRecord } from './csv';
import { insertInterview, type NewSchedule } from './interviews';

// CSV imports of interviewers, candidates and schedules: a preview that names every line's result
// and errors by line and column, then an apply that writes all of it in one transaction or nothing.

type LineErrors = { column: string; message: string }[];

/** How one kind of import checks a line and, once every line is good, writes it. */
interface ImportKind<T> {
  columns: readonly CsvColumn[];
  /** Checks a line against the database and the lines before it; returns what to write, or the errors. */
  check(record: CsvRecord, earlier: Map<string, number>): { value: T } | { errors: LineErrors };
  write(value: T): void;
}

function emailError(email: string): string | null {
  return Email.safeParse(email).success ? null : `"${email}" is not an email address`;
}

function checkAll<T>(kind: ImportKind<T>, csv: string, drop: ReadonlySet<number>): { lines: ImportLine[]; values: T[] } {
  const records = readCsv(csv, kind.columns);
  const earlier = new Map<string, number>();
  const lines: ImportLine[] = [];
  const values: T[] = [];
  for (const record of records) {
    if (drop.has(record.line)) continue;
    const checked = kind.check(record, earlier);
    if ('value' in checked) {
      values.push(checked.value);
      lines.push({ line: record.line, outcome: 'add', values: record.values, errors: [] });
    } else {
      lines.push({ line: record.line, outcome: 'error', values: record.values, errors: checked.errors });
    }
  }
  return { lines, values };
}

function preview<T>(ctx: CoreContext, kind: ImportKind<T>, input: ParsedInputOf<'interviewers:import-preview'>): ImportPreview {
  const { lines } = checkAll(kind, input.csv, new Set(input.dropLines));
  const errors = lines.filter((l) => l.outcome === 'error').length;
  return { lines, adds: lines.length - errors, errors };
}

function apply<T>(ctx: CoreContext, kind: ImportKind<T>, input: ParsedInputOf<'interviewers:import'>): ImportResult {
  const result = ctx.db.transaction((): ImportResult => {
    const drop = new Set(input.dropLines);
    const { lines, values } = checkAll(kind, input.csv, drop);
    const bad = lines.filter((l) => l.outcome === 'error');
    if (bad.length) {
      const first = bad[0]!;
      throw new AppError(
        'invalid_input',
        `csv: ${bad.length} ${bad.length === 1 ? 'line has' : 'lines have'} errors (first: line ${first.line}, ${first.errors[0]?.column}: ${first.errors[0]?.message}); fix or drop them. Nothing was imported.`,
        'csv',
      );
    }
    if (values.length === 0) throw new AppError('invalid_input', 'csv: there is nothing to import (no lines, or every line dropped).', 'csv');
    for (const value of values) kind.write(value);
    return { added: values.length, dropped: drop.size };
  }).immediate();
  ctx.events.emit({ name: 'data:changed', payload: { reason: 'imported' } });
  return result;
}

function interviewersKind(ctx: CoreContext): ImportKind<{ name: string; email: string }> {
  const now = nowOf(ctx);
  return {
    columns: [
      { name: 'name', required: true },
      { name: 'email', aliases: ['e-mail', 'email address'], required: true },
    ],
    check({ line, values }, earlier) {
      const errors: LineErrors = [];
      const name = values.name ?? '';
      const email = (values.email ?? '').toLowerCase();
      if (!name) errors.push({ column: 'name', message: 'a name is needed' });
      else if (name.length > 200) errors.push({ column: 'name', message: 'at most 200 characters' });
      const bad = emailError(email);
      if (!email) errors.push({ column: 'email', message: 'an email is needed' });
      else if (bad) errors.push({ column: 'email', message: bad });
      else if (earlier.has(email)) errors.push({ column: 'email', message: `the same email is on line ${earlier.get(email)}` });
      else {
        const holder = ctx.repos.interviewers.byEmail(email);
        if (holder) errors.push({ column: 'email', message: `${holder.name} already has this email` });
      }
      if (email && !earlier.has(email)) earlier.set(email, line);
      return errors.length ? { errors } : { value: { name, email } };
    },
    write({ name, email }) {
      ctx.repos.interviewers.insert({ id: ctx.newId(), name, email, isMe: false, isDemo: false, now });
    },
  };
}

interface CandidateLine {
  name: string;
  email: string;
  source: string;
  note: string;
  timeZone: string;
}

function candidatesKind(ctx: CoreContext, roleId: string): ImportKind<CandidateLine> {
  if (!ctx.repos.roles.get(roleId)) throw new AppError('not_found', `No role with id ${roleId}.`, 'roleId');
  const now = nowOf(ctx);
  return {
    columns: [
      { name: 'name', required: true },
      { name: 'email', aliases: ['e-mail', 'email address'], required: false },
      { name: 'source', required: false },
      { name: 'note', aliases: ['notes'], required: false },
      { name: 'time zone', aliases: ['timezone', 'tz'], required: false },
    ],
    check({ line, values }, earlier) {
      const errors: LineErrors = [];
      const name = values.name ?? '';
      const email = (values.email ?? '').toLowerCase();
      const timeZone = values['time zone'] ?? '';
      if (!name) errors.push({ column: 'name', message: 'a name is needed' });
      else if (name.length > 200) errors.push({ column: 'name', message: 'at most 200 characters' });
      if (email) {
        const bad = emailError(email);
        if (bad) errors.push({ column: 'email', message: bad });
        else if (earlier.has(email)) errors.push({ column: 'email', message: `the same email is on line ${earlier.get(email)}` });
        else {
          const twin = ctx.repos.candidates.withEmail(roleId, email, null);
          if (twin) errors.push({ column: 'email', message: `${twin.name} is already a candidate for this role` });
          earlier.set(email, line);
        }
      }
      if ((values.source ?? '').length > 200) errors.push({ column: 'source', message: 'at most 200 characters' });
      if ((values.note ?? '').length > 2000) errors.push({ column: 'note', message: 'at most 2,000 characters' });
      if (timeZone && !isTimeZone(timeZone)) errors.push({ column: 'time zone', message: `"${timeZone}" is not a time zone (e.g. Europe/Berlin)` });
      return errors.length ? { errors } : { value: { name, email, source: values.source ?? '', note: values.note ?? '', timeZone } };
    },
    write(c) {
      ctx.repos.candidates.insert({ ...c, id: ctx.newId(), roleId, isDemo: false, now });
    },
  };
}

function scheduleKind(ctx: CoreContext): ImportKind<NewSchedule> {
  return {
    columns: [
      { name: 'candidate email', aliases: ['candidate', 'email'], required: true },
      { name: 'stage', aliases: ['session'], required: true },
      { name: 'start', aliases: ['starts at', 'scheduled at', 'at'], required: true },
      { name: 'duration', aliases: ['minutes', 'duration minutes'], required: false },
      { name: 'interviewer emails', aliases: ['interviewers', 'panel'], required: true },
      { name: 'video link', aliases: ['link', 'video'], required: false },
    ],
    check({ values }) {
      const errors: LineErrors = [];
      const email = (values['candidate email'] ?? '').toLowerCase();
      const matches = email ? ctx.repos.candidates.allWithEmail(email).filter((c) => !c.archived) : [];
      if (!email) errors.push({ column: 'candidate email', message: 'a candidate email is needed' });
      else if (matches.length === 0) errors.push({ column: 'candidate email', message: `no current candidate has the email ${email}` });
      else if (matches.length > 1) errors.push({ column: 'candidate email', message: `${matches.length} candidates have this email (in different roles)` });
      const candidate = matches.length === 1 ? matches[0] : undefined;

      const stageText = (values.stage ?? '').trim();
      const stages = candidate ? ctx.repos.loops.detailedStagesOfRole(candidate.roleId) : [];
      const stage = stages.find((s) => String(s.position) === stageText || s.title.toLowerCase() === stageText.toLowerCase() || s.sessionKind === stageText.toLowerCase());
      if (!stageText) errors.push({ column: 'stage', message: 'a stage (its number or title) is needed' });
      else if (candidate && !stage) errors.push({ column: 'stage', message: `the loop has no stage "${stageText}" (stages: ${stages.map((s) => `${s.position} ${s.title}`).join(', ')})` });

      const start = values.start ?? '';
      const parsedStart = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(start) ? Date.parse(start) : NaN;
      if (!start) errors.push({ column: 'start', message: 'a start time is needed (ISO 8601, e.g. 2026-12-03T14:00:00Z)' });
      else if (Number.isNaN(parsedStart)) errors.push({ column: 'start', message: `"${start}" is not an ISO 8601 time with a zone (e.g. 2026-12-03T14:00:00+01:00)` });

      const durationText = values.duration ?? '';
      const duration = durationText ? Number(durationText) : 60;
      if (!Minutes.safeParse(duration).success) errors.push({ column: 'duration', message: `"${durationText}" is not a number of minutes from 5 to 480` });

      const panelEmails = (values['interviewer emails'] ?? '').split(/[\s,;]+/).filter(Boolean).map((e) => e.toLowerCase());
      const panel: string[] = [];
      if (panelEmails.length === 0) errors.push({ column: 'interviewer emails', message: 'at least one interviewer email is needed' });
      for (const panelEmail of panelEmails) {
        const interviewer = ctx.repos.interviewers.byEmail(panelEmail);
        if (!interviewer) errors.push({ column: 'interviewer emails', message: `no interviewer has the email ${panelEmail}` });
        else if (!interviewer.active) errors.push({ column: 'interviewer emails', message: `${interviewer.name} is deactivated` });
        else if (panel.includes(interviewer.id)) errors.push({ column: 'interviewer emails', message: `${panelEmail} is listed twice` });
        else panel.push(interviewer.id);
      }
      const videoLink = values['video link'] ?? '';
      if (!VideoLink.safeParse(videoLink).success) errors.push({ column: 'video link', message: 'an https:// link, or empty' });
      if (errors.length || !candidate || !stage) return { errors };
      return { value: { candidateId: candidate.id, stageId: stage.id, scheduledAt: new Date(parsedStart).toISOString(), durationMinutes: duration, panel, videoLink } };
    },
    write(schedule) {
      insertInterview(ctx, schedule);
    },
  };
}

export const previewInterviewers = (ctx: CoreContext, input: ParsedInputOf<'interviewers:import-preview'>) => preview(ctx, interviewersKind(ctx), input);
export const importInterviewers = (ctx: CoreContext, input: ParsedInputOf<'interviewers:import'>) => apply(ctx, interviewersKind(ctx), input);
export const previewCandidates = (ctx: CoreContext, input: ParsedInputOf<'candidates:import-preview'>) => preview(ctx, candidatesKind(ctx, input.roleId), input);
export const importCandidates = (ctx: CoreContext, input: ParsedInputOf<'candidates:import'>) => apply(ctx, candidatesKind(ctx, input.roleId), input);
export const previewSchedule = (ctx: CoreContext, input: ParsedInputOf<'schedule:import-preview'>) => preview(ctx, scheduleKind(ctx), input);
export const importSchedule = (ctx: CoreContext, input: ParsedInputOf<'schedule:import'>) => apply(ctx, scheduleKind(ctx), input);
