import type { Repositories } from '../repositories';
import { insertDefaultRubrics, insertRoleWithLoop } from '../seed/catalog';
import { DEFAULT_ROLE } from '../seed/default-rubrics';

export const EXAMPLE_ROLE_KEY = 'example_role_id';

/**
 * First run: the interviewer who uses this installation ("me"), and one example role with the
 * four-session loop and its published rubrics. Each happens once: deleting the example later
 * does not bring it back.
 */
export function prepareInstallation(repos: Repositories, newId: () => string, now: string): { meId: string } {
  let me = repos.interviewers.me()?.id;
  if (!me) {
    me = newId();
    repos.interviewers.insert({ id: me, name: 'Me', email: '', isMe: true, isDemo: false, now });
  }
  if (!repos.settings.get(EXAMPLE_ROLE_KEY)) {
    const rubrics = insertDefaultRubrics(repos, newId, now, false);
    const { roleId } = insertRoleWithLoop(repos, newId, now, DEFAULT_ROLE, rubrics, false);
    repos.settings.set(EXAMPLE_ROLE_KEY, roleId);
  }
  return { meId: me };
}
