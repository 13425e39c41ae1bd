import canonicalize from 'canonicalize';
import { SESSION_KIND_LABELS, type SessionKind } from '../../../shared/constants';
import type { Bundle, BundleRevision, ImportPlanSummary } from '../../../shared/bundle';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { acceptedKey, keyChain, keyEventProblem, type KeyEvent } from '../provenance/key-events';
import { fingerprint, publicKeyText, type KeyPair } from '../provenance/keys';
import { openSealedKey } from '../provenance/sealed-key';
import { revoteProblem } from '../provenance/revotes';
import { arrived, revisionKeyProblem, rubricHash, sha256, signedStatement, type RevisionStatement, type SignedRevision } from '../provenance/revisions';
import type { ConflictKind } from '../repositories/conflicts';
import type { CandidateRow, InterviewerRecord } from '../repositories/exchange';
import type { ConflictDetail, RecordKind } from './conflict-detail';
import type { CheckedBundle } from './checked-bundle';
import { refreshProjection } from '../services/calibration/projection';

export interface ImportOptions {
  /** Interviewers (by their id in the bundle) whose new key the user accepts explicitly. */
  acceptKeys?: readonly string[];
  /** A full bundle with its maker's sealed key: become that person here (a new installation only). */
  adoptIdentity?: { passphrase: string } | undefined;
}

type Counts = Record<string, number>;

function refuse(message: string, path?: string): AppError {
  return new AppError('invalid_input', message, path);
}

/** Why an import must wait: keys that changed for interviewers whose scorecards are in the bundle, named one line. */
export function keyRefusal(questions: ImportPlanSummary['keyQuestions']): AppError | null {
  const [first, ...others] = questions;
  if (!first) return null;
  const more = others.length ? ` The keys of ${others.map((q) => q.name).join(', ')} changed too.` : '';
  return refuse(
    `${first.name}'s key in this bundle (${first.offered}) is not the one pinned here (${first.pinned}). Their scorecards in it cannot be trusted: if you know the key changed, accept it explicitly (--accept-key ${first.interviewerId}).${more}`,
    'acceptKeys',
  );
}

/** The same fields with the same values, whatever order the keys came in. */
function sameContent(a: object, b: object): boolean {
  return canonicalize(a) === canonicalize(b);
}

/**
 * Plans an import against this database and, when asked, applies it. The plan checks everything
 * first (references, rubric contents, keys, every signature and chain) and refuses the whole bundle
 * with one reason if anything is wrong; only then do the writes run, in the caller's transaction.
 * The merge rules, the same whatever order bundles arrive in:
 * - a scorecard's signed revisions form a chain by parent hash; a chain that extends ours wins; two
 *   different revisions with the same parent are a fork, recorded as a conflict (nothing replaced);
 * - other records: a higher revision wins; the same revision with other content is a conflict;
 * - a submitted scorecard is never replaced by a draft; published rubric versions never change;
 * - an erased candidate stays erased: tombstones travel, and records of that candidate are skipped.
 */
export class Importer {
  private readonly writes: (() => void)[] = [];
  private readonly added: Counts = {};
  private readonly updated: Counts = {};
  private unchanged = 0;
  private readonly conflicts: ImportPlanSummary['conflicts'] = [];
  private readonly newKeys: ImportPlanSummary['newKeys'] = [];
  private readonly forMe: ImportPlanSummary['forMe'] = [];
  private readonly keyQuestions: ImportPlanSummary['keyQuestions'] = [];
  /** Bundle interviewer id → our interviewer id. */
  private readonly interviewerIds = new Map<string, string>();
  /** The key each author's revisions must verify against, by our interviewer id (pinned here, or newly pinned). */
  private readonly trustedKeys = new Map<string, string>();
  /** Every rotation and revocation known here and in the bundle. */
  private keyEvents: KeyEvent[] = [];
  private readonly erased = new Set<string>();
  private erasures = 0;
  private readonly now: string;
  /** Who "me" is for this import: this installation's interviewer, or the one it is becoming. */
  private meId: string;
  private identity: ImportPlanSummary['identity'] = null;
  private adopted: KeyPair | null = null;
  /** The bundle's records by id (a bundle can hold hundreds of thousands). */
  private readonly index: {
    candidates: Map<string, Bundle['candidates'][number]>;
    interviews: Map<string, Bundle['interviews'][number]>;
    roles: Set<string>;
    stages: Map<string, Bundle['roles'][number]['loop']['stages'][number]>;
    versions: Map<string, Bundle['rubrics'][number]['versions'][number]>;
    authors: Set<string>;
  };

