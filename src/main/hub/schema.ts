import type { PoolClient } from 'pg';

/**
 * The hub's PostgreSQL schema, created and upgraded by versioned migrations like the desktop's.
 * Whoever runs `panelist hub init` owns the tables; the service connects as `panelist_service`, a
 * role that owns nothing, cannot bypass row-level security, and sees rows only through the
 * policies below, for the user its transaction acts for (`hub.act_as`, a `SET LOCAL`).
 */

export const SERVICE_ROLE = 'panelist_service';

export interface HubMigration {
  version: number;
  name: string;
  sql: (owner: string) => string;
}

/** Every table the service reads or writes: row-level security is forced on all of them. */
const SYNCED = ['interviewers', 'interviewer_ids', 'rubric_versions', 'roles', 'candidates', 'interviews', 'seats', 'scorecards', 'revotes', 'key_events', 'tombstones'];
const PRIVATE = ['users', 'tokens', 'role_managers', 'grants', 'secret'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

const init: HubMigration = {
  version: 1,
  name: 'init',
  sql: (owner) => `
    CREATE SEQUENCE hub.change_seq;

    CREATE TABLE hub.users (
      id uuid PRIMARY KEY,
      email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
      role text NOT NULL CHECK (role IN ('interviewer', 'hiring-manager', 'admin')),
      public_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CHECK (role = 'admin' OR public_key IS NOT NULL)
    );
    CREATE TABLE hub.tokens (
      hash text PRIMARY KEY CHECK (length(hash) = 64),
      user_id uuid NOT NULL REFERENCES hub.users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    );

    -- Every synced table: the record as its writer's bundle carries it, and when it last changed:
    -- the writing transaction's id (what pull cursors compare) and an order for reading.
    CREATE TABLE hub.interviewers (
      id uuid PRIMARY KEY, email text NOT NULL, revision int NOT NULL, record jsonb NOT NULL,
      changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE TABLE hub.interviewer_ids (id uuid PRIMARY KEY, email text NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL);
    CREATE TABLE hub.rubric_versions (
      id uuid PRIMARY KEY, rubric_id uuid NOT NULL, content_hash text NOT NULL, record jsonb NOT NULL,
      changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE TABLE hub.roles (id uuid PRIMARY KEY, revision int NOT NULL, record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL);
    CREATE TABLE hub.role_managers (
      role_id uuid NOT NULL REFERENCES hub.roles (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES hub.users (id),
      PRIMARY KEY (role_id, user_id)
    );
    CREATE TABLE hub.candidates (
      id uuid PRIMARY KEY, role_id uuid NOT NULL REFERENCES hub.roles (id), revision int NOT NULL, record jsonb NOT NULL,
      changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE INDEX candidates_role ON hub.candidates (role_id);
    CREATE TABLE hub.interviews (
      id uuid PRIMARY KEY, candidate_id uuid NOT NULL REFERENCES hub.candidates (id) ON DELETE CASCADE,
      revision int NOT NULL, record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE INDEX interviews_candidate ON hub.interviews (candidate_id);
    -- Who sits on which panel, by email (people have other ids on other installations).
    CREATE TABLE hub.seats (
      interview_id uuid NOT NULL REFERENCES hub.interviews (id) ON DELETE CASCADE,
      candidate_id uuid NOT NULL,
      email text NOT NULL,
      active boolean NOT NULL,
      PRIMARY KEY (interview_id, email)
    );
    CREATE INDEX seats_email ON hub.seats (email, candidate_id);
    CREATE TABLE hub.scorecards (
      id uuid PRIMARY KEY, interview_id uuid NOT NULL REFERENCES hub.interviews (id) ON DELETE CASCADE,
      candidate_id uuid NOT NULL, author_email text NOT NULL, revision int NOT NULL, head_hash text NOT NULL,
      record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE INDEX scorecards_candidate ON hub.scorecards (candidate_id);
    CREATE INDEX scorecards_seat ON hub.scorecards (interview_id, author_email);
    CREATE TABLE hub.revotes (
      id uuid PRIMARY KEY, candidate_id uuid NOT NULL REFERENCES hub.candidates (id) ON DELETE CASCADE,
      author_email text NOT NULL, record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL
    );
    CREATE TABLE hub.key_events (hash text PRIMARY KEY, email text NOT NULL, record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL);
    CREATE TABLE hub.tombstones (candidate_id uuid PRIMARY KEY, record jsonb NOT NULL, changed_xid xid8 NOT NULL, seq bigint NOT NULL);
    -- When what a user may see grew (a seat, a submitted scorecard, a role shared): a pull sends
    -- everything that became visible, however old, not only what changed since its cursor.
    CREATE TABLE hub.grants (
      id bigserial PRIMARY KEY, user_id uuid NOT NULL REFERENCES hub.users (id),
      candidate_id uuid, role_id uuid, changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
    );
    CREATE INDEX grants_user ON hub.grants (user_id, changed_xid);
    ${SYNCED.filter((t) => t !== 'seats')
      .map((t) => `CREATE INDEX ${t}_changed ON hub.${t} (changed_xid);`)
      .join('\n    ')}

    CREATE FUNCTION hub.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.changed_xid := pg_current_xact_id();
      NEW.seq := nextval('hub.change_seq');
      RETURN NEW;
    END $$;
    ${SYNCED.filter((t) => t !== 'seats')
      .map((t) => `CREATE TRIGGER ${t}_stamp BEFORE INSERT OR UPDATE ON hub.${t} FOR EACH ROW EXECUTE FUNCTION hub.stamp();`)
      .join('\n    ')}

    CREATE FUNCTION hub.published_never_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'a published rubric version never changes' USING ERRCODE = 'check_violation'; END $$;
    CREATE TRIGGER rubric_versions_immutable BEFORE UPDATE OR DELETE ON hub.rubric_versions FOR EACH ROW EXECUTE FUNCTION hub.published_never_changes();

    CREATE FUNCTION hub.signed_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.author_email <> OLD.author_email OR NEW.interview_id <> OLD.interview_id OR NEW.candidate_id <> OLD.candidate_id OR NOT ((NEW.record -> 'revisions') @> (OLD.record -> 'revisions')) THEN
        RAISE EXCEPTION 'a scorecard''s signed revisions are only ever added to' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER scorecards_append_only BEFORE UPDATE ON hub.scorecards FOR EACH ROW EXECUTE FUNCTION hub.signed_revisions_append_only();

    -- Who the current transaction acts for, set only by hub.act_as (after checking a token). Any role
    -- may set a panelist.* setting, so act_as seals them with a secret the service cannot read, bound to
    -- this backend and transaction: settings the service wrote itself are nobody.
    CREATE TABLE hub.secret (value text NOT NULL);
    INSERT INTO hub.secret SELECT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
    CREATE FUNCTION hub.seal(user_id text, email text, role text) RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    DECLARE key text;
    BEGIN
      SELECT value INTO key FROM hub.secret;
      RETURN encode(sha256(convert_to(key || encode(sha256(convert_to(key || concat_ws(chr(10), user_id, email, role, pg_backend_pid(), extract(epoch FROM now())), 'UTF8')), 'hex'), 'UTF8')), 'hex');
    END $$;
    CREATE FUNCTION hub.sealed() RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      RETURN coalesce(current_setting('panelist.seal', true) = hub.seal(current_setting('panelist.user_id', true), current_setting('panelist.email', true), current_setting('panelist.role', true)), false);
    END $$;
    -- Policies and functions read these as (SELECT …): once per statement, not once per row.
    CREATE FUNCTION hub.current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN hub.sealed() THEN nullif(current_setting('panelist.user_id', true), '')::uuid END $$;
    CREATE FUNCTION hub.current_email() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN hub.sealed() THEN nullif(current_setting('panelist.email', true), '') END $$;
    CREATE FUNCTION hub.current_role_name() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT CASE WHEN hub.sealed() THEN nullif(current_setting('panelist.role', true), '') END $$;
    CREATE FUNCTION hub.reads_records() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce((SELECT hub.current_role_name()) IN ('interviewer', 'hiring-manager'), false) $$;
    CREATE FUNCTION hub.manages(role uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT (SELECT hub.current_role_name()) = 'hiring-manager'
        AND EXISTS (SELECT 1 FROM hub.role_managers WHERE role_id = role AND user_id = (SELECT hub.current_user_id())) $$;
    CREATE FUNCTION hub.manages_candidate(candidate uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT coalesce((SELECT hub.manages(role_id) FROM hub.candidates WHERE id = candidate), false) $$;
    CREATE FUNCTION hub.sits(candidate uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT (SELECT hub.reads_records()) AND EXISTS (SELECT 1 FROM hub.seats WHERE candidate_id = candidate AND email = (SELECT hub.current_email())) $$;
    CREATE FUNCTION hub.has_seat(interview uuid, candidate uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT EXISTS (SELECT 1 FROM hub.seats WHERE interview_id = interview AND candidate_id = candidate AND email = (SELECT hub.current_email())) $$;
    -- What the user may read, as sets computed once per statement (a policy calling a function per row is far slower).
    CREATE FUNCTION hub.visible_candidates() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT c.id FROM hub.candidates c JOIN hub.role_managers m ON m.role_id = c.role_id
        WHERE m.user_id = (SELECT hub.current_user_id()) AND (SELECT hub.current_role_name()) = 'hiring-manager'
      UNION
      SELECT s.candidate_id FROM hub.seats s WHERE s.email = (SELECT hub.current_email()) AND (SELECT hub.reads_records()) $$;
    -- Independent scoring: a seat on the candidate's loop (not withdrawn, interview not cancelled) without my submitted scorecard.
    CREATE FUNCTION hub.open_seat_candidates() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT s.candidate_id FROM hub.seats s WHERE s.email = (SELECT hub.current_email()) AND s.active
        AND NOT EXISTS (SELECT 1 FROM hub.scorecards c WHERE c.interview_id = s.interview_id AND c.author_email = s.email) $$;
    CREATE FUNCTION hub.panel_candidates() RETURNS SETOF uuid LANGUAGE sql STABLE AS $$
      SELECT hub.visible_candidates() EXCEPT SELECT hub.open_seat_candidates() $$;
    CREATE FUNCTION hub.visible_roles() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT role_id FROM hub.role_managers WHERE user_id = (SELECT hub.current_user_id()) AND (SELECT hub.current_role_name()) = 'hiring-manager'
      UNION
      SELECT c.role_id FROM hub.seats s JOIN hub.candidates c ON c.id = s.candidate_id WHERE s.email = (SELECT hub.current_email()) AND (SELECT hub.reads_records()) $$;

    -- The only way a transaction gets a user: a token that is known and not revoked, for a user not revoked.
    CREATE FUNCTION hub.act_as(token_hash text) RETURNS TABLE (user_id uuid, email text, role text, public_key text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      RETURN QUERY SELECT u.id, u.email, u.role, u.public_key FROM hub.tokens t JOIN hub.users u ON u.id = t.user_id
        WHERE t.hash = token_hash AND t.revoked_at IS NULL AND u.revoked_at IS NULL;
      IF FOUND THEN
        PERFORM set_config('panelist.user_id', u.id::text, true), set_config('panelist.email', u.email, true), set_config('panelist.role', u.role, true),
          set_config('panelist.seal', hub.seal(u.id::text, u.email, u.role), true)
          FROM hub.tokens t JOIN hub.users u ON u.id = t.user_id WHERE t.hash = token_hash;
      END IF;
    END $$;

    -- The key the hub holds for a person (public keys are public; the users table is not).
    CREATE FUNCTION hub.bound_key(person text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      SELECT public_key FROM hub.users WHERE email = person AND revoked_at IS NULL $$;

    -- A user's own key rotation (signed by the old key, checked by the service) moves the key the hub holds for them.
    CREATE FUNCTION hub.rotate_own_key(old_key text, new_key text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
      UPDATE hub.users SET public_key = new_key WHERE id = (SELECT hub.current_user_id()) AND revoked_at IS NULL AND public_key = old_key RETURNING true $$;

    -- Visibility grows: record it for the user, so that their next pull sends what became visible.
    -- A seat added, moved or closed (withdrawn, cancelled, or removed: an open seat no longer hides the others' scorecards).
    CREATE FUNCTION hub.grant_on_seat() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO hub.grants (user_id, candidate_id) SELECT id, OLD.candidate_id FROM hub.users WHERE email = OLD.email;
      ELSE
        INSERT INTO hub.grants (user_id, candidate_id) SELECT id, NEW.candidate_id FROM hub.users WHERE email = NEW.email;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER seats_grant AFTER INSERT OR UPDATE OR DELETE ON hub.seats FOR EACH ROW EXECUTE FUNCTION hub.grant_on_seat();
    -- A candidate moved to another role: its managers, and the candidate's panelists (who now see that role), get it whole.
    CREATE FUNCTION hub.grant_on_role_move() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      INSERT INTO hub.grants (user_id, candidate_id)
        SELECT user_id, NEW.id FROM hub.role_managers WHERE role_id = NEW.role_id
        UNION SELECT u.id, NEW.id FROM hub.seats s JOIN hub.users u ON u.email = s.email WHERE s.candidate_id = NEW.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER candidates_grant AFTER UPDATE OF role_id ON hub.candidates FOR EACH ROW WHEN (OLD.role_id IS DISTINCT FROM NEW.role_id) EXECUTE FUNCTION hub.grant_on_role_move();
    CREATE FUNCTION hub.grant_on_scorecard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      INSERT INTO hub.grants (user_id, candidate_id) SELECT id, NEW.candidate_id FROM hub.users WHERE email = NEW.author_email;
      RETURN NULL;
    END $$;
    CREATE TRIGGER scorecards_grant AFTER INSERT ON hub.scorecards FOR EACH ROW EXECUTE FUNCTION hub.grant_on_scorecard();
    CREATE FUNCTION hub.grant_on_manager() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      INSERT INTO hub.grants (user_id, role_id) VALUES (NEW.user_id, NEW.role_id);
      RETURN NULL;
    END $$;
    CREATE TRIGGER role_managers_grant AFTER INSERT ON hub.role_managers FOR EACH ROW EXECUTE FUNCTION hub.grant_on_manager();
    -- A hiring manager who brings a new role manages it.
    CREATE FUNCTION hub.manager_of_new_role() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
    BEGIN
      IF (SELECT hub.current_user_id()) IS NOT NULL THEN
        INSERT INTO hub.role_managers (role_id, user_id) VALUES (NEW.id, (SELECT hub.current_user_id())) ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER roles_manager AFTER INSERT ON hub.roles FOR EACH ROW EXECUTE FUNCTION hub.manager_of_new_role();

    ${[...SYNCED, ...PRIVATE]
      .map((t) => `ALTER TABLE hub.${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE hub.${t} FORCE ROW LEVEL SECURITY;
    CREATE POLICY operator ON hub.${t} TO ${ident(owner)} USING (true) WITH CHECK (true);`)
      .join('\n    ')}

    -- What the service may do, for the user its transaction acts for.
    CREATE POLICY own_or_admin ON hub.users FOR SELECT TO ${SERVICE_ROLE} USING (id = (SELECT hub.current_user_id()) OR (SELECT hub.current_role_name()) = 'admin');
    CREATE POLICY admin ON hub.tokens FOR SELECT TO ${SERVICE_ROLE} USING ((SELECT hub.current_role_name()) = 'admin');
    CREATE POLICY mine ON hub.role_managers FOR SELECT TO ${SERVICE_ROLE} USING (user_id = (SELECT hub.current_user_id()));
    CREATE POLICY mine ON hub.grants FOR SELECT TO ${SERVICE_ROLE} USING (user_id = (SELECT hub.current_user_id()));
    ${['interviewers', 'interviewer_ids', 'rubric_versions', 'key_events', 'tombstones']
      .map((t) => `CREATE POLICY directory ON hub.${t} FOR SELECT TO ${SERVICE_ROLE} USING ((SELECT hub.reads_records()));`)
      .join('\n    ')}
    CREATE POLICY self_or_manager ON hub.interviewers FOR INSERT TO ${SERVICE_ROLE}
      WITH CHECK ((SELECT hub.current_role_name()) = 'hiring-manager' OR email = (SELECT hub.current_email()));
    CREATE POLICY self_or_manager_update ON hub.interviewers FOR UPDATE TO ${SERVICE_ROLE}
      USING ((SELECT hub.current_role_name()) = 'hiring-manager' OR email = (SELECT hub.current_email()))
      WITH CHECK ((SELECT hub.current_role_name()) = 'hiring-manager' OR email = (SELECT hub.current_email()));
    CREATE POLICY known ON hub.interviewer_ids FOR INSERT TO ${SERVICE_ROLE} WITH CHECK ((SELECT hub.current_role_name()) = 'hiring-manager' OR email = (SELECT hub.current_email()));
    CREATE POLICY managers ON hub.rubric_versions FOR INSERT TO ${SERVICE_ROLE} WITH CHECK ((SELECT hub.current_role_name()) = 'hiring-manager');
    CREATE POLICY own_key ON hub.key_events FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (email = (SELECT hub.current_email()));
    CREATE POLICY manager_erases ON hub.tombstones FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (hub.manages_candidate(candidate_id));

    CREATE POLICY visible ON hub.roles FOR SELECT TO ${SERVICE_ROLE} USING (id IN (SELECT hub.visible_roles()));
    CREATE POLICY new_role ON hub.roles FOR INSERT TO ${SERVICE_ROLE} WITH CHECK ((SELECT hub.current_role_name()) = 'hiring-manager');
    CREATE POLICY managed ON hub.roles FOR UPDATE TO ${SERVICE_ROLE} USING (hub.manages(id)) WITH CHECK (hub.manages(id));
    CREATE POLICY visible ON hub.candidates FOR SELECT TO ${SERVICE_ROLE} USING (id IN (SELECT hub.visible_candidates()));
    CREATE POLICY managed_insert ON hub.candidates FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (hub.manages(role_id));
    CREATE POLICY managed_update ON hub.candidates FOR UPDATE TO ${SERVICE_ROLE} USING (hub.manages(role_id)) WITH CHECK (hub.manages(role_id));
    CREATE POLICY managed_delete ON hub.candidates FOR DELETE TO ${SERVICE_ROLE} USING (hub.manages(role_id));
    ${['interviews', 'seats']
      .map(
        (t) => `CREATE POLICY visible ON hub.${t} FOR SELECT TO ${SERVICE_ROLE} USING (candidate_id IN (SELECT hub.visible_candidates()));
    CREATE POLICY managed_insert ON hub.${t} FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (hub.manages_candidate(candidate_id));
    CREATE POLICY managed_update ON hub.${t} FOR UPDATE TO ${SERVICE_ROLE} USING (hub.manages_candidate(candidate_id)) WITH CHECK (hub.manages_candidate(candidate_id));
    CREATE POLICY managed_delete ON hub.${t} FOR DELETE TO ${SERVICE_ROLE} USING (hub.manages_candidate(candidate_id));`,
      )
      .join('\n    ')}
    ${['scorecards', 'revotes']
      .map((t) => `CREATE POLICY visible ON hub.${t} FOR SELECT TO ${SERVICE_ROLE} USING (author_email = (SELECT hub.current_email()) OR candidate_id IN (SELECT hub.panel_candidates()));`)
      .join('\n    ')}
    CREATE POLICY author_on_panel ON hub.scorecards FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (author_email = (SELECT hub.current_email()) AND hub.has_seat(interview_id, candidate_id));
    CREATE POLICY author ON hub.scorecards FOR UPDATE TO ${SERVICE_ROLE} USING (author_email = (SELECT hub.current_email())) WITH CHECK (author_email = (SELECT hub.current_email()));
    CREATE POLICY author_on_panel ON hub.revotes FOR INSERT TO ${SERVICE_ROLE} WITH CHECK (author_email = (SELECT hub.current_email()) AND hub.sits(candidate_id));

    GRANT USAGE ON SCHEMA hub TO ${SERVICE_ROLE};
    GRANT USAGE ON SEQUENCE hub.change_seq TO ${SERVICE_ROLE};
    GRANT SELECT ON hub.users, hub.tokens, hub.role_managers, hub.grants TO ${SERVICE_ROLE};
    GRANT SELECT, INSERT, UPDATE ON hub.interviewers, hub.roles, hub.interviews, hub.scorecards TO ${SERVICE_ROLE};
    GRANT SELECT, INSERT ON hub.interviewer_ids, hub.rubric_versions, hub.revotes, hub.key_events, hub.tombstones TO ${SERVICE_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON hub.candidates, hub.seats TO ${SERVICE_ROLE};
    GRANT DELETE ON hub.interviews TO ${SERVICE_ROLE};
    REVOKE ALL ON ALL FUNCTIONS IN SCHEMA hub FROM PUBLIC;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA hub TO ${SERVICE_ROLE};
    REVOKE EXECUTE ON FUNCTION hub.seal(text, text, text) FROM ${SERVICE_ROLE};
  `,
};

export const HUB_MIGRATIONS: readonly HubMigration[] = [init];
export const HUB_SCHEMA_VERSION = HUB_MIGRATIONS.at(-1)!.version;

/**
 * Creates or upgrades the hub's schema, each migration in its own transaction, and the service
 * role when it does not exist yet. Several hubs may start at once: an advisory lock orders them.
 */
export async function migrateHub(client: PoolClient): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock(7201)');
  try {
    await client.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${SERVICE_ROLE}') THEN
          CREATE ROLE ${SERVICE_ROLE} LOGIN NOINHERIT NOBYPASSRLS;
        END IF;
      END $$;
      CREATE SCHEMA IF NOT EXISTS hub;
      CREATE TABLE IF NOT EXISTS hub.schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
    `);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM hub.schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > HUB_SCHEMA_VERSION) throw new Error(`The hub's database is at schema version ${from}, newer than this Panelist knows (${HUB_SCHEMA_VERSION}): update Panelist.`);
    const { rows: who } = await client.query<{ user: string }>('SELECT current_user AS user');
    for (const migration of HUB_MIGRATIONS.filter((m) => m.version > from)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql(who[0]!.user));
        await client.query('INSERT INTO hub.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return { from, to: HUB_SCHEMA_VERSION };
  } finally {
    await client.query('SELECT pg_advisory_unlock(7201)');
  }
}
