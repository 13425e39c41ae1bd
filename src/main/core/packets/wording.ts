import { RECOMMENDATION_LABELS, RECOMMENDATIONS, SESSION_KIND_LABELS, type Recommendation, type SessionKind } from '../../../shared/constants';
import { DECISION_LABELS, type Decision } from '../../../shared/decisions';
import type { ScoreValue } from '../../../shared/domain';
import type { DecisionPacket } from '../../../shared/packet';

// The words and numbers every packet format uses. Deterministic on purpose (UTC, fixed decimals,
// no locale): a verifier on another machine re-renders the packet and compares it with the file.

/** "2026-12-01 14:05 UTC" */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function fixed(n: number | null, digits = 2): string {
  return n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

/** "+0.42", "-0.30", "0.00" (never "-0.00"). */
export function signedFixed(n: number, digits = 2): string {
  const zero = (0).toFixed(digits);
  const text = n.toFixed(digits).replace(/^-(0\.0*)$/, '$1');
  return n > 0 && text !== zero ? `+${text}` : text;
}

export function recommendation(r: Recommendation | null): string {
  return r ? RECOMMENDATION_LABELS[r] : '—';
}

export function decision(d: Decision): string {
  return DECISION_LABELS[d];
}

export function sessionKind(kind: string): string {
  return SESSION_KIND_LABELS[kind as SessionKind] ?? kind;
}

/** "4 — Strong" with the scale's label for the level, "not assessed", or "—". */
export function level(value: ScoreValue, scaleLabels: readonly string[]): string {
  if (value === 'not_assessed') return 'not assessed';
  if (value === null) return '—';
  const label = scaleLabels[value - 1];
  return label ? `${value} — ${label}` : String(value);
}

export function tallyLine(tally: Record<Recommendation, number>): string {
  return RECOMMENDATIONS.slice()
    .reverse()
    .map((r) => `${RECOMMENDATION_LABELS[r]} ${tally[r] ?? 0}`)
    .join(' · ');
}

/** The candidate's raw and adjusted score, or why there is no adjusted one. */
export function adjustmentLine(packet: DecisionPacket): string {
  const a = packet.adjustment;
  if (a.raw === null) return a.reason ?? 'No submitted scorecard yet.';
  const mean = `Mean score ${fixed(a.raw)} over ${a.ratings} ratings`;
  return a.adjusted === null ? `${mean}. ${a.reason ?? 'Not adjusted.'}` : `${mean}; adjusted for leniency, ${fixed(a.adjusted)}.`;
}

export function voteLine(v: DecisionPacket['votes'][number]): string {
  const second = v.round2
    ? `${recommendation(v.round2.recommendation)}${v.round2.signed ? ' (signed by them)' : ` (recorded by ${v.round2.recordedBy.name} in the meeting)`}`
    : 'no re-vote';
  return `${recommendation(v.round1)} → ${second}`;
}

export function changedMinds(count: number): string {
  return count === 0 ? 'No one changed their vote after the discussion.' : count === 1 ? '1 panelist changed their vote after the discussion.' : `${count} panelists changed their vote after the discussion.`;
}

export const PRIVATE_MARK = 'PRIVATE — the exporter’s own note, included at their request';