  private readonly bundle: Bundle;
  /** Why each revision cannot be trusted on its own terms, checked before (off the main thread). */
  private readonly revisionProblems: (string | null)[][];

  constructor(
    private readonly ctx: CoreContext,
    checked: CheckedBundle,
    private readonly options: ImportOptions = {},
  ) {
    const bundle = checked.bundle;
    this.bundle = bundle;
    this.revisionProblems = checked.revisionProblems;
    this.now = nowOf(ctx);
    this.meId = ctx.meId;
    this.index = {
      candidates: new Map(bundle.candidates.map((c) => [c.id, c])),
      interviews: new Map(bundle.interviews.map((i) => [i.id, i])),
      roles: new Set(bundle.roles.map((r) => r.id)),
      stages: new Map(bundle.roles.flatMap((r) => r.loop.stages.map((st) => [st.id, st] as const))),
      versions: new Map(bundle.rubrics.flatMap((r) => r.versions.map((v) => [v.id, v] as const))),
      authors: new Set(bundle.scorecards.flatMap((sc) => sc.revisions.map((r) => r.authorId))),
    };
  }

  /** Checks the whole bundle and queues its writes; throws with the reason if it must be refused. */
  plan(): ImportPlanSummary {
    this.planKeyEvents();
    this.planIdentity();
    this.planTombstones();
    this.planInterviewers();
    this.planRubrics();
    this.planRoles();
    const candidates = this.planCandidates();
    this.planInterviews(candidates);
    this.planScorecards();
    this.planRevotes();
    this.planOwnWork();
    const creator = this.bundle.createdBy;
    return {
      kind: this.bundle.kind,
      createdBy: { name: creator.name, fingerprint: fingerprint(creator.publicKey) },
      added: this.added,
      updated: this.updated,
      unchanged: this.unchanged,
      conflicts: this.conflicts,
      newKeys: this.newKeys,
      forMe: this.forMe,
      keyQuestions: this.keyQuestions,
      identity: this.identity,
    };
  }

  /** The key pair of the person this installation became, when it adopted a full bundle's identity. */
  adoptedKeys(): KeyPair | null {
    return this.adopted;
  }

  /** Runs the queued writes (inside the caller's transaction) and brings derived data up to date. */
  apply(): { erasures: number } {
    for (const write of this.writes) write();
    refreshProjection(this.ctx);
    return { erasures: this.erasures };
  }

  private count(into: Counts, kind: string): void {
    into[kind] = (into[kind] ?? 0) + 1;
  }

  /** Recorded for the user to resolve (`resolution`: settled already, kept as a record of what happened). */
  private conflict(kind: ConflictKind, recordId: string, message: string, detail: ConflictDetail, resolution?: string): void {
    this.conflicts.push({ kind, recordId, message });
    const text = JSON.stringify(detail);
    this.writes.push(() =>
      this.ctx.repos.conflicts.record({ id: this.ctx.newId(), kind, recordId, message, detail: text, detailHash: sha256(text), now: this.now, ...(resolution ? { resolution } : {}) }),
    );
  }

  /** Higher revision wins; the same revision must say the same; returns what to do with the record. */
  private compare<T extends { id: string; revision: number }>(kind: RecordKind, id: string, incoming: T, local: T | undefined, strip: (r: T) => object, label: string): 'add' | 'update' | 'keep' {
    if (!local) {
      this.count(this.added, kind);
      return 'add';
    }
    if (incoming.revision > local.revision) {
      this.count(this.updated, kind);
      return 'update';
    }
    if (incoming.revision === local.revision && !sameContent(strip(incoming), strip(local))) {
      this.conflict('record', id, `${label} was changed on two machines at revision ${local.revision}; this one's version is kept.`, { recordKind: kind, incoming });
      return 'keep';
    }
    this.unchanged++;
    return 'keep';
  }

