import type { ConflictChoice, ImportPlanSummary, OpenConflict } from '../../../shared/bundle';
import type { EventPayload } from '../../../shared/contract';
import { BUNDLE_MAX_FILE_BYTES } from '../../../shared/bundle-facts';
import type { AppErrorShape } from '../../../shared/result';
import { call, onEvent } from './api';
import { appState } from './app-state.svelte';
import { bytesToBase64, choiceDone, fileSize } from './bundle-files';
import { meState } from './people.svelte';

/**
 * Importing a .panelist file, preview first: the file is chosen on the import screen or dropped
 * anywhere on the window (App hands it over with `take`), read and checked by the core
 * (`bundles:preview`, nothing written), shown, and only then imported (`bundles:import`, one
 * transaction, all or nothing). A refusal is one line from the core, shown beside the file.
 *
 * The core reads the file and checks its signatures in worker threads, saying how far it got
 * (`job:progress`) under the ticket of each run; `cancel` stops a run by its ticket. A key that
 * differs from the one pinned here is a question in the preview (`keyQuestions`): the import is
 * refused until the user accepts each such key. Below the import, the conflicts that imports
 * recorded, each settled here with one of the choices the core offers (`conflicts:resolve`).
 */

/** An interviewer whose key in the bundle is not the one pinned here, as the preview asked. */
export type KeyQuestion = ImportPlanSummary['keyQuestions'][number];

/** How far the core got with the file of the current run. */
export type CheckProgress = Omit<EventPayload<'job:progress'>, 'ticket'>;

class BundleImportState {
  fileName = $state<string | null>(null);
  fileBytes = $state(0);
  /** The chosen file, base64, as the contract takes it. */
  private data: string | null = null;

  phase = $state<'idle' | 'reading' | 'checking' | 'ready' | 'importing' | 'done'>('idle');
  preview = $state<ImportPlanSummary | null>(null);
  result = $state<ImportPlanSummary | null>(null);
  /** Why the file was refused, in the core's one line. */
  error = $state<string | null>(null);
  /** How far the core got with the running check or import (null until it says, and when nothing runs). */
  progress = $state<CheckProgress | null>(null);
  /** The user cancelled the last check or import: nothing was written, and the file can be checked again. */
  cancelled = $state(false);
  /** Cancel was asked for an import; waiting to hear whether the core could still stop it. */
  cancelling = $state(false);
  /** The import had begun writing when the user cancelled: it finishes, and this says so. */
  tooLateToCancel = $state(false);
  /**
   * The changed keys this file's previews asked about, kept for the whole file: an accepted key is
   * no longer a question in the next preview, but its answer stays on screen to take back.
   */
  keyQuestions = $state<KeyQuestion[]>([]);
  /** The interviewers whose new key the user accepted. */
  acceptedKeys = $state<string[]>([]);
  /**
   * A full bundle that carries its maker's identity can make this (new) installation that person,
   * with the passphrase it was made with: the passphrase the preview was made with, once it opened.
   */
  adoptWith = $state<string | null>(null);
  /** Why the passphrase did not open the bundle's key, beside the passphrase. */
  passphraseError = $state<string | null>(null);
  /** Set when a newly taken file's preview is ready: the screen moves the focus to it, once. */
  focusPreview = $state(false);

  conflicts = $state<OpenConflict[]>([]);
  conflictsLoaded = $state(false);
  conflictsError = $state<string | null>(null);
  /** The conflict whose choice is being written. */
  resolving = $state<string | null>(null);
  /** Why a choice could not be made, by conflict, beside that conflict. */
  resolveErrors = $state<Record<string, string>>({});
  /** What the last choice did, said politely (a live region on the list). */
  resolved = $state('');

  /** Bumped for every file and every run, so that an answer about an earlier one is dropped. */
  private seq = 0;
  /** The ticket of the run under way: progress under any other ticket is not about it. */
  private ticket: string | null = null;
  private conflictsSeq = 0;
  private latestLoad: Promise<void> = Promise.resolve();

  busy = $derived(this.phase === 'reading' || this.phase === 'checking' || this.phase === 'importing');
  sizeLabel = $derived(fileSize(this.fileBytes));
  /** The key questions the last preview still asks: Import waits for an answer to each. */
  unanswered = $derived(this.preview?.keyQuestions ?? []);

  constructor() {
    onEvent((event) => {
      if (event.name === 'job:progress') {
        const { ticket, phase, done, total } = event.payload;
        if (ticket === this.ticket) this.progress = { phase, done, total };
      } else if (event.name === 'data:changed' && this.conflictsLoaded) {
        // Another window (or process) imported or resolved something: the list follows.
        void this.loadConflicts();
      }
    });
  }

