import type { Migration } from './types';

/**
 * The calibration caches its results until the submitted scorecards change; this index lets it
 * ask "how many, and how many revisions in all?" from the index alone, without reading every scorecard.
 */
export const migration0030: Migration = {
  version: 30,
  name: 'calibration-version',
  up: (db) => {
    db.exec(`CREATE INDEX scorecards_status_revision ON scorecards (status, revision);`);
  },
};
