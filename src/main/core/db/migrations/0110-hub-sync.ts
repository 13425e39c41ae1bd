import type { Migration } from './types';

/**
 * Syncing with a team hub: for every record the hub has seen, the revision it holds (a record
 * whose revision here is higher is waiting to be pushed), and the records the hub refused at a
 * revision, so that they are not offered again until they change. The hub's address, the token
 * and the pull cursor live in `settings`.
 */
export const migration0110: Migration = {
  version: 110,
  name: 'hub-sync',
  up: (db) => {
    db.exec(`
      CREATE TABLE hub_records (
        key TEXT PRIMARY KEY,
        revision INTEGER,
        refused_revision INTEGER,
        refused_reason TEXT
      ) STRICT;
    `);
  },
};