  /** Reads a file (chosen or dropped) and previews it. */
  async take(file: File): Promise<void> {
    this.stopChecking();
    const mine = ++this.seq;
    this.fileName = file.name;
    this.fileBytes = file.size;
    this.data = null;
    this.preview = null;
    this.result = null;
    this.error = null;
    this.clearRun();
    this.keyQuestions = [];
    this.acceptedKeys = [];
    this.adoptWith = null;
    this.passphraseError = null;
    if (file.size > BUNDLE_MAX_FILE_BYTES) {
      this.phase = 'idle';
      this.error = `The file is ${fileSize(file.size)}; a bundle may be at most ${fileSize(BUNDLE_MAX_FILE_BYTES)}.`;
      return;
    }
    this.phase = 'reading';
    let data: string;
    try {
      data = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    } catch {
      if (mine !== this.seq) return;
      this.phase = 'idle';
      this.error = `${file.name} could not be read: choose it again.`;
      return;
    }
    if (mine !== this.seq) return;
    this.data = data;
    await this.check();
    if (this.preview && this.fileName === file.name) this.focusPreview = true;
  }

  /** Asks the core what importing the file would do (again, after an answer changed or a cancel). */
  async check(): Promise<void> {
    if (this.data === null) return;
    this.stopChecking();
    const { mine, ticket } = this.begin('checking');
    const result = await call('bundles:preview', { ...this.input(this.data), ticket });
    if (mine !== this.seq) return;
    this.ticket = null;
    this.progress = null;
    if (result.ok) {
      this.showPreview(result.value);
      this.phase = 'ready';
      return;
    }
    this.preview = null;
    this.phase = 'idle';
    this.refused(result.error);
  }

  /**
   * Previews the import again as the bundle's maker, with their passphrase; a passphrase that does
   * not open the key is said beside it, and the preview stays as it was.
   */
  async adopt(passphrase: string): Promise<void> {
    if (this.data === null || this.phase !== 'ready') return;
    const { mine, ticket } = this.begin('checking');
    this.passphraseError = null;
    const result = await call('bundles:preview', { ...this.input(this.data), adoptIdentity: { passphrase }, ticket });
    if (mine !== this.seq) return;
    this.ticket = null;
    this.progress = null;
    this.phase = 'ready';
    if (result.ok) {
      this.showPreview(result.value);
      this.adoptWith = passphrase;
      return;
    }
    if (result.error.code === 'cancelled') {
      this.phase = 'idle';
      this.preview = null;
      this.cancelled = true;
      return;
    }
    // "passphrase: wrong passphrase, …" or "adoptIdentity.passphrase: at least 10 characters": the field is obvious on screen.
    const bare = result.error.message.replace(/^[\w.]*passphrase:\s*/i, '');
    this.passphraseError = bare.charAt(0).toUpperCase() + bare.slice(1);
  }

  /** Back to importing the bundle as someone else's. */
  async keepMe(): Promise<void> {
    this.adoptWith = null;
    this.passphraseError = null;
    await this.check();
  }

  /** Accepts (or takes back) an interviewer's new key, and previews again with the answer. */
  async setAccepted(interviewerId: string, accept: boolean): Promise<void> {
    if (this.phase === 'importing') return;
    const others = this.acceptedKeys.filter((id) => id !== interviewerId);
    this.acceptedKeys = accept ? [...others, interviewerId] : others;
    await this.check();
  }

  /** Imports what the preview showed; the core checks everything again inside its transaction. */
  async apply(): Promise<boolean> {
    if (this.data === null || this.phase !== 'ready' || this.unanswered.length) return false;
    const { mine, ticket } = this.begin('importing');
    const result = await call('bundles:import', { ...this.input(this.data), ticket });
    if (mine !== this.seq) return false;
    this.ticket = null;
    this.progress = null;
    this.cancelling = false;
    if (!result.ok) {
      this.tooLateToCancel = false;
      this.phase = 'idle';
      this.preview = null;
      this.refused(result.error);
      // A key changed since the preview (another import meanwhile): the preview asks again.
      if (result.error.path === 'acceptKeys') await this.check();
      return false;
    }
    this.result = result.value;
    this.preview = null;
    this.data = null;
    this.adoptWith = null;
    this.phase = 'done';
    if (result.value.identity?.adopted) await meState.load();
    // Every view may show something new (Today's interviews, the panel's scorecards).
    await appState.refresh();
    appState.dataVersion++;
    await this.loadConflicts();
    return true;
  }

