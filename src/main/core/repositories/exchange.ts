import type { Db } from '../db/connection';
import type { InterviewRow } from './interviews';

/** A record's stamp as bundles carry it: higher revision wins, the same revision must say the same. */
export interface Stamped {
  revision: number;
  updatedAt: string;
}

export interface InterviewerRecord extends Stamped {
  id: string;
  name: string;
  email: string;
  publicKey: string | null;
  deactivatedAt: string | null;
}

export interface RoleRecord extends Stamped {
  id: string;
  title: string;
  team: string;
  description: string;
}

export interface StageRecord {
  id: string;
  loopId: string;
  position: number;
  sessionKind: string;
  title: string;
  durationMinutes: number;
  rubricVersionId: string;
}

export interface CandidateRow extends Stamped {
  id: string;
  roleId: string;
  name: string;
  email: string;
  source: string;
  note: string;
  timeZone: string;
  archivedAt: string | null;
}

/** An interview as bundles carry it: the interviews repository's own row. */
export type InterviewRecord = InterviewRow;

export interface PanelSeatRecord {
  interviewerId: string;
  withdrawnAt: string | null;
}

export interface ScorecardShell {
  id: string;
  interviewId: string;
  interviewerId: string;
  rubricVersionId: string;
  status: 'draft' | 'submitted';
}

export interface ImportedScorecard {
  id: string;
  interviewId: string;
  interviewerId: string;
  rubricVersionId: string;
  recommendation: string | null;
  takeaways: string;
  submittedAt: string;
  revision: number;
  now: string;
  scores: { criterionId: string; value: number | 'not_assessed' | null; evidence: string }[];
}

/**
 * The SQL that bundles need: whole records read by id for export, and written back on import
 * keeping their ids, revisions and times (the other repositories write on behalf of a user).
 */
