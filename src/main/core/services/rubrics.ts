import type { ParsedInputOf } from '../../../shared/contract';
import type { CriterionDraft, RubricSummary, RubricVersionView } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';
import { SCALE_LABELS_1_TO_4 } from '../seed/default-rubrics';

const SCALE_LABELS: Record<number, readonly string[]> = {
  4: SCALE_LABELS_1_TO_4,
  5: ['Clear concern', 'Some concern', 'Mixed', 'Solid', 'Exceptional'],
  6: ['Strong concern', 'Clear concern', 'Some concern', 'Solid', 'Strong', 'Exceptional'],
  7: ['Strong concern', 'Clear concern', 'Some concern', 'Mixed', 'Solid', 'Strong', 'Exceptional'],
};

/** Suggested level names for a scale of 4 to 7 levels; the editor can rename them. */
export function defaultScaleLabels(scaleMax: number): string[] {
  return [...(SCALE_LABELS[scaleMax] ?? SCALE_LABELS_1_TO_4)];
}

export function listRubrics(ctx: CoreContext): RubricSummary[] {
  return ctx.repos.rubrics.summaries();
}

export function rubricVersion(ctx: CoreContext, versionId: string): RubricVersionView {
  const version = ctx.repos.rubrics.version(versionId);
  if (!version) throw new AppError('not_found', `No rubric version with id ${versionId}.`, 'versionId');
  return version;
}

function insertCriteria(ctx: CoreContext, versionId: string, criteria: readonly Omit<CriterionDraft, 'id'>[], keepIds: readonly (string | undefined)[] = []): void {
  ctx.repos.rubrics.insertCriteria(
    versionId,
    criteria.map((c, index) => ({
      id: keepIds[index] ?? ctx.newId(),
      title: c.title,
      description: c.description,
      weight: c.weight,
      guidingQuestions: c.guidingQuestions,
      anchors: c.anchors,
    })),
  );
}

export function createRubric(ctx: CoreContext, input: ParsedInputOf<'rubrics:create'>): RubricVersionView {
  return ctx.db.transaction(() => {
    const now = nowOf(ctx);
    const rubricId = ctx.newId();
    const versionId = ctx.newId();
    ctx.repos.rubrics.insertRubric({ id: rubricId, name: input.name, sessionKind: input.sessionKind, purpose: input.purpose, isDemo: false, now });
    ctx.repos.rubrics.insertVersion({ id: versionId, rubricId, version: 1, scaleMax: input.scaleMax, scaleLabels: defaultScaleLabels(input.scaleMax), publishedAt: null, now });
    insertCriteria(ctx, versionId, [
      { title: 'New criterion', description: '', weight: 1, guidingQuestions: [], anchors: Array.from({ length: input.scaleMax }, () => '') },
    ]);
    return rubricVersion(ctx, versionId);
  }).immediate();
}

/** A new rubric whose draft version 1 starts as a copy of the given version. */
export function copyRubric(ctx: CoreContext, input: ParsedInputOf<'rubrics:copy'>): RubricVersionView {
  return ctx.db.transaction(() => {
    const source = rubricVersion(ctx, input.versionId);
    const now = nowOf(ctx);
    const rubricId = ctx.newId();
    const versionId = ctx.newId();
    ctx.repos.rubrics.insertRubric({ id: rubricId, name: input.name, sessionKind: source.sessionKind, purpose: source.purpose, isDemo: false, now });
    ctx.repos.rubrics.insertVersion({ id: versionId, rubricId, version: 1, scaleMax: source.scaleMax, scaleLabels: source.scaleLabels, publishedAt: null, now });
    insertCriteria(ctx, versionId, source.criteria);
    return rubricVersion(ctx, versionId);
  }).immediate();
}

