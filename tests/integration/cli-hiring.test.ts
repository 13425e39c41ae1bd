import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../support/cli';

let data: ReturnType<typeof tempDataDir> | undefined;
afterEach(() => data?.remove());

const cli = (...args: string[]) => runCli([...args, '--data-dir', data!.dir]);

describe('real hiring work from the command line', () => {
  it('names me, adds people, imports, schedules and erases, with clear errors and nothing written on a refusal', () => {
    data = tempDataDir();
    expect(cli('me', '--name', 'Ana Lee', '--email', 'ana@example.com').stdout).toMatch(/^Ana Lee <ana@example.com> \(/);
    const ben = cli('add', 'interviewer', '--name', 'Ben Ode', '--email', 'ben@example.com');
    expect(ben).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[0-9a-f-]{36}\n$/) });
    expect(cli('add', 'interviewer', '--name', 'Ben Two', '--email', 'ben@example.com')).toMatchObject({ code: 2, stderr: 'panelist: Ben Ode already has the email ben@example.com.\n' });
    expect(cli('add', 'interviewer', '--name', 'No Mail')).toMatchObject({ code: 2, stderr: 'panelist: --email is needed\n' });

    const roleId = (JSON.parse(cli('list', 'roles', '--json').stdout) as { id: string }[])[0]!.id;
    const jane = JSON.parse(cli('add', 'candidate', '--name', 'Jane Doe', '--email', 'jane@example.org', '--role', roleId, '--json').stdout) as { id: string; name: string };
    expect(jane.name).toBe('Jane Doe');

    const people = join(data.dir, 'people.csv');
    writeFileSync(people, 'Name,Email\r\nCy Park,cy@example.com\r\n"Doe, Dee",not-an-email\r\n');
    expect(cli('import', 'interviewers', people, '--dry-run')).toMatchObject({ code: 1, stderr: expect.stringContaining('line 3, email: "not-an-email" is not an email address') });
    writeFileSync(people, 'Name,Email\r\nCy Park,cy@example.com\r\n"Doe, Dee",dee@example.com\r\n');
    expect(cli('import', 'interviewers', people, '--dry-run').stdout).toContain('Would import 2 interviewers');
    expect(cli('list', 'interviewers').stdout).not.toContain('Cy Park');
    expect(cli('import', 'interviewers', people).stdout).toContain('Imported 2 interviewers');

    const scheduled = cli('schedule', jane.id, '--stage', '1', '--at', '2026-12-03T14:00:00+01:00', '--panel', 'ana@example.com,ben@example.com');
    expect(scheduled.code).toBe(0);
    const clash = cli('schedule', jane.id, '--stage', '2', '--at', '2026-12-03T13:30:00Z', '--minutes', '45', '--panel', 'ben@example.com');
    expect(clash).toMatchObject({ code: 0, stderr: expect.stringContaining('warning: Ben Ode is already booked then') });
    expect(cli('schedule', jane.id, '--stage', '9', '--at', '2026-12-03T13:30:00Z', '--panel', 'ben@example.com')).toMatchObject({ code: 2, stderr: expect.stringContaining('has no stage 9') });

    const schedule = join(data.dir, 'schedule.csv');
    writeFileSync(schedule, 'candidate email,stage,start,interviewer emails\njane@example.org,3,2026-12-04T10:00:00Z,cy@example.com\n');
    expect(cli('import', 'schedule', schedule).stdout).toContain('Imported 1 interview');

    expect(cli('erase', 'candidate', jane.id)).toMatchObject({ code: 2, stderr: expect.stringContaining('this erases Jane Doe: 3 interviews, 0 scorecards by 0 interviewers, and cannot be undone: add --yes') });
    expect(cli('list', 'candidates').stdout).toContain('Jane Doe');
    expect(cli('erase', 'candidate', jane.id, '--yes')).toMatchObject({ code: 0, stdout: 'Erased Jane Doe: 3 interviews, 0 scorecards by 0 interviewers.\n' });
    expect(cli('list', 'candidates').stdout).not.toContain('Jane Doe');
  });
});
