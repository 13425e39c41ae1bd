import type { AppInfo, DemoSummary } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { call, onEvent } from './api';
import { countOf, listing } from './format';

export const DEMO_SIZE = { candidates: 200, interviewers: 24 } as const;

/** The installation as a whole: what is in it, which view is open, and the demo data. */
class AppState {
  info = $state<AppInfo | null>(null);
  loadError = $state<string | null>(null);
  busy = $state(false);
  notice = $state<string | null>(null);
  /** Bumped whenever the data changed under every view (demo loaded or removed). */
  dataVersion = $state(0);

  isEmpty = $derived(this.info !== null && this.info.counts.candidates === 0);

  async refresh(): Promise<void> {
    const result = await call('app:info', {});
    if (result.ok) {
      this.info = result.value;
      this.loadError = null;
    } else {
      this.loadError = result.error.message;
    }
  }

  /**
   * Follows changes made elsewhere: every `data:changed` re-reads the counts (the empty state and
   * the top bar depend on them), and what this window did not do itself (a team hub sync that
   * brought something, another process's write) also reloads the views that follow `dataVersion`.
   * Returns the unsubscribe.
   */
  follow(): () => void {
    return onEvent((event) => {
      if (event.name !== 'data:changed') return;
      const elsewhere = event.payload.reason === 'synced' || event.payload.reason === 'external';
      void this.refresh().then(() => {
        if (elsewhere) this.dataVersion++;
      });
    });
  }

  async loadDemo(): Promise<Result<DemoSummary>> {
    return this.changeData(
      () => call('demo:load', { ...DEMO_SIZE, seed: 1 }),
      (s) => `Loaded ${countOf(s.candidates, 'demo candidate')} and ${countOf(s.interviewers, 'interviewer')}.`,
    );
  }

  /** Removes every record marked demo; what went is said in the notice. */
  async removeDemo(): Promise<Result<DemoSummary>> {
    return this.changeData(
      () => call('demo:remove', {}),
      (s) => `Removed the demo data: ${describeRecords(s)}.`,
    );
  }

  private async changeData(
    run: () => Promise<Result<DemoSummary>>,
    describe: (summary: DemoSummary) => string,
  ): Promise<Result<DemoSummary>> {
    this.busy = true;
    this.notice = null;
    try {
      const result = await run();
      this.notice = result.ok ? describe(result.value) : result.error.message;
      await this.refresh();
      this.dataVersion++;
      return result;
    } finally {
      this.busy = false;
    }
  }
}

/** "2 roles, 40 candidates, 8 interviewers, and 312 scorecards" (for a sentence). */
export function describeRecords(r: { roles: number; candidates: number; interviewers: number; scorecards: number }): string {
  return listing([countOf(r.roles, 'role'), countOf(r.candidates, 'candidate'), countOf(r.interviewers, 'interviewer'), countOf(r.scorecards, 'scorecard')]);
}

export const appState = new AppState();