  /**
   * A full bundle made with a passphrase carries its maker's identity. Imported into a new
   * installation with that passphrase (the user's confirmation), the installation becomes that
   * person: their record is "me", and their key is this installation's key.
   */
  private planIdentity(): void {
    const identity = this.bundle.identity;
    if (!identity) return;
    const adopt = this.options.adoptIdentity;
    this.identity = { name: identity.name, fingerprint: fingerprint(identity.publicKey), adopted: !!adopt };
    if (!adopt || identity.interviewerId === this.ctx.meId) return;
    const x = this.ctx.repos.exchange;
    if (x.work() > 0) {
      throw refuse(`This installation already has work of its own: import the full bundle into a new installation to become ${identity.name} there.`);
    }
    const privateKey = openSealedKey(identity.sealedKey, adopt.passphrase);
    if (publicKeyText(privateKey) !== identity.publicKey) throw refuse("The key in the bundle does not match its maker's public key: the bundle was changed.");
    this.adopted = { privateKey, publicKey: identity.publicKey };
    const previous = this.ctx.meId;
    this.meId = identity.interviewerId;
    this.trustedKeys.set(identity.interviewerId, identity.publicKey);
    this.writes.unshift(() => x.becomeMe(previous, { id: identity.interviewerId, name: identity.name, email: identity.email, publicKey: identity.publicKey }, this.now));
  }

  /** My drafts and private notes come home only in a full bundle made by me (this key, or the one adopted). */
  private planOwnWork(): void {
    const own = this.bundle.ownWork;
    const myKey = this.adopted?.publicKey ?? this.ctx.keys.publicKey;
    if (!own || this.bundle.createdBy.publicKey !== myKey) return;
    const repos = this.ctx.repos;
    for (const draft of own.drafts) {
      if (repos.exchange.scorecard(draft.id)) continue;
      this.count(this.added, 'drafts');
      this.writes.push(() => {
        if (repos.scorecards.findFor(draft.interviewId, this.meId)) return;
        repos.scorecards.insert({ id: draft.id, interviewId: draft.interviewId, interviewerId: this.meId, rubricVersionId: draft.rubricVersionId, status: 'draft', recommendation: draft.recommendation, takeaways: draft.takeaways, submittedAt: null, now: this.now });
        for (const score of draft.scores) repos.scorecards.insertScore({ scorecardId: draft.id, ...score, now: this.now });
        if (draft.privateNote) repos.exchange.setPrivateNote(draft.id, draft.privateNote);
      });
    }
    for (const note of own.privateNotes) this.writes.push(() => repos.exchange.setPrivateNote(note.scorecardId, note.text));
  }

  /** Key changes travel with every bundle; each is verified, and kept once. */
  private planKeyEvents(): void {
    const repos = this.ctx.repos;
    const known = new Set(repos.keyEvents.all().map((e) => e.hash));
    this.keyEvents = repos.keyEvents.all();
    for (const [index, raw] of this.bundle.keyEvents.entries()) {
      if (known.has(raw.hash)) continue;
      const event: KeyEvent = { ...raw, bytes: Buffer.from(raw.bytes, 'base64'), signature: Buffer.from(raw.signature, 'base64') };
      const problem = keyEventProblem(event);
      if (problem) throw refuse(`A key change for interviewer ${raw.interviewerId} is refused: ${problem}.`, `keyEvents.${index}`);
      known.add(raw.hash);
      this.keyEvents.push(event);
      this.count(this.added, 'key changes');
      this.writes.push(() => repos.keyEvents.record(event));
    }
  }

  /** The keys an author (pinned here with `pinned`) may sign with, through rotations and revocations. */
  private chainFrom(pinned: string) {
    let chain = this.chains.get(pinned);
    if (!chain) {
      const signers = new Set(this.bundle.interviewers.flatMap((i) => (i.publicKey ? [i.publicKey] : [])));
      chain = keyChain(pinned, this.keyEvents, (key) => this.ctx.repos.keyEvents.isPinned(key) || key === this.ctx.keys.publicKey || signers.has(key));
      this.chains.set(pinned, chain);
    }
    return chain;
  }

  /** Key chains by pinned key, for the thousands of revisions of a big bundle; forgotten when a key event is added. */
  private readonly chains = new Map<string, ReturnType<typeof keyChain>>();

