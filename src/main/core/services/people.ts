import type { ParsedInputOf } from '../../../shared/contract';
import type { Interviewer } from '../../../shared/domain';
import type { Me, Settings } from '../../../shared/hiring';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { fingerprint } from '../provenance/keys';
import { changedElsewhere } from './stale';

// This installation's interviewer ("me"), its settings, and the other interviewers.

const WELCOME_DONE_KEY = 'welcome_done';
const RETENTION_MONTHS_KEY = 'retention_months';
export const DEFAULT_RETENTION_MONTHS = 12;

export function getMe(ctx: CoreContext): Me {
  const me = ctx.repos.interviewers.get(ctx.meId);
  if (!me) throw new Error('this installation has no interviewer of its own');
  return { ...me, welcomeDone: ctx.repos.settings.get(WELCOME_DONE_KEY) === 'true', keyFingerprint: fingerprint(ctx.keys.publicKey) };
}

function checkEmailFree(ctx: CoreContext, email: string, exceptId: string | null): void {
  if (!email) return;
  const holder = ctx.repos.interviewers.byEmail(email);
  if (holder && holder.id !== exceptId) {
    throw new AppError('duplicate', `${holder.name} already has the email ${email}.`, 'email');
  }
}

/** Sets my name and email (the first-run welcome, or Settings); answering the welcome marks it done. */
export function updateMe(ctx: CoreContext, input: ParsedInputOf<'me:update'>): Me {
  return ctx.db.transaction((): Me => {
    checkEmailFree(ctx, input.email, ctx.meId);
    if (!ctx.repos.interviewers.update(ctx.meId, input.name, input.email, input.revision, nowOf(ctx))) throw changedElsewhere('Your profile');
    if (input.welcomeDone) ctx.repos.settings.set(WELCOME_DONE_KEY, 'true');
    return getMe(ctx);
  }).immediate();
}

export function getSettings(ctx: CoreContext): Settings {
  const months = Number(ctx.repos.settings.get(RETENTION_MONTHS_KEY) ?? DEFAULT_RETENTION_MONTHS);
  return { retentionMonths: Number.isInteger(months) && months >= 1 ? months : DEFAULT_RETENTION_MONTHS };
}

export function updateSettings(ctx: CoreContext, input: ParsedInputOf<'settings:update'>): Settings {
  return ctx.db.transaction((): Settings => {
    if (input.retentionMonths !== undefined) ctx.repos.settings.set(RETENTION_MONTHS_KEY, String(input.retentionMonths));
    return getSettings(ctx);
  }).immediate();
}

export function addInterviewer(ctx: CoreContext, input: ParsedInputOf<'interviewers:add'>): Interviewer {
  return ctx.db.transaction((): Interviewer => {
    checkEmailFree(ctx, input.email, null);
    const id = ctx.newId();
    ctx.repos.interviewers.insert({ id, name: input.name, email: input.email, isMe: false, isDemo: false, now: nowOf(ctx) });
    return ctx.repos.interviewers.get(id)!;
  }).immediate();
}

function existingInterviewer(ctx: CoreContext, interviewerId: string): Interviewer {
  const found = ctx.repos.interviewers.get(interviewerId);
  if (!found) throw new AppError('not_found', `No interviewer with id ${interviewerId}.`, 'interviewerId');
  return found;
}

export function updateInterviewer(ctx: CoreContext, input: ParsedInputOf<'interviewers:update'>): Interviewer {
  return ctx.db.transaction((): Interviewer => {
    existingInterviewer(ctx, input.interviewerId);
    checkEmailFree(ctx, input.email, input.interviewerId);
    if (!ctx.repos.interviewers.update(input.interviewerId, input.name, input.email, input.revision, nowOf(ctx))) throw changedElsewhere('The interviewer');
    return ctx.repos.interviewers.get(input.interviewerId)!;
  }).immediate();
}

/** Deactivating keeps every scorecard and seat; the interviewer only drops out of pickers. */
export function setInterviewerActive(ctx: CoreContext, input: ParsedInputOf<'interviewers:set-active'>): Interviewer {
  return ctx.db.transaction((): Interviewer => {
    const found = existingInterviewer(ctx, input.interviewerId);
    if (found.isMe && !input.active) throw new AppError('invalid_input', 'You cannot deactivate yourself on your own installation.', 'active');
    if (!ctx.repos.interviewers.setActive(input.interviewerId, input.active, input.revision, nowOf(ctx))) throw changedElsewhere('The interviewer');
    return ctx.repos.interviewers.get(input.interviewerId)!;
  }).immediate();
}
