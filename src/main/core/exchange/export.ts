import { gzipSync } from 'node:zlib';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, type Bundle, type BundleKind } from '../../../shared/bundle';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { rubricHash, travelling } from '../provenance/revisions';
import { sealPrivateKey } from '../provenance/sealed-key';
import { signedRevote } from '../provenance/revotes';

export interface ExportScope {
  kind: BundleKind;
  roleId?: string | undefined;
  candidateId?: string | undefined;
  /** Full bundles only: seal my private key with it, so that the bundle can make a new installation me. */
  passphrase?: string | undefined;
  /** Full bundles only: my private notes travel too, marked private. */
  includePrivateNotes?: boolean | undefined;
}

/** Collects records by id once each, in the order first met. */
class Collector<T extends { id: string }> {
  private readonly byId = new Map<string, T>();
  has(id: string): boolean {
    return this.byId.has(id);
  }
  add(record: T): void {
    if (!this.byId.has(record.id)) this.byId.set(record.id, record);
  }
  list(): T[] {
    return [...this.byId.values()];
  }
}

/**
 * Builds a bundle:
 * - panel kit: what a panel needs to score (the role, its loop, the rubric versions, the
 *   candidates, their interviews and panels, and the panel's public keys);
 * - scorecards: my submitted scorecards for a role or a candidate, every signed revision and its
 *   audit events, with the records they refer to (drafts and private notes never leave);
 * - full: every role, candidate, interview and submitted scorecard.
 * Tombstones of erased candidates always travel, so that no bundle brings them back.
 */
export function buildBundle(ctx: CoreContext, scope: ExportScope): Bundle {
  const x = ctx.repos.exchange;
  const candidateIds = candidatesInScope(ctx, scope);
  const interviewers = new Collector<Bundle['interviewers'][number]>();
  const roles = new Collector<Bundle['roles'][number]>();
  const versions = new Map<string, { rubricId: string; version: Bundle['rubrics'][number]['versions'][number] }>();
  const candidates = new Collector<Bundle['candidates'][number]>();
  const interviews = new Collector<Bundle['interviews'][number]>();
  const scorecards = new Collector<Bundle['scorecards'][number]>();

  const addInterviewer = (id: string) => {
    if (interviewers.has(id)) return;
    const r = x.interviewer(id);
    if (r) interviewers.add({ ...r, aliases: x.aliasesOf(id) });
  };
  const addVersion = (versionId: string) => {
    if (versions.has(versionId)) return;
    const v = ctx.repos.rubrics.version(versionId);
    if (!v || v.status !== 'published' || !v.publishedAt) throw new AppError('invalid_input', `Rubric version ${versionId} is not published, so it cannot travel.`);
    versions.set(versionId, {
      rubricId: v.rubricId,
      version: {
        id: v.id,
        version: v.version,
        scaleMax: v.scaleMax,
        scaleLabels: v.scaleLabels,
        publishedAt: v.publishedAt,
        contentHash: rubricHash(v),
        criteria: v.criteria.map((c) => ({ id: c.id, position: c.position, title: c.title, description: c.description, weight: c.weight, guidingQuestions: c.guidingQuestions, anchors: c.anchors })),
      },
    });
  };
  const addRole = (roleId: string) => {
    if (roles.has(roleId)) return;
    const role = x.role(roleId);
    const loopId = x.loopOfRole(roleId);
    if (!role || !loopId) throw new Error(`role ${roleId} has no loop`);
    const stages = x.stages(loopId);
    stages.forEach((s) => addVersion(s.rubricVersionId));
    roles.add({ ...role, loop: { id: loopId, stages: stages.map(({ loopId: _loop, ...s }) => s) } });
  };

  addInterviewer(ctx.meId);
  if (scope.kind === 'full') x.roleIds().forEach(addRole);
  for (const candidateId of candidateIds) {
    const candidate = x.candidate(candidateId);
    if (!candidate) continue;
    addRole(candidate.roleId);
    candidates.add(candidate);
    for (const interviewId of x.interviewIds(candidateId)) {
      const interview = ctx.repos.interviews.get(interviewId);
      if (!interview) continue;
      const panel = x.panel(interviewId);
      panel.forEach((seat) => addInterviewer(seat.interviewerId));
      interviews.add({ ...interview, panel });
      if (scope.kind === 'panel-kit') continue;
      for (const scorecardId of x.submittedScorecardIds(interviewId)) {
        const shell = x.scorecard(scorecardId);
        if (!shell || (scope.kind === 'scorecards' && shell.interviewerId !== ctx.meId)) continue;
        const revisions = ctx.repos.scorecardRevisions.list(scorecardId);
        if (revisions.length === 0) continue;
        addVersion(shell.rubricVersionId);
        scorecards.add({
          id: shell.id,
          interviewId: shell.interviewId,
          interviewerId: shell.interviewerId,
          rubricVersionId: shell.rubricVersionId,
          revisions: revisions.map(travelling),
          events: x.events(scorecardId),
        });
      }
    }
  }

  const rubrics = new Map<string, Bundle['rubrics'][number]>();
  for (const { rubricId, version } of versions.values()) {
    let rubric = rubrics.get(rubricId);
    if (!rubric) {
      const any = ctx.repos.rubrics.version(version.id)!;
      rubric = { id: rubricId, name: any.name, sessionKind: any.sessionKind, purpose: any.purpose, versions: [] };
      rubrics.set(rubricId, rubric);
    }
    rubric.versions.push(version);
  }
  // Signed re-votes travel like scorecards: mine in a scorecards bundle, everyone's in a full one.
  const inScope = new Set(candidateIds);
  const revotes =
    scope.kind === 'panel-kit'
      ? []
      : ctx.repos.decisions
          .signedRevotes()
          .filter((v) => inScope.has(v.candidateId) && (scope.kind === 'full' || v.interviewerId === ctx.meId));
  for (const v of revotes) addInterviewer(v.interviewerId);
  const me = x.interviewer(ctx.meId)!;
  const own = scope.kind === 'full' ? ownWork(ctx, scope.includePrivateNotes ?? false) : undefined;
  const identity =
    scope.kind === 'full' && scope.passphrase !== undefined
      ? { interviewerId: me.id, name: me.name, email: me.email, publicKey: ctx.keys.publicKey, sealedKey: sealPrivateKey(ctx.keys.privateKey, scope.passphrase) }
      : undefined;
  if (scope.kind !== 'full' && (scope.passphrase !== undefined || scope.includePrivateNotes)) {
    throw new AppError('invalid_input', 'Only a full bundle carries your key or your private notes.', 'kind');
  }
  return {
    format: BUNDLE_FORMAT,
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: scope.kind,
    createdAt: nowOf(ctx),
    createdBy: { interviewerId: me.id, name: me.name, publicKey: ctx.keys.publicKey },
    interviewers: interviewers.list(),
    rubrics: [...rubrics.values()],
    roles: roles.list(),
    candidates: candidates.list(),
    interviews: interviews.list(),
    scorecards: scorecards.list(),
    tombstones: x.tombstones(),
    keyEvents: ctx.repos.keyEvents.all().map((e) => ({ ...e, bytes: e.bytes.toString('base64'), signature: e.signature.toString('base64') })),
    // Each as its panelist signed it (their id on their installation; our record of them carries it as an alias).
    revotes: revotes.map((v) => ({ ...v, interviewerId: signedRevote(v.bytes).interviewerId, bytes: v.bytes.toString('base64'), signature: v.signature.toString('base64') })),
    ...(identity ? { identity } : {}),
    ...(own ? { ownWork: own } : {}),
  };
}