  /** The key a revision must verify against: its own, when its author (our id) could sign with it then; else the pinned one (which fails). */
  private authorKey(author: string, revisionKey: string, signedAt: string): string | undefined {
    const pinned = this.trustedKeys.get(author) ?? this.ctx.repos.interviewers.publicKey(author) ?? undefined;
    if (!pinned) return undefined;
    const keys = this.chainFrom(pinned).keys;
    if (!keys.has(revisionKey)) return pinned;
    const until = keys.get(revisionKey);
    return until === null || until === undefined || signedAt <= until ? revisionKey : pinned;
  }

  private planTombstones(): void {
    const x = this.ctx.repos.exchange;
    for (const t of x.tombstones()) this.erased.add(t.candidateId);
    for (const t of this.bundle.tombstones) {
      if (this.erased.has(t.candidateId)) {
        this.unchanged++;
        continue;
      }
      this.erased.add(t.candidateId);
      this.count(this.added, 'erasures');
      this.writes.push(() => {
        this.ctx.repos.erasures.record(t);
        if (x.candidate(t.candidateId)) {
          this.ctx.repos.candidates.delete(t.candidateId);
          this.erasures++;
        }
      });
    }
  }

  /** Our id for a bundle interviewer id (ids differ between installations for the same person). */
  private localInterviewer(bundleId: string): string {
    return this.interviewerIds.get(bundleId) ?? this.ctx.repos.exchange.aliasOf(bundleId) ?? bundleId;
  }

  private planInterviewers(): void {
    const x = this.ctx.repos.exchange;
    const accepted = new Set(this.options.acceptKeys ?? []);
    /** Our id for each email met so far in this bundle. */
    const plannedByEmail = new Map<string, string>();
    for (const incoming of this.bundle.interviewers) {
      const ids = [incoming.id, ...incoming.aliases];
      let localId = ids.map((i) => x.aliasOf(i) ?? (x.interviewer(i) ? i : undefined)).find((i) => i !== undefined);
      // The same person under another installation's id: met by email, remembered as an alias.
      if (!localId && incoming.email) localId = x.interviewerIdByEmail(incoming.email);
      // Or met earlier in this bundle (a hub holds every installation's record of a person).
      const email = incoming.email.toLowerCase();
      const planned = !localId && email ? plannedByEmail.get(email) : undefined;
      const id = localId ?? planned ?? incoming.id;
      if (email && !plannedByEmail.has(email)) plannedByEmail.set(email, id);
      const aliases = ids.filter((other) => other !== id && x.aliasOf(other) !== id);
      for (const other of ids) this.interviewerIds.set(other, id);
      const local = localId ? x.interviewer(localId) : undefined;
      this.planKey(incoming, id, local, accepted.has(incoming.id) || accepted.has(id), planned !== undefined);
      const { aliases: _aliases, ...fields } = incoming;
      const record: InterviewerRecord = { ...fields, id, publicKey: local?.publicKey ?? incoming.publicKey };
      // My own record is this installation's to change, and another installation's record of a
      // person we already know under our id never overwrites ours.
      if (id === this.meId || (local && local.id !== incoming.id) || planned !== undefined) {
        this.unchanged++;
      } else {
        const action = this.compare('interviewers', id, record, local, ({ publicKey: _k, ...rest }) => rest, `The interviewer ${incoming.name}`);
        if (action !== 'keep') this.writes.push(() => x.putInterviewer(record, action === 'update'));
      }
      // After the interviewer exists here: an alias points at them.
      for (const other of aliases) this.writes.push(() => x.addAlias(other, id));
    }
  }

