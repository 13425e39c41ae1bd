import type { Channel } from '../../shared/channels';
import { AppError } from '../../shared/result';
import type { CoreContext } from './context';
import { nowOf } from './context';

/**
 * Who may see what: the one rule of independent scoring, asked by every read service.
 *
 * While I hold an unsubmitted seat on a candidate's loop (a panel I sit on whose scorecard I have
 * not submitted, whether the interview is past or still ahead), nothing I can reach reveals another
 * panelist's score, recommendation, evidence, or any figure computed from them, for that candidate.
 */

const hiddenCache = new WeakMap<CoreContext, { stamp: string; hidden: ReadonlySet<string> }>();

/**
 * The candidates whose panel data stays hidden from me for now. Read again whenever anything may
 * have changed: a write on this connection (total_changes) or a commit by another (data_version).
 */
export function hiddenCandidates(ctx: CoreContext): ReadonlySet<string> {
  const stamp = `${ctx.meId}|${ctx.db.pragma('data_version', { simple: true })}|${ctx.repos.interviews.totalChanges()}`;
  const cached = hiddenCache.get(ctx);
  if (cached?.stamp === stamp) return cached.hidden;
  const hidden = new Set(ctx.repos.interviews.candidatesWithUnsubmittedSeat(ctx.meId));
  hiddenCache.set(ctx, { stamp, hidden });
  return hidden;
}

export function mayReadPanelOf(ctx: CoreContext, candidateId: string): boolean {
  return !ctx.repos.interviews.hasUnsubmittedSeat(ctx.meId, candidateId);
}

export function assertMayReadPanelOf(ctx: CoreContext, candidateId: string, candidateName: string): void {
  if (mayReadPanelOf(ctx, candidateId)) return;
  throw new AppError(
    'hidden_until_submitted',
    `The panel's scorecards for ${candidateName} stay hidden until you submit your own, so that your scores are your own.`,
  );
}

/**
 * I have now seen other panelists' data for this candidate: a later amendment of my own scorecard
 * says it came after seeing the panel. Only the first sight is kept.
 */
export function recordPanelSeen(ctx: CoreContext, candidateId: string): void {
  ctx.repos.panelViews.record(ctx.meId, candidateId, nowOf(ctx));
}

/**
 * What each channel does with panel data, so that none can forget the rule above:
 * - `reads-panel`: can answer with other panelists' scores, notes or figures derived from them;
 *   its service asks this module before it does;
 * - `reads-own-or-setup`: answers with my own work, schedules, rubrics, roles or installation facts only;
 * - `writes`: changes data (its answer is a revision or a summary, never another panelist's data).
 * The independence test walks every channel by this map; a new channel does not compile until it is classified.
 */
export const CHANNEL_ACCESS = {
  'app:info': 'reads-own-or-setup',
  'roles:list': 'reads-own-or-setup',
  'interviewers:list': 'reads-own-or-setup',
  'candidates:list': 'reads-own-or-setup',
  'demo:load': 'writes',
  'demo:remove': 'writes',
  'candidates:get': 'reads-own-or-setup',
  'today:list': 'reads-own-or-setup',
  'reminders:list': 'reads-own-or-setup',
  'scorecards:get': 'reads-own-or-setup',
  'scorecards:open': 'reads-own-or-setup',
  'scorecards:set-score': 'writes',
  'scorecards:set-evidence': 'writes',
  'scorecards:set-details': 'writes',
  'scorecards:submit': 'writes',
  'scorecards:amend': 'writes',
  'scorecards:history': 'reads-own-or-setup',
  'panel:get': 'reads-panel',
  'rubrics:list': 'reads-own-or-setup',
  'rubrics:get-version': 'reads-own-or-setup',
  'rubrics:create': 'writes',
  'rubrics:copy': 'writes',
  'rubrics:new-version': 'writes',
  'rubrics:save-draft': 'writes',
  'rubrics:publish': 'writes',
  'roles:get': 'reads-own-or-setup',
  'roles:create': 'writes',
  'roles:save-loop': 'writes',
  'desktop:open-call-window': 'writes',
  'calibration:report': 'reads-panel',
  'calibration:compare-groups': 'reads-panel',
  'calibration:candidate': 'reads-panel',
  'me:get': 'reads-own-or-setup',
  'me:update': 'writes',
  'settings:get': 'reads-own-or-setup',
  'settings:update': 'writes',
  'interviewers:add': 'writes',
  'interviewers:update': 'writes',
  'interviewers:set-active': 'writes',
  'interviewers:import-preview': 'reads-own-or-setup',
  'interviewers:import': 'writes',
  'candidates:add': 'writes',
  'candidates:update': 'writes',
  'candidates:set-archived': 'writes',
  'candidates:erase-preview': 'reads-own-or-setup',
  'candidates:erase': 'writes',
  'candidates:import-preview': 'reads-own-or-setup',
  'candidates:import': 'writes',
  'candidates:retention': 'reads-own-or-setup',
  'interviews:schedule': 'writes',
  'interviews:update': 'writes',
  'interviews:cancel': 'writes',
  'interviews:check-panel': 'reads-own-or-setup',
  'interviews:calendar': 'reads-own-or-setup',
  'schedule:import-preview': 'reads-own-or-setup',
  'schedule:import': 'writes',
  'search:all': 'reads-own-or-setup',
  'bundles:export': 'reads-panel',
  'bundles:preview': 'reads-own-or-setup',
  'bundles:import': 'writes',
  'jobs:cancel': 'writes',
  'conflicts:list': 'reads-own-or-setup',
  'conflicts:resolve': 'writes',
  'debrief:get': 'reads-panel',
  'decisions:record': 'writes',
  'votes:record': 'writes',
  'packets:export': 'reads-panel',
  'packets:verify': 'reads-own-or-setup',
  'packets:export-role': 'writes',
  // Only this installation's own connection state; what sync brings in is filtered by the hub and the rules above.
  'hub:status': 'reads-own-or-setup',
  'hub:configure': 'writes',
  'hub:sync': 'writes',
} as const satisfies Record<Channel, 'reads-panel' | 'reads-own-or-setup' | 'writes'>;
export type ChannelAccess = (typeof CHANNEL_ACCESS)[Channel];
