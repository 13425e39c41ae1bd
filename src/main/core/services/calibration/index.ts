import { createHash } from 'node:crypto';
import type { CalibrationFilters, CalibrationReport, CandidateAdjustment, GroupComparison, LeniencyRow } from '../../../../shared/calibration-report';
import { LENIENCY_NOTES, MIN_SCORECARDS_TO_TELL } from '../../../../shared/calibration-report';
import type { RaterVarianceStatus } from '../../../../shared/calibration';
import { AppError } from '../../../../shared/result';
import type { CoreContext } from '../../context';
import { hiddenCandidates, recordPanelSeen } from '../../visibility';
import { agreement } from './agreement';
import { compareGroups, compareSessions } from './comparison';
import { distributions } from './distributions';
import { hotspots } from './hotspots';
import { outcomes } from './outcomes';
import { cellsOf, fitLeniency, type Cells, type LeniencyFit } from './leniency';
import { refreshProjection } from './projection';
import { indexRatings, unitsOf, type IndexedRatings, type Units } from './ratings';

interface Fitted {
  /** Candidates with scores that independent scoring keeps out of this fit (my unsubmitted seats). */
  withheld: number;
  /** Whether the hotspots of this fit have been recorded as seen (once per fit). */
  hotspotsSeen?: boolean;
  ratings: IndexedRatings;
  units: Units;
  cells: Cells;
  leniency: LeniencyFit;
  report?: Omit<CalibrationReport, 'outcomes'>;
}

const CACHE_SIZE = 8;
const cache = new WeakMap<CoreContext, Map<string, Fitted>>();

/** The projection's ratings for a filter, as dense columns, without the candidates kept hidden from me. */
function readRatings(ctx: CoreContext, filters: CalibrationFilters, hidden: ReadonlySet<string>): { ratings: IndexedRatings; withheld: number } {
  const repo = ctx.repos.calibrationProjection;
  const keys = {
    interviewers: repo.keys('interviewer'),
    sessions: repo.keys('session'),
    criteria: repo.keys('criterion'),
    interviewId: (key: number) => {
      const id = repo.nameOfKey(key);
      if (id === undefined) throw new Error(`calibration projection: no interview has key ${key}`);
      return id;
    },
  };
  const rows = repo.rows({ roleId: filters.roleId ?? null, interviewerId: filters.interviewerId ?? null });
  const visible = hidden.size === 0 ? rows : rows.filter(([candidateId]) => !hidden.has(candidateId));
  return { ratings: indexRatings(visible, keys, filters), withheld: rows.length - visible.length };
}

/**
 * The fitted models for a filter, reused until the projection changes (a scorecard submitted,
 * amended or removed) or what I may see does (a seat of mine on a panel added or submitted).
 */
function fitted(ctx: CoreContext, filters: CalibrationFilters): Fitted {
  refreshProjection(ctx);
  const hidden = hiddenCandidates(ctx);
  const hiddenKey = createHash('sha256').update([...hidden].join(',')).digest('base64url');
  const key = `${ctx.repos.calibrationProjection.version()}|${hiddenKey}|${JSON.stringify(filters, Object.keys(filters).sort())}`;
  let entries = cache.get(ctx);
  if (!entries) cache.set(ctx, (entries = new Map()));
  const hit = entries.get(key);
  if (hit) return hit;
  const { ratings, withheld } = readRatings(ctx, filters, hidden);
  const cells = cellsOf(ratings);
  const result: Fitted = { withheld, ratings, units: unitsOf(ratings), cells, leniency: fitLeniency(ratings, cells) };
  entries.set(key, result);
  if (entries.size > CACHE_SIZE) entries.delete(entries.keys().next().value ?? '');
  return result;
}

function names(ctx: CoreContext) {
  const options = ctx.repos.calibration.options();
  const raterNames = new Map(options.interviewers.map((i) => [i.id, i.name]));
  return { options, raterName: (id: string) => raterNames.get(id) ?? 'Former interviewer' };
}

/** Everything the calibration view shows, for the given filters (kept with the fit it came from). */
export function calibrationReport(ctx: CoreContext, filters: CalibrationFilters): CalibrationReport {
  const fit = fitted(ctx, filters);
  fit.report ??= buildReport(ctx, filters, fit);
  if (!fit.hotspotsSeen) {
    recordHotspotsSeen(ctx, fit.report);
    fit.hotspotsSeen = true;
  }
  return { ...fit.report, outcomes: outcomes(ctx, filters, hiddenCandidates(ctx), names(ctx).raterName) };
}

/** The hotspots show other panelists' scores for their candidates: for those I scored too, I have now seen the panel. */
function recordHotspotsSeen(ctx: CoreContext, report: Omit<CalibrationReport, 'outcomes'>): void {
  const shown = new Set(report.hotspots.map((h) => h.candidateId));
  if (shown.size === 0) return;
  const mine = ctx.repos.interviews.candidatesWithScorecardOf(ctx.meId).filter((id) => shown.has(id));
  if (mine.length) ctx.db.transaction(() => mine.forEach((candidateId) => recordPanelSeen(ctx, candidateId))).immediate();
}

function leniencyNote(status: RaterVarianceStatus): string | null {
  return status === 'estimated' ? null : LENIENCY_NOTES[status];
}

function withheldMessage(count: number): string | null {
  if (count === 0) return null;
  return count === 1
    ? '1 candidate is left out until you submit your scorecard for them, so that your scores stay your own.'
    : `${count.toLocaleString('en')} candidates are left out until you submit your scorecards for them, so that your scores stay your own.`;
}