  /** Keys are pinned on first sight; a different key for a pinned interviewer needs the user's explicit yes. */
  private planKey(incoming: Bundle['interviewers'][number], id: string, local: InterviewerRecord | undefined, accepted: boolean, plannedHere = false): void {
    const pinned = (plannedHere ? this.trustedKeys.get(id) : local?.publicKey) ?? null;
    const offered = incoming.publicKey;
    if (pinned) this.trustedKeys.set(id, pinned);
    if (!offered || offered === pinned) return;
    if (!pinned) {
      this.trustedKeys.set(id, offered);
      this.newKeys.push({ interviewerId: id, name: incoming.name, fingerprint: fingerprint(offered) });
      if (local || plannedHere) this.writes.push(() => this.ctx.repos.interviewers.setPublicKey(id, offered));
      return;
    }
    const chain = this.chainFrom(pinned);
    if (chain.keys.has(offered)) {
      // A rotation signed by the old key, or a revocation by a colleague: the new key follows on.
      if (chain.current !== pinned) this.writes.push(() => this.ctx.repos.interviewers.setPublicKey(id, chain.current));
      return;
    }
    const message = `${incoming.name}'s key in this bundle (${fingerprint(offered)}) is not the one pinned here (${fingerprint(pinned)}).`;
    if (accepted) {
      const revocation = acceptedKey(
        { interviewerId: id, oldKey: pinned, newKey: offered, reason: `Accepted on import by ${this.ctx.repos.interviewers.get(this.meId)?.name ?? 'this installation'}`, at: this.now },
        this.ctx.keys,
      );
      this.keyEvents.push(revocation);
      this.chains.clear();
      this.trustedKeys.set(id, offered);
      this.conflict('key', id, `${message} Accepted by the user.`, { offered, pinned, acceptedBy: this.meId }, 'take-theirs');
      this.writes.push(() => {
        this.ctx.repos.keyEvents.record(revocation);
        this.ctx.repos.interviewers.setPublicKey(id, offered);
      });
      return;
    }
    this.trustedKeys.delete(id);
    if ([...this.index.authors].some((author) => this.localInterviewer(author) === id)) {
      // Their scorecards in the bundle cannot be trusted until the user says the key changed: the
      // preview asks, and the import is refused until then (`keyRefusal`).
      this.keyQuestions.push({ interviewerId: id, name: incoming.name, offered: fingerprint(offered), pinned: fingerprint(pinned) });
      return;
    }
    this.conflict('key', id, message, { offered, pinned });
  }

  private planRubrics(): void {
    const repos = this.ctx.repos;
    for (const [r, rubric] of this.bundle.rubrics.entries()) {
      const rubricKnown = repos.exchange.rubricExists(rubric.id);
      for (const [v, version] of rubric.versions.entries()) {
        const path = `rubrics.${r}.versions.${v}`;
        const view = { id: version.id, scaleMax: version.scaleMax, scaleLabels: version.scaleLabels, criteria: version.criteria } as Parameters<typeof rubricHash>[0];
        if (rubricHash(view) !== version.contentHash) throw refuse(`Rubric version ${version.id} (${rubric.name} v${version.version}) does not match its own content hash: the bundle was changed.`, path);
        const local = repos.rubrics.version(version.id);
        if (local) {
          if (local.status !== 'published' || rubricHash(local) !== version.contentHash) {
            throw refuse(`Rubric version ${version.id} (${rubric.name} v${version.version}) has other content here: a published rubric never changes, so this bundle cannot be merged.`, path);
          }
          this.unchanged++;
          continue;
        }
        this.count(this.added, 'rubric versions');
        this.writes.push(() => {
          if (!rubricKnown && !repos.exchange.rubricExists(rubric.id)) {
            repos.rubrics.insertRubric({ id: rubric.id, name: rubric.name, sessionKind: rubric.sessionKind, purpose: rubric.purpose, isDemo: false, now: this.now });
          }
          repos.rubrics.insertVersion({ id: version.id, rubricId: rubric.id, version: version.version, scaleMax: version.scaleMax, scaleLabels: version.scaleLabels, publishedAt: null, now: this.now });
          for (const c of version.criteria) repos.rubrics.insertCriterion({ ...c, rubricVersionId: version.id });
          repos.rubrics.publishVersion(version.id, version.publishedAt);
        });
      }
    }
  }

  private rubricVersionKnown(id: string): boolean {
    return this.index.versions.has(id) || this.ctx.repos.exchange.rubricVersionStatus(id) === 'published';
  }

