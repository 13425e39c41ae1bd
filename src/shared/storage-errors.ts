import { AppError } from './result';

/**
 * A failure of the storage under a call (SQLite's error codes: better-sqlite3 puts them on
 * `error.code`), as the error a screen can show beside the field: what happened, that nothing was
 * saved, and what to do. Null for any other error.
 */
export function storageError(error: unknown): AppError | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (code === 'SQLITE_FULL') return new AppError('storage_full', 'The disk is full: nothing was saved. Free some space, then try again.');
  if (code.startsWith('SQLITE_READONLY')) return new AppError('read_only', 'The database cannot be written (it or its folder is read-only): nothing was saved. Give yourself write access, then try again.');
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AppError('storage_corrupt', 'The database file is damaged: nothing was saved. Close Panelist and restore the latest backup (panelist restore FILE).');
  }
  if (code.startsWith('SQLITE_IOERR')) return new AppError('unavailable', 'The disk could not be read or written: nothing was saved. Check the disk, then try again.');
  return null;
}
