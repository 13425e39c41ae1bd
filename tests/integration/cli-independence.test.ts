import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../support/cli';

let data: ReturnType<typeof tempDataDir> | undefined;
afterEach(() => data?.remove());

describe('the calibration command', () => {
  it('leaves out the candidates whose scorecards I have not submitted, and says so', () => {
    data = tempDataDir();
    expect(runCli(['demo', '--candidates', '40', '--interviewers', '8', '--seed', '4', '--data-dir', data.dir]).code).toBe(0);
    const text = runCli(['calibration', '--data-dir', data.dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\d+ candidates? (is|are) left out until you submit your scorecards? for them/);
    const json = JSON.parse(runCli(['calibration', '--json', '--data-dir', data.dir]).stdout) as { withheld: { candidates: number }; hotspots: { candidateId: string }[] };
    expect(json.withheld.candidates).toBeGreaterThan(0);
  });
});
