import type { Role } from '../../../shared/domain';
import { call } from './api';

class RolesState {
  roles = $state<Role[]>([]);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    const result = await call('roles:list', {});
    if (result.ok) this.roles = result.value;
    else this.error = result.error.message;
  }
}

export const rolesState = new RolesState();
