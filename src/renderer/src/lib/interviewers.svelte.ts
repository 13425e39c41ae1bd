import type { InterviewerListItem } from '../../../shared/domain';
import { call } from './api';

class InterviewersState {
  search = $state('');
  items = $state<InterviewerListItem[]>([]);
  error = $state<string | null>(null);
  private requestSeq = 0;

  async load(): Promise<void> {
    const seq = ++this.requestSeq;
    const search = this.search.trim();
    const result = await call('interviewers:list', search ? { search } : {});
    if (seq !== this.requestSeq) return;
    if (result.ok) {
      this.items = result.value;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }
}

export const interviewersState = new InterviewersState();