  private planRoles(): void {
    const x = this.ctx.repos.exchange;
    for (const [index, role] of this.bundle.roles.entries()) {
      const { loop, ...fields } = role;
      for (const [s, stage] of loop.stages.entries()) {
        if (!this.rubricVersionKnown(stage.rubricVersionId)) {
          throw refuse(`Stage "${stage.title}" of ${role.title} uses rubric version ${stage.rubricVersionId}, which neither the bundle nor this database has.`, `roles.${index}.loop.stages.${s}.rubricVersionId`);
        }
      }
      const local = x.role(role.id);
      const action = this.compare('roles', role.id, fields, local, (r) => r, `The role ${role.title}`);
      if (action !== 'keep') this.writes.push(() => x.putRole(fields, action === 'update'));
      const localLoop = local ? x.loopOfRole(role.id) : undefined;
      const loopId = localLoop ?? loop.id;
      const missing = loop.stages.filter((stage) => !x.stage(stage.id));
      if (!localLoop || missing.length) {
        this.writes.push(() => {
          if (!x.loopOfRole(role.id)) x.insertLoop(loopId, role.id, `${role.title} loop`, this.now);
          for (const stage of missing) x.insertStage({ ...stage, loopId }, this.now);
        });
      }
    }
  }

  private roleKnown(id: string): boolean {
    return this.index.roles.has(id) || !!this.ctx.repos.exchange.role(id);
  }

  private planCandidates(): Set<string> {
    const x = this.ctx.repos.exchange;
    const present = new Set<string>();
    for (const [index, candidate] of this.bundle.candidates.entries()) {
      if (this.erased.has(candidate.id)) continue;
      if (!this.roleKnown(candidate.roleId)) throw refuse(`Candidate ${candidate.name} is for role ${candidate.roleId}, which neither the bundle nor this database has.`, `candidates.${index}.roleId`);
      present.add(candidate.id);
      const local = x.candidate(candidate.id);
      const action = this.compare('candidates', candidate.id, candidate as CandidateRow, local, (r) => r, `The candidate ${candidate.name}`);
      if (action !== 'keep') this.writes.push(() => x.putCandidate(candidate, action === 'update'));
    }
    return present;
  }

  private stageKnown(id: string): boolean {
    return this.index.stages.has(id) || !!this.ctx.repos.exchange.stage(id);
  }

  private interviewerKnown(bundleId: string): boolean {
    return this.interviewerIds.has(bundleId) || !!this.ctx.repos.exchange.interviewer(this.localInterviewer(bundleId));
  }

  private planInterviews(candidates: Set<string>): void {
    const x = this.ctx.repos.exchange;
    for (const [index, interview] of this.bundle.interviews.entries()) {
      if (this.erased.has(interview.candidateId)) continue;
      const path = `interviews.${index}`;
      if (!candidates.has(interview.candidateId) && !x.candidate(interview.candidateId)) {
        throw refuse(`Interview ${interview.id} is for candidate ${interview.candidateId}, whom neither the bundle nor this database has.`, `${path}.candidateId`);
      }
      if (!this.stageKnown(interview.stageId)) throw refuse(`Interview ${interview.id} is for stage ${interview.stageId}, which neither the bundle nor this database has.`, `${path}.stageId`);
      interview.panel.forEach((seat, s) => {
        if (!this.interviewerKnown(seat.interviewerId)) throw refuse(`Interview ${interview.id} has panelist ${seat.interviewerId}, whom neither the bundle nor this database has.`, `${path}.panel.${s}.interviewerId`);
      });
      const { panel, ...fields } = interview;
      const local = this.ctx.repos.interviews.get(interview.id);
      const who = this.index.candidates.get(interview.candidateId)?.name ?? x.candidate(interview.candidateId)?.name ?? 'a candidate';
      const action = this.compare('interviews', interview.id, fields, local, (r) => r, `The interview of ${who} on ${interview.scheduledAt.slice(0, 10)}`);
      const seats = panel.map((seat) => ({ ...seat, interviewerId: this.localInterviewer(seat.interviewerId) }));
      if (action !== 'keep' || !local) {
        this.writes.push(() => {
          x.putInterview(fields, action === 'update');
          for (const seat of seats) x.putSeat(interview.id, seat, this.now);
        });
      }
      if (seats.some((s) => s.interviewerId === this.meId && !s.withdrawnAt) && !interview.cancelledAt) {
        const candidate = this.index.candidates.get(interview.candidateId) ?? x.candidate(interview.candidateId);
        const stage = this.index.stages.get(interview.stageId) ?? x.stage(interview.stageId);
        const session = stage ? (SESSION_KIND_LABELS[stage.sessionKind as SessionKind] ?? stage.title) : 'the';
        this.forMe.push({ interviewId: interview.id, session, candidateName: candidate?.name ?? 'a candidate', scheduledAt: interview.scheduledAt });
      }
    }
  }

