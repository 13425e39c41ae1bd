import { evidenceField, RECOMMENDATION_LABELS, scoreField, type ScorecardField } from '../../../shared/constants';
import type { HistoryEntry, Recommendation, Scorecard, ScorecardView, ScoreValue } from '../../../shared/domain';
import type { AppErrorShape, Result } from '../../../shared/result';
import { call, onEvent } from './api';

function describeScore(value: ScoreValue): string {
  if (value === null) return 'no score';
  return value === 'not_assessed' ? 'not assessed' : `score ${value}`;
}

type FieldValue = string | ScoreValue | Recommendation;

/** One field of the open scorecard: how this screen shows it, and how a scorecard holds it. */
interface FieldAccess {
  key: ScorecardField;
  /** The value on screen. */
  get(): FieldValue;
  /** The value in a scorecard read from the core. */
  read(scorecard: Scorecard): FieldValue;
  /** Puts a value on screen. */
  put(value: FieldValue): void;
  /** The value on screen, in words (kept for the user when another window changed the field). */
  describe(): string;
}

export type SaveStatus = 'saved' | 'saving' | 'failed' | 'conflict';

interface CriterionEntry {
  value: ScoreValue;
  evidence: string;
}

/** A field this window tried to save after another window had changed it. */
export interface Conflict {
  /** What this window had, in words, kept on screen so that nothing typed is lost. */
  mine: string;
  /** Whether the latest has been loaded into the field (then `mine` stays only to copy). */
  resolved: boolean;
}

type Write = () => Promise<Result<{ revision: number }>>;


