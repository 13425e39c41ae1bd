import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Becomes PRAGMA user_version once applied; versions step by 10 to leave room. */
  version: number;
  name: string;
  up: (db: Database) => void;
  /**
   * Rebuilds a table (new table, copy, drop, rename): the runner turns foreign keys off around the
   * migrations, so that dropping the old table cascades nowhere, and checks every key before commit.
   */
  rebuildsTables?: boolean;
}
