// A private PostgreSQL cluster for n8n's queue mode (test/e2e-scale): initdb into a temp folder,
// trust authentication, listening on 127.0.0.1 with a free port and its socket in that folder.
// PostgreSQL refuses to run as root: when the tests run as root (CI), the cluster runs as the
// "postgres" user that Debian's package creates.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPO_ROOT, runCommand, sleep, stopChild, tail, track } from './n8n-node-red-common';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** n8n's DB_* variables for this cluster. */
  n8nEnv(): Record<string, string>;
  stop(): Promise<void>;
}

function binDir(): string {
  const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'tools', 'postgres.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
}

function runAs(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
  const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
  return { uid: Number(ids), gid: Number(gid) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const ids = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-postgres-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  if (ids.uid !== undefined) {
    fs.chownSync(dir, ids.uid, ids.gid!);
    fs.chownSync(data, ids.uid, ids.gid!);
  }
  const user = 'n8n';
  const database = 'postgres';
  const init = await runCommand(path.join(bin, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-sync'], { cwd: dir, env: { ...process.env, LC_ALL: 'C' }, timeoutMs: 60_000, ...ids });
  if (init.code !== 0) throw new Error(`initdb failed (${init.signal ?? init.code}):\n${tail(init.stdout + init.stderr, 30)}`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = track(
    spawn(path.join(bin, 'postgres'), ['-D', data, '-c', 'listen_addresses=127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...ids,
    }),
  );
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  let exited = false;
  const exit = new Promise<void>((res) => child.on('exit', () => ((exited = true), res())));
  const deadline = Date.now() + 30_000;
  while (!/ready to accept connections/.test(output)) {
    if (exited) throw new Error(`postgres exited during start:\n${tail(output, 30)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`postgres did not start within 30 s:\n${tail(output, 30)}`);
    }
    await sleep(100);
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    database,
    n8nEnv: () => ({
      DB_TYPE: 'postgresdb',
      DB_POSTGRESDB_HOST: '127.0.0.1',
      DB_POSTGRESDB_PORT: String(port),
      DB_POSTGRESDB_DATABASE: database,
      DB_POSTGRESDB_USER: user,
      DB_POSTGRESDB_PASSWORD: '',
    }),
    async stop() {
      // SIGINT = fast shutdown (no waiting for clients).
      if (!exited) await stopChild(child, exit, 'SIGINT', 10_000);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
