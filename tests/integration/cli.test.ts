import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../support/cli';

let data: ReturnType<typeof tempDataDir>;
afterEach(() => data?.remove());

describe('the panelist command', () => {
  it('loads, lists and removes demo data in the folder given by --data-dir or PANELIST_DATA_DIR', () => {
    data = tempDataDir();
    const loaded = runCli(['demo', '--candidates', '25', '--interviewers', '5', '--seed', '9', '--data-dir', data.dir]);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/Loaded demo data into .*panelist\.sqlite in [\d.]+ s: 1 role, 25 candidates, 5 interviewers, 100 interviews, \d+ scorecards, \d+ scores\.$/m);

    const roles = JSON.parse(runCli(['list', 'roles', '--json'], { PANELIST_DATA_DIR: data.dir }).stdout) as { id: string; title: string }[];
    expect(roles.map((r) => r.title).sort()).toEqual(['Software Engineer – Developer Tooling', 'Software Engineer – Distribution']);
    const role = roles[0];
    if (!role) throw new Error('no role');
    const candidates = JSON.parse(runCli(['list', 'candidates', '--role', role.id, '--json', '--data-dir', data.dir]).stdout) as { roleId: string }[];
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.every((c) => c.roleId === role.id)).toBe(true);

    const table = runCli(['list', 'interviewers', '--data-dir', data.dir]);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+name\s+email\s+isMe/);
    expect(table.stdout.trim().split('\n')).toHaveLength(1 + 5 + 1);

    const removed = runCli(['demo', '--remove', '--data-dir', data.dir]);
    expect(removed.stdout).toMatch(/^Removed the demo data: 1 role, 25 candidates, 5 interviewers, \d+ scorecards\.$/m);
    expect(runCli(['list', 'candidates', '--data-dir', data.dir]).stdout.trim()).toBe('(none)');
  });

  it.each([
    [['demo', '--candidates', 'many', '--interviewers', '3'], '--candidates needs a whole number, got "many"'],
    [['demo', '--candidates', '10'], 'demo needs --candidates N and --interviewers M (or --remove)'],
    [['demo', '--candidates', '10', '--interviewers', '1'], '--interviewers must be between 3 and 10000, got 1'],
    [['list', 'things'], 'list needs one of: roles, candidates, interviewers'],
    [['list', 'roles', '--role', 'x'], '--role only applies to list candidates'],
    [['list', 'roles', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['serve', '--port', '99999'], '--port must be between 0 and 65535, got 99999'],
    [['launch'], 'unknown command "launch" (try: serve, list, demo, calibration, me, add, import, schedule, erase, export-bundle, rotate-key, decide, packet, packets, verify-packet, backup, restore, backups, hub, sync)'],
  ])('%j fails with one line and exit code 2', (args, message) => {
    data = tempDataDir();
    const result = runCli([...args, '--data-dir', data.dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`panelist: ${message}\n`);
    expect(result.stdout).toBe('');
  });

  it('counts in the singular when there is one of a kind ("1 candidate", not "1 candidates")', () => {
    data = tempDataDir();
    const loaded = runCli(['demo', '--candidates', '1', '--interviewers', '3', '--seed', '2', '--data-dir', data.dir]);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toMatch(/ s: 1 role, 1 candidate, 3 interviewers, 4 interviews, \d+ scorecards?, \d+ scores?\.$/m);
    const removed = runCli(['demo', '--remove', '--data-dir', data.dir]);
    expect(removed.stdout).toMatch(/^Removed the demo data: 1 role, 1 candidate, 3 interviewers, \d+ scorecards?\.$/m);
    expect(`${loaded.stdout}${removed.stdout}`).not.toMatch(/\b1 (roles|candidates|interviews|scorecards|scores)\b/);
  });

  it('refuses a second demo load with the reason', () => {
    data = tempDataDir();
    runCli(['demo', '--candidates', '5', '--interviewers', '3', '--data-dir', data.dir]);
    const again = runCli(['demo', '--candidates', '5', '--interviewers', '3', '--data-dir', data.dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('panelist: Demo data is already loaded; remove it first to load a different set.\n');
  });
});