  /**
   * Stops the check or import under way. A check writes nothing, so its answer is dropped at once
   * (and the core told to stop reading). An import stops only if the core can still stop it: once
   * merging has begun it finishes (one short transaction), and `tooLateToCancel` says so.
   */
  async cancel(): Promise<void> {
    const ticket = this.ticket;
    if (!ticket) return;
    if (this.phase === 'checking') {
      this.seq++;
      this.ticket = null;
      this.progress = null;
      this.phase = 'idle';
      this.preview = null;
      this.cancelled = true;
      await call('jobs:cancel', { ticket });
      return;
    }
    if (this.phase !== 'importing' || this.cancelling) return;
    this.cancelling = true;
    const answer = await call('jobs:cancel', { ticket });
    // The import's own answer says what happened (`cancelled`, or the import done) once it lands.
    if (this.ticket !== ticket) return;
    if (!answer.ok || !answer.value.cancelled) {
      this.cancelling = false;
      this.tooLateToCancel = true;
    }
  }

  /** Forgets the file and what was said about it (the conflicts stay). */
  reset(): void {
    this.stopChecking();
    this.seq++;
    this.fileName = null;
    this.fileBytes = 0;
    this.data = null;
    this.phase = 'idle';
    this.preview = null;
    this.result = null;
    this.error = null;
    this.clearRun();
    this.keyQuestions = [];
    this.acceptedKeys = [];
    this.adoptWith = null;
    this.passphraseError = null;
  }

  /** Reads the open conflicts. Resolves once the newest read has landed (one started meanwhile supersedes this one). */
  loadConflicts(): Promise<void> {
    const mine = ++this.conflictsSeq;
    this.latestLoad = this.readConflicts(mine);
    return this.latestLoad;
  }

  private async readConflicts(mine: number): Promise<void> {
    const result = await call('conflicts:list', {});
    if (mine !== this.conflictsSeq) return this.latestLoad;
    if (result.ok) {
      this.conflicts = result.value;
      this.conflictsError = null;
      // A conflict that left the list takes its error with it.
      const open = new Set(result.value.map((c) => c.id));
      this.resolveErrors = Object.fromEntries(Object.entries(this.resolveErrors).filter(([id]) => open.has(id)));
    } else {
      this.conflictsError = result.error.message;
    }
    this.conflictsLoaded = true;
  }

  /**
   * Settles a conflict as the user chose. Resolves true when the conflict left the list (settled
   * here, or already settled elsewhere); a refusal stays beside that conflict.
   */
  async resolve(conflict: OpenConflict, choice: ConflictChoice): Promise<boolean> {
    if (this.resolving) return false;
    this.resolving = conflict.id;
    this.resolved = '';
    this.resolveErrors = Object.fromEntries(Object.entries(this.resolveErrors).filter(([id]) => id !== conflict.id));
    const result = await call('conflicts:resolve', { conflictId: conflict.id, choice });
    this.resolving = null;
    if (result.ok) {
      this.resolved = choiceDone(conflict, choice);
      await this.loadConflicts();
      appState.dataVersion++;
      return true;
    }
    if (result.error.code === 'conflict' || result.error.code === 'not_found') {
      // Settled meanwhile (another window): it leaves the list, and that is said.
      this.resolved = result.error.message;
      await this.loadConflicts();
      return !this.conflicts.some((c) => c.id === conflict.id);
    }
    this.resolveErrors = { ...this.resolveErrors, [conflict.id]: result.error.message };
    return false;
  }

  /** A new run of the core over the file: its own ticket, the last run's progress and notes gone. */
  private begin(phase: 'checking' | 'importing'): { mine: number; ticket: string } {
    const mine = ++this.seq;
    const ticket = crypto.randomUUID();
    this.clearRun();
    this.ticket = ticket;
    this.phase = phase;
    this.error = null;
    return { mine, ticket };
  }

  private clearRun(): void {
    this.ticket = null;
    this.progress = null;
    this.cancelled = false;
    this.cancelling = false;
    this.tooLateToCancel = false;
  }

  /** A check that nobody waits for any more (a newer file, a newer answer) need not keep the core busy. */
  private stopChecking(): void {
    if (this.phase === 'checking' && this.ticket) void call('jobs:cancel', { ticket: this.ticket });
  }

  private showPreview(preview: ImportPlanSummary): void {
    this.preview = preview;
    // Each question stays for the whole file, with the fingerprints the latest preview gave.
    const latest = (q: KeyQuestion) => preview.keyQuestions.find((l) => l.interviewerId === q.interviewerId) ?? q;
    const asked = this.keyQuestions.map(latest);
    this.keyQuestions = [...asked, ...preview.keyQuestions.filter((q) => !asked.some((a) => a.interviewerId === q.interviewerId))];
  }

  /** The core's refusal, in its one line; a cancel is not a refusal but news, said calmly. */
  private refused(error: AppErrorShape): void {
    if (error.code === 'cancelled') {
      this.cancelled = true;
      return;
    }
    this.error = error.message;
  }

  private input(data: string) {
    return { data, acceptKeys: this.acceptedKeys, ...(this.adoptWith ? { adoptIdentity: { passphrase: this.adoptWith } } : {}) };
  }
}

export const bundleImport = new BundleImportState();
