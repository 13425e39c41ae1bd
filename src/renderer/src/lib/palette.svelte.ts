import type { SearchHit } from '../../../shared/hiring';
import { call } from './api';
import { interviewersState } from './interviewers.svelte';
import { router, type Route } from './router.svelte';

/**
 * The command palette (Ctrl/Cmd+K): jump to any candidate, interviewer, role, rubric or view by
 * typing part of its name, and run the common actions. Views and actions are matched here; the
 * records come from `search:all`, one request per keystroke, and an answer that arrives after a
 * later keystroke's is dropped, so what is shown always matches what is typed.
 */

export interface PaletteItem {
  /** Unique among the shown items (also the option's DOM id suffix). */
  key: string;
  label: string;
  /** What kind of thing it is, said after the label ("Candidate · Software Engineer"). */
  detail: string;
  run: () => void | Promise<void>;
  /** The palette stays open after it (it asks a second question). */
  stays?: boolean;
}

/** Where the palette's answers come from in "pick a candidate" mode (Schedule an interview…). */
type Mode = 'all' | 'schedule';

const VIEWS: { label: string; route: Route }[] = [
  { label: 'Today', route: { name: 'today' } },
  { label: 'Candidates', route: { name: 'candidates' } },
  { label: 'Interviewers', route: { name: 'interviewers' } },
  { label: 'Roles', route: { name: 'roles' } },
  { label: 'Rubrics', route: { name: 'rubrics' } },
  { label: 'Calibration', route: { name: 'calibration' } },
  { label: 'Settings', route: { name: 'settings' } },
];

const SEARCH_LIMIT = 12;

/** Whether `text` has a word starting with `query` (case-insensitive), or starts with it. */
function wordStarts(text: string, query: string): boolean {
  const t = text.toLowerCase();
  return t.startsWith(query) || t.includes(` ${query}`);
}

class PaletteState {
  isOpen = $state(false);
  mode = $state<Mode>('all');
  query = $state('');
  hits = $state<SearchHit[]>([]);
  /** The query the shown hits answer (the benchmark waits for it to equal what was typed). */
  answered = $state('');
  error = $state<string | null>(null);
  active = $state(0);
  private seq = 0;

  private actions: PaletteItem[] = [
    { key: 'action-new-candidate', label: 'New candidate', detail: 'Action', run: () => router.go({ name: 'candidate-new' }) },
    {
      key: 'action-schedule',
      label: 'Schedule an interview…',
      detail: 'Action · pick a candidate',
      run: () => this.open('schedule'),
      stays: true,
    },
    { key: 'action-add-interviewer', label: 'Add interviewer', detail: 'Action', run: () => router.go({ name: 'interviewer-new' }) },
    { key: 'action-import-bundle', label: 'Import a bundle', detail: 'Action · a .panelist file', run: () => router.go({ name: 'import' }) },
  ];

  private views: PaletteItem[] = VIEWS.map((v) => ({
    key: `view-${v.route.name}`,
    label: v.label,
    detail: 'View',
    run: () => router.go(v.route),
  }));

  /** What the list shows for the query: actions and views by name, records from the search. */
  items = $derived.by((): PaletteItem[] => {
    const q = this.query.trim().toLowerCase();
    const records = this.hits.map((hit) => this.fromHit(hit));
    if (this.mode === 'schedule') return records;
    const fixed = [...this.actions, ...this.views];
    if (!q) return fixed;
    const starting = fixed.filter((i) => wordStarts(i.label, q));
    const containing = q.length > 1 ? fixed.filter((i) => !starting.includes(i) && i.label.toLowerCase().includes(q)) : [];
    return [...starting, ...records, ...containing];
  });

  activeItem = $derived(this.items[Math.min(this.active, this.items.length - 1)] ?? null);

  open(mode: Mode = 'all'): void {
    this.mode = mode;
    this.query = '';
    this.hits = [];
    this.answered = '';
    this.error = null;
    this.active = 0;
    this.isOpen = true;
  }

  close(): void {
    this.isOpen = false;
    this.seq++;
  }

  /** Runs the search for what is typed now; answers to earlier keystrokes are dropped. */
  async search(): Promise<void> {
    const query = this.query;
    const mine = ++this.seq;
    this.active = 0;
    if (!query.trim()) {
      this.hits = [];
      this.answered = query;
      this.error = null;
      return;
    }
    const result = await call('search:all', { query: query.slice(0, 200), limit: SEARCH_LIMIT });
    if (mine !== this.seq) return;
    if (result.ok) {
      this.hits = this.mode === 'schedule' ? result.value.filter((h) => h.kind === 'candidate') : result.value;
      this.error = null;
    } else {
      this.hits = [];
      this.error = result.error.message;
    }
    this.answered = query;
  }

  move(by: number): void {
    const n = this.items.length;
    if (n === 0) return;
    this.active = (((this.active + by) % n) + n) % n;
  }

  moveTo(index: number): void {
    if (this.items.length) this.active = Math.max(0, Math.min(index, this.items.length - 1));
  }

  private fromHit(hit: SearchHit): PaletteItem {
    const kind = { candidate: 'Candidate', interviewer: 'Interviewer', role: 'Role', rubric: 'Rubric' }[hit.kind];
    // The core's detail for interviewers already starts with "Interviewer"; for roles and rubrics it is the kind.
    const detail = hit.detail === kind || hit.detail.startsWith(`${kind} `) ? hit.detail : `${kind} · ${hit.detail}`;
    return {
      key: `${hit.kind}-${hit.id}`,
      label: hit.label,
      detail: this.mode === 'schedule' ? `Schedule · ${hit.detail}` : detail,
      run: () => this.goTo(hit),
    };
  }

  private async goTo(hit: SearchHit): Promise<void> {
    switch (hit.kind) {
      case 'candidate':
        router.go({ name: 'candidate', candidateId: hit.id });
        return;
      case 'role':
        router.go({ name: 'role', roleId: hit.id });
        return;
      case 'interviewer':
        // Interviewers have no page of their own: the list, narrowed to them.
        interviewersState.search = hit.label;
        void interviewersState.load();
        router.go({ name: 'interviewers' });
        return;
      case 'rubric': {
        // A rubric opens at its newest version (the draft, if one is being written).
        const rubrics = await call('rubrics:list', {});
        const versions = rubrics.ok ? (rubrics.value.find((r) => r.id === hit.id)?.versions ?? []) : [];
        const newest = [...versions].sort((a, b) => b.version - a.version)[0];
        router.go(newest ? { name: 'rubric', versionId: newest.id } : { name: 'rubrics' });
        return;
      }
    }
  }
}

export const palette = new PaletteState();
