import type { Migration } from './types';

const bool = (column: string) => `${column} INTEGER NOT NULL DEFAULT 0 CHECK (${column} IN (0, 1))`;
const stamps = `created_at TEXT NOT NULL, updated_at TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1)`;

export const migration0010: Migration = {
  version: 10,
  name: 'init',
  up: (db) => {
    db.exec(`
      CREATE TABLE interviewers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email TEXT NOT NULL DEFAULT '',
        ${bool('is_me')},
        ${bool('is_demo')},
        ${stamps}
      ) STRICT;
      CREATE UNIQUE INDEX interviewers_one_me ON interviewers (is_me) WHERE is_me = 1;
      CREATE INDEX interviewers_name ON interviewers (name COLLATE NOCASE);

      CREATE TABLE roles (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        team TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        ${bool('is_demo')},
        ${stamps}
      ) STRICT;

      CREATE TABLE rubrics (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        session_kind TEXT NOT NULL,
        purpose TEXT NOT NULL DEFAULT '',
        ${bool('is_demo')},
        ${stamps}
      ) STRICT;

      CREATE TABLE rubric_versions (
        id TEXT PRIMARY KEY,
        rubric_id TEXT NOT NULL REFERENCES rubrics (id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        scale_max INTEGER NOT NULL CHECK (scale_max BETWEEN 4 AND 7),
        scale_labels TEXT NOT NULL CHECK (json_valid(scale_labels) AND json_type(scale_labels) = 'array'),
        status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
        published_at TEXT,
        ${stamps},
        UNIQUE (rubric_id, version),
        CHECK ((status = 'published') = (published_at IS NOT NULL))
      ) STRICT;

      CREATE TABLE criteria (
        id TEXT PRIMARY KEY,
        rubric_version_id TEXT NOT NULL REFERENCES rubric_versions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 1),
        title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description TEXT NOT NULL DEFAULT '',
        weight REAL NOT NULL CHECK (weight >= 0),
        guiding_questions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(guiding_questions) AND json_type(guiding_questions) = 'array'),
        anchors TEXT NOT NULL CHECK (json_valid(anchors) AND json_type(anchors) = 'array'),
        UNIQUE (rubric_version_id, position)
      ) STRICT;

      -- A published rubric version is frozen: scorecards keep the version they were scored with.
      CREATE TRIGGER criteria_frozen_update BEFORE UPDATE ON criteria
      WHEN (SELECT status FROM rubric_versions WHERE id = OLD.rubric_version_id) = 'published'
      BEGIN SELECT RAISE(ABORT, 'rubric version is published and cannot change'); END;
      CREATE TRIGGER criteria_frozen_insert BEFORE INSERT ON criteria
      WHEN (SELECT status FROM rubric_versions WHERE id = NEW.rubric_version_id) = 'published'
      BEGIN SELECT RAISE(ABORT, 'rubric version is published and cannot change'); END;

      CREATE TABLE loops (
        id TEXT PRIMARY KEY,
        role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        ${stamps}
      ) STRICT;
      CREATE INDEX loops_role ON loops (role_id);

      CREATE TABLE loop_stages (
        id TEXT PRIMARY KEY,
        loop_id TEXT NOT NULL REFERENCES loops (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 1),
        session_kind TEXT NOT NULL,
        title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        rubric_version_id TEXT NOT NULL REFERENCES rubric_versions (id),
        duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 480),
        ${stamps},
        UNIQUE (loop_id, position)
      ) STRICT;

      CREATE TABLE candidates (
        id TEXT PRIMARY KEY,
        role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        email TEXT NOT NULL DEFAULT '',
        ${bool('is_demo')},
        ${stamps}
      ) STRICT;
      CREATE INDEX candidates_name ON candidates (name COLLATE NOCASE);
      CREATE INDEX candidates_role_name ON candidates (role_id, name COLLATE NOCASE);

      CREATE TABLE interviews (
        id TEXT PRIMARY KEY,
        candidate_id TEXT NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
        stage_id TEXT NOT NULL REFERENCES loop_stages (id) ON DELETE CASCADE,
        scheduled_at TEXT NOT NULL,
        duration_minutes INTEGER NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 480),
        ${stamps},
        UNIQUE (candidate_id, stage_id)
      ) STRICT;
      CREATE INDEX interviews_scheduled ON interviews (scheduled_at);
      CREATE INDEX interviews_stage ON interviews (stage_id);

      CREATE TABLE panel_assignments (
        interview_id TEXT NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
        interviewer_id TEXT NOT NULL REFERENCES interviewers (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (interview_id, interviewer_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX panel_assignments_interviewer ON panel_assignments (interviewer_id);

      CREATE TABLE scorecards (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL,
        interviewer_id TEXT NOT NULL,
        rubric_version_id TEXT NOT NULL REFERENCES rubric_versions (id),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
        recommendation TEXT CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
        takeaways TEXT NOT NULL DEFAULT '',
        private_note TEXT NOT NULL DEFAULT '',
        submitted_at TEXT,
        ${stamps},
        UNIQUE (interview_id, interviewer_id),
        FOREIGN KEY (interview_id, interviewer_id)
          REFERENCES panel_assignments (interview_id, interviewer_id) ON DELETE CASCADE,
        CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX scorecards_interviewer ON scorecards (interviewer_id, status);

      CREATE TABLE scorecard_scores (
        scorecard_id TEXT NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
        criterion_id TEXT NOT NULL REFERENCES criteria (id),
        score INTEGER CHECK (score BETWEEN 1 AND 7),
        ${bool('not_assessed')},
        evidence TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (scorecard_id, criterion_id),
        CHECK (NOT (score IS NOT NULL AND not_assessed = 1))
      ) STRICT, WITHOUT ROWID;

      -- Append-only audit log of scorecard events; rows go only when their scorecard goes.
      CREATE TABLE scorecard_events (
        id TEXT PRIMARY KEY,
        scorecard_id TEXT NOT NULL REFERENCES scorecards (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
      ) STRICT;
      CREATE INDEX scorecard_events_scorecard ON scorecard_events (scorecard_id, at);
      CREATE TRIGGER scorecard_events_no_update BEFORE UPDATE ON scorecard_events
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER scorecard_events_no_delete BEFORE DELETE ON scorecard_events
      WHEN EXISTS (SELECT 1 FROM scorecards WHERE id = OLD.scorecard_id)
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `);
  },
};
