import type { CandidateAdjustment } from '../../../shared/calibration-report';
import type { CandidateDetail, InterviewSummary, InterviewerListItem, LoopStage, RoleDetail } from '../../../shared/domain';
import type { CandidateRecord, ErasurePreview, ScheduledInterview } from '../../../shared/hiring';
import type { Result } from '../../../shared/result';
import { call, reloadOnDataChanges } from './api';
import type { CandidateDraft } from './candidates.svelte';
import { download } from './download';
import { toFieldErrors } from './field-errors';
import { INTERVIEW_FIELDS, type InterviewDraft, type PanelOption } from './interview-draft.svelte';

/** What the page needs of the candidate beyond their header to edit and archive them. */
export type Editable = Pick<CandidateRecord, 'source' | 'note' | 'timeZone' | 'archivedAt' | 'revision'>;

/** One stage of the role's loop with this candidate's interviews for it. */
export interface StageGroup {
  key: string;
  stage: LoopStage | null;
  title: string;
  sessionKind: string;
  durationMinutes: number;
  interviews: InterviewSummary[];
  /** Interviews not cancelled: a stage without one is still to schedule. */
  live: InterviewSummary[];
}

/**
 * The editable fields when the core sent them with the candidate. `candidates:get` answers with
 * CandidateDetail, which (today) has no source, note, time zone, archive mark or revision; when
 * it does, they are used as they come.
 */
function editableOf(detail: CandidateDetail): Editable | null {
  const d = detail as CandidateDetail & Partial<Editable> & { archived?: boolean };
  if (typeof d.revision !== 'number') return null;
  return {
    source: d.source ?? '',
    note: d.note ?? '',
    timeZone: d.timeZone ?? '',
    archivedAt: d.archivedAt ?? (d.archived ? new Date(0).toISOString() : null),
    revision: d.revision,
  };
}

const stageKey = (sessionKind: string, title: string) => `${sessionKind}\u0000${title}`;

/**
 * A candidate's page: who they are, their loop (the role's stages with the interviews scheduled
 * for each), the panel pickers' interviewers, and every change made from there (edit, archive,
 * erase, schedule, reschedule, cancel, calendar files). Only the newest load's answer is shown.
 */
class CandidatePage {
  candidateId = $state<string | null>(null);
  detail = $state<CandidateDetail | null>(null);
  /** The last record a write of ours answered with (fresher than the detail's fields, if any). */
  private written = $state<CandidateRecord | null>(null);
  role = $state<RoleDetail | null>(null);
  interviewers = $state<InterviewerListItem[]>([]);
  adjustment = $state<CandidateAdjustment | null>(null);
  error = $state<string | null>(null);
  notFound = $state(false);
  /** Said politely after a change ("Architecture scheduled for …"). */
  notice = $state<string | null>(null);
  /** Set before opening the page when it should start at the schedule (right after adding the candidate). */
  focusSchedule = false;
  private seq = 0;
  private latest: Promise<void> = Promise.resolve();
  private readonly follow = reloadOnDataChanges(() => {
    if (this.candidateId) void this.load();
  });

  /** The editable fields: from the candidate as loaded, or from our last write when that is newer. */
  editable = $derived.by((): Editable | null => {
    const loaded = this.detail ? editableOf(this.detail) : null;
    const w = this.written?.id === this.candidateId ? this.written : null;
    if (loaded && (!w || loaded.revision >= w.revision)) return loaded;
    return w ? { source: w.source, note: w.note, timeZone: w.timeZone, archivedAt: w.archivedAt, revision: w.revision } : null;
  });

  archived = $derived(this.editable?.archivedAt != null);

  /** The candidate's time zone: from their record, or from their interviews when the record is not sent. */
  timeZone = $derived(this.editable?.timeZone ?? this.detail?.interviews.find((i) => i.candidateTimeZone)?.candidateTimeZone ?? '');

  /** Active interviewers for the pickers, me first. */
  panelOptions = $derived<PanelOption[]>(
    this.interviewers
      .filter((i) => i.active)
      .map((i) => ({ id: i.id, name: i.name, email: i.email, isMe: i.isMe }))
      .sort((a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name)),
  );

