import type { AppInfo, DemoSummary } from '../../../shared/contract';
import type { Result } from '../../../shared/result';
import { call } from './api';

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

  async loadDemo(): Promise<void> {
    await this.changeData(() => call('demo:load', { ...DEMO_SIZE, seed: 1 }), (s) => `Loaded ${s.candidates} demo candidates and ${s.interviewers} interviewers.`);
  }

  async removeDemo(): Promise<void> {
    await this.changeData(() => call('demo:remove', {}), (s) => `Removed ${s.candidates} demo candidates and ${s.interviewers} interviewers.`);
  }

  private async changeData(
    run: () => Promise<Result<DemoSummary>>,
    describe: (summary: DemoSummary) => string,
  ): Promise<void> {
    this.busy = true;
    this.notice = null;
    try {
      const result = await run();
      this.notice = result.ok ? describe(result.value) : result.error.message;
      await this.refresh();
      this.dataVersion++;
    } finally {
      this.busy = false;
    }
  }
}

export const appState = new AppState();
