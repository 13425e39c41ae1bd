import { SESSION_KIND_LABELS, type SessionKind } from '../../../shared/domain';
import type { Repositories } from '../repositories';
import { DEFAULT_RUBRICS, SCALE_LABELS_1_TO_4 } from './default-rubrics';

export interface PublishedRubric {
  sessionKind: SessionKind;
  versionId: string;
  criterionIds: string[];
}

/** The four default rubrics, each as a published version 1. */
export function insertDefaultRubrics(repos: Repositories, newId: () => string, now: string, isDemo: boolean): PublishedRubric[] {
  return DEFAULT_RUBRICS.map((seed) => {
    const rubricId = newId();
    const versionId = newId();
    repos.rubrics.insertRubric({ id: rubricId, name: seed.name, sessionKind: seed.sessionKind, purpose: seed.purpose, isDemo, now });
    repos.rubrics.insertVersion({ id: versionId, rubricId, version: 1, scaleMax: 4, scaleLabels: [...SCALE_LABELS_1_TO_4], publishedAt: null, now });
    const criteria = seed.criteria.map((c) => ({ ...c, id: newId(), anchors: [...c.anchors] }));
    repos.rubrics.insertCriteria(versionId, criteria);
    const criterionIds = criteria.map((c) => c.id);
    repos.rubrics.publishVersion(versionId, now);
    return { sessionKind: seed.sessionKind, versionId, criterionIds };
  });
}

export interface RoleSeed {
  title: string;
  team: string;
  description: string;
}

/** A role with its interview loop: one stage per rubric, in the rubrics' order. */
export function insertRoleWithLoop(
  repos: Repositories,
  newId: () => string,
  now: string,
  role: RoleSeed,
  rubrics: readonly Pick<PublishedRubric, 'sessionKind' | 'versionId'>[],
  isDemo: boolean,
): { roleId: string; stageIds: string[] } {
  const roleId = newId();
  repos.roles.insert({ id: roleId, title: role.title, team: role.team, description: role.description, isDemo, now });
  const loopId = newId();
  repos.loops.insertLoop({ id: loopId, roleId, name: 'Interview loop', now });
  const stageIds = rubrics.map((rubric, index) => {
    const id = newId();
    repos.loops.insertStage({
      id,
      loopId,
      position: index + 1,
      sessionKind: rubric.sessionKind,
      title: SESSION_KIND_LABELS[rubric.sessionKind],
      rubricVersionId: rubric.versionId,
      durationMinutes: 60,
      now,
    });
    return id;
  });
  return { roleId, stageIds };
}