  private planScorecards(): void {
    for (const [index, scorecard] of this.bundle.scorecards.entries()) {
      const path = `scorecards.${index}`;
      const problems = this.revisionProblems[index] ?? [];
      const interview = this.index.interviews.get(scorecard.interviewId) ?? this.ctx.repos.interviews.get(scorecard.interviewId);
      if (!interview) throw refuse(`Scorecard ${scorecard.id} is for interview ${scorecard.interviewId}, which neither the bundle nor this database has.`, `${path}.interviewId`);
      if (this.erased.has(interview.candidateId)) continue;
      if (this.keyQuestions.some((q) => q.interviewerId === this.localInterviewer(scorecard.interviewerId))) continue;
      if (!this.interviewerKnown(scorecard.interviewerId)) throw refuse(`Scorecard ${scorecard.id} is by ${scorecard.interviewerId}, whom neither the bundle nor this database has.`, `${path}.interviewerId`);
      const contentHash = this.index.versions.get(scorecard.rubricVersionId)?.contentHash ?? this.localRubricHash(scorecard.rubricVersionId);
      if (!contentHash) throw refuse(`Scorecard ${scorecard.id} uses rubric version ${scorecard.rubricVersionId}, which neither the bundle nor this database has.`, `${path}.rubricVersionId`);
      const chain = this.verifiedChain(scorecard, problems, interview.candidateId, contentHash, path);
      this.mergeChain(scorecard, chain);
    }
  }

  /** Signed second-round votes: each verified against its panelist's key, kept once (by id). */
  private planRevotes(): void {
    const repos = this.ctx.repos;
    for (const [index, raw] of this.bundle.revotes.entries()) {
      const path = `revotes.${index}`;
      if (this.erased.has(raw.candidateId)) continue;
      if (repos.decisions.revoteExists(raw.id)) {
        this.unchanged++;
        continue;
      }
      if (!this.index.candidates.has(raw.candidateId) && !repos.exchange.candidate(raw.candidateId)) {
        throw refuse(`Re-vote ${raw.id} is about candidate ${raw.candidateId}, whom neither the bundle nor this database has.`, `${path}.candidateId`);
      }
      if (!this.interviewerKnown(raw.interviewerId)) throw refuse(`Re-vote ${raw.id} is by ${raw.interviewerId}, whom neither the bundle nor this database has.`, `${path}.interviewerId`);
      const author = this.localInterviewer(raw.interviewerId);
      if (this.keyQuestions.some((q) => q.interviewerId === author)) continue;
      const key = this.authorKey(author, raw.publicKey, raw.at);
      if (!key) throw refuse(`Re-vote ${raw.id} is by a panelist whose key is neither known here nor in the bundle: refused.`, path);
      const signed = { ...raw, bytes: Buffer.from(raw.bytes, 'base64'), signature: Buffer.from(raw.signature, 'base64') };
      const problem = revoteProblem(signed, key);
      if (problem) throw refuse(`Re-vote ${raw.id} is refused: ${problem}.`, path);
      this.count(this.added, 're-votes');
      this.writes.push(() => repos.decisions.insertRevote({ ...signed, interviewerId: author, recordedBy: author }));
    }
  }

  private readonly localRubricHashes = new Map<string, string | undefined>();

  private localRubricHash(versionId: string): string | undefined {
    if (!this.localRubricHashes.has(versionId)) {
      const local = this.ctx.repos.rubrics.version(versionId);
      this.localRubricHashes.set(versionId, local ? rubricHash(local) : undefined);
    }
    return this.localRubricHashes.get(versionId);
  }

