import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Panelist holds candidates' personal data and hiring decisions: its folder is the user's alone
// (0700) and so is every file in it (0600). On Windows the folder lives in the user's profile,
// whose access list already keeps other users out; POSIX modes mean little there and are not set.

const POSIX = process.platform !== 'win32';

/** Creates the data folder for its owner only, and tightens a folder (and the files in it) that an older Panelist left readable. */
export function privateDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!POSIX) return;
  tighten(dataDir);
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
