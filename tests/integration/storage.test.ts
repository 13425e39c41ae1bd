import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, openCore } from '../../src/main/core';
import { windowsAccessList } from '../../src/main/core/db/private-files';
import { runCli, tempDataDir } from '../support/cli';
import { openTestCore, type TestCore } from '../support/core';

/** The data folder and its files are the user's alone; a file that is not Panelist's is never taken over; storage failures say so. */

const dirs: ReturnType<typeof tempDataDir>[] = [];
const cores: TestCore[] = [];
afterEach(() => {
  cores.splice(0).forEach((c) => c.dispose());
  dirs.splice(0).forEach((d) => d.remove());
});

const mode = (path: string) => statSync(path).mode & 0o777;
const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const scratch = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d.dir;
};

describe.skipIf(process.platform === 'win32')('private files', () => {
  it('creates the data folder 0700 and every file in it 0600', async () => {
    const dir = join(scratch(), 'new-installation');
    const core = await openCore({ dataDir: dir, version: 'test' });
    try {
      expect(mode(dir)).toBe(0o700);
      for (const name of [DATABASE_FILE_NAME, `${DATABASE_FILE_NAME}-wal`, `${DATABASE_FILE_NAME}-shm`, 'identity.key']) {
        expect(existsSync(join(dir, name))).toBe(true);
        expect([name, mode(join(dir, name))]).toEqual([name, 0o600]);
      }
    } finally {
      core.close();
    }
  });

  it('tightens a folder and files that an older Panelist left readable by others', async () => {
    const dir = scratch();
    (await openCore({ dataDir: dir, version: 'test' })).close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, DATABASE_FILE_NAME), 0o644);
    mkdirSync(join(dir, 'backups'), { mode: 0o755 });
    writeFileSync(join(dir, 'backups', 'old.sqlite'), 'x', { mode: 0o644 });
    writeFileSync(join(dir, `${DATABASE_FILE_NAME}.schema-80.bak`), 'x', { mode: 0o644 });
    (await openCore({ dataDir: dir, version: 'test' })).close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, DATABASE_FILE_NAME))).toBe(0o600);
    expect(mode(join(dir, 'backups'))).toBe(0o700);
    expect(mode(join(dir, 'backups', 'old.sqlite'))).toBe(0o600);
    expect(mode(join(dir, `${DATABASE_FILE_NAME}.schema-80.bak`))).toBe(0o600);
  });
});

describe('on Windows', () => {
  it('the new data folder gets an access list for the user, SYSTEM and Administrators only, nothing inherited', () => {
    // What can be checked off Windows: the icacls call (run when the folder is first made there).
    expect(windowsAccessList('C:\\Users\\ana\\AppData\\Roaming\\Panelist', 'ana')).toEqual([
      'C:\\Users\\ana\\AppData\\Roaming\\Panelist',
      '/inheritance:r',
      '/grant:r',
      'ana:(OI)(CI)F',
      '/grant:r',
      '*S-1-5-18:(OI)(CI)F',
      '/grant:r',
      '*S-1-5-32-544:(OI)(CI)F',
    ]);
  });
});

describe('a file that is not a Panelist database', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), /panelist\.sqlite is empty \(0 bytes\), so it is not a Panelist database; it was left untouched\. Move it away/],
    ['a text file', Buffer.from('not a database at all, but long enough to have a header'), /panelist\.sqlite is not a Panelist database \(not an SQLite file\); it was left untouched/],
  ])('is refused, untouched, with what to do: %s', async (_what, content, message) => {
    const dir = scratch();
    const file = join(dir, DATABASE_FILE_NAME);
    writeFileSync(file, content);
    const before = hash(file);
    await expect(openCore({ dataDir: dir, version: 'test' })).rejects.toThrow(message);
    expect(hash(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // The command line says it in one line and exits non-zero.
    const cli = runCli(['list', 'roles', '--data-dir', dir]);
    expect(cli.code).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toContain(file);
  });

  it("refuses another program's SQLite database, untouched", async () => {
    const dir = scratch();
    const file = join(dir, DATABASE_FILE_NAME);
    const other = new Database(file);
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
    other.close();
    const before = hash(file);
    await expect(openCore({ dataDir: dir, version: 'test' })).rejects.toThrow(/is an SQLite database of another program, not Panelist's; it was left untouched/);
    expect(hash(file)).toBe(before);
  });

  it('names the folder when it cannot be made', async () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, 'x');
    await expect(openCore({ dataDir: join(file, 'data'), version: 'test' })).rejects.toThrow(/^Panelist cannot use .*a-file\/data as its data folder \(ENOTDIR\): check the path/);
  });
});

describe('storage failures at run time', () => {
  it('a full disk refuses the write with storage_full, keeps what was there, and works again once there is room', async () => {
    const core = await openTestCore();
    cores.push(core);
    const [role] = await core.value('roles:list', {});
    const kept = await core.value('candidates:add', { roleId: role!.id, name: 'Kept Before', email: 'kept@example.org' });
    const pages = core.ctx.db.pragma('page_count', { simple: true }) as number;
    core.ctx.db.pragma(`max_page_count = ${pages}`);
    const note = 'x'.repeat(2000);
    let refused: unknown;
    for (let i = 0; i < 50 && !refused; i++) {
      const result = await core.call('candidates:add', { roleId: role!.id, name: `Person ${i}`, email: `p${i}@example.org`, note });
      if (!result.ok) refused = result.error;
    }
    expect(refused).toMatchObject({ code: 'storage_full', message: 'The disk is full: nothing was saved. Free some space, then try again.' });
    core.ctx.db.pragma('max_page_count = 1073741823');
    expect((await core.call('candidates:add', { roleId: role!.id, name: 'After Room', email: 'after@example.org' })).ok).toBe(true);
    expect((await core.value('candidates:get', { candidateId: kept.id })).name).toBe('Kept Before');
    expect(core.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('erasing leaves none of the text in the file: secure_delete stays on, and the WAL is emptied', async () => {
    const core = await openTestCore();
    cores.push(core);
    const [role] = await core.value('roles:list', {});
    const secret = 'Zebulon Quixote-Fairweather';
    const c = await core.value('candidates:add', { roleId: role!.id, name: secret, email: 'zq@example.org', note: `${secret} prefers mornings` });
    await core.value('candidates:erase', { candidateIds: [c.id] });
    expect(core.ctx.db.pragma('secure_delete', { simple: true })).toBe(1);
    const file = join(core.dir, DATABASE_FILE_NAME);
    for (const f of [file, `${file}-wal`]) if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(secret))).toBe(false);
  });
});
