import { z } from 'zod';
import { CalibrationFilters, CalibrationReport, CandidateAdjustment, GroupComparison } from './calibration-report';
import { BundleData, BundleKind, ConflictChoice, ImportPlanSummary, OpenConflict } from './bundle';
import { Debrief, DecideInput, DecisionRevision, RevoteInput, Vote } from './decisions';
import { PACKET_FORMATS, PacketVerdict } from './packet';
import { HubConfigureInput, HubStatus } from './hub';
import { CHANNELS, isChannel, type Channel } from './channels';
import {
  BookingClash,
  CalendarFile,
  CandidateFields,
  CandidateRecord,
  ErasurePreview,
  ImportInput,
  ImportPreview,
  ImportResult,
  InterviewerInput,
  Me,
  Minutes,
  RetentionCandidate,
  ScheduledInterview,
  SearchHit,
  Settings,
  VideoLink,
  ZonedDateTime,
} from './hiring';
import {
  CandidateDetail,
  CriterionDraft,
  RoleDetail,
  RubricSummary,
  RubricVersionView,
  SCALE_MAX_LIMIT,
  SCALE_MIN_MAX,
  StageDraft,
  CandidateListItem,
  HistoryEntry,
  Id,
  InterviewSummary,
  NOTE_MAX_LENGTH,
  PanelView,
  Recommendation,
  Reminder,
  ScorecardView,
  Interviewer,
  InterviewerListItem,
  Revision,
  Role,
  SavedChange,
  Scorecard,
  ScoreValue,
} from './domain';

const NoInput = z.object({}).strict();
/**
 * What a write says it last saw: for a field, the revision at which the field last changed as the
 * screen knows it (0: never changed); for the whole scorecard (submit, amend), its revision.
 */
const SeenRevision = z.int().min(0);
const Passphrase = z.string().min(10, 'at least 10 characters').max(1000);
const BundleImportInput = z
  .object({
    data: BundleData,
    acceptKeys: z.array(Id).max(100).default([]),
    /** A full bundle's identity: become that person here (a new installation), with the bundle's passphrase. */
    adoptIdentity: z.object({ passphrase: Passphrase }).strict().optional(),
    /** The caller's name for this run: progress is pushed under it (`job:progress`) and `jobs:cancel` stops it. */
    ticket: Id.optional(),
  })
  .strict();
const Note = z.string().max(NOTE_MAX_LENGTH, `at most ${NOTE_MAX_LENGTH.toLocaleString('en')} characters`);

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  databaseFile: z.string(),
  schemaVersion: z.int(),
  counts: z.object({ roles: z.int(), candidates: z.int(), interviewers: z.int(), scorecards: z.int() }),
  hasDemoData: z.boolean(),
  /** What "Remove demo data" would remove (the records marked demo), or null when there are none. */
  demoRecords: z.object({ roles: z.int(), candidates: z.int(), interviewers: z.int(), scorecards: z.int() }).nullable(),
  /** Whether the desktop shell is there (call-mode windows, notifications). */
  desktop: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const DemoOptions = z
  .object({
    candidates: z.int().min(1).max(100_000),
    interviewers: z.int().min(3).max(10_000),
    seed: z.int().min(0).max(2 ** 31 - 1).default(1),
  })
  .strict();
export type DemoOptions = z.infer<typeof DemoOptions>;

export const DemoSummary = z.object({
  roles: z.int(),
  candidates: z.int(),
  interviewers: z.int(),
  interviews: z.int(),
  scorecards: z.int(),
  scores: z.int(),
});
export type DemoSummary = z.infer<typeof DemoSummary>;

export const CandidateQuery = z
  .object({
    roleId: Id.optional(),
    search: z.string().max(200).optional(),
    includeArchived: z.boolean().default(false),
    limit: z.int().min(1).max(500).default(100),
    offset: z.int().min(0).default(0),
  })
  .strict();

/**
 * Every call between the renderer and the core, by channel (`domain:verb`). Both transports and
 * the preload are derived from this map; types come from the schemas, never written twice.
 */
