import type { ParsedInputOf } from '../../../shared/contract';
import type { RoleDetail, StageDraft } from '../../../shared/domain';
import { plural } from '../../../shared/plural';
import { AppError } from '../../../shared/result';
import type { CoreContext } from '../context';
import { nowOf } from '../context';

export function roleDetail(ctx: CoreContext, roleId: string): RoleDetail {
  const role = ctx.repos.roles.get(roleId);
  if (!role) throw new AppError('not_found', `No role with id ${roleId}.`, 'roleId');
  return {
    id: role.id,
    title: role.title,
    team: role.team,
    description: role.description,
    isDemo: role.isDemo,
    stages: ctx.repos.loops.detailedStagesOfRole(roleId),
  };
}

/** Stages score with published rubric versions only: a draft can still change under a scorecard. */
function checkStages(ctx: CoreContext, stages: readonly StageDraft[]): void {
  stages.forEach((stage, index) => {
    const head = ctx.repos.rubrics.versionHead(stage.rubricVersionId);
    if (!head) throw new AppError('not_found', `stages.${index}.rubricVersionId: no such rubric version.`, `stages.${index}.rubricVersionId`);
    if (head.status !== 'published') {
      throw new AppError('invalid_input', `stages.${index}.rubricVersionId: publish version ${head.version} before a loop uses it.`, `stages.${index}.rubricVersionId`);
    }
  });
}

/** Writes a loop's stages in the given order; a stage with interviews cannot be removed. */
function writeStages(ctx: CoreContext, loopId: string, roleId: string, stages: readonly StageDraft[]): void {
  const now = nowOf(ctx);
  const existing = ctx.repos.loops.detailedStagesOfRole(roleId);
  const kept = new Set(stages.map((s) => s.id).filter((id): id is string => id !== undefined));
  for (const stage of existing) {
    if (kept.has(stage.id)) continue;
    if (stage.interviews > 0) {
      throw new AppError('conflict', `The ${stage.title} stage has ${plural(stage.interviews, 'interview')}, so it stays in the loop.`);
    }
    ctx.repos.loops.deleteStage(stage.id);
  }
  const known = new Set(existing.map((s) => s.id));
  ctx.repos.loops.parkPositions(loopId);
  stages.forEach((stage, index) => {
    const row = { position: index + 1, sessionKind: stage.sessionKind, title: stage.title, rubricVersionId: stage.rubricVersionId, durationMinutes: stage.durationMinutes, now };
    if (stage.id && known.has(stage.id)) ctx.repos.loops.updateStage({ id: stage.id, ...row });
    else ctx.repos.loops.insertStage({ id: ctx.newId(), loopId, ...row });
  });
}

export function createRole(ctx: CoreContext, input: ParsedInputOf<'roles:create'>): RoleDetail {
  return ctx.db.transaction(() => {
    checkStages(ctx, input.stages);
    const now = nowOf(ctx);
    const roleId = ctx.newId();
    ctx.repos.roles.insert({ id: roleId, title: input.title, team: input.team, description: input.description, isDemo: false, now });
    const loopId = ctx.newId();
    ctx.repos.loops.insertLoop({ id: loopId, roleId, name: 'Interview loop', now });
    writeStages(ctx, loopId, roleId, input.stages.map(({ id: _ignored, ...rest }) => rest));
    return roleDetail(ctx, roleId);
  }).immediate();
}

/**
 * Changes a role's loop. Interviews keep their stage; a stage that switches to a newer rubric
 * version scores new scorecards with it, while existing scorecards keep the version they used.
 */
export function saveLoop(ctx: CoreContext, input: ParsedInputOf<'roles:save-loop'>): RoleDetail {
  return ctx.db.transaction(() => {
    roleDetail(ctx, input.roleId);
    checkStages(ctx, input.stages);
    const loopId = ctx.repos.loops.loopOfRole(input.roleId);
    if (!loopId) throw new Error(`role ${input.roleId} has no loop`);
    writeStages(ctx, loopId, input.roleId, input.stages);
    return roleDetail(ctx, input.roleId);
  }).immediate();
}
