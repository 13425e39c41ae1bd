import type { CalibrationFilters, CalibrationReport, GroupComparison } from '../../../shared/calibration-report';
import { call } from './api';

/** The calibration view: its filters, the report for them, and a comparison of two groups. */
class CalibrationState {
  filters = $state<CalibrationFilters>({});
  report = $state<CalibrationReport | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  groupA = $state<string[]>([]);
  groupB = $state<string[]>([]);
  groups = $state<GroupComparison | null>(null);
  groupsError = $state<string | null>(null);
  private seq = 0;

  async load(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    const result = await call('calibration:report', { ...this.filters });
    if (seq !== this.seq) return;
    this.loading = false;
    if (result.ok) {
      this.report = result.value;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }

  setFilter<K extends keyof CalibrationFilters>(key: K, value: CalibrationFilters[K] | ''): void {
    const next = { ...this.filters };
    if (value === '' || value === undefined) delete next[key];
    else next[key] = value;
    this.filters = next;
    this.groups = null;
    void this.load();
  }

  async compareGroups(): Promise<void> {
    const result = await call('calibration:compare-groups', { filters: { ...this.filters }, groupA: [...this.groupA], groupB: [...this.groupB] });
    if (result.ok) {
      this.groups = result.value;
      this.groupsError = null;
    } else {
      this.groupsError = result.error.message;
    }
  }
}

export const calibrationState = new CalibrationState();
