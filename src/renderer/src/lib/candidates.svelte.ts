import type { CandidateListItem } from '../../../shared/domain';
import { call } from './api';

export const PAGE_SIZE = 50;

/** The candidate list: search, role filter and paging; only the newest request's answer is shown. */
class CandidatesState {
  search = $state('');
  roleId = $state('');
  page = $state(0);
  items = $state<CandidateListItem[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);
  private requestSeq = 0;

  pageCount = $derived(Math.max(1, Math.ceil(this.total / PAGE_SIZE)));

  async load(): Promise<void> {
    const seq = ++this.requestSeq;
    this.loading = true;
    const search = this.search.trim();
    const result = await call('candidates:list', {
      limit: PAGE_SIZE,
      offset: this.page * PAGE_SIZE,
      ...(search ? { search } : {}),
      ...(this.roleId ? { roleId: this.roleId } : {}),
    });
    if (seq !== this.requestSeq) return;
    this.loading = false;
    if (result.ok) {
      this.items = result.value.items;
      this.total = result.value.total;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }
}

export const candidatesState = new CandidatesState();
