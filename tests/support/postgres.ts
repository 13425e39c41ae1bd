import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throw-away PostgreSQL cluster for the hub's tests: initdb in a temp folder, started with pg_ctl
 * on a free loopback port, trust authentication on loopback only. PostgreSQL refuses to run as
 * root, so as root it runs as the `postgres` user (runuser). Where PostgreSQL is not installed,
 * `postgresMissing` says why, for `describe.skipIf`.
 */

function binDir(): string | null {
  if (process.env.PANELIST_PG_BIN) return process.env.PANELIST_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .map(Number)
    .filter((v) => v >= 15)
    .sort((a, b) => b - a);
  return versions.length ? join(base, String(versions[0]), 'bin') : null;
}

const BIN = binDir();
const AS_ROOT = process.getuid?.() === 0;

export const postgresMissing: string | false =
  !BIN || !existsSync(join(BIN, 'initdb'))
    ? 'PostgreSQL 15+ is not installed (apt-get install -y postgresql), so the team hub tests cannot run'
    : AS_ROOT && spawnSync('id', ['postgres']).status !== 0
      ? 'running as root without a postgres user to run PostgreSQL as'
      : false;

function run(command: string, args: string[]): void {
  const [cmd, argv] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Cluster {
  port: number;
  /** A superuser's URL for a database of the cluster. */
  url(database?: string): string;
  /** A new, empty database; its superuser URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

export async function startCluster(): Promise<Cluster> {
  if (postgresMissing || !BIN) throw new Error(postgresMissing || 'no PostgreSQL');
  const dir = mkdtempSync(join(tmpdir(), 'panelist-pg-'));
  if (AS_ROOT) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  run(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`, 'start']);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      try {
        run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The same database as the service role sees it (the role `hub init` creates; trust on loopback). */
export function serviceUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = 'panelist_service';
  return url.toString();
}
