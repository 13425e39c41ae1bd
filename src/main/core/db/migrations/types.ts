import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Becomes PRAGMA user_version once applied; versions step by 10 to leave room. */
  version: number;
  name: string;
  up: (db: Database) => void;
}