function buildReport(ctx: CoreContext, filters: CalibrationFilters, { withheld, ratings, units, cells, leniency }: Fitted): Omit<CalibrationReport, 'outcomes'> {
  const { options, raterName } = names(ctx);
  const scaleMax = ratings.scaleMax;
  const candidateNames = new Map<string, string>();
  const candidateName = (id: string) => candidateNames.get(id) ?? candidateNames.set(id, ctx.repos.calibration.candidateName(id)).get(id)!;
  const model = leniency.random;
  const effects = leniency.fixed.connected ? leniency.fixed.raterEffects : null;
  return {
    filters,
    options,
    totals: { ratings: ratings.n, scorecards: cells.value.length, candidates: ratings.candidateIds.length, interviewers: ratings.raterIds.length },
    withheld: { candidates: withheld, message: withheldMessage(withheld) },
    scaleMax,
    model: {
      connected: leniency.fixed.connected,
      variances: model ? model.variances : null,
      raterVariance: model?.raterVariance ?? 'not-estimable',
      leniencyNote: leniencyNote(model?.raterVariance ?? 'not-estimable'),
      iccAbsolute: model && Number.isFinite(model.iccAbsolute) ? model.iccAbsolute : null,
      reliabilityOfPanelOf3: model && Number.isFinite(model.reliabilityOfMean(3)) ? model.reliabilityOfMean(3) : null,
    },
    leniency: leniency.rows.map((row) => ({ ...row, name: raterName(row.interviewerId) })).sort((a, b) => b.effect - a.effect),
    distributions: distributions(ratings, scaleMax, raterName).sort((a, b) => b.ratings - a.ratings),
    agreement: agreement(ratings, units),
    sessions: compareSessions(ratings, effects),
    hotspots: hotspots(ratings, units, raterName, candidateName),
  };
}

export function calibrationGroups(ctx: CoreContext, filters: CalibrationFilters, groupA: readonly string[], groupB: readonly string[]): GroupComparison {
  const overlap = groupA.filter((id) => groupB.includes(id));
  if (overlap.length) throw new AppError('invalid_input', 'groupB: an interviewer cannot be in both groups.', 'groupB');
  const { ratings, leniency } = fitted(ctx, filters);
  const index = new Map(ratings.raterIds.map((id, j) => [id, j]));
  const toSet = (ids: readonly string[]) => new Set(ids.flatMap((id) => (index.has(id) ? [index.get(id)!] : [])));
  return compareGroups(ratings, toSet(groupA), toSet(groupB), leniency.fixed.connected ? leniency.fixed.raterEffects : null);
}

/**
 * Each interviewer's leniency across the whole organisation (the context beside their scores in a
 * debrief or a packet), and why the intervals are empty when the model could not tell.
 */
export function leniencyContext(ctx: CoreContext): { rows: Map<string, Omit<LeniencyRow, 'name'>>; note: string | null; adjusts: boolean } {
  const { leniency } = fitted(ctx, {});
  const status = leniency.random?.raterVariance ?? 'not-estimable';
  return {
    rows: new Map(leniency.rows.map((row) => [row.interviewerId, row])),
    note: leniencyNote(status),
    adjusts: status === 'estimated',
  };
}

/** A candidate's raw and adjusted score across the whole organisation, or why there is no adjusted one. */
export function candidateAdjustment(ctx: CoreContext, candidateId: string): CandidateAdjustment {
  if (!ctx.repos.candidates.get(candidateId)) throw new AppError('not_found', `No candidate with id ${candidateId}.`, 'candidateId');
  if (hiddenCandidates(ctx).has(candidateId)) {
    return {
      candidateId,
      ratings: 0,
      raw: null,
      adjusted: null,
      reason: 'Hidden until you submit your scorecard for this candidate, so that your scores stay your own.',
    };
  }
  const { ratings, cells, leniency } = fitted(ctx, {});
  const i = ratings.candidateIds.indexOf(candidateId);
  if (i < 0) return { candidateId, ratings: 0, raw: null, adjusted: null, reason: 'No submitted scorecard yet.' };
  let sum = 0;
  let count = 0;
  const raters = new Set<number>();
  for (let c = 0; c < cells.value.length; c++) {
    if (cells.candidate[c] !== i) continue;
    sum += cells.value[c]!;
    count++;
    raters.add(cells.rater[c]!);
  }
  let n = 0;
  for (let p = 0; p < ratings.n; p++) if (ratings.candidate[p] === i) n++;
  const raw = sum / count;
  const base = { candidateId, ratings: n, raw };
  if ([...raters].some((j) => ratings.raterIds[j] !== ctx.meId)) ctx.db.transaction(() => recordPanelSeen(ctx, candidateId)).immediate();
  if (!leniency.fixed.connected) {
    return { ...base, adjusted: null, reason: 'Not adjusted: the panels do not link every interviewer to the others, so their leniency cannot be compared.' };
  }
  const thin = [...raters].filter((j) => (leniency.rows[j]?.candidates ?? 0) < MIN_SCORECARDS_TO_TELL).length;
  if (thin > 0) {
    return { ...base, adjusted: null, reason: `Not adjusted: ${thin} of this candidate's interviewers have fewer than ${MIN_SCORECARDS_TO_TELL} scorecards, too few to know their leniency.` };
  }
  return { ...base, adjusted: leniency.fixed.adjustedScores[i] ?? null, reason: null };
}