export const contract = {
  'app:info': { input: NoInput, output: AppInfo },
  'roles:list': { input: NoInput, output: z.array(Role) },
  'interviewers:list': {
    input: z.object({ search: z.string().max(200).optional() }).strict(),
    output: z.array(InterviewerListItem),
  },
  'candidates:list': {
    input: CandidateQuery,
    output: z.object({ items: z.array(CandidateListItem), total: z.int() }),
  },
  'demo:load': { input: DemoOptions, output: DemoSummary },
  'demo:remove': { input: NoInput, output: DemoSummary },
  'candidates:get': { input: z.object({ candidateId: Id }).strict(), output: CandidateDetail },
  'today:list': {
    input: NoInput,
    output: z.object({ upcoming: z.array(InterviewSummary), unsubmitted: z.array(InterviewSummary) }),
  },
  'reminders:list': { input: NoInput, output: z.array(Reminder) },
  'scorecards:get': { input: z.object({ scorecardId: Id }).strict(), output: Scorecard },
  'scorecards:open': { input: z.object({ interviewId: Id }).strict(), output: ScorecardView },
  'scorecards:set-score': {
    input: z.object({ scorecardId: Id, criterionId: Id, value: ScoreValue, seenRevision: SeenRevision }).strict(),
    output: SavedChange,
  },
  'scorecards:set-evidence': {
    input: z.object({ scorecardId: Id, criterionId: Id, evidence: Note, seenRevision: SeenRevision }).strict(),
    output: SavedChange,
  },
  'scorecards:set-details': {
    input: z.discriminatedUnion('field', [
      z.object({ scorecardId: Id, field: z.literal('recommendation'), value: Recommendation.nullable(), seenRevision: SeenRevision }).strict(),
      z.object({ scorecardId: Id, field: z.literal('takeaways'), value: Note, seenRevision: SeenRevision }).strict(),
      z.object({ scorecardId: Id, field: z.literal('privateNote'), value: Note, seenRevision: SeenRevision }).strict(),
    ]),
    output: SavedChange,
  },
  'scorecards:submit': { input: z.object({ scorecardId: Id, seenRevision: Revision }).strict(), output: SavedChange },
  'scorecards:amend': {
    input: z
      .object({
        scorecardId: Id,
        seenRevision: Revision,
        reason: z.string().trim().min(3, 'say why you amend it (at least 3 characters)').max(2000),
        scores: z.array(z.object({ criterionId: Id, value: ScoreValue, evidence: Note.optional() }).strict()).max(50).default([]),
        recommendation: Recommendation.optional(),
        takeaways: Note.optional(),
      })
      .strict(),
    output: SavedChange,
  },
  'scorecards:history': { input: z.object({ scorecardId: Id }).strict(), output: z.array(HistoryEntry) },
  'panel:get': { input: z.object({ interviewId: Id }).strict(), output: PanelView },
  'rubrics:list': { input: NoInput, output: z.array(RubricSummary) },
  'rubrics:get-version': { input: z.object({ versionId: Id }).strict(), output: RubricVersionView },
  'rubrics:create': {
    input: z
      .object({
        name: z.string().trim().min(1, 'give the rubric a name').max(200),
        sessionKind: z.string().trim().min(1).max(60),
        purpose: z.string().max(2000).default(''),
        scaleMax: z.int().min(SCALE_MIN_MAX).max(SCALE_MAX_LIMIT).default(SCALE_MIN_MAX),
      })
      .strict(),
    output: RubricVersionView,
  },
  'rubrics:copy': {
    input: z.object({ versionId: Id, name: z.string().trim().min(1, 'give the copy a name').max(200) }).strict(),
    output: RubricVersionView,
  },
  'rubrics:new-version': { input: z.object({ rubricId: Id }).strict(), output: RubricVersionView },
  'rubrics:save-draft': {
    input: z
      .object({
        versionId: Id,
        expectedRevision: Revision,
        scaleMax: z.int().min(SCALE_MIN_MAX).max(SCALE_MAX_LIMIT),
        scaleLabels: z.array(z.string().max(60)).max(SCALE_MAX_LIMIT),
        criteria: z.array(CriterionDraft).max(30),
      })
      .strict(),
    output: RubricVersionView,
  },
  'rubrics:publish': { input: z.object({ versionId: Id }).strict(), output: RubricVersionView },
  'roles:get': { input: z.object({ roleId: Id }).strict(), output: RoleDetail },
  'roles:create': {
    input: z
      .object({
        title: z.string().trim().min(1, 'give the role a title').max(200),
        team: z.string().max(200).default(''),
        description: z.string().max(5000).default(''),
        stages: z.array(StageDraft).max(12).default([]),
      })
      .strict(),
    output: RoleDetail,
  },
  'roles:save-loop': {
    input: z.object({ roleId: Id, stages: z.array(StageDraft).max(12) }).strict(),
    output: RoleDetail,
  },
  'desktop:open-call-window': { input: z.object({ interviewId: Id }).strict(), output: z.object({ opened: z.literal(true) }) },
  'calibration:report': { input: CalibrationFilters, output: CalibrationReport },
  'calibration:compare-groups': {
    input: z
      .object({ filters: CalibrationFilters.default({}), groupA: z.array(Id).min(1).max(500), groupB: z.array(Id).min(1).max(500) })
      .strict(),
    output: GroupComparison,
  },
  'calibration:candidate': { input: z.object({ candidateId: Id }).strict(), output: CandidateAdjustment },
  'me:get': { input: NoInput, output: Me },
  'me:update': {
    input: z.object({ name: InterviewerInput.shape.name, email: InterviewerInput.shape.email, revision: Revision, welcomeDone: z.boolean().default(true) }).strict(),
    output: Me,
  },
  'settings:get': { input: NoInput, output: Settings },
  'settings:update': { input: Settings.partial().strict(), output: Settings },
  'interviewers:add': { input: InterviewerInput, output: Interviewer },
  'interviewers:update': { input: InterviewerInput.extend({ interviewerId: Id, revision: Revision }).strict(), output: Interviewer },
  'interviewers:set-active': { input: z.object({ interviewerId: Id, active: z.boolean(), revision: Revision }).strict(), output: Interviewer },
  'interviewers:import-preview': { input: ImportInput, output: ImportPreview },
  'interviewers:import': { input: ImportInput, output: ImportResult },
  'candidates:add': { input: CandidateFields.extend({ roleId: Id }).strict(), output: CandidateRecord },
  'candidates:update': { input: CandidateFields.extend({ candidateId: Id, revision: Revision }).strict(), output: CandidateRecord },
  'candidates:set-archived': { input: z.object({ candidateId: Id, archived: z.boolean(), revision: Revision }).strict(), output: CandidateRecord },
  'candidates:erase-preview': { input: z.object({ candidateId: Id }).strict(), output: ErasurePreview },
  'candidates:erase': { input: z.object({ candidateIds: z.array(Id).min(1).max(10_000) }).strict(), output: z.object({ erased: z.int() }) },
  'candidates:import-preview': { input: ImportInput.extend({ roleId: Id }).strict(), output: ImportPreview },
  'candidates:import': { input: ImportInput.extend({ roleId: Id }).strict(), output: ImportResult },
  'candidates:retention': { input: NoInput, output: z.object({ months: z.int(), candidates: z.array(RetentionCandidate) }) },
  'interviews:schedule': {
    input: z
      .object({
        candidateId: Id,
        stageId: Id,
        scheduledAt: ZonedDateTime,
        durationMinutes: Minutes.default(60),
        panel: z.array(Id).min(1, 'put at least one interviewer on the panel').max(12),
        videoLink: VideoLink.default(''),
      })
      .strict(),
    output: ScheduledInterview,
  },
  'interviews:update': {
    input: z
      .object({
        interviewId: Id,
        revision: Revision,
        scheduledAt: ZonedDateTime.optional(),
        durationMinutes: Minutes.optional(),
        panel: z.array(Id).min(1, 'keep at least one interviewer on the panel').max(12).optional(),
        videoLink: VideoLink.optional(),
      })
      .strict(),
    output: ScheduledInterview,
  },
  'interviews:cancel': { input: z.object({ interviewId: Id, revision: Revision }).strict(), output: ScheduledInterview },
  'interviews:check-panel': {
    input: z
      .object({ scheduledAt: ZonedDateTime, durationMinutes: Minutes.default(60), panel: z.array(Id).max(12), interviewId: Id.optional() })
      .strict(),
    output: z.array(BookingClash),
  },
  'interviews:calendar': {
    input: z
      .object({ interviewId: Id.optional(), candidateId: Id.optional() })
      .strict()
      .refine((i) => (i.interviewId === undefined) !== (i.candidateId === undefined), { message: 'give an interviewId or a candidateId (the whole loop)', path: ['interviewId'] }),
    output: CalendarFile,
  },
  'schedule:import-preview': { input: ImportInput, output: ImportPreview },
  'schedule:import': { input: ImportInput, output: ImportResult },
  'bundles:export': {
    input: z
      .object({
        kind: BundleKind,
        roleId: Id.optional(),
        candidateId: Id.optional(),
        /** Full bundles: seal my key with this passphrase so that the bundle can make a new installation me. */
        passphrase: Passphrase.optional(),
        includePrivateNotes: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ fileName: z.string(), data: z.string() }),
  },
  'bundles:preview': { input: BundleImportInput, output: ImportPlanSummary },
  'bundles:import': { input: BundleImportInput, output: ImportPlanSummary },
  /** Stops a long run (reading a bundle, writing a role's packets) by the ticket its caller gave; false when it is past stopping. */
  'jobs:cancel': { input: z.object({ ticket: Id }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'conflicts:list': { input: NoInput, output: z.array(OpenConflict) },
  'debrief:get': { input: z.object({ candidateId: Id }).strict(), output: Debrief },
  'decisions:record': { input: DecideInput, output: DecisionRevision },
  'votes:record': { input: RevoteInput, output: Vote },
  'packets:export': {
    input: z
      .object({ candidateId: Id, format: z.enum(PACKET_FORMATS), includePrivateNotes: z.boolean().default(false), paper: z.enum(['a4', 'letter']).default('a4') })
      .strict(),
    output: z.object({ fileName: z.string(), data: z.string(), sha256: z.string() }),
  },
  'packets:verify': { input: z.object({ data: BundleData }).strict(), output: PacketVerdict },
  /** A packet for every candidate of a role, into a new folder (in Downloads), under a ticket: progress in `job:progress`, `jobs:cancel` stops between files. */
  'packets:export-role': {
    input: z.object({ roleId: Id, format: z.enum(PACKET_FORMATS), paper: z.enum(['a4', 'letter']).default('a4'), ticket: Id }).strict(),
    output: z.object({ folder: z.string(), written: z.int(), total: z.int(), skipped: z.array(z.object({ name: z.string(), reason: z.string() })), cancelled: z.boolean() }),
  },
  'conflicts:resolve': { input: z.object({ conflictId: Id, choice: ConflictChoice }).strict(), output: z.object({ conflictId: Id, choice: ConflictChoice }) },
  /** The team hub connection: where, whose, and how the last sync went (never the token). */
  'hub:status': { input: NoInput, output: HubStatus },
  /** Sets the hub's address and this user's token (a sync starts at once), or disconnects. */
  'hub:configure': { input: HubConfigureInput, output: HubStatus },
  /** Starts a sync now in the background; the answer does not wait for the network. */
  'hub:sync': { input: NoInput, output: HubStatus },
  'search:all': { input: z.object({ query: z.string().max(200), limit: z.int().min(1).max(50).default(12) }).strict(), output: z.array(SearchHit) },
} as const satisfies Record<Channel, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export { CHANNELS, isChannel, type Channel };

/** What a caller sends (defaults still optional). */
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after parsing, defaults filled in). */
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = z.output<Contract[C]['output']>;

export type Handlers = {
  [C in Channel]: (input: ParsedInputOf<C>) => OutputOf<C> | Promise<OutputOf<C>>;
};

/**
 * Push events from the core to every open window, by name. They say what changed, never the data:
 * a window reads what it shows through the channels, so the rules of who may see what still hold.
 */
export const events = {
  /** Many things may have changed: a demo loaded or removed, or another process wrote the database. */
  'data:changed': z.object({ reason: z.enum(['demo-loaded', 'demo-removed', 'erased', 'schedule-changed', 'imported', 'conflict-resolved', 'decided', 'synced', 'external']) }),
  /** One of my scorecards changed (in this window or another), now at this revision. */
  'scorecard:changed': z.object({ scorecardId: Id, revision: Revision }),
  /** How far a long run got (reading and checking a .panelist file, writing packets), for the window that asked under this ticket. */
  /** The team hub connection changed state (a sync began, ended or failed; changes are waiting). */
  'hub:status': HubStatus,
  'job:progress': z.object({ ticket: Id, phase: z.enum(['reading', 'verifying', 'writing']), done: z.int().min(0), total: z.int().min(0) }),
} as const satisfies Record<string, z.ZodType>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export type CoreEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
