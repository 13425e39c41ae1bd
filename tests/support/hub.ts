import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import type { HubRole } from '../../src/shared/hub';
import { addUser } from '../../src/main/hub/users';
import { setHub } from '../../src/main/core/sync/hub-settings';
import { CLI, runCli } from './cli';
import { serviceUrl, startCluster, type Cluster } from './postgres';
import type { TestCore } from './core';

export interface HubProcess {
  url: string;
  child: ChildProcess;
  /** What it printed (the last 100 KB or so). */
  output(): string;
  stop(): Promise<void>;
}

/** `panelist hub` as its own process, serving as the service role on a free port (`cli`: the built CLI to run). */
export async function startHubProcess(databaseUrl: string, extra: string[] = [], cli = CLI): Promise<HubProcess> {
  const child = spawn(process.execPath, [cli, 'hub', '--database', serviceUrl(databaseUrl), '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub printed no address:\n${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      if (process.env.PANELIST_HUB_LOG) process.stderr.write(chunk);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export interface TestHub {
  cluster: Cluster;
  /** The owner's URL (what `hub init` and the admin commands use). */
  ownerUrl: string;
  owner: pg.Pool;
  addUser(email: string, role: HubRole, publicKey?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A cluster with one database, its schema made by `panelist hub init`. */
export async function startTestHub(name = 'hub'): Promise<TestHub> {
  const cluster = await startCluster();
  const ownerUrl = await cluster.createDatabase(name);
  const init = runCli(['hub', 'init', '--database', ownerUrl]);
  if (init.code !== 0) throw new Error(`hub init failed: ${init.stderr}`);
  const owner = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  return {
    cluster,
    ownerUrl,
    owner,
    async addUser(email, role, publicKey) {
      return (await addUser(owner, { email, role, publicKey: publicKey ?? null })).token;
    },
    async stop() {
      await owner.end();
      cluster.stop();
    },
  };
}

/** A desktop joins the hub with its own key bound to its user, and the token set under Settings. */
export async function joinHub(hub: TestHub, core: TestCore, address: string, role: HubRole): Promise<string> {
  const me = await core.value('me:get', {});
  const token = await hub.addUser(me.email, role, core.ctx.keys.publicKey);
  setHub(core.ctx, { address, token });
  return token;
}
