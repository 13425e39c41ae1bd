import type { ParsedInputOf } from '../../../shared/contract';
import { SESSION_KIND_LABELS, type SessionKind } from '../../../shared/constants';
import type { InterviewSummary } from '../../../shared/domain';
import type { CalendarFile } from '../../../shared/hiring';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';

// Calendar invites (RFC 5545 .ics) for one interview or a candidate's whole loop.

/** TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
function text(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a UTF-8 sequence (§3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function sessionLabel(i: InterviewSummary): string {
  return SESSION_KIND_LABELS[i.sessionKind as SessionKind] ?? i.stageTitle;
}

function event(ctx: CoreContext, i: InterviewSummary, stamp: string): string[] {
  const panel = i.panel.filter((p) => !p.withdrawn);
  const emails = panel.map((p) => ({ name: p.name, email: ctx.repos.interviewers.get(p.interviewerId)?.email ?? '' }));
  const description = [
    `${sessionLabel(i)} interview with ${i.candidateName} for ${i.roleTitle}.`,
    `Panel: ${panel.map((p) => p.name).join(', ') || 'nobody yet'}.`,
    ...(i.candidateTimeZone ? [`The candidate's time zone: ${i.candidateTimeZone}.`] : []),
    ...(i.videoLink ? [`Video call: ${i.videoLink}`] : []),
  ].join('\n');
  return [
    'BEGIN:VEVENT',
    `UID:${i.interviewId}@panelist`,
    `DTSTAMP:${stamp}`,
    `SEQUENCE:${i.revision - 1}`,
    `DTSTART:${utc(i.scheduledAt)}`,
    `DTEND:${utc(new Date(Date.parse(i.scheduledAt) + i.durationMinutes * 60_000).toISOString())}`,
    `SUMMARY:${text(`${sessionLabel(i)} · ${i.candidateName}`)}`,
    `DESCRIPTION:${text(description)}`,
    ...(i.videoLink ? [`LOCATION:${text(i.videoLink)}`, `URL:${i.videoLink}`] : []),
    `STATUS:${i.cancelledAt ? 'CANCELLED' : 'CONFIRMED'}`,
    ...emails.filter((e) => e.email).map((e) => `ATTENDEE;CN=${JSON.stringify(e.name.replace(/"/g, "'"))};ROLE=REQ-PARTICIPANT:mailto:${e.email}`),
    'END:VEVENT',
  ];
}

function fileName(name: string): string {
  return `${name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase() || 'interview'}.ics`;
}

export function calendarFile(ctx: CoreContext, input: ParsedInputOf<'interviews:calendar'>): CalendarFile {
  const { interviewId, candidateId } = input;
  const interviews = interviewId
    ? [ctx.repos.interviewSummaries.byId(ctx.meId, interviewId)].filter((i): i is InterviewSummary => i !== undefined)
    : ctx.repos.interviewSummaries.byCandidate(ctx.meId, candidateId ?? '');
  const first = interviews[0];
  if (!first) {
    if (interviewId) throw new AppError('not_found', `No interview with id ${interviewId}.`, 'interviewId');
    throw new AppError('not_found', 'This candidate has no interviews scheduled yet.', 'candidateId');
  }
  const stamp = utc(ctx.clock().toISOString());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Panelist//Interview panels//EN',
    'CALSCALE:GREGORIAN',
    // A single cancelled interview is sent as a cancellation, which calendars act on.
    `METHOD:${interviews.length === 1 && first.cancelledAt ? 'CANCEL' : 'PUBLISH'}`,
    ...interviews.flatMap((i) => event(ctx, i, stamp)),
    'END:VCALENDAR',
  ];
  const name = interviewId ? `${first.candidateName} ${sessionLabel(first)}` : `${first.candidateName} loop`;
  return { fileName: fileName(name), text: `${lines.map(fold).join('\r\n')}\r\n` };
}
