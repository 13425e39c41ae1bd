import type { CriterionDraft, RubricVersionView } from '../../../shared/domain';
import type { AppErrorShape } from '../../../shared/result';
import { call } from './api';

export type DraftCriterion = CriterionDraft & { key: string };

let keys = 0;
const newKey = () => `c${++keys}`;

/**
 * A rubric version in the editor. A draft saves itself on every change: the whole draft at once,
 * one save at a time, the next one carrying every edit made meanwhile. "saved" shows only once
 * the server has the latest edit.
 */
class RubricEditorState {
  version = $state<RubricVersionView | null>(null);
  loadError = $state<AppErrorShape | null>(null);
  scaleMax = $state(4);
  scaleLabels = $state<string[]>([]);
  criteria = $state<DraftCriterion[]>([]);
  status = $state<'saved' | 'pending' | 'saving' | 'failed'>('saved');
  saveError = $state<string | null>(null);
  publishError = $state<string | null>(null);
  private saving: Promise<void> | null = null;
  private editsSinceSave = 0;

  isDraft = $derived(this.version?.status === 'draft');
  totalWeight = $derived(this.criteria.reduce((sum, c) => sum + c.weight, 0));

  async open(versionId: string): Promise<void> {
    this.version = null;
    this.loadError = null;
    this.publishError = null;
    const result = await call('rubrics:get-version', { versionId });
    if (result.ok) this.show(result.value);
    else this.loadError = result.error;
  }

  private show(version: RubricVersionView): void {
    this.version = version;
    this.scaleMax = version.scaleMax;
    this.scaleLabels = [...version.scaleLabels];
    this.criteria = version.criteria.map(({ position: _position, ...c }) => ({ ...c, anchors: padded(c.anchors, version.scaleMax), key: newKey() }));
    this.status = 'saved';
  }

  /** Call after every edit of the draft's fields. */
  changed(): void {
    if (!this.isDraft) return;
    this.editsSinceSave++;
    this.status = 'pending';
    void this.save();
  }

  setScale(scaleMax: number): void {
    this.scaleMax = scaleMax;
    this.scaleLabels = padded(this.scaleLabels, scaleMax);
    for (const c of this.criteria) c.anchors = padded(c.anchors, scaleMax);
    this.changed();
  }

  addCriterion(): void {
    this.criteria.push({ title: 'New criterion', description: '', weight: 1, guidingQuestions: [], anchors: padded([], this.scaleMax), key: newKey() });
    this.changed();
  }

  removeCriterion(index: number): void {
    this.criteria.splice(index, 1);
    this.changed();
  }

  move(index: number, by: -1 | 1): void {
    const target = index + by;
    const item = this.criteria[index];
    if (!item || target < 0 || target >= this.criteria.length) return;
    this.criteria.splice(index, 1);
    this.criteria.splice(target, 0, item);
    this.changed();
  }

  /** Resolves when the server has every edit (retrying a failed save once). */
  async flush(): Promise<void> {
    if (this.status === 'failed') await this.save();
    while (this.saving) await this.saving;
  }

  /** Starts a save unless one is running; the running one starts the next when edits came in meanwhile. */
  private save(): Promise<void> {
    if (this.saving) return this.saving;
    this.saving = this.sendDraft().finally(() => {
      this.saving = null;
      if (this.status === 'pending') void this.save();
    });
    return this.saving;
  }

  private async sendDraft(): Promise<void> {
    const version = this.version;
    if (!version || version.status !== 'draft') return;
    const editsIncluded = this.editsSinceSave;
    this.status = 'saving';
    const result = await call('rubrics:save-draft', {
      versionId: version.id,
      expectedRevision: version.revision,
      scaleMax: this.scaleMax,
      scaleLabels: this.scaleLabels.slice(0, this.scaleMax),
      criteria: this.criteria.map(({ key: _key, ...c }) => ({
        ...c,
        guidingQuestions: c.guidingQuestions.map((q) => q.trim()).filter(Boolean),
        anchors: c.anchors.slice(0, this.scaleMax),
      })),
    });
    if (!result.ok) {
      this.status = 'failed';
      this.saveError = result.error.message;
      return;
    }
    this.saveError = null;
    // Keep what is on screen (the user may have typed on); adopt the ids and revision.
    version.revision = result.value.revision;
    result.value.criteria.forEach((saved, i) => {
      const local = this.criteria[i];
      if (local) local.id = saved.id;
    });
    this.status = this.editsSinceSave === editsIncluded ? 'saved' : 'pending';
  }

  async publish(): Promise<void> {
    await this.flush();
    if (!this.version || this.status === 'failed') return;
    const result = await call('rubrics:publish', { versionId: this.version.id });
    if (result.ok) {
      this.publishError = null;
      this.show(result.value);
    } else {
      this.publishError = result.error.message;
    }
  }
}

function padded(values: readonly string[], length: number): string[] {
  return Array.from({ length }, (_, i) => values[i] ?? '');
}

export const rubricEditor = new RubricEditorState();
