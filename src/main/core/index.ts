import { join, resolve } from 'node:path';
import type { Handlers } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import type { BundleChecker, CoreContext, DesktopPort } from './context';
import { openDatabase, type Db } from './db/connection';
import { EventBus, type EventListener } from './events';
import { installationKeys } from './provenance/keys';
import { createRepositories } from './repositories';
import { appInfo } from './services/app-info';
import { calibrationGroups, calibrationReport, candidateAdjustment } from './services/calibration';
import { openCallWindow } from './services/desktop';
import { loadDemo, removeDemo } from './services/demo';
import { listCandidates, listInterviewers, listRoles } from './services/directory';
import { prepareInstallation } from './services/first-run';
import { getPanel } from './services/panel';
import { createRole, roleDetail, saveLoop } from './services/roles';
import {
  copyRubric,
  createRubric,
  listRubrics,
  newRubricVersion,
  publishRubricVersion,
  rubricVersion,
  saveRubricDraft,
} from './services/rubrics';
import { exportBundle, importBundle, previewBundle } from './services/bundles';
import { cancelJob } from './services/jobs';
import { calendarFile } from './services/calendar';
import { addCandidate, eraseCandidates, erasurePreview, retentionList, setCandidateArchived, updateCandidate } from './services/candidates';
import { importCandidates, importInterviewers, importSchedule, previewCandidates, previewInterviewers, previewSchedule } from './services/imports';
import { cancelInterview, checkPanelClashes, scheduleInterview, updateInterview } from './services/interviews';
import { addInterviewer, getMe, getSettings, setInterviewerActive, updateInterviewer, updateMe, updateSettings } from './services/people';
import { candidateDetail, reminders, today } from './services/schedule';
import { searchAll } from './services/search';
import { listConflicts, resolveConflict } from './services/conflicts';
import { debrief } from './services/debrief';
import { decide, revote } from './services/decisions';
import { checkPacket, exportPacket, exportRolePackets } from './services/packets';
import { defaultBundleChecker } from './exchange/check-in-workers';
import { privateDataFolder } from './db/private-files';
import { AppError } from '../../shared/result';
import { HubSyncer, type SyncSchedule } from './sync/hub-syncer';
import {
  amendScorecard,
  getScorecard,
  openScorecard,
  scorecardHistory,
  setDetails,
  setEvidence,
  setScore,
  submitScorecard,
} from './services/scoring';

export const DATABASE_FILE_NAME = 'panelist.sqlite';

export interface CoreOptions {
  dataDir: string;
  version: string;
  clock?: () => Date;
  desktop?: DesktopPort;
  /** How .panelist files are read and checked; by default in worker threads (see `defaultBundleChecker`). */
  checkBundle?: BundleChecker;
  /** Sync with the team hub (when one is set up) in the background: the desktop app and serve mode, not one-off commands. */
  syncInBackground?: SyncSchedule | undefined;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers;
  /** Push events for the windows; while anyone listens, other processes' commits are noticed too. */
  subscribe(listener: EventListener): () => void;
  /** The team hub connection (see sync/hub-syncer.ts). */
  hub: HubSyncer;
  close(): void;
}

