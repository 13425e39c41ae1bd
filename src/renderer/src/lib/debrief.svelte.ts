import type { Recommendation } from '../../../shared/constants';
import type { Debrief, Decision, DecisionRevision, Vote } from '../../../shared/decisions';
import type { PacketFormat } from '../../../shared/packet';
import type { AppErrorShape, Result } from '../../../shared/result';
import { call, reloadOnDataChanges } from './api';

export const PACKET_FORMAT_LABELS = { pdf: 'PDF', html: 'HTML', md: 'Markdown', json: 'JSON' } as const satisfies Record<PacketFormat, string>;
export const PACKET_FORMAT_CHOICES = Object.keys(PACKET_FORMAT_LABELS) as PacketFormat[];
const PACKET_TYPES: Record<PacketFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
  json: 'application/json',
};
export const packetType = (format: PacketFormat): string => PACKET_TYPES[format];

/** A SHA-256 for reading: its first 12 hex digits, enough to tell two packets apart by eye. */
export const shortHash = (sha256: string): string => `${sha256.slice(0, 12)}…`;

/** Whether a re-vote for this panelist needs a reason: it differs from their first round. */
export function needsReason(vote: Pick<Vote, 'round1'>, recommendation: Recommendation | null): boolean {
  return recommendation !== null && recommendation !== vote.round1;
}

/**
 * One candidate's debrief page: the debrief as the core answers it (or why it does not: hidden
 * until I submit my own scorecard, with that scorecard's interview when I can find it), and the
 * writes made from there (votes, decisions, packets). Read again whenever the data changes
 * elsewhere; only the newest load's answer is shown. A form's text lives in its component, so a
 * reload never takes it away.
 */
class DebriefPage {
  candidateId = $state<string | null>(null);
  debrief = $state<Debrief | null>(null);
  error = $state<AppErrorShape | null>(null);
  /** While hidden: the interview whose scorecard I still owe for this candidate, when I can find it. */
  myInterviewId = $state<string | null>(null);
  /** The candidate's name while hidden (the debrief itself is not sent). */
  candidateName = $state<string | null>(null);
  private seq = 0;
  private readonly follow = reloadOnDataChanges(() => {
    if (this.candidateId) void this.load();
  });

  async open(candidateId: string): Promise<void> {
    if (this.candidateId !== candidateId) {
      this.candidateId = candidateId;
      this.debrief = null;
      this.error = null;
      this.myInterviewId = null;
      this.candidateName = null;
    }
    this.follow.start();
    await this.load();
  }

  close(): void {
    this.follow.stop();
    this.seq++;
  }

  async load(): Promise<void> {
    const seq = ++this.seq;
    const candidateId = this.candidateId;
    if (!candidateId) return;
    const result = await call('debrief:get', { candidateId });
    if (seq !== this.seq) return;
    if (result.ok) {
      this.debrief = result.value;
      this.error = null;
      return;
    }
    this.debrief = null;
    this.error = result.error;
    if (result.error.code !== 'hidden_until_submitted') return;
    // Which scorecard would open it: my seat on the loop not yet submitted, the earliest first.
    const detail = await call('candidates:get', { candidateId });
    if (seq !== this.seq || !detail.ok) return;
    this.candidateName = detail.value.name;
    const owed = detail.value.interviews
      .filter((i) => i.panel.some((p) => p.isMe && !p.withdrawn) && i.myScorecard?.status !== 'submitted')
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    this.myInterviewId = owed[0]?.interviewId ?? null;
  }

  /** Records the decision (or a change of it); a stale screen is read again, the caller keeps its text. */
  async decide(input: { decision: Decision; rationale: string; changeReason?: string }): Promise<Result<DecisionRevision>> {
    const debrief = this.debrief;
    if (!debrief) return { ok: false, error: { code: 'not_found', message: 'The debrief is not loaded yet.' } };
    const seenRevision = debrief.decision.current?.revision ?? 0;
    const result = await call('decisions:record', {
      candidateId: debrief.candidate.id,
      decision: input.decision,
      rationale: input.rationale,
      seenRevision,
      ...(seenRevision > 0 && input.changeReason !== undefined ? { changeReason: input.changeReason } : {}),
    });
    await this.load();
    return result;
  }

  async vote(interviewerId: string, recommendation: Recommendation, reason: string): Promise<Result<Vote>> {
    const debrief = this.debrief;
    if (!debrief) return { ok: false, error: { code: 'not_found', message: 'The debrief is not loaded yet.' } };
    const trimmed = reason.trim();
    const seenRevision = debrief.votes.find((v) => v.interviewer.id === interviewerId)?.revision ?? 0;
    const result = await call('votes:record', { candidateId: debrief.candidate.id, interviewerId, recommendation, seenRevision, ...(trimmed ? { reason: trimmed } : {}) });
    // Someone recorded a vote for this panelist meanwhile: show it (the form says why it refused).
    if (!result.ok && result.error.code === 'stale_revision') await this.load();
    if (result.ok) await this.load();
    return result;
  }
}

export const debriefPage = new DebriefPage();