/**
 * The open scorecard: what is on screen, and the writes that make it so. Every change is sent at
 * once, in order; "saved" shows only when every write has committed. A failed write keeps its
 * value on screen and can be retried.
 *
 * Two windows on the same draft: every write names the revision at which this window last saw the
 * field, so the core refuses only a write to a field that another window changed meanwhile. Such a
 * field becomes a conflict: this window's value stays on screen, and the user loads the latest or
 * keeps theirs. Fields the user is not editing follow the other window at once (push events).
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
  conflicts = $state<Partial<Record<ScorecardField, Conflict>>>({});
  /** The text field the user is typing in: another window's change never replaces it under their hands. */
  editing: ScorecardField | null = null;

  private inFlight = $state(0);
  private failedWrites = $state<Record<string, { value: FieldValue; write: Write }>>({});
  failure = $state<string | null>(null);
  private queue: Promise<void> = Promise.resolve();
  /** Per field, the revision at which this window last saw it change (0: never changed). */
  private fieldRevisions: Record<string, number> = {};
  /** The scorecard revision this window has seen in full: submit and amend name it. */
  private seenRevision = 0;
  /** Per field, the value as last loaded or saved: a field on screen that differs has the user's unsaved work. */
  private known: Record<string, FieldValue> = {};
  private pendingByField = new Map<string, number>();

  status: SaveStatus = $derived(
    Object.values(this.conflicts).some((c) => c && !c.resolved)
      ? 'conflict'
      : Object.keys(this.failedWrites).length > 0
        ? 'failed'
        : this.inFlight > 0
          ? 'saving'
          : 'saved',
  );
  submitted = $derived(this.view?.scorecard.status === 'submitted');
  editable = $derived(!this.submitted || this.amending);

  constructor() {
    onEvent((event) => {
      const open = this.view?.scorecard;
      if (!open) return;
      if (event.name === 'scorecard:changed' && (event.payload.scorecardId !== open.id || event.payload.revision <= this.seenRevision)) return;
      void this.refresh();
    });
  }

  async open(interviewId: string): Promise<void> {
    this.view = null;
    this.loadError = null;
    this.amending = false;
    this.submitError = null;
    this.failedWrites = {};
    this.failure = null;
    this.conflicts = {};
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
    this.fieldRevisions = { ...view.scorecard.fieldRevisions };
    this.seenRevision = view.scorecard.revision;
    this.view = view;
    this.known = Object.fromEntries(this.fields().map((f) => [f.key, f.read(view.scorecard)]));
    this.focused = Math.min(this.focused, view.rubric.criteria.length - 1);
  }

  private async loadHistory(): Promise<void> {
    if (!this.view) return;
    const result = await call('scorecards:history', { scorecardId: this.view.scorecard.id });
    if (result.ok) this.history = result.value;
  }

  /** Every field of the open scorecard, with how to read and write its value on this screen. */
  private fields(): FieldAccess[] {
    const criteria = this.view?.rubric.criteria ?? [];
    const scoreOf = (sc: Scorecard, id: string) => sc.scores.find((s) => s.criterionId === id);
    return [
      ...criteria.flatMap((c): FieldAccess[] => [
        {
          key: scoreField(c.id),
          get: () => this.entries[c.id]?.value ?? null,
          read: (sc) => scoreOf(sc, c.id)?.value ?? null,
          put: (value) => {
            const entry = this.entries[c.id];
            if (entry) entry.value = value as ScoreValue;
          },
          describe: () => describeScore(this.entries[c.id]?.value ?? null),
        },
        {
          key: evidenceField(c.id),
          get: () => this.entries[c.id]?.evidence ?? '',
          read: (sc) => scoreOf(sc, c.id)?.evidence ?? '',
          put: (value) => {
            const entry = this.entries[c.id];
            if (entry) entry.evidence = String(value ?? '');
          },
          describe: () => this.entries[c.id]?.evidence ?? '',
        },
      ]),
      {
        key: 'recommendation',
        get: () => this.recommendation,
        read: (sc) => sc.recommendation,
        put: (value) => (this.recommendation = value as Recommendation | null),
        describe: () => (this.recommendation ? RECOMMENDATION_LABELS[this.recommendation] : 'no recommendation'),
      },
      { key: 'takeaways', get: () => this.takeaways, read: (sc) => sc.takeaways, put: (value) => (this.takeaways = String(value ?? '')), describe: () => this.takeaways },
      { key: 'privateNote', get: () => this.privateNote, read: (sc) => sc.privateNote, put: (value) => (this.privateNote = String(value ?? '')), describe: () => this.privateNote },
    ];
  }

  /** Whether the field holds the user's work that is not saved: a failed save, a conflict, or text typed but not yet sent. */
  private busy(field: FieldAccess): boolean {
    const unsaved = field.get() !== this.known[field.key];
    return field.key in this.failedWrites || this.conflicts[field.key] !== undefined || (this.editing === field.key && unsaved);
  }

  /**
   * Brings the screen up to the latest committed scorecard: fields changed elsewhere that the user
   * is not working on take the new value; one they are working on becomes a conflict if it differs.
   */
  async refresh(): Promise<void> {
    const open = this.view;
    if (!open || this.amending) return;
    const result = await call('scorecards:get', { scorecardId: open.scorecard.id });
    if (!result.ok || this.view !== open) return;
    const latest = result.value;
    if (latest.status !== open.scorecard.status) {
      await this.open(open.interview.interviewId);
      return;
    }
    const before = this.fields();
    for (const field of before) {
      const theirs = latest.fieldRevisions[field.key] ?? 0;
      if (theirs <= (this.fieldRevisions[field.key] ?? 0)) continue;
      // A write of this window still on its way: its answer says whether the field had moved on.
      if ((this.pendingByField.get(field.key) ?? 0) > 0) continue;
      if (field.get() === field.read(latest)) {
        this.fieldRevisions[field.key] = theirs;
        this.known[field.key] = field.read(latest);
        continue;
      }
      if (this.busy(field)) {
        if (!this.conflicts[field.key]) this.conflicts = { ...this.conflicts, [field.key]: { mine: field.describe(), resolved: false } };
        continue;
      }
      field.put(field.read(latest));
      this.fieldRevisions[field.key] = theirs;
      this.known[field.key] = field.read(latest);
    }
    open.scorecard = { ...latest };
    this.seenRevision = latest.revision;
  }

  /** Loads the other window's value into a conflicting field; the user's own text stays beside it to copy. */
  async loadLatest(key: ScorecardField): Promise<void> {
    const open = this.view;
    const conflict = this.conflicts[key];
    if (!open || !conflict) return;
    const result = await call('scorecards:get', { scorecardId: open.scorecard.id });
    if (!result.ok) return;
    const field = this.fields().find((f) => f.key === key);
    if (!field) return;
    // What the user has now (they may have typed on after the conflict was found) stays to copy.
    const mine = field.describe();
    field.put(field.read(result.value));
    this.known[key] = field.read(result.value);
    this.fieldRevisions[key] = result.value.fieldRevisions[key] ?? 0;
    const { [key]: _failed, ...rest } = this.failedWrites;
    this.failedWrites = rest;
    this.conflicts = { ...this.conflicts, [key]: { mine, resolved: true } };
  }

  /** Saves this window's value over the other window's change, knowingly. */
  async keepMine(key: ScorecardField): Promise<void> {
    const open = this.view;
    if (!open || !this.conflicts[key]) return;
    const result = await call('scorecards:get', { scorecardId: open.scorecard.id });
    if (!result.ok) return;
    this.fieldRevisions[key] = result.value.fieldRevisions[key] ?? 0;
    this.dismissConflict(key);
    const field = this.fields().find((f) => f.key === key);
    if (field) this.resend(key, field.get());
  }

  dismissConflict(key: ScorecardField): void {
    const { [key]: _gone, ...rest } = this.conflicts;
    this.conflicts = rest;
  }

  private resend(key: ScorecardField, value: FieldValue): void {
    if (key.startsWith('score:')) this.setScore(key.slice('score:'.length), value as ScoreValue);
    else if (key.startsWith('evidence:')) this.setEvidence(key.slice('evidence:'.length), value as string);
    else if (key === 'recommendation' && value) this.setRecommendation(value as Recommendation);
    else if (key === 'takeaways') this.setTakeaways(value as string);
    else if (key === 'privateNote') this.setPrivateNote(value as string);
  }

  private enqueue(key: ScorecardField, value: FieldValue, write: (seenRevision: number) => Promise<Result<{ revision: number }>>): void {
    this.inFlight++;
    this.pendingByField.set(key, (this.pendingByField.get(key) ?? 0) + 1);
    /** The field's revision this write was sent at. */
    let sentAt = 0;
    const send: Write = () => write((sentAt = this.fieldRevisions[key] ?? 0));
    this.queue = this.queue.then(async () => {
      const result = await send().catch((error: unknown) => ({ ok: false as const, error: { code: 'unavailable' as const, message: String(error) } }));
      this.inFlight--;
      this.pendingByField.set(key, (this.pendingByField.get(key) ?? 1) - 1);
      if (result.ok) {
        const { [key]: _done, ...rest } = this.failedWrites;
        this.failedWrites = rest;
        if (Object.keys(rest).length === 0) this.failure = null;
        this.fieldRevisions[key] = result.value.revision;
        this.known[key] = value;
        if (this.view) this.view.scorecard.revision = result.value.revision;
        // Another window wrote in between: fetch what it changed.
        if (result.value.revision === this.seenRevision + 1) this.seenRevision = result.value.revision;
        else void this.refresh();
      } else if (result.error.code === 'stale_revision' && (this.fieldRevisions[key] ?? 0) > sentAt) {
        // Refused for a revision the user has since settled (Keep mine, Load the latest): the
        // write that settled it is queued after this one, and that choice stands.
      } else if (result.error.code === 'stale_revision') {
        const { [key]: _stale, ...rest } = this.failedWrites;
        this.failedWrites = rest;
        const field = this.fields().find((f) => f.key === key);
        if (!this.conflicts[key] || this.conflicts[key]?.resolved) this.conflicts = { ...this.conflicts, [key]: { mine: field?.describe() ?? '', resolved: false } };
        void this.refresh();
      } else {
        this.failedWrites = { ...this.failedWrites, [key]: { value, write: send } };
        this.failure = result.error.message;
      }
    });
  }

  retry(): void {
    const writes = Object.entries(this.failedWrites);
    this.failedWrites = {};
    for (const [key, { value, write }] of writes) this.enqueue(key as ScorecardField, value, () => write());
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
  private persist(key: ScorecardField, value: FieldValue, write: (scorecardId: string, seenRevision: number) => Promise<Result<{ revision: number }>>): void {
    if (this.amending) return;
    const scorecardId = this.scorecardId;
    this.enqueue(key, value, (seenRevision) => write(scorecardId, seenRevision));
  }

  setScore(criterionId: string, value: ScoreValue): void {
    const entry = this.entries[criterionId];
    if (!entry || !this.editable) return;
    entry.value = value;
    this.persist(scoreField(criterionId), value, (scorecardId, seenRevision) => call('scorecards:set-score', { scorecardId, criterionId, value, seenRevision }));
  }

  setEvidence(criterionId: string, evidence: string): void {
    const entry = this.entries[criterionId];
    if (!entry || !this.editable) return;
    entry.evidence = evidence;
    this.persist(evidenceField(criterionId), evidence, (scorecardId, seenRevision) => call('scorecards:set-evidence', { scorecardId, criterionId, evidence, seenRevision }));
  }

  setRecommendation(recommendation: Recommendation): void {
    if (!this.editable) return;
    this.recommendation = recommendation;
    this.persist('recommendation', recommendation, (scorecardId, seenRevision) => call('scorecards:set-details', { scorecardId, field: 'recommendation', value: recommendation, seenRevision }));
  }

  setTakeaways(takeaways: string): void {
    if (!this.editable) return;
    this.takeaways = takeaways;
    this.persist('takeaways', takeaways, (scorecardId, seenRevision) => call('scorecards:set-details', { scorecardId, field: 'takeaways', value: takeaways, seenRevision }));
  }

  /** The private note is never part of an amendment: it stays with its author, as it was at submission. */
  setPrivateNote(privateNote: string): void {
    if (this.submitted) return;
    this.privateNote = privateNote;
    this.persist('privateNote', privateNote, (scorecardId, seenRevision) => call('scorecards:set-details', { scorecardId, field: 'privateNote', value: privateNote, seenRevision }));
  }

  async submit(): Promise<boolean> {
    if (!this.view || this.submitted) return false;
    await this.settled();
    if (this.status === 'failed') {
      this.submitError = 'Some changes are not saved yet: retry them before you submit.';
      return false;
    }
    if (this.status === 'conflict') {
      this.submitError = 'A field was changed in another window: settle it before you submit.';
      return false;
    }
    const result = await call('scorecards:submit', { scorecardId: this.view.scorecard.id, seenRevision: this.seenRevision });
    if (!result.ok) {
      this.submitError = result.error.message;
      if (result.error.code === 'stale_revision') await this.refresh();
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
      seenRevision: this.seenRevision,
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