export class ExchangeRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      interviewer: db.prepare<[string], InterviewerRecord>(
        `SELECT id, name, email, public_key AS publicKey, deactivated_at AS deactivatedAt, revision, updated_at AS updatedAt FROM interviewers WHERE id = ?`,
      ),
      role: db.prepare<[string], RoleRecord>(`SELECT id, title, team, description, revision, updated_at AS updatedAt FROM roles WHERE id = ?`),
      loopOf: db.prepare<[string], string>(`SELECT id FROM loops WHERE role_id = ? ORDER BY created_at, id LIMIT 1`).pluck(),
      loopRole: db.prepare<[string], string>(`SELECT role_id FROM loops WHERE id = ?`).pluck(),
      stages: db.prepare<[string], StageRecord>(
        `SELECT id, loop_id AS loopId, position, session_kind AS sessionKind, title, duration_minutes AS durationMinutes, rubric_version_id AS rubricVersionId
         FROM loop_stages WHERE loop_id = ? ORDER BY position`,
      ),
      stage: db.prepare<[string], StageRecord>(
        `SELECT id, loop_id AS loopId, position, session_kind AS sessionKind, title, duration_minutes AS durationMinutes, rubric_version_id AS rubricVersionId
         FROM loop_stages WHERE id = ?`,
      ),
      candidate: db.prepare<[string], CandidateRow>(
        `SELECT id, role_id AS roleId, name, email, source, note, time_zone AS timeZone, archived_at AS archivedAt, revision, updated_at AS updatedAt FROM candidates WHERE id = ?`,
      ),
      candidatesOfRole: db.prepare<[string], string>(`SELECT id FROM candidates WHERE role_id = ? ORDER BY id`).pluck(),
      allCandidates: db.prepare<[], string>(`SELECT id FROM candidates ORDER BY id`).pluck(),
      allRoles: db.prepare<[], string>(`SELECT id FROM roles ORDER BY id`).pluck(),
      interviewsOf: db.prepare<[string], string>(`SELECT id FROM interviews WHERE candidate_id = ? ORDER BY scheduled_at, id`).pluck(),
      panel: db.prepare<[string], PanelSeatRecord>(`SELECT interviewer_id AS interviewerId, withdrawn_at AS withdrawnAt FROM panel_assignments WHERE interview_id = ? ORDER BY interviewer_id`),
      submittedOf: db.prepare<[string], string>(`SELECT id FROM scorecards WHERE interview_id = ? AND status = 'submitted' ORDER BY id`).pluck(),
      scorecard: db.prepare<[string], ScorecardShell>(
        `SELECT id, interview_id AS interviewId, interviewer_id AS interviewerId, rubric_version_id AS rubricVersionId, status FROM scorecards WHERE id = ?`,
      ),
      rubricVersionStatus: db.prepare<[string], string>(`SELECT status FROM rubric_versions WHERE id = ?`).pluck(),
      rubricExists: db.prepare<[string], number>(`SELECT count(*) FROM rubrics WHERE id = ?`).pluck(),
      events: db.prepare<[string], { id: string; at: string; actorId: string; kind: string; detail: string }>(
        `SELECT id, at, actor_id AS actorId, kind, detail FROM scorecard_events WHERE scorecard_id = ? ORDER BY at, id`,
      ),
      tombstones: db.prepare<[], { candidateId: string; erasedAt: string; erasedBy: string; ids: string }>(
        `SELECT candidate_id AS candidateId, erased_at AS erasedAt, erased_by AS erasedBy, ids FROM erasures ORDER BY candidate_id`,
      ),
      insertInterviewer: db.prepare<InterviewerRecord>(
        `INSERT INTO interviewers (id, name, email, is_me, is_demo, public_key, deactivated_at, created_at, updated_at, revision)
         VALUES (:id, :name, :email, 0, 0, :publicKey, :deactivatedAt, :updatedAt, :updatedAt, :revision)`,
      ),
      updateInterviewer: db.prepare<InterviewerRecord>(
        `UPDATE interviewers SET name = :name, email = :email, deactivated_at = :deactivatedAt, updated_at = :updatedAt, revision = :revision WHERE id = :id`,
      ),
      insertRole: db.prepare<RoleRecord>(
        `INSERT INTO roles (id, title, team, description, created_at, updated_at, revision) VALUES (:id, :title, :team, :description, :updatedAt, :updatedAt, :revision)`,
      ),
      updateRole: db.prepare<RoleRecord>(`UPDATE roles SET title = :title, team = :team, description = :description, updated_at = :updatedAt, revision = :revision WHERE id = :id`),
      insertLoop: db.prepare<{ id: string; roleId: string; name: string; now: string }>(
        `INSERT INTO loops (id, role_id, name, created_at, updated_at) VALUES (:id, :roleId, :name, :now, :now)`,
      ),
      insertStage: db.prepare<StageRecord & { now: string }>(
        `INSERT INTO loop_stages (id, loop_id, position, session_kind, title, rubric_version_id, duration_minutes, created_at, updated_at)
         VALUES (:id, :loopId, (SELECT coalesce(max(position), 0) + 1 FROM loop_stages WHERE loop_id = :loopId), :sessionKind, :title, :rubricVersionId, :durationMinutes, :now, :now)`,
      ),
      insertCandidate: db.prepare<CandidateRow>(
        `INSERT INTO candidates (id, role_id, name, email, source, note, time_zone, archived_at, is_demo, created_at, updated_at, revision)
         VALUES (:id, :roleId, :name, :email, :source, :note, :timeZone, :archivedAt, 0, :updatedAt, :updatedAt, :revision)`,
      ),
      updateCandidate: db.prepare<CandidateRow>(
        `UPDATE candidates SET role_id = :roleId, name = :name, email = :email, source = :source, note = :note, time_zone = :timeZone,
           archived_at = :archivedAt, updated_at = :updatedAt, revision = :revision WHERE id = :id`,
      ),
      insertInterview: db.prepare<InterviewRecord>(
        `INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, duration_minutes, video_link, cancelled_at, created_at, updated_at, revision)
         VALUES (:id, :candidateId, :stageId, :scheduledAt, :durationMinutes, :videoLink, :cancelledAt, :updatedAt, :updatedAt, :revision)`,
      ),
      updateInterview: db.prepare<InterviewRecord>(
        `UPDATE interviews SET candidate_id = :candidateId, stage_id = :stageId, scheduled_at = :scheduledAt, duration_minutes = :durationMinutes,
           video_link = :videoLink, cancelled_at = :cancelledAt, updated_at = :updatedAt, revision = :revision WHERE id = :id`,
      ),
      upsertSeat: db.prepare<{ interviewId: string; interviewerId: string; withdrawnAt: string | null; now: string }>(
        `INSERT INTO panel_assignments (interview_id, interviewer_id, created_at, withdrawn_at) VALUES (:interviewId, :interviewerId, :now, :withdrawnAt)
         ON CONFLICT (interview_id, interviewer_id) DO UPDATE SET withdrawn_at = excluded.withdrawn_at`,
      ),
      // Inserted as a draft and submitted once its scores are in: the calibration's triggers then
      // mark the candidate once, not once per score (an import writes tens of thousands).
      insertScorecard: db.prepare<Omit<ImportedScorecard, 'scores'>>(
        `INSERT INTO scorecards (id, interview_id, interviewer_id, rubric_version_id, status, recommendation, takeaways, submitted_at, created_at, updated_at, revision)
         VALUES (:id, :interviewId, :interviewerId, :rubricVersionId, 'draft', :recommendation, :takeaways, NULL, :submittedAt, :now, :revision)`,
      ),
      submitInserted: db.prepare<{ id: string; submittedAt: string }>(`UPDATE scorecards SET status = 'submitted', submitted_at = :submittedAt WHERE id = :id`),
      updateScorecard: db.prepare<Omit<ImportedScorecard, 'scores'>>(
        `UPDATE scorecards SET status = 'submitted', recommendation = :recommendation, takeaways = :takeaways,
           submitted_at = coalesce(submitted_at, :submittedAt), updated_at = :now, revision = :revision WHERE id = :id`,
      ),
      upsertScore: db.prepare<{ scorecardId: string; criterionId: string; score: number | null; notAssessed: number; evidence: string; now: string }>(
        `INSERT INTO scorecard_scores (scorecard_id, criterion_id, score, not_assessed, evidence, updated_at) VALUES (:scorecardId, :criterionId, :score, :notAssessed, :evidence, :now)
         ON CONFLICT (scorecard_id, criterion_id) DO UPDATE SET score = excluded.score, not_assessed = excluded.not_assessed, evidence = excluded.evidence, updated_at = excluded.updated_at`,
      ),
      insertEvent: db.prepare<{ id: string; scorecardId: string; at: string; actorId: string; kind: string; detail: string }>(
        `INSERT INTO scorecard_events (id, scorecard_id, at, actor_id, kind, detail) VALUES (:id, :scorecardId, :at, :actorId, :kind, :detail) ON CONFLICT (id) DO NOTHING`,
      ),
      scorecardsOf: db.prepare<[string, string], string>(`SELECT id FROM scorecards WHERE interviewer_id = ? AND status = ? ORDER BY id`).pluck(),
      setPrivateNote: db.prepare<[string, string]>(`UPDATE scorecards SET private_note = ? WHERE id = ? AND private_note = ''`),
      replaceMe: db.prepare<{ oldId: string; id: string; name: string; email: string; publicKey: string; now: string }>(
        `INSERT INTO interviewers (id, name, email, is_me, is_demo, public_key, created_at, updated_at) VALUES (:id, :name, :email, 0, 0, :publicKey, :now, :now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, public_key = excluded.public_key`,
      ),
      dropMe: db.prepare<[string]>(`DELETE FROM interviewers WHERE id = ? AND is_me = 1`),
      makeMe: db.prepare<[string]>(`UPDATE interviewers SET is_me = 1 WHERE id = ?`),
      work: db.prepare<[], number>(`SELECT (SELECT count(*) FROM candidates) + (SELECT count(*) FROM interviews) + (SELECT count(*) FROM scorecards)`).pluck(),
      alias: db.prepare<[string], string>(`SELECT interviewer_id FROM interviewer_aliases WHERE alias_id = ?`).pluck(),
      aliasesOf: db.prepare<[string], string>(`SELECT alias_id FROM interviewer_aliases WHERE interviewer_id = ? ORDER BY alias_id`).pluck(),
      addAlias: db.prepare<[string, string]>(`INSERT INTO interviewer_aliases (alias_id, interviewer_id) VALUES (?, ?) ON CONFLICT DO NOTHING`),
      interviewerByEmail: db.prepare<[string], string>(`SELECT id FROM interviewers WHERE email = ? COLLATE NOCASE AND email <> '' ORDER BY is_me DESC, created_at LIMIT 1`).pluck(),
    };
  }

  interviewer(id: string): InterviewerRecord | undefined {
    return this.s.interviewer.get(id);
  }

  role(id: string): RoleRecord | undefined {
    return this.s.role.get(id);
  }

  loopOfRole(roleId: string): string | undefined {
    return this.s.loopOf.get(roleId);
  }

  roleOfLoop(loopId: string): string | undefined {
    return this.s.loopRole.get(loopId);
  }

  stages(loopId: string): StageRecord[] {
    return this.s.stages.all(loopId);
  }

  stage(id: string): StageRecord | undefined {
    return this.s.stage.get(id);
  }

  candidate(id: string): CandidateRow | undefined {
    return this.s.candidate.get(id);
  }

  candidateIds(roleId: string | null): string[] {
    return roleId ? this.s.candidatesOfRole.all(roleId) : this.s.allCandidates.all();
  }

  roleIds(): string[] {
    return this.s.allRoles.all();
  }

  interviewIds(candidateId: string): string[] {
    return this.s.interviewsOf.all(candidateId);
  }

  panel(interviewId: string): PanelSeatRecord[] {
    return this.s.panel.all(interviewId);
  }

  submittedScorecardIds(interviewId: string): string[] {
    return this.s.submittedOf.all(interviewId);
  }

  scorecard(id: string): ScorecardShell | undefined {
    return this.s.scorecard.get(id);
  }

  rubricVersionStatus(id: string): string | undefined {
    return this.s.rubricVersionStatus.get(id);
  }

  rubricExists(id: string): boolean {
    return (this.s.rubricExists.get(id) ?? 0) > 0;
  }

  events(scorecardId: string): { id: string; at: string; actorId: string; kind: string; detail: Record<string, unknown> }[] {
    return this.s.events.all(scorecardId).map((e) => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> }));
  }

  tombstones(): { candidateId: string; erasedAt: string; erasedBy: string; interviewIds: string[]; scorecardIds: string[] }[] {
    return this.s.tombstones.all().map((t) => {
      const ids = JSON.parse(t.ids) as { interviews: string[]; scorecards: string[] };
      return { candidateId: t.candidateId, erasedAt: t.erasedAt, erasedBy: t.erasedBy, interviewIds: ids.interviews, scorecardIds: ids.scorecards };
    });
  }

  putInterviewer(r: InterviewerRecord, exists: boolean): void {
    (exists ? this.s.updateInterviewer : this.s.insertInterviewer).run(r);
  }

  putRole(r: RoleRecord, exists: boolean): void {
    (exists ? this.s.updateRole : this.s.insertRole).run(r);
  }

  insertLoop(id: string, roleId: string, name: string, now: string): void {
    this.s.insertLoop.run({ id, roleId, name, now });
  }

  /** Adds a stage at the end of its loop (positions are the local loop's own). */
  insertStage(stage: StageRecord, now: string): void {
    this.s.insertStage.run({ ...stage, now });
  }

  putCandidate(r: CandidateRow, exists: boolean): void {
    (exists ? this.s.updateCandidate : this.s.insertCandidate).run(r);
  }

  putInterview(r: InterviewRecord, exists: boolean): void {
    (exists ? this.s.updateInterview : this.s.insertInterview).run(r);
  }

  putSeat(interviewId: string, seat: PanelSeatRecord, now: string): void {
    this.s.upsertSeat.run({ interviewId, ...seat, now });
  }

  /** Writes a submitted scorecard as its latest signed revision says it is. */
  putScorecard(sc: ImportedScorecard, exists: boolean): void {
    const { scores: _scores, ...shell } = sc;
    (exists ? this.s.updateScorecard : this.s.insertScorecard).run(shell);
    this.putScores(sc);
    if (!exists) this.s.submitInserted.run({ id: sc.id, submittedAt: sc.submittedAt });
  }

  private putScores({ id, scores, now }: ImportedScorecard): void {
    for (const score of scores) {
      this.s.upsertScore.run({
        scorecardId: id,
        criterionId: score.criterionId,
        score: typeof score.value === 'number' ? score.value : null,
        notAssessed: score.value === 'not_assessed' ? 1 : 0,
        evidence: score.evidence,
        now,
      });
    }
  }

  insertEvent(scorecardId: string, e: { id: string; at: string; actorId: string; kind: string; detail: Record<string, unknown> }): void {
    this.s.insertEvent.run({ ...e, scorecardId, detail: JSON.stringify(e.detail) });
  }


  /** The interviewer's scorecards in one status, by id. */
  scorecardIdsOf(interviewerId: string, status: 'draft' | 'submitted'): string[] {
    return this.s.scorecardsOf.all(interviewerId, status);
  }

  /** Brings a private note home to its author (never over one written here). */
  setPrivateNote(scorecardId: string, text: string): void {
    this.s.setPrivateNote.run(text, scorecardId);
  }

  /** How much hiring work this installation holds: candidates, interviews and scorecards. */
  work(): number {
    return this.s.work.get() ?? 0;
  }

  /** This installation becomes another person: their record replaces the fresh "me". */
  becomeMe(oldId: string, me: { id: string; name: string; email: string; publicKey: string }, now: string): void {
    this.s.dropMe.run(oldId);
    this.s.replaceMe.run({ oldId, ...me, now });
    this.s.makeMe.run(me.id);
  }

  /** Our interviewer behind another installation's id for them, if we met them by email before. */
  aliasOf(aliasId: string): string | undefined {
    return this.s.alias.get(aliasId);
  }

  aliasesOf(interviewerId: string): string[] {
    return this.s.aliasesOf.all(interviewerId);
  }

  addAlias(aliasId: string, interviewerId: string): void {
    this.s.addAlias.run(aliasId, interviewerId);
  }

  interviewerIdByEmail(email: string): string | undefined {
    return this.s.interviewerByEmail.get(email);
  }
}
