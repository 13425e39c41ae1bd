import type { HistoryEntry, Recommendation, ScorecardView, ScoreValue } from '../../../shared/domain';
import type { AppErrorShape, Result } from '../../../shared/result';
import { call } from './api';

export type SaveStatus = 'saved' | 'saving' | 'failed';

interface CriterionEntry {
  value: ScoreValue;
  evidence: string;
}

type Write = () => Promise<Result<{ revision: number }>>;

/**
 * The open scorecard: what is on screen, and the writes that make it so. Every change is sent at
 * once, in order; "saved" shows only when every write has committed. A failed write keeps its
 * value on screen and can be retried; the latest write of each field wins.
 */
class ScorecardState {
  view = $state<ScorecardView | null>(null);
  loadError = $state<AppErrorShape | null>(null);
  entries = $state<Record<string, CriterionEntry>>({});
  recommendation = $state<Recommendation | null>(null);
  takeaways = $state('');
  privateNote = $state('');
  focused = $state(0);
  history = $state<HistoryEntry[]>([]);
  submitError = $state<string | null>(null);
  /** Amending a submitted scorecard: changes stay here until saved with a reason. */
  amending = $state(false);
  amendError = $state<string | null>(null);

  private inFlight = $state(0);
  private failedWrites = $state<Record<string, Write>>({});
  failure = $state<string | null>(null);
  private queue: Promise<void> = Promise.resolve();

  status: SaveStatus = $derived(Object.keys(this.failedWrites).length > 0 ? 'failed' : this.inFlight > 0 ? 'saving' : 'saved');
  submitted = $derived(this.view?.scorecard.status === 'submitted');
  editable = $derived(!this.submitted || this.amending);

  async open(interviewId: string): Promise<void> {
    this.view = null;
    this.loadError = null;
    this.amending = false;
    this.submitError = null;
    this.failedWrites = {};
    this.failure = null;
    const result = await call('scorecards:open', { interviewId });
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.show(result.value);
    await this.loadHistory();
  }

  private show(view: ScorecardView): void {
    const entries: Record<string, CriterionEntry> = {};
    for (const criterion of view.rubric.criteria) {
      const saved = view.scorecard.scores.find((s) => s.criterionId === criterion.id);
      entries[criterion.id] = { value: saved?.value ?? null, evidence: saved?.evidence ?? '' };
    }
    this.entries = entries;
    this.recommendation = view.scorecard.recommendation;
    this.takeaways = view.scorecard.takeaways;
    this.privateNote = view.scorecard.privateNote;
    this.view = view;
    this.focused = Math.min(this.focused, view.rubric.criteria.length - 1);
  }

  private async loadHistory(): Promise<void> {
    if (!this.view) return;
    const result = await call('scorecards:history', { scorecardId: this.view.scorecard.id });
    if (result.ok) this.history = result.value;
  }

  private enqueue(key: string, write: Write): void {
    this.inFlight++;
    this.queue = this.queue.then(async () => {
      const result = await write().catch((error: unknown) => ({ ok: false as const, error: { code: 'unavailable' as const, message: String(error) } }));
      this.inFlight--;
      if (result.ok) {
        const { [key]: _done, ...rest } = this.failedWrites;
        this.failedWrites = rest;
        if (Object.keys(rest).length === 0) this.failure = null;
        if (this.view) this.view.scorecard.revision = result.value.revision;
      } else {
        this.failedWrites = { ...this.failedWrites, [key]: write };
        this.failure = result.error.message;
      }
    });
  }

  retry(): void {
    const writes = Object.entries(this.failedWrites);
    this.failedWrites = {};
    for (const [key, write] of writes) this.enqueue(key, write);
  }

  /** Resolves when every write sent so far has finished (for submit). */
  settled(): Promise<void> {
    return this.queue;
  }

  private get scorecardId(): string {
    if (!this.view) throw new Error('no scorecard is open');
    return this.view.scorecard.id;
  }

  /** Sends a change of a draft at once; while amending, changes wait for saveAmendment. */
  private persist(key: string, write: (scorecardId: string) => Promise<Result<{ revision: number }>>): void {
    if (this.amending) return;
    const scorecardId = this.scorecardId;
    this.enqueue(key, () => write(scorecardId));
  }

  setScore(criterionId: string, value: ScoreValue): void {
    const entry = this.entries[criterionId];
    if (!entry || !this.editable) return;
    entry.value = value;
    this.persist(`score:${criterionId}`, (scorecardId) => call('scorecards:set-score', { scorecardId, criterionId, value }));
  }

  setEvidence(criterionId: string, evidence: string): void {
    const entry = this.entries[criterionId];
    if (!entry || !this.editable) return;
    entry.evidence = evidence;
    this.persist(`evidence:${criterionId}`, (scorecardId) => call('scorecards:set-evidence', { scorecardId, criterionId, evidence }));
  }

  setRecommendation(recommendation: Recommendation): void {
    if (!this.editable) return;
    this.recommendation = recommendation;
    this.persist('recommendation', (scorecardId) => call('scorecards:set-details', { scorecardId, recommendation }));
  }

  setTakeaways(takeaways: string): void {
    if (!this.editable) return;
    this.takeaways = takeaways;
    this.persist('takeaways', (scorecardId) => call('scorecards:set-details', { scorecardId, takeaways }));
  }

  /** The private note is never part of an amendment: it stays with its author, as it was at submission. */
  setPrivateNote(privateNote: string): void {
    if (this.submitted) return;
    this.privateNote = privateNote;
    this.persist('privateNote', (scorecardId) => call('scorecards:set-details', { scorecardId, privateNote }));
  }

  async submit(): Promise<boolean> {
    if (!this.view || this.submitted) return false;
    await this.settled();
    if (this.status === 'failed') {
      this.submitError = 'Some changes are not saved yet: retry them before you submit.';
      return false;
    }
    const result = await call('scorecards:submit', { scorecardId: this.view.scorecard.id });
    if (!result.ok) {
      this.submitError = result.error.message;
      return false;
    }
    this.submitError = null;
    await this.open(this.view.interview.interviewId);
    return true;
  }

  startAmending(): void {
    this.amending = true;
    this.amendError = null;
  }

  async cancelAmending(): Promise<void> {
    if (this.view) await this.open(this.view.interview.interviewId);
  }

  async saveAmendment(reason: string): Promise<boolean> {
    if (!this.view) return false;
    const saved = this.view.scorecard;
    const scores = this.view.rubric.criteria.flatMap((c) => {
      const entry = this.entries[c.id];
      const before = saved.scores.find((s) => s.criterionId === c.id);
      if (!entry || (entry.value === (before?.value ?? null) && entry.evidence === (before?.evidence ?? ''))) return [];
      return [{ criterionId: c.id, value: entry.value, evidence: entry.evidence }];
    });
    const result = await call('scorecards:amend', {
      scorecardId: saved.id,
      reason,
      scores,
      ...(this.recommendation && this.recommendation !== saved.recommendation ? { recommendation: this.recommendation } : {}),
      ...(this.takeaways !== saved.takeaways ? { takeaways: this.takeaways } : {}),
    });
    if (!result.ok) {
      this.amendError = result.error.message;
      return false;
    }
    await this.open(this.view.interview.interviewId);
    return true;
  }

  /** Criteria still without a score or "not assessed", for the submit hint. */
  missing = $derived(this.view ? this.view.rubric.criteria.filter((c) => this.entries[c.id]?.value === null) : []);
}

export const scorecardState = new ScorecardState();
