import { krippendorffAlpha, shroutFleissIcc } from '../../../../shared/calibration';
import type { AgreementRow } from '../../../../shared/calibration-report';
import { splitCriterion, type IndexedRatings, type Units } from './ratings';

const MIN_UNITS = 5;

/** After Krippendorff: ≥ 0.8 good, 0.667–0.8 tentative, below that low. */
export function reading(alpha: number | null, units: number): AgreementRow['reading'] {
  if (alpha === null || units < MIN_UNITS) return 'too few';
  if (alpha >= 0.8) return 'good';
  if (alpha >= 0.667) return 'tentative';
  return 'low';
}

/** Each unit's scores as one row (rater identity does not enter alpha), padded with nulls. */
function valuesByUnit(r: IndexedRatings, u: Units, units: readonly number[]): (number | null)[][] {
  let width = 0;
  for (const unit of units) width = Math.max(width, u.start[unit + 1]! - u.start[unit]!);
  return units.map((unit) => {
    const begin = u.start[unit]!;
    const size = u.start[unit + 1]! - begin;
    return Array.from({ length: width }, (_, k) => (k < size ? r.score[u.obs[begin + k]!]! : null));
  });
}

/** ICC(2,1) on the largest set of units all scored in full by the very same interviewers. */
function completePanelIcc(r: IndexedRatings, u: Units, units: readonly number[]): AgreementRow['icc'] {
  const byPanel = new Map<string, number[]>();
  for (const unit of units) {
    const begin = u.start[unit]!;
    const size = u.start[unit + 1]! - begin;
    const interview = r.interview[u.obs[begin]!]!;
    if (size < 2 || u.panelSize[interview] !== size) continue;
    const panel = u.panelOf[interview]!;
    const list = byPanel.get(panel);
    if (list) list.push(unit);
    else byPanel.set(panel, [unit]);
  }
  let best: number[] | undefined;
  for (const group of byPanel.values()) if (group.length >= MIN_UNITS && (!best || group.length > best.length)) best = group;
  if (!best) return null;
  const matrix = best.map((unit) => {
    const ps = Array.from(u.obs.subarray(u.start[unit]!, u.start[unit + 1]!));
    return ps.sort((a, b) => r.rater[a]! - r.rater[b]!).map((p) => r.score[p]!);
  });
  if (matrix.every((row) => row.every((v) => v === matrix[0]?.[0]))) return null;
  const { icc2 } = shroutFleissIcc(matrix);
  if (!Number.isFinite(icc2.value)) return null;
  return { value: icc2.value, ci95: icc2.ci95, units: matrix.length, raters: matrix[0]?.length ?? 0 };
}

function row(r: IndexedRatings, u: Units, scope: AgreementRow['scope'], label: string, sessionKind: string, units: number[]): AgreementRow {
  const pairable = units.filter((unit) => u.start[unit + 1]! - u.start[unit]! >= 2);
  const matrix = valuesByUnit(r, u, pairable);
  const alphaInterval = pairable.length ? krippendorffAlpha(matrix, 'interval') : null;
  const alphaOrdinal = pairable.length ? krippendorffAlpha(matrix, 'ordinal') : null;
  return {
    scope,
    label,
    sessionKind,
    units: pairable.length,
    ratings: pairable.reduce((s, unit) => s + u.start[unit + 1]! - u.start[unit]!, 0),
    alphaInterval,
    alphaOrdinal,
    icc: completePanelIcc(r, u, pairable),
    reading: reading(alphaInterval, pairable.length),
  };
}

/**
 * Do panels agree? Per session kind the units are interview × criterion; per criterion they are
 * interviews. Alpha (interval and ordinal) handles any panel; the ICC needs a complete design.
 */
export function agreement(r: IndexedRatings, u: Units): AgreementRow[] {
  const bySession = new Map<number, number[]>();
  const byCriterion = new Map<number, number[]>();
  for (let unit = 0; unit < u.count; unit++) {
    const first = u.obs[u.start[unit]!]!;
    const s = r.session[first]!;
    const c = r.criterion[first]!;
    (bySession.get(s) ?? bySession.set(s, []).get(s)!).push(unit);
    (byCriterion.get(c) ?? byCriterion.set(c, []).get(c)!).push(unit);
  }
  const rows: AgreementRow[] = [];
  for (const [s, units] of [...bySession].sort((a, b) => a[0] - b[0])) {
    const kind = r.sessionKinds[s] ?? '';
    rows.push(row(r, u, 'session', kind, kind, units));
    for (const [c, cUnits] of byCriterion) {
      const { sessionKind, criterion } = splitCriterion(r.criteria[c] ?? '');
      if (sessionKind === kind) rows.push(row(r, u, 'criterion', criterion, kind, cUnits));
    }
  }
  return rows;
}
