import type { ImportPlanSummary, OpenConflict } from '../../../shared/bundle';
import { call } from './api';
import { appState } from './app-state.svelte';
import { bytesToBase64, fileSize, keyToAccept, MAX_BUNDLE_BYTES } from './bundle-files';
import { meState } from './people.svelte';

/**
 * Importing a .panelist file, preview first: the file is chosen on the import screen or dropped
 * anywhere on the window (App hands it over with `take`), read and checked by the core
 * (`bundles:preview`, nothing written), shown, and only then imported (`bundles:import`, one
 * transaction, all or nothing). A refusal is one line from the core, shown beside the file. A
 * key that differs from the one pinned here is refused until the user accepts it explicitly.
 */

/** The interviewer whose new signing key the last refusal named. */
export interface KeyQuestion {
  interviewerId: string;
  /** Their name here, when this installation knows them. */
  name: string | null;
}

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
  /**
   * Each refusal over a changed key asks one question (a bundle may carry several changed keys,
   * named one refusal at a time); the questions stay, with their answers, for the whole file.
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

  /** Bumped for every file, so that an answer about an earlier file is dropped. */
  private seq = 0;

  busy = $derived(this.phase === 'reading' || this.phase === 'checking' || this.phase === 'importing');
  sizeLabel = $derived(fileSize(this.fileBytes));

  /** Reads a file (chosen or dropped) and previews it. */
  async take(file: File): Promise<void> {
    const mine = ++this.seq;
    this.fileName = file.name;
    this.fileBytes = file.size;
    this.data = null;
    this.preview = null;
    this.result = null;
    this.error = null;
    this.keyQuestions = [];
    this.acceptedKeys = [];
    this.adoptWith = null;
    this.passphraseError = null;
    if (file.size > MAX_BUNDLE_BYTES) {
      this.phase = 'idle';
      this.error = `The file is ${fileSize(file.size)}; a bundle may be at most ${fileSize(MAX_BUNDLE_BYTES)}.`;
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

  /** Asks the core what importing the file would do (again, after the key answer changed). */
  async check(): Promise<void> {
    if (this.data === null) return;
    const mine = ++this.seq;
    this.phase = 'checking';
    this.error = null;
    const result = await call('bundles:preview', this.input(this.data));
    if (mine !== this.seq) return;
    if (result.ok) {
      this.preview = result.value;
      this.phase = 'ready';
      return;
    }
    this.preview = null;
    this.phase = 'idle';
    this.error = result.error.message;
    await this.askAboutKey(keyToAccept(result.error));
  }

  /**
   * Previews the import again as the bundle's maker, with their passphrase; a passphrase that does
   * not open the key is said beside it, and the preview stays as it was.
   */
  async adopt(passphrase: string): Promise<void> {
    if (this.data === null || this.phase !== 'ready') return;
    const mine = ++this.seq;
    this.phase = 'checking';
    this.passphraseError = null;
    const result = await call('bundles:preview', { ...this.input(this.data), adoptIdentity: { passphrase } });
    if (mine !== this.seq) return;
    this.phase = 'ready';
    if (result.ok) {
      this.preview = result.value;
      this.adoptWith = passphrase;
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

  async setAccepted(interviewerId: string, accept: boolean): Promise<void> {
    const others = this.acceptedKeys.filter((id) => id !== interviewerId);
    this.acceptedKeys = accept ? [...others, interviewerId] : others;
    await this.check();
  }

  /** Imports what the preview showed; the core checks everything again inside its transaction. */
  async apply(): Promise<boolean> {
    if (this.data === null || this.phase !== 'ready') return false;
    const mine = ++this.seq;
    this.phase = 'importing';
    this.error = null;
    const result = await call('bundles:import', this.input(this.data));
    if (mine !== this.seq) return false;
    if (!result.ok) {
      this.phase = 'idle';
      this.preview = null;
      this.error = result.error.message;
      await this.askAboutKey(keyToAccept(result.error));
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

  /** Forgets the file and what was said about it (the conflicts stay). */
  reset(): void {
    this.seq++;
    this.fileName = null;
    this.fileBytes = 0;
    this.data = null;
    this.phase = 'idle';
    this.preview = null;
    this.result = null;
    this.error = null;
    this.keyQuestions = [];
    this.acceptedKeys = [];
    this.adoptWith = null;
    this.passphraseError = null;
  }

  async loadConflicts(): Promise<void> {
    const result = await call('conflicts:list', {});
    if (result.ok) {
      this.conflicts = result.value;
      this.conflictsError = null;
    } else {
      this.conflictsError = result.error.message;
    }
    this.conflictsLoaded = true;
  }

  private input(data: string) {
    return { data, acceptKeys: this.acceptedKeys, ...(this.adoptWith ? { adoptIdentity: { passphrase: this.adoptWith } } : {}) };
  }

  /** A refusal over a changed key: who it is, by name when this installation knows them. */
  private async askAboutKey(interviewerId: string | null): Promise<void> {
    if (!interviewerId || this.keyQuestions.some((q) => q.interviewerId === interviewerId)) return;
    this.keyQuestions = [...this.keyQuestions, { interviewerId, name: null }];
    const people = await call('interviewers:list', {});
    // Another file since (reset empties the questions) or no answer: the question keeps no name.
    if (!people.ok) return;
    const name = people.value.find((p) => p.id === interviewerId)?.name ?? null;
    this.keyQuestions = this.keyQuestions.map((q) => (q.interviewerId === interviewerId ? { ...q, name } : q));
  }
}

export const bundleImport = new BundleImportState();
