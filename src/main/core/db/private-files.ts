import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Panelist holds candidates' personal data and hiring decisions: its folder is the user's alone
// (0700) and so is every file in it (0600). On Windows, where POSIX modes mean little, the folder
// (in the user's profile by default) gets an access list of its own: inheritance off, full control
// for the user, SYSTEM and Administrators (what Windows itself needs), no one else.

const POSIX = process.platform !== 'win32';

/** Creates the data folder for its owner only, and tightens a folder (and the files in it) that an older Panelist left readable. */
export function privateDataFolder(dataDir: string): void {
  const existed = existsSync(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (POSIX) tighten(dataDir);
  else if (!existed && process.env.USERNAME) execFileSync('icacls', windowsAccessList(dataDir, process.env.USERNAME), { stdio: 'ignore', windowsHide: true });
}

/** The `icacls` arguments that make a folder (and what it will hold) the user's alone. */
export function windowsAccessList(folder: string, user: string): string[] {
  return [folder, '/inheritance:r', '/grant:r', `${user}:(OI)(CI)F`, '/grant:r', '*S-1-5-18:(OI)(CI)F', '/grant:r', '*S-1-5-32-544:(OI)(CI)F'];
}

/** A file only its owner may read and write (a database before its first write: its WAL and shared memory files take its mode). */
export function privateFile(file: string): void {
  if (POSIX && existsSync(file)) chmodSync(file, 0o600);
}

function tighten(folder: string): void {
  chmodSync(folder, 0o700);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) tighten(path);
    else if (entry.isFile() && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
