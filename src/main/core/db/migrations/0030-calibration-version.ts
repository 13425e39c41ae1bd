import type { Migration } from './types';

const BUMP = `UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'submitted_scorecards_version'`;

/**
 * A counter that moves whenever a submitted scorecard appears, changes or goes: the key of cached
 * calibration results, read in O(1) instead of scanning every scorecard.
 */
export const migration0030: Migration = {
  version: 30,
  name: 'calibration-version',
  up: (db) => {
    db.exec(`
      INSERT INTO settings (key, value) VALUES ('submitted_scorecards_version', '0')
        ON CONFLICT (key) DO NOTHING;
      CREATE TRIGGER scorecards_version_insert AFTER INSERT ON scorecards
      WHEN NEW.status = 'submitted' BEGIN ${BUMP}; END;
      CREATE TRIGGER scorecards_version_update AFTER UPDATE ON scorecards
      WHEN NEW.status = 'submitted' OR OLD.status = 'submitted' BEGIN ${BUMP}; END;
      CREATE TRIGGER scorecards_version_delete AFTER DELETE ON scorecards
      WHEN OLD.status = 'submitted' BEGIN ${BUMP}; END;
    `);
  },
};
