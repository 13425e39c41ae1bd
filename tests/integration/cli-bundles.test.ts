import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../support/cli';

const dirs: ReturnType<typeof tempDataDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('bundles from the command line', () => {
  it('exports a panel kit that an interviewer imports (dry run first), and refuses a bad file with one line and exit 1', () => {
    const [hm, ana] = [tempDataDir(), tempDataDir()];
    dirs.push(hm, ana);
    const at = (d: { dir: string }) => (...args: string[]) => runCli([...args, '--data-dir', d.dir]);
    at(hm)('me', '--name', 'Hana Manager', '--email', 'hana@example.com');
    at(hm)('add', 'interviewer', '--name', 'Ana Lee', '--email', 'ana@example.com');
    const roleId = (JSON.parse(at(hm)('list', 'roles', '--json').stdout) as { id: string }[])[0]!.id;
    const jane = at(hm)('add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', roleId).stdout.trim();
    expect(at(hm)('schedule', jane, '--stage', '1', '--at', '2026-12-03T14:00:00Z', '--panel', 'ana@example.com').code).toBe(0);
    const kit = join(hm.dir, 'jane.panelist');
    expect(at(hm)('export-bundle', '--kind', 'panel-kit', '--candidate', jane, '--out', kit).stdout).toMatch(/^Wrote .*jane\.panelist \(panel-kit, [\d.]+ KB\)\.\n$/);
    expect(at(hm)('export-bundle', '--kind', 'scorecards', '--out', kit)).toMatchObject({ code: 2, stderr: 'panelist: A scorecards bundle is for a role or a candidate: say which.\n' });

    at(ana)('me', '--name', 'Ana Lee', '--email', 'ana@example.com');
    // Ana reads the time in her own zone.
    const dry = runCli(['import', kit, '--dry-run', '--data-dir', ana.dir], { TZ: 'Europe/Berlin' });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('A panel-kit bundle from Hana Manager (key ');
    expect(dry.stdout).toContain('You are on the Architecture panel for Jane Doe, Thu 3 Dec, 15:00 CET.');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(at(ana)('list', 'candidates').stdout).not.toContain('Jane Doe');
    expect(at(ana)('import', kit).stdout).toContain(`Imported ${kit}.`);
    expect(at(ana)('list', 'candidates').stdout).toContain('Jane Doe');

    const bad = join(ana.dir, 'bad.panelist');
    writeFileSync(bad, 'not a bundle');
    expect(at(ana)('import', bad)).toMatchObject({ code: 1, stderr: `panelist: ${bad}: This is not a Panelist bundle (.panelist files are gzip-compressed JSON). Nothing was imported.\n` });
  });
});