  /** The pickers' choices for a reschedule: the active interviewers, and whoever sits on the panel now even if since deactivated. */
  optionsFor(interview: InterviewSummary): PanelOption[] {
    const options = [...this.panelOptions];
    for (const p of interview.panel) {
      if (!p.withdrawn && !options.some((o) => o.id === p.interviewerId)) options.push({ id: p.interviewerId, name: p.name, email: '', isMe: p.isMe });
    }
    return options;
  }

  /**
   * The role's stages in order, each with its interviews. Interviews name their stage by title and
   * session (InterviewSummary carries no stage id), so they are matched that way; any left over
   * (a stage since renamed) are listed after the loop under their own title.
   */
  groups = $derived.by((): StageGroup[] => {
    const detail = this.detail;
    if (!detail) return [];
    const stages = this.role?.id === detail.roleId ? this.role.stages : [];
    const groups: StageGroup[] = stages
      .slice()
      .sort((a, b) => a.position - b.position)
      .map((stage) => ({ key: stage.id, stage, title: stage.title, sessionKind: stage.sessionKind, durationMinutes: stage.durationMinutes, interviews: [], live: [] }));
    const byKey: Record<string, StageGroup> = Object.fromEntries(groups.map((g) => [stageKey(g.sessionKind, g.title), g]));
    for (const interview of detail.interviews) {
      const key = stageKey(interview.sessionKind, interview.stageTitle);
      let group = byKey[key];
      if (!group) {
        group = { key: `other-${groups.length}`, stage: null, title: interview.stageTitle, sessionKind: interview.sessionKind, durationMinutes: interview.durationMinutes, interviews: [], live: [] };
        byKey[key] = group;
        groups.push(group);
      }
      group.interviews.push(interview);
      if (!interview.cancelledAt) group.live.push(interview);
    }
    return groups;
  });

  async open(candidateId: string): Promise<void> {
    if (this.candidateId !== candidateId) {
      this.candidateId = candidateId;
      this.detail = null;
      if (this.written?.id !== candidateId) this.written = null;
      this.adjustment = null;
      this.error = null;
      this.notFound = false;
    }
    this.notice = null;
    this.follow.start();
    await this.load();
  }

  close(): void {
    this.follow.stop();
    this.seq++;
  }

  /**
   * Loads the page again. Resolves once the newest load has landed: a load started meanwhile (a
   * push event after our own write) supersedes this one, and the caller waits for it too.
   */
  async load(): Promise<void> {
    let waiting = this.fetch(++this.seq);
    this.latest = waiting;
    await waiting;
    while (this.latest !== waiting) {
      waiting = this.latest;
      await waiting;
    }
  }

  private async fetch(seq: number): Promise<void> {
    const candidateId = this.candidateId;
    if (!candidateId) return;
    const [detail, adjusted, people] = await Promise.all([
      call('candidates:get', { candidateId }),
      call('calibration:candidate', { candidateId }),
      call('interviewers:list', {}),
    ]);
    if (seq !== this.seq) return;
    if (!detail.ok) {
      this.error = detail.error.message;
      this.notFound = detail.error.code === 'not_found';
      this.detail = null;
      return;
    }
    this.error = null;
    this.detail = detail.value;
    this.adjustment = adjusted.ok ? adjusted.value : null;
    if (people.ok) this.interviewers = people.value;
    if (this.role?.id !== detail.value.roleId || this.role === null) {
      const role = await call('roles:get', { roleId: detail.value.roleId });
      if (seq !== this.seq) return;
      if (role.ok) this.role = role.value;
    } else {
      // Stages change rarely; refresh them quietly.
      void call('roles:get', { roleId: detail.value.roleId }).then((role) => {
        if (seq === this.seq && role.ok) this.role = role.value;
      });
    }
  }

  // ——— the candidate ———

