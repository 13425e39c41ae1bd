import { z } from 'zod';
import { Id, Interviewer, InterviewSummary, IsoDateTime, Revision } from './domain';
import { isTimeZone } from './time-zone';

export { isTimeZone };

/**
 * Real hiring work: the people (this installation's interviewer, the others, the candidates),
 * their interviews and panels, CSV imports and erasure. Schemas only; the services live in the core.
 */

const Name = z.string().trim().min(1, 'give a name').max(200);
/** An email address, or empty (optional for candidates and interviewers alike). */
export const Email = z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email('not an email address').max(254))]);
export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => zone === '' || isTimeZone(zone), 'not a time zone (e.g. Europe/Berlin)');


export const Me = Interviewer.extend({
  /** Whether the first-run welcome has been answered or skipped. */
  welcomeDone: z.boolean(),
  /** This installation's signing key, as people compare it by voice (eight groups of four hex digits). */
  keyFingerprint: z.string(),
});
export type Me = z.infer<typeof Me>;

export const Settings = z.object({
  /** Candidates with no activity for this many months are listed for erasure. */
  retentionMonths: z.int().min(1).max(120),
});
export type Settings = z.infer<typeof Settings>;

export const InterviewerInput = z.object({ name: Name, email: Email }).strict();

export const CandidateFields = z
  .object({
    name: Name,
    email: Email.default(''),
    source: z.string().trim().max(200).default(''),
    note: z.string().max(2000).default(''),
    timeZone: TimeZone.default(''),
  })
  .strict();

export const CandidateRecord = z.object({
  id: Id,
  roleId: Id,
  roleTitle: z.string(),
  name: z.string(),
  email: z.string(),
  source: z.string(),
  note: z.string(),
  timeZone: z.string(),
  archivedAt: IsoDateTime.nullable(),
  isDemo: z.boolean(),
  revision: Revision,
});
export type CandidateRecord = z.infer<typeof CandidateRecord>;

export const ErasurePreview = z.object({
  candidateId: Id,
  candidateName: z.string(),
  interviews: z.int(),
  scorecards: z.int(),
  interviewers: z.int(),
});
export type ErasurePreview = z.infer<typeof ErasurePreview>;

export const RetentionCandidate = z.object({
  candidateId: Id,
  name: z.string(),
  roleTitle: z.string(),
  lastActivityAt: IsoDateTime,
});
export type RetentionCandidate = z.infer<typeof RetentionCandidate>;

/** One line of a CSV file as an import would treat it. */
export const ImportLine = z.object({
  /** The line's number in the file (1 is the header). */
  line: z.int(),
  outcome: z.enum(['add', 'error']),
  /** What the line says, by column name. */
  values: z.record(z.string(), z.string()),
  errors: z.array(z.object({ column: z.string(), message: z.string() })),
});
export type ImportLine = z.infer<typeof ImportLine>;

export const ImportPreview = z.object({
  lines: z.array(ImportLine),
  adds: z.int(),
  errors: z.int(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportInput = z
  .object({
    csv: z.string().max(20_000_000),
    /** Lines the user chose to leave out (by line number) after seeing the preview. */
    dropLines: z.array(z.int().min(2)).max(100_000).default([]),
  })
  .strict();

export const ImportResult = z.object({ added: z.int(), dropped: z.int() });
export type ImportResult = z.infer<typeof ImportResult>;

/** Someone on the panel who is already booked then. */
export const BookingClash = z.object({
  interviewerId: Id,
  name: z.string(),
  interviewId: Id,
  candidateName: z.string(),
  scheduledAt: IsoDateTime,
  durationMinutes: z.int(),
});
export type BookingClash = z.infer<typeof BookingClash>;

export const Minutes = z.int().min(5).max(480);
/** A time as a user or a file gives it: ISO 8601 with Z or an offset (stored in UTC). */
export const ZonedDateTime = z.iso.datetime({ offset: true });
export const VideoLink = z
  .string()
  .trim()
  .max(2000)
  .refine((link) => link === '' || /^https:\/\/[^\s]+$/i.test(link), 'an https:// link, or empty');

export const ScheduledInterview = z.object({ interview: InterviewSummary, clashes: z.array(BookingClash) });
export type ScheduledInterview = z.infer<typeof ScheduledInterview>;

export const SearchHit = z.object({
  kind: z.enum(['candidate', 'interviewer', 'role', 'rubric']),
  id: Id,
  label: z.string(),
  detail: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const CalendarFile = z.object({ fileName: z.string(), text: z.string() });
export type CalendarFile = z.infer<typeof CalendarFile>;
