import type { Repositories } from '../repositories';
import { insertDefaultRubrics, insertRoleWithLoop } from '../seed/catalog';
import { DEFAULT_ROLE } from '../seed/default-rubrics';

export const EXAMPLE_ROLE_KEY = 'example_role_id';

/**
 * First run: the interviewer who uses this installation ("me") with its public key, and one example role with the
 * four-session loop and its published rubrics. Each happens once: deleting the example later
 * does not bring it back.
 */
export function prepareInstallation(repos: Repositories, newId: () => string, now: string, publicKey: string): { meId: string } {
  let me = repos.interviewers.me()?.id;
  if (!me) {
    me = newId();
    repos.interviewers.insert({ id: me, name: 'Me', email: '', isMe: true, isDemo: false, now });
  }
  // The key file beside the database is this installation's identity: my record carries its public half.
  if (repos.interviewers.publicKey(me) !== publicKey) repos.interviewers.setPublicKey(me, publicKey);
  if (!repos.settings.get(EXAMPLE_ROLE_KEY)) {
    const rubrics = insertDefaultRubrics(repos, newId, now, false);
    const { roleId } = insertRoleWithLoop(repos, newId, now, DEFAULT_ROLE, rubrics, false);
    repos.settings.set(EXAMPLE_ROLE_KEY, roleId);
  }
  return { meId: me };
}
