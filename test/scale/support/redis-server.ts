// Starts a private redis-server (Debian's package, scripts/tools/redis.js) on 127.0.0.1 with a
// free port and no persistence; stop() and start() again keep the port (fault tests).
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function redisServerBinary(): string {
  const fromEnv = process.env.MDCA_REDIS_SERVER;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  if (fs.existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  // Installs through apt (cached: a no-op when present).
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'tools', 'redis.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
}

/**
 * For a unit test file's first beforeAll: on a fresh machine the Redis install runs beside the
 * other tool installs (one apt lock, so it may wait minutes behind Chromium and PostgreSQL), and
 * it blocks this worker while it does; a hook with this timeout waits for it instead of failing.
 */
export const REDIS_INSTALL_TIMEOUT_MS = 15 * 60_000;
export function ensureRedisServer(): void {
  redisServerBinary();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.once('data', (d) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}

export class RedisServer {
  private child: ChildProcess | undefined;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-redis-'));
  constructor(
    readonly port: number,
    private readonly extraArgs: string[] = [],
  ) {}

  static async start(extraArgs: string[] = []): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), extraArgs);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const bin = redisServerBinary();
    this.child = spawn(bin, ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on port ${this.port}`);
  }

  /** Kills the server (SIGKILL: like a crash or a network cut) and waits for it to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