/** My drafts (never signed, never sent to anyone else) and, when asked, my private notes. */
function ownWork(ctx: CoreContext, includePrivateNotes: boolean): NonNullable<Bundle['ownWork']> {
  const x = ctx.repos.exchange;
  const drafts = x.scorecardIdsOf(ctx.meId, 'draft').flatMap((id) => {
    const sc = ctx.repos.scorecards.get(id);
    if (!sc) return [];
    return [
      {
        id: sc.id,
        interviewId: sc.interviewId,
        rubricVersionId: sc.rubricVersionId,
        recommendation: sc.recommendation,
        takeaways: sc.takeaways,
        ...(includePrivateNotes ? { privateNote: sc.privateNote } : {}),
        scores: sc.scores.map((s) => ({ criterionId: s.criterionId, value: s.value, evidence: s.evidence })),
      },
    ];
  });
  const privateNotes = includePrivateNotes
    ? x.scorecardIdsOf(ctx.meId, 'submitted').flatMap((id) => {
        const text = ctx.repos.scorecards.get(id)?.privateNote ?? '';
        return text ? [{ scorecardId: id, text }] : [];
      })
    : [];
  return { drafts, privateNotes };
}

function candidatesInScope(ctx: CoreContext, scope: ExportScope): string[] {
  if (scope.candidateId) {
    if (!ctx.repos.exchange.candidate(scope.candidateId)) throw new AppError('not_found', `No candidate with id ${scope.candidateId}.`, 'candidateId');
    return [scope.candidateId];
  }
  if (scope.roleId) {
    if (!ctx.repos.exchange.role(scope.roleId)) throw new AppError('not_found', `No role with id ${scope.roleId}.`, 'roleId');
    return ctx.repos.exchange.candidateIds(scope.roleId);
  }
  if (scope.kind !== 'full') throw new AppError('invalid_input', `A ${scope.kind} bundle is for a role or a candidate: say which.`, 'roleId');
  return ctx.repos.exchange.candidateIds(null);
}

/** The .panelist file: the bundle as JSON, gzip-compressed. */
export function bundleFile(bundle: Bundle): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(bundle), 'utf8'));
}