  async save(draft: CandidateDraft): Promise<boolean> {
    const editable = this.editable;
    if (!this.candidateId || !editable) return false;
    draft.errors = draft.validate();
    if (Object.keys(draft.errors).length) return false;
    draft.busy = true;
    try {
      const result = await call('candidates:update', { candidateId: this.candidateId, revision: editable.revision, ...draft.values() });
      if (!result.ok) {
        draft.refused(result);
        if (result.error.code === 'stale_revision') await this.forgetWritten();
        return false;
      }
      this.took(result.value);
      this.notice = `Saved ${result.value.name}.`;
      await this.load();
      return true;
    } finally {
      draft.busy = false;
    }
  }

  async setArchived(archived: boolean): Promise<Result<CandidateRecord> | null> {
    const editable = this.editable;
    if (!this.candidateId || !editable) return null;
    const result = await call('candidates:set-archived', { candidateId: this.candidateId, archived, revision: editable.revision });
    if (!result.ok && result.error.code === 'stale_revision') await this.forgetWritten();
    if (result.ok) {
      this.took(result.value);
      this.notice = archived ? `${result.value.name} is archived: they are left out of the lists until restored.` : `${result.value.name} is restored.`;
      await this.load();
    }
    return result;
  }

  /** A record just written here (e.g. the candidate just added), for the page about to open. */
  remember(record: CandidateRecord): void {
    this.written = record;
  }

  /** Our last write is not the latest any more: the loaded candidate is all we know. */
  private async forgetWritten(): Promise<void> {
    this.written = null;
    await this.load();
  }

  private took(record: CandidateRecord): void {
    this.written = record;
    if (this.detail) this.detail = { ...this.detail, name: record.name, email: record.email };
  }

  async erasePreview(): Promise<Result<ErasurePreview> | null> {
    if (!this.candidateId) return null;
    return call('candidates:erase-preview', { candidateId: this.candidateId });
  }

  async erase(): Promise<Result<{ erased: number }> | null> {
    if (!this.candidateId) return null;
    const result = await call('candidates:erase', { candidateIds: [this.candidateId] });
    if (result.ok) {
      this.seq++;
      this.detail = null;
    }
    return result;
  }

  // ——— the schedule ———

  /** Schedules an interview for a stage from a draft; the errors stay on the draft when refused. */
  async schedule(stageId: string, draft: InterviewDraft): Promise<ScheduledInterview | null> {
    return this.write(draft, async () => {
      const plan = draft.plan();
      if (!plan || !this.candidateId) return null;
      return call('interviews:schedule', { candidateId: this.candidateId, stageId, ...plan });
    });
  }

  async reschedule(draft: InterviewDraft): Promise<ScheduledInterview | null> {
    const before = draft.interview;
    if (!before) return null;
    return this.write(draft, async () => {
      const changes = draft.changes();
      if (Object.keys(changes).length === 0) return { ok: true, value: { interview: before, clashes: [] } };
      return call('interviews:update', { interviewId: before.interviewId, revision: before.revision, ...changes });
    });
  }

  private async write(draft: InterviewDraft, send: () => Promise<Result<ScheduledInterview> | null>): Promise<ScheduledInterview | null> {
    draft.errors = draft.validate();
    if (Object.keys(draft.errors).length) return null;
    draft.busy = true;
    try {
      const result = await send();
      if (!result) return null;
      if (!result.ok) {
        draft.errors = toFieldErrors(result.error, INTERVIEW_FIELDS);
        return null;
      }
      draft.errors = {};
      await this.load();
      return result.value;
    } finally {
      draft.busy = false;
    }
  }

  async cancel(interview: InterviewSummary): Promise<Result<ScheduledInterview>> {
    const result = await call('interviews:cancel', { interviewId: interview.interviewId, revision: interview.revision });
    if (result.ok) await this.load();
    return result;
  }

  /** Downloads an .ics invite: one interview, or (without one) the whole loop. */
  async downloadCalendar(interview?: InterviewSummary): Promise<string | null> {
    if (!this.candidateId) return null;
    const result = await call('interviews:calendar', interview ? { interviewId: interview.interviewId } : { candidateId: this.candidateId });
    if (!result.ok) return result.error.message;
    download(result.value.fileName, result.value.text, 'text/calendar;charset=utf-8');
    return null;
  }
}

export const candidatePage = new CandidatePage();
