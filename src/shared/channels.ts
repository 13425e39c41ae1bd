/**
 * The names of every channel, free of schemas so that the sandboxed preload can list them
 * without bundling zod. contract.ts gives each one its schemas (and the compiler checks both agree).
 */
export const CHANNELS = [
  'app:info',
  'roles:list',
  'interviewers:list',
  'candidates:list',
  'demo:load',
  'demo:remove',
  'candidates:get',
  'today:list',
  'reminders:list',
  'scorecards:get',
  'scorecards:open',
  'scorecards:set-score',
  'scorecards:set-evidence',
  'scorecards:set-details',
  'scorecards:submit',
  'scorecards:amend',
  'scorecards:history',
  'panel:get',
  'rubrics:list',
  'rubrics:get-version',
  'rubrics:create',
  'rubrics:copy',
  'rubrics:new-version',
  'rubrics:save-draft',
  'rubrics:publish',
  'roles:get',
  'roles:create',
  'roles:save-loop',
  'desktop:open-call-window',
  'calibration:report',
  'calibration:compare-groups',
  'calibration:candidate',
  'me:get',
  'me:update',
  'settings:get',
  'settings:update',
  'interviewers:add',
  'interviewers:update',
  'interviewers:set-active',
  'interviewers:import-preview',
  'interviewers:import',
  'candidates:add',
  'candidates:update',
  'candidates:set-archived',
  'candidates:erase-preview',
  'candidates:erase',
  'candidates:import-preview',
  'candidates:import',
  'candidates:retention',
  'interviews:schedule',
  'interviews:update',
  'interviews:cancel',
  'interviews:check-panel',
  'interviews:calendar',
  'schedule:import-preview',
  'schedule:import',
  'search:all',
] as const;

export type Channel = (typeof CHANNELS)[number];

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && channelSet.has(name);
}
