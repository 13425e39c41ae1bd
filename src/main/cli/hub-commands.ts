import pg from 'pg';
import { HubRole } from '../../shared/hub';
import { plural } from '../../shared/plural';
import { migrateHub, SERVICE_ROLE } from '../hub/schema';
import { startHub } from '../hub/service';
import { addUser, listUsers, revokeUser, shareRole } from '../hub/users';
import { setHub, setToken } from '../core/sync/hub-settings';
import { integerOption, parse, UsageError } from './args';
import { DATA_DIR, withCore, type Io } from './run';

// The team hub from the command line: the hub's own commands (`panelist hub …`, with the
// database's URL) and a desktop installation's one sync (`panelist sync`).

function database(value: string | undefined): string {
  if (!value) throw new UsageError('--database URL is needed (postgres://user@host:port/database)');
  if (!/^postgres(ql)?:\/\//.test(value)) throw new UsageError(`--database needs a postgres:// URL, got "${value}"`);
  return value;
}

async function withPool<T>(url: string, run: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
}

/** Refuses to serve as a role that could read past row-level security: a superuser, BYPASSRLS, or an owner of the hub's tables. */
async function checkServiceRole(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string; super: boolean; bypass: boolean; owns: string }>(
    `SELECT current_user AS name, rolsuper AS super, rolbypassrls AS bypass,
       (SELECT count(*) FROM pg_tables WHERE schemaname = 'hub' AND tableowner = current_user) AS owns
     FROM pg_roles WHERE rolname = current_user`,
  );
  const me = rows[0];
  if (!me) throw new Error('PostgreSQL did not say who this connection is.');
  if (me.super || me.bypass || Number(me.owns) > 0) {
    throw new UsageError(`the hub serves as ${SERVICE_ROLE}, a role that owns nothing and cannot bypass row-level security; ${me.name} ${me.super ? 'is a superuser' : me.bypass ? 'bypasses row-level security' : 'owns the hub tables'}. Put ${SERVICE_ROLE} in --database.`);
  }
}

export async function hubCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'init': {
      const { values } = parse(rest, { database: { type: 'string' } });
      const done = await withPool(database(values.database), async (pool) => {
        const client = await pool.connect();
        try {
          return await migrateHub(client);
        } finally {
          client.release();
        }
      });
      io.out(done.from === done.to ? `The hub's schema is up to date (version ${done.to}).` : `The hub's schema is at version ${done.to} (was ${done.from}).`);
      io.out(`Serve it as ${SERVICE_ROLE}: panelist hub --database postgres://${SERVICE_ROLE}@HOST:PORT/DATABASE (give the role a password or a client certificate first).`);
      return 0;
    }
    case 'add-user': {
      const { values, positionals } = parse(rest, { database: { type: 'string' }, role: { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' } });
      const email = positionals[0];
      if (!email || positionals.length !== 1) throw new UsageError('add-user needs one EMAIL');
      const role = HubRole.safeParse(values.role);
      if (!role.success) throw new UsageError('--role must be interviewer, hiring-manager or admin');
      const added = await withPool(database(values.database), (pool) => addUser(pool, { email, role: role.data, publicKey: values['public-key'] ?? null }));
      if (values.json) io.out(JSON.stringify({ email: email.toLowerCase(), role: role.data, token: added.token, fingerprint: added.fingerprint }));
      else {
        io.out(`Added ${email.toLowerCase()} as ${role.data}${added.fingerprint ? `, key ${added.fingerprint}` : ''}. Their token (shown only now):`);
        io.out(added.token);
      }
      return 0;
    }
    case 'revoke': {
      const { values, positionals } = parse(rest, { database: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('revoke needs one EMAIL');
      await withPool(database(values.database), (pool) => revokeUser(pool, positionals[0]!));
      io.out(`Revoked ${positionals[0]!.toLowerCase()} and every token of theirs.`);
      return 0;
    }
    case 'share-role': {
      const { values, positionals } = parse(rest, { database: { type: 'string' } });
      if (positionals.length !== 2) throw new UsageError('share-role needs ROLE_ID EMAIL');
      await withPool(database(values.database), (pool) => shareRole(pool, positionals[0]!, positionals[1]!));
      io.out(`${positionals[1]!.toLowerCase()} now manages role ${positionals[0]}.`);
      return 0;
    }
    case 'users': {
      const { values } = parse(rest, { database: { type: 'string' }, json: { type: 'boolean' } });
      const users = await withPool(database(values.database), (pool) => listUsers(pool));
      if (values.json) io.out(JSON.stringify(users, null, 2));
      else for (const u of users) io.out(`${u.email}  ${u.role}  ${u.revokedAt ? `revoked ${u.revokedAt}` : plural(u.tokens, 'token')}`);
      return 0;
    }
    default: {
      if (sub !== undefined && !sub.startsWith('-')) throw new UsageError(`unknown hub command "${sub}" (try: init, add-user, revoke, share-role, users, or options to serve)`);
      return serveHub(args, io);
    }
  }
}

/** Requests per second per token, with bursts of three seconds' worth (a desktop's sync is a few requests at once). */
function ratePerToken(perSecond: number): { perSecond: number; burst: number } {
  return { perSecond, burst: perSecond * 3 };
}

async function serveHub(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { database: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'pool-size': { type: 'string' }, rate: { type: 'string' } });
  if (!!values['tls-cert'] !== !!values['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
  const url = database(values.database);
  await withPool(url, checkServiceRole);
  const hub = await startHub({
    database: url,
    port: integerOption(values.port, 'port', 0, 65535) ?? 0,
    host: values.host ?? '127.0.0.1',
    tls: values['tls-cert'] && values['tls-key'] ? { cert: values['tls-cert'], key: values['tls-key'] } : undefined,
    poolSize: integerOption(values['pool-size'], 'pool-size', 1, 500) ?? 10,
    ...(values.rate ? { rate: ratePerToken(integerOption(values.rate, 'rate', 1, 100_000)!) } : {}),
    log: io.err,
  });
  io.out(`Panelist hub listening on ${hub.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await hub.close();
  return 0;
}

/** One push and pull with the hub for this installation; prints what moved. */
export async function syncCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { ...DATA_DIR, hub: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } });
  if (!values.hub || !values.token) throw new UsageError('sync needs --hub URL and --token TOKEN');
  return withCore(values['data-dir'], async (core) => {
    const address = values.hub!.replace(/\/+$/, '');
    if (core.hub.status().address === address) setToken(core.ctx, values.token!);
    else setHub(core.ctx, { address, token: values.token! });
    const summary = await core.hub.run();
    const status = core.hub.status();
    if (values.json) {
      io.out(JSON.stringify({ ...summary, waiting: status.waiting }, null, 2));
      return 0;
    }
    const list = (counts: Record<string, number>) => Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'nothing';
    io.out(`Synced with ${values.hub} as ${summary.identity.email} (${summary.identity.role}).`);
    io.out(`Pushed ${list(summary.pushed)}; pulled ${list(summary.pulled)}.`);
    if (summary.conflicts) io.out(`${plural(summary.conflicts, 'conflict')} to settle in the app.`);
    for (const r of summary.refused) io.out(`Refused ${r.key}: ${r.reason}.`);
    if (summary.stale) io.out(`${plural(summary.stale, 'change')} still stale after merging: run sync again.`);
    return 0;
  });
}
