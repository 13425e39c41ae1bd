import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, openCore } from '../../src/main/core';
import { openDatabase, schemaVersion } from '../../src/main/core/db/connection';
import { dispatch } from '../../src/shared/dispatch';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/main/core/db/migrations';
import type { Migration } from '../../src/main/core/db/migrations/types';
import { tempDataDir } from '../support/cli';

let dir: ReturnType<typeof tempDataDir>;
afterEach(() => dir?.remove());

const now = '2026-11-28T12:00:00.000Z';

describe('opening a database', () => {
  it('creates a new file at the latest schema with the pragmas every write relies on', async () => {
    dir = tempDataDir();
    const db = await openDatabase(join(dir.dir, 'a.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = db.prepare<[], { name: string; strict: number }>(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`).all();
    expect(tables.length).toBeGreaterThanOrEqual(12);
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer Panelist and leaves it untouched', async () => {
    dir = tempDataDir();
    const file = join(dir.dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.close();
    const before = statSync(file).mtimeMs;
    await expect(openDatabase(file)).rejects.toThrow(/written by a newer Panelist \(schema version \d+; this one knows up to \d+\)/);
    const after = new Database(file);
    expect(schemaVersion(after)).toBe(LATEST_SCHEMA_VERSION + 10);
    after.close();
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('backs the file up before migrating it, and a failing migration changes nothing', async () => {
    dir = tempDataDir();
    const file = join(dir.dir, 'old.sqlite');
    const first = await openDatabase(file);
    first.prepare(`INSERT INTO roles (id, title, created_at, updated_at) VALUES ('r1', 'Kept', ?, ?)`).run(now, now);
    first.close();

    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 10,
      name: 'broken',
      up: (db) => {
        db.exec(`ALTER TABLE roles ADD COLUMN extra TEXT`);
        db.exec(`THIS IS NOT SQL`);
      },
    };
    const backups: string[] = [];
    await expect(openDatabase(file, { migrations: [...MIGRATIONS, broken], onBackup: (p) => backups.push(p) })).rejects.toThrow();
    expect(backups).toHaveLength(1);
    expect(existsSync(backups[0] ?? '')).toBe(true);
    expect(readdirSync(dir.dir).some((f) => f.includes(`.schema-${LATEST_SCHEMA_VERSION}.`))).toBe(true);

    const reopened = await openDatabase(file);
    expect(schemaVersion(reopened)).toBe(LATEST_SCHEMA_VERSION);
    const columns = reopened.prepare(`SELECT name FROM pragma_table_info('roles')`).all() as { name: string }[];
    expect(columns.map((c) => c.name)).not.toContain('extra');
    expect(reopened.prepare(`SELECT title FROM roles`).all()).toEqual([{ title: 'Kept' }]);
    reopened.close();

    const backup = new Database(backups[0] ?? '');
    expect(backup.prepare(`SELECT title FROM roles`).all()).toEqual([{ title: 'Kept' }]);
    backup.close();
  });
});

/** One of everything, down to a scored scorecard with an audit event, at schema 10 or later. */
function seedScorecard(db: Database.Database) {
  db.exec(`
    INSERT INTO interviewers (id, name, is_me, created_at, updated_at) VALUES ('me', 'Me', 1, '${now}', '${now}');
    INSERT INTO roles (id, title, created_at, updated_at) VALUES ('role', 'Engineer', '${now}', '${now}');
    INSERT INTO rubrics (id, name, session_kind, created_at, updated_at) VALUES ('rub', 'Architecture', 'architecture', '${now}', '${now}');
    INSERT INTO rubric_versions (id, rubric_id, version, scale_max, scale_labels, status, created_at, updated_at)
      VALUES ('v1', 'rub', 1, 4, '["a","b","c","d"]', 'draft', '${now}', '${now}');
    INSERT INTO criteria (id, rubric_version_id, position, title, weight, anchors) VALUES ('c1', 'v1', 1, 'Framing', 0.5, '["1","2","3","4"]');
    UPDATE rubric_versions SET status = 'published', published_at = '${now}' WHERE id = 'v1';
    INSERT INTO loops (id, role_id, name, created_at, updated_at) VALUES ('loop', 'role', 'Loop', '${now}', '${now}');
    INSERT INTO loop_stages (id, loop_id, position, session_kind, title, rubric_version_id, created_at, updated_at)
      VALUES ('st', 'loop', 1, 'architecture', 'Architecture', 'v1', '${now}', '${now}');
    INSERT INTO candidates (id, role_id, name, created_at, updated_at) VALUES ('cand', 'role', 'Jane Doe', '${now}', '${now}');
    INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, created_at, updated_at) VALUES ('int', 'cand', 'st', '${now}', '${now}', '${now}');
    INSERT INTO panel_assignments (interview_id, interviewer_id, created_at) VALUES ('int', 'me', '${now}');
    INSERT INTO scorecards (id, interview_id, interviewer_id, rubric_version_id, created_at, updated_at) VALUES ('sc', 'int', 'me', 'v1', '${now}', '${now}');
    INSERT INTO scorecard_scores (scorecard_id, criterion_id, score, updated_at) VALUES ('sc', 'c1', 3, '${now}');
    INSERT INTO scorecard_events (id, scorecard_id, at, actor_id, kind) VALUES ('e1', 'sc', '${now}', 'me', 'created');
  `);
}

describe('migration 0010 (init)', () => {
  async function freshAt10() {
    dir = tempDataDir();
    const db = await openDatabase(join(dir.dir, 'm.sqlite'), { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    expect(schemaVersion(db)).toBe(10);
    return db;
  }

  it('keeps scores within range and "not assessed" exclusive of a score', async () => {
    const db = await freshAt10();
    seedScorecard(db);
    expect(() => db.exec(`UPDATE scorecard_scores SET score = 8`)).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE scorecard_scores SET not_assessed = 1`)).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE scorecard_scores SET score = 'three'`)).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('freezes published rubric versions and keeps the audit log append-only', async () => {
    const db = await freshAt10();
    seedScorecard(db);
    expect(() => db.exec(`UPDATE criteria SET title = 'Changed'`)).toThrow(/published and cannot change/);
    expect(() => db.exec(`INSERT INTO criteria (id, rubric_version_id, position, title, weight, anchors) VALUES ('c2', 'v1', 2, 'New', 0.5, '[]')`)).toThrow(/published/);
    expect(() => db.exec(`UPDATE scorecard_events SET kind = 'x'`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM scorecard_events`)).toThrow(/append-only/);
    db.close();
  });

  it('removes a role with everything that hangs off it, audit events included', async () => {
    const db = await freshAt10();
    seedScorecard(db);
    db.exec(`DELETE FROM roles WHERE id = 'role'`);
    for (const table of ['candidates', 'interviews', 'panel_assignments', 'scorecards', 'scorecard_scores', 'scorecard_events', 'loops', 'loop_stages']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    }
    expect(db.prepare(`SELECT count(*) AS n FROM interviewers`).get()).toEqual({ n: 1 });
    db.close();
  });

  it('allows one "me" per installation and a scorecard only for an assigned panelist', async () => {
    const db = await freshAt10();
    seedScorecard(db);
    expect(() => db.exec(`INSERT INTO interviewers (id, name, is_me, created_at, updated_at) VALUES ('me2', 'Me too', 1, '${now}', '${now}')`)).toThrow(/UNIQUE/);
    db.exec(`INSERT INTO interviewers (id, name, created_at, updated_at) VALUES ('other', 'Other', '${now}', '${now}')`);
    expect(() =>
      db.exec(`INSERT INTO scorecards (id, interview_id, interviewer_id, rubric_version_id, created_at, updated_at) VALUES ('sc2', 'int', 'other', 'v1', '${now}', '${now}')`),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('migration 0020 (scoring)', () => {
  it('keeps every row of version 10, backs it up, and adds settings and panel views', async () => {
    dir = tempDataDir();
    const file = join(dir.dir, 'm.sqlite');
    const at10 = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 10) });
    at10.exec(`
      INSERT INTO interviewers (id, name, is_me, created_at, updated_at) VALUES ('me', 'Me', 1, '${now}', '${now}');
      INSERT INTO roles (id, title, created_at, updated_at) VALUES ('role', 'Engineer', '${now}', '${now}');
      INSERT INTO candidates (id, role_id, name, created_at, updated_at) VALUES ('cand', 'role', 'Jane Doe', '${now}', '${now}');
    `);
    at10.close();
    const backups: string[] = [];
    const at20 = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 20), onBackup: (p) => backups.push(p) });
    expect(schemaVersion(at20)).toBe(20);
    expect(backups).toHaveLength(1);
    expect(at20.prepare(`SELECT name FROM candidates`).all()).toEqual([{ name: 'Jane Doe' }]);
    at20.exec(`INSERT INTO panel_views (interviewer_id, candidate_id, first_seen_at) VALUES ('me', 'cand', '${now}')`);
    at20.exec(`INSERT INTO settings (key, value) VALUES ('example_role', 'created')`);
    at20.exec(`DELETE FROM candidates`);
    expect(at20.prepare(`SELECT count(*) AS n FROM panel_views`).get()).toEqual({ n: 0 });
    at20.close();
  });
});

describe('migration 0030 (calibration version)', () => {
  it('answers the calibration cache key from an index, keeping every row', async () => {
    dir = tempDataDir();
    const file = join(dir.dir, 'm.sqlite');
    const at20 = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 20) });
    at20.exec(`INSERT INTO roles (id, title, created_at, updated_at) VALUES ('role', 'Engineer', '${now}', '${now}')`);
    at20.close();
    const at30 = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 30) });
    expect(schemaVersion(at30)).toBe(30);
    expect(at30.prepare(`SELECT title FROM roles`).all()).toEqual([{ title: 'Engineer' }]);
    const plan = at30
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*), total(revision) FROM scorecards WHERE status = 'submitted'`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX scorecards_status_revision');
    at30.close();
  });
});

describe('migration 0050 (field revisions) and 0060 (people and schedules)', () => {
  it('keeps every row and trigger, lifts one interview per stage, and no longer deletes a scorecard with its seat', async () => {
    dir = tempDataDir();
    const file = join(dir.dir, 'm.sqlite');
    const at40 = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= 40) });
    seedScorecard(at40);
    at40.exec(`UPDATE scorecards SET status = 'submitted', submitted_at = '${now}'`);
    const triggersBefore = at40.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`).pluck().all();
    expect(() =>
      at40.exec(`INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, created_at, updated_at) VALUES ('int2', 'cand', 'st', '${now}', '${now}', '${now}')`),
    ).toThrow(/UNIQUE/);
    at40.close();

    const db = await openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare(`SELECT id, candidate_id, stage_id, video_link, cancelled_at FROM interviews`).all()).toEqual([
      { id: 'int', candidate_id: 'cand', stage_id: 'st', video_link: '', cancelled_at: null },
    ]);
    expect(db.prepare(`SELECT id, status FROM scorecards`).all()).toEqual([{ id: 'sc', status: 'submitted' }]);
    const laterTriggers = `name NOT LIKE 'erasures_%' AND name NOT LIKE 'scorecard_revisions_%' AND name NOT LIKE 'key_events_%' AND name NOT LIKE 'decisions_%' AND name NOT LIKE 'revotes_%'`;
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND ${laterTriggers} ORDER BY name`).pluck().all()).toEqual(triggersBefore);
    // A second interview for the same stage is allowed now; the calibration triggers still follow a reschedule.
    db.exec(`INSERT INTO interviews (id, candidate_id, stage_id, scheduled_at, created_at, updated_at) VALUES ('int2', 'cand', 'st', '${now}', '${now}', '${now}')`);
    db.exec(`DELETE FROM calibration_stale; UPDATE interviews SET scheduled_at = '2026-12-01T10:00:00.000Z' WHERE id = 'int'`);
    expect(db.prepare(`SELECT candidate_id FROM calibration_stale`).pluck().all()).toEqual(['cand']);
    // Withdrawing a seat is an update: the scorecard stays.
    db.exec(`UPDATE panel_assignments SET withdrawn_at = '${now}' WHERE interview_id = 'int'`);
    expect(db.prepare(`SELECT count(*) FROM scorecards`).pluck().get()).toBe(1);
    // Deleting the candidate still takes everything with it.
    db.exec(`DELETE FROM candidates`);
    expect(db.prepare(`SELECT (SELECT count(*) FROM interviews) + (SELECT count(*) FROM scorecards) + (SELECT count(*) FROM scorecard_events)`).pluck().get()).toBe(0);
    db.close();
  });
});

describe('every earlier schema version', () => {
  const earlier = MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST_SCHEMA_VERSION);

  it.each(earlier)('upgrades a database at version %i, with its data, to one the app opens and uses', async (version) => {
    dir = tempDataDir();
    const file = join(dir.dir, DATABASE_FILE_NAME);
    const old = await openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= version) });
    seedScorecard(old);
    old.exec(`UPDATE scorecards SET status = 'submitted', submitted_at = '${now}'`);
    const counts = (db: Database.Database) =>
      ['interviewers', 'roles', 'rubric_versions', 'criteria', 'candidates', 'interviews', 'panel_assignments', 'scorecards', 'scorecard_scores', 'scorecard_events'].map(
        (table) => [table, db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()],
      );
    const before = counts(old);
    old.close();

    const core = await openCore({ dataDir: dir.dir, version: 'test' });
    try {
      const db = core.ctx.db;
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Every row is still there (the app adds its own seed: its example role and rubrics).
      const after = new Map(counts(db) as [string, number][]);
      for (const [table, n] of before as [string, number][]) expect([table, after.get(table)! >= n]).toEqual([table, true]);
      expect(db.prepare(`SELECT name FROM candidates WHERE id = 'cand'`).pluck().get()).toBe('Jane Doe');
      expect(db.prepare(`SELECT score FROM scorecard_scores WHERE scorecard_id = 'sc'`).pluck().get()).toBe(3);
      // And the app works on it: the candidate is listed, and the calibration runs.
      expect(await dispatch(core.handlers, 'candidates:list', {})).toMatchObject({ ok: true, value: { items: expect.arrayContaining([expect.objectContaining({ name: 'Jane Doe' })]) } });
      expect((await dispatch(core.handlers, 'calibration:report', {})).ok).toBe(true);
    } finally {
      core.close();
    }
  });
});