/** One handler per channel; `satisfies` makes a missing or mistyped one a compile error. */
function createHandlers(ctx: CoreContext, hub: HubSyncer) {
  return {
    'app:info': () => appInfo(ctx),
    'roles:list': () => listRoles(ctx),
    'interviewers:list': (input) => listInterviewers(ctx, input),
    'candidates:list': (input) => listCandidates(ctx, input),
    'demo:load': (input) => loadDemo(ctx, input),
    'demo:remove': () => removeDemo(ctx),
    'candidates:get': (input) => candidateDetail(ctx, input.candidateId),
    'today:list': () => today(ctx),
    'reminders:list': () => reminders(ctx),
    'scorecards:get': (input) => getScorecard(ctx, input.scorecardId),
    'scorecards:open': (input) => openScorecard(ctx, input.interviewId),
    'scorecards:set-score': (input) => setScore(ctx, input),
    'scorecards:set-evidence': (input) => setEvidence(ctx, input),
    'scorecards:set-details': (input) => setDetails(ctx, input),
    'scorecards:submit': (input) => submitScorecard(ctx, input),
    'scorecards:amend': (input) => amendScorecard(ctx, input),
    'scorecards:history': (input) => scorecardHistory(ctx, input.scorecardId),
    'panel:get': (input) => getPanel(ctx, input.interviewId),
    'rubrics:list': () => listRubrics(ctx),
    'rubrics:get-version': (input) => rubricVersion(ctx, input.versionId),
    'rubrics:create': (input) => createRubric(ctx, input),
    'rubrics:copy': (input) => copyRubric(ctx, input),
    'rubrics:new-version': (input) => newRubricVersion(ctx, input.rubricId),
    'rubrics:save-draft': (input) => saveRubricDraft(ctx, input),
    'rubrics:publish': (input) => publishRubricVersion(ctx, input.versionId),
    'roles:get': (input) => roleDetail(ctx, input.roleId),
    'roles:create': (input) => createRole(ctx, input),
    'roles:save-loop': (input) => saveLoop(ctx, input),
    'desktop:open-call-window': (input) => openCallWindow(ctx, input.interviewId),
    'calibration:report': (input) => calibrationReport(ctx, input),
    'calibration:compare-groups': (input) => calibrationGroups(ctx, input.filters, input.groupA, input.groupB),
    'calibration:candidate': (input) => candidateAdjustment(ctx, input.candidateId),
    'me:get': () => getMe(ctx),
    'me:update': (input) => updateMe(ctx, input),
    'settings:get': () => getSettings(ctx),
    'settings:update': (input) => updateSettings(ctx, input),
    'interviewers:add': (input) => addInterviewer(ctx, input),
    'interviewers:update': (input) => updateInterviewer(ctx, input),
    'interviewers:set-active': (input) => setInterviewerActive(ctx, input),
    'interviewers:import-preview': (input) => previewInterviewers(ctx, input),
    'interviewers:import': (input) => importInterviewers(ctx, input),
    'candidates:add': (input) => addCandidate(ctx, input),
    'candidates:update': (input) => updateCandidate(ctx, input),
    'candidates:set-archived': (input) => setCandidateArchived(ctx, input),
    'candidates:erase-preview': (input) => erasurePreview(ctx, input.candidateId),
    'candidates:erase': (input) => eraseCandidates(ctx, input.candidateIds),
    'candidates:import-preview': (input) => previewCandidates(ctx, input),
    'candidates:import': (input) => importCandidates(ctx, input),
    'candidates:retention': () => retentionList(ctx),
    'interviews:schedule': (input) => scheduleInterview(ctx, input),
    'interviews:update': (input) => updateInterview(ctx, input),
    'interviews:cancel': (input) => cancelInterview(ctx, input),
    'interviews:check-panel': (input) => checkPanelClashes(ctx, input),
    'interviews:calendar': (input) => calendarFile(ctx, input),
    'schedule:import-preview': (input) => previewSchedule(ctx, input),
    'schedule:import': (input) => importSchedule(ctx, input),
    'search:all': (input) => searchAll(ctx, input.query, input.limit),
    'bundles:export': (input) => {
      const { fileName, file } = exportBundle(ctx, input);
      return { fileName, data: file.toString('base64') };
    },
    'bundles:preview': ({ data, ticket, ...options }) => previewBundle(ctx, Buffer.from(data, 'base64'), options, ticket),
    'bundles:import': ({ data, ticket, ...options }) => importBundle(ctx, Buffer.from(data, 'base64'), options, ticket),
    'jobs:cancel': ({ ticket }) => cancelJob(ctx, ticket),
    'conflicts:list': () => listConflicts(ctx),
    'conflicts:resolve': ({ conflictId, choice }) => resolveConflict(ctx, conflictId, choice),
    'debrief:get': ({ candidateId }) => debrief(ctx, candidateId),
    'decisions:record': (input) => decide(ctx, input),
    'votes:record': (input) => revote(ctx, input),
    'packets:export': async (input) => {
      const { fileName, file, sha256 } = await exportPacket(ctx, input);
      return { fileName, data: file.toString('base64'), sha256 };
    },
    'packets:verify': ({ data }) => checkPacket(ctx, Buffer.from(data, 'base64')),
    'packets:export-role': ({ ticket, ...request }) => exportRolePackets(ctx, request, ticket),
    'hub:status': () => hub.status(),
    'hub:configure': (input) => hub.configure(input),
    'hub:sync': () => hub.syncNow(),
  } satisfies Handlers;
}

/** Opens the data folder's database (creating and migrating it as needed) and wires the services. */
export async function openCore(options: CoreOptions): Promise<Core> {
  const dataDir = resolve(options.dataDir);
  try {
    privateDataFolder(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AppError('unavailable', `Panelist cannot use ${dataDir} as its data folder (${code}): check the path and your access to it, or choose another folder with --data-dir.`);
  }
  const databaseFile = join(dataDir, DATABASE_FILE_NAME);
  const db: Db = await openDatabase(databaseFile);
  const repos = createRepositories(db);
  const clock = options.clock ?? (() => new Date());
  const newId = () => uuidv7();
  const keys = installationKeys(dataDir);
  const { meId } = db.transaction(() => prepareInstallation(repos, newId, clock().toISOString(), keys.publicKey)).immediate();
  const events = new EventBus(db);
  const ctx: CoreContext = { db, repos, dataDir, databaseFile, version: options.version, meId, clock, newId, desktop: options.desktop, keys, events, checkBundle: options.checkBundle ?? defaultBundleChecker() };
  const hub = new HubSyncer(ctx);
  if (options.syncInBackground) hub.start(options.syncInBackground);
  return {
    ctx,
    handlers: createHandlers(ctx, hub),
    subscribe: (listener) => events.subscribe(listener),
    hub,
    close: () => {
      hub.stop();
      events.close();
      db.close();
    },
  };
}