/** The next version of a rubric, as a draft copied from its latest version; one draft at a time. */
export function newRubricVersion(ctx: CoreContext, rubricId: string): RubricVersionView {
  return ctx.db.transaction(() => {
    const latest = ctx.repos.rubrics.latestVersion(rubricId);
    if (!latest) throw new AppError('not_found', `No rubric with id ${rubricId}.`, 'rubricId');
    if (latest.status === 'draft') throw new AppError('conflict', `Version ${latest.version} is still a draft: edit or publish it first.`);
    const source = rubricVersion(ctx, latest.id);
    const versionId = ctx.newId();
    ctx.repos.rubrics.insertVersion({ id: versionId, rubricId, version: latest.version + 1, scaleMax: source.scaleMax, scaleLabels: source.scaleLabels, publishedAt: null, now: nowOf(ctx) });
    insertCriteria(ctx, versionId, source.criteria);
    return rubricVersion(ctx, versionId);
  }).immediate();
}

function draftHead(ctx: CoreContext, versionId: string) {
  const head = ctx.repos.rubrics.versionHead(versionId);
  if (!head) throw new AppError('not_found', `No rubric version with id ${versionId}.`, 'versionId');
  if (head.status === 'published') {
    throw new AppError('read_only', `Version ${head.version} is published and frozen; start a new version to change it.`);
  }
  return head;
}

/** Writes the editor's whole draft: scale, labels and criteria in their new order. */
export function saveRubricDraft(ctx: CoreContext, input: ParsedInputOf<'rubrics:save-draft'>): RubricVersionView {
  return ctx.db.transaction(() => {
    const head = draftHead(ctx, input.versionId);
    if (head.revision !== input.expectedRevision) {
      throw new AppError('stale_revision', `This draft changed elsewhere (revision ${head.revision}, you had ${input.expectedRevision}); reload it.`, 'expectedRevision');
    }
    const own = new Set(ctx.repos.rubrics.criteria(input.versionId).map((c) => c.id));
    const keepIds = input.criteria.map((c) => (c.id && own.has(c.id) ? c.id : undefined));
    if (new Set(keepIds.filter(Boolean)).size !== keepIds.filter(Boolean).length) {
      throw new AppError('invalid_input', 'criteria: the same criterion appears twice.', 'criteria');
    }
    ctx.repos.rubrics.updateDraft(input.versionId, input.scaleMax, input.scaleLabels, nowOf(ctx));
    ctx.repos.rubrics.deleteCriteria(input.versionId);
    insertCriteria(ctx, input.versionId, input.criteria, keepIds);
    return rubricVersion(ctx, input.versionId);
  }).immediate();
}

/** What stops a draft from being published, one line per problem; empty when it is ready. */
export function publishProblems(version: RubricVersionView): string[] {
  const problems: string[] = [];
  if (version.criteria.length === 0) problems.push('add at least one criterion');
  const labels = version.scaleLabels;
  for (let level = 1; level <= version.scaleMax; level++) {
    if (!labels[level - 1]?.trim()) problems.push(`name scale level ${level}`);
  }
  if (version.criteria.length > 0 && version.criteria.every((c) => c.weight === 0)) problems.push('give at least one criterion a weight above 0');
  version.criteria.forEach((c, index) => {
    const missing = Array.from({ length: version.scaleMax }, (_, i) => i + 1).filter((level) => !c.anchors[level - 1]?.trim());
    if (missing.length) problems.push(`criterion ${index + 1} "${c.title}": write the anchor for level ${missing.join(', ')}`);
  });
  return problems;
}

export function publishRubricVersion(ctx: CoreContext, versionId: string): RubricVersionView {
  return ctx.db.transaction(() => {
    draftHead(ctx, versionId);
    const version = rubricVersion(ctx, versionId);
    const problems = publishProblems(version);
    if (problems.length) throw new AppError('incomplete', `Before you publish, ${problems.join('; ')}.`);
    ctx.repos.rubrics.publishVersion(versionId, nowOf(ctx));
    return rubricVersion(ctx, versionId);
  }).immediate();
}