  /** Every revision verified against its author's trusted key, and the chain unbroken; else the bundle is refused. */
  private verifiedChain(scorecard: Bundle['scorecards'][number], problems: (string | null)[], candidateId: string, contentHash: string, path: string): { signed: SignedRevision; statement: RevisionStatement }[] {
    const sorted = [...scorecard.revisions].sort((a, b) => a.revision - b.revision);
    let parent: string | null = null;
    return sorted.map((r: BundleRevision, i) => {
      const at = scorecard.revisions.indexOf(r);
      const where = `${path}.revisions.${at}`;
      const author = this.localInterviewer(r.authorId);
      if (author !== this.localInterviewer(scorecard.interviewerId)) throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} claims another author than the scorecard's.`, where);
      const key = this.authorKey(author, r.publicKey, r.signedAt);
      if (!key) throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} is by an author whose key is neither known here nor in the bundle: refused.`, where);
      const signed = arrived(scorecard.id, r);
      const integrity = problems[at];
      if (integrity === undefined) throw new Error(`Scorecard ${scorecard.id} revision ${r.revision} was never checked`);
      const problem = revisionKeyProblem(signed, key) ?? integrity;
      if (problem) throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} is refused: ${problem}.`, where);
      const statement = signedStatement(signed.bytes);
      if (statement.interviewId !== scorecard.interviewId || statement.candidateId !== candidateId || statement.rubricVersionId !== scorecard.rubricVersionId) {
        throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} was signed for another interview, candidate or rubric than it claims.`, where);
      }
      if (statement.rubricHash !== contentHash) throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} was scored on a rubric version with other content.`, where);
      if (i > 0 && r.parentHash !== parent) throw refuse(`Scorecard ${scorecard.id} revision ${r.revision} does not follow the revision before it (its chain is broken).`, where);
      parent = r.hash;
      return { signed, statement };
    });
  }

  private mergeChain(scorecard: Bundle['scorecards'][number], chain: { signed: SignedRevision; statement: RevisionStatement }[]): void {
    const repos = this.ctx.repos;
    const ours = repos.scorecardRevisions.list(scorecard.id);
    const shell = repos.exchange.scorecard(scorecard.id);
    const ourHashes = new Set(ours.map((r) => r.hash));
    const theirs = chain.map((c) => c.signed.hash);
    if (theirs.every((h) => ourHashes.has(h))) {
      this.unchanged++;
      return;
    }
    if (shell?.status === 'draft') {
      // A draft here, a submitted scorecard there: the submitted one is the record; my own draft
      // stays a conflict for me to look at rather than vanishing.
      if (shell.interviewerId === this.meId) {
        this.conflict('draft-superseded', scorecard.id, 'Your draft here and a submitted version of the same scorecard from another machine: both are kept, the draft here.', { revisions: scorecard.revisions });
        return;
      }
    }
    const seatHolder = repos.scorecards.findFor(scorecard.interviewId, this.localInterviewer(scorecard.interviewerId));
    if (!shell && seatHolder) {
      this.conflict('scorecard-fork', scorecard.id, `There are two scorecards by the same interviewer for one interview (${seatHolder} here, ${scorecard.id} in the bundle): the one here is kept until you choose.`, {
        ours: seatHolder,
        theirs: scorecard.revisions,
      });
      return;
    }
    const ourHead = ours.at(-1)?.hash ?? null;
    const firstNew = chain.findIndex((c) => !ourHashes.has(c.signed.hash));
    const extendsOurs = ours.length === 0 ? chain[0]!.signed.parentHash === null : chain[firstNew]!.signed.parentHash === ourHead;
    if (!extendsOurs) {
      this.conflict('scorecard-fork', scorecard.id, `Scorecard ${scorecard.id} has two different revisions after the same one (edited on two machines): the one here is kept until you choose.`, {
        theirs: scorecard.revisions.filter((r) => !ourHashes.has(r.hash)),
      });
      return;
    }
    const head = chain.at(-1)!.statement;
    const exists = !!shell;
    this.count(exists ? this.updated : this.added, 'scorecards');
    const firstSigned = (ours[0]?.signedAt ?? chain[0]!.signed.signedAt);
    this.writes.push(() => {
      repos.exchange.putScorecard(
        {
          id: scorecard.id,
          interviewId: scorecard.interviewId,
          interviewerId: this.localInterviewer(scorecard.interviewerId),
          rubricVersionId: scorecard.rubricVersionId,
          recommendation: head.recommendation,
          takeaways: head.takeaways,
          submittedAt: firstSigned,
          revision: head.revision,
          now: head.signedAt,
          scores: head.scores,
        },
        exists,
      );
      for (const c of chain.slice(firstNew)) repos.scorecardRevisions.insert(c.signed);
      for (const e of scorecard.events) repos.exchange.insertEvent(scorecard.id, { ...e, actorId: this.localInterviewer(e.actorId) });
    });
  }
}
