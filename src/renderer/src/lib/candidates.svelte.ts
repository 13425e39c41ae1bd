import type { CandidateListItem } from '../../../shared/domain';
import type { CandidateRecord } from '../../../shared/hiring';
import type { Result } from '../../../shared/result';
import { call } from './api';
import { toFieldErrors, type FieldErrors } from './field-errors';
import { isTimeZone } from './when';

export const PAGE_SIZE = 50;

/** The candidate list: search, role filter, archived or not, and paging; only the newest request's answer is shown. */
class CandidatesState {
  search = $state('');
  roleId = $state('');
  includeArchived = $state(false);
  page = $state(0);
  items = $state<CandidateListItem[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);
  private requestSeq = 0;

  pageCount = $derived(Math.max(1, Math.ceil(this.total / PAGE_SIZE)));

  async load(): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    const search = this.search.trim();
    const result = await call('candidates:list', {
      limit: PAGE_SIZE,
      offset: this.page * PAGE_SIZE,
      includeArchived: this.includeArchived,
      ...(search ? { search } : {}),
      ...(this.roleId ? { roleId: this.roleId } : {}),
    });
    if (seq !== this.requestSeq) return;
    this.loading = false;
    if (result.ok) {
      this.items = result.value.items;
      this.total = result.value.total;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }
}

export const candidatesState = new CandidatesState();

export const CANDIDATE_FIELDS = ['name', 'email', 'roleId', 'source', 'note', 'timeZone'] as const;
export const NOTE_LIMIT = 2000;
/** Where candidates usually come from, offered as suggestions (any text will do). */
export const SOURCES = ['Referral', 'LinkedIn', 'Careers page', 'Agency', 'Job board', 'Event', 'Sourced'];

export interface CandidateFieldValues {
  name: string;
  email: string;
  source: string;
  note: string;
  timeZone: string;
}

/** Someone already a candidate for the role with the email being typed. */
export interface Twin {
  id: string;
  name: string;
  archived: boolean;
  /** The email they share (as typed when they were found). */
  email: string;
}

/**
 * A candidate's fields while they are typed, for adding one (with a role) or editing one. Checks
 * what can be checked here (a name, an email's shape, a time zone), looks for a candidate of the
 * same role with the same email as the email is typed, and keeps the core's errors by field.
 */
export class CandidateDraft {
  name = $state('');
  email = $state('');
  roleId = $state('');
  source = $state('');
  note = $state('');
  timeZone = $state('');
  errors = $state<FieldErrors>({});
  busy = $state(false);
  twin = $state<Twin | null>(null);
  private twinSeq = 0;

  constructor(
    /** The candidate being edited (left out of the duplicate check), or null when adding. */
    readonly candidateId: string | null = null,
    init: Partial<CandidateFieldValues & { roleId: string }> = {},
  ) {
    this.name = init.name ?? '';
    this.email = init.email ?? '';
    this.roleId = init.roleId ?? '';
    this.source = init.source ?? '';
    this.note = init.note ?? '';
    this.timeZone = init.timeZone ?? '';
  }

  values(): CandidateFieldValues {
    return { name: this.name.trim(), email: this.email.trim(), source: this.source.trim(), note: this.note, timeZone: this.timeZone.trim() };
  }

  validate(): FieldErrors {
    const errors: FieldErrors = {};
    const v = this.values();
    if (!v.name) errors.name = 'Give the candidate a name.';
    if (v.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)) errors.email = 'Not an email address (e.g. jane@example.com).';
    if (this.candidateId === null && !this.roleId) errors.roleId = 'Choose the role they are a candidate for.';
    if (v.timeZone && !isTimeZone(v.timeZone)) errors.timeZone = `“${v.timeZone}” is not a time zone: choose one from the list (e.g. Europe/Berlin).`;
    if (v.note.length > NOTE_LIMIT) errors.note = `At most ${NOTE_LIMIT.toLocaleString()} characters.`;
    if (this.twin && this.twin.email === v.email.toLowerCase() && !errors.email) errors.email = twinMessage(this.twin);
    return errors;
  }

  /** Looks for a candidate of the same role with this email (as the email or the role changes). */
  async findTwin(roleId: string): Promise<void> {
    const seq = ++this.twinSeq;
    const email = this.email.trim().toLowerCase();
    if (!email || !roleId || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      this.twin = null;
      return;
    }
    const result = await call('candidates:list', { roleId, search: email, includeArchived: true, limit: 20 });
    if (seq !== this.twinSeq) return;
    const found = result.ok ? result.value.items.find((c) => c.email.toLowerCase() === email && c.id !== this.candidateId) : undefined;
    this.twin = found ? { id: found.id, name: found.name, archived: found.archived, email } : null;
    if (!found && this.errors.email?.includes('already a candidate')) {
      const { email: _gone, ...rest } = this.errors;
      this.errors = rest;
    }
  }

  /** Takes a refused write's error: beside its field, or for the whole form. */
  refused(result: Result<unknown>): void {
    if (!result.ok) this.errors = toFieldErrors(result.error, CANDIDATE_FIELDS);
  }
}

export function twinMessage(twin: Twin): string {
  return `${twin.name} is already a candidate for this role${twin.archived ? ' (archived)' : ''}.`;
}

/** Adds a candidate from a draft; the errors stay on the draft when the core refuses. */
export async function addCandidate(draft: CandidateDraft): Promise<CandidateRecord | null> {
  draft.errors = draft.validate();
  if (Object.keys(draft.errors).length) return null;
  draft.busy = true;
  try {
    const result = await call('candidates:add', { roleId: draft.roleId, ...draft.values() });
    if (!result.ok) {
      draft.refused(result);
      return null;
    }
    draft.errors = {};
    return result.value;
  } finally {
    draft.busy = false;
  }
}
