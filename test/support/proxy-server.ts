// A real outbound proxy for the proxy tests: Debian's tinyproxy (scripts/tools/tinyproxy.js
// installs it), one private instance per test file on a free port, with its own configuration and
// log. Its log says which tunnels it opened ("Request (file descriptor N): CONNECT host:port").
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** On a fresh machine the first run installs tinyproxy through apt, behind the project's apt lock. */
export const TINYPROXY_INSTALL_TIMEOUT_MS = 15 * 60_000;

export function tinyproxyBinary(): string {
  const fromEnv = process.env.MDCA_TINYPROXY;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  if (fs.existsSync('/usr/bin/tinyproxy')) return '/usr/bin/tinyproxy';
  const out = execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'tools', 'tinyproxy.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop() as string;
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

export interface ProxyServerOptions {
  /** Require this user name and password (tinyproxy BasicAuth). */
  basicAuth?: { user: string; password: string };
  /** Allow CONNECT only to these ports (tinyproxy ConnectPort); others are refused with 403. */
  connectPorts?: number[];
}

export class ProxyServer {
  private child: ChildProcess | undefined;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-proxy-'));
  private readonly logFile = path.join(this.dir, 'tinyproxy.log');
  private logOffset = 0;

  private constructor(readonly port: number) {}

  static async start(options: ProxyServerOptions = {}): Promise<ProxyServer> {
    const server = new ProxyServer(await freePort());
    await server.run(options);
    return server;
  }

  /** http://[user:password@]127.0.0.1:port */
  url(credentials?: { user: string; password: string }): string {
    const auth = credentials ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@` : '';
    return `http://${auth}127.0.0.1:${this.port}`;
  }

  private async run(options: ProxyServerOptions): Promise<void> {
    const config = [
      `Port ${this.port}`,
      'Listen 127.0.0.1',
      'Timeout 120',
      'MaxClients 100',
      'LogLevel Connect',
      `LogFile "${this.logFile}"`,
      `PidFile "${path.join(this.dir, 'tinyproxy.pid')}"`,
      'DisableViaHeader Yes',
      ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`] : []),
      ...(options.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
    ];
    const configFile = path.join(this.dir, 'tinyproxy.conf');
    fs.writeFileSync(configFile, `${config.join('\n')}\n`);
    fs.writeFileSync(this.logFile, '');
    // Run as root, tinyproxy warns that no User is set and keeps running as root.
    this.child = spawn(tinyproxyBinary(), ['-d', '-c', configFile], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await accepts(this.port)) return;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    this.child.kill('SIGKILL');
    throw new Error(`tinyproxy did not listen on port ${this.port}: ${fs.readFileSync(this.logFile, 'utf8').slice(-2000)}`);
  }

  /** Every CONNECT target (host:port) the proxy was asked for, in order. */
  connects(): string[] {
    const log = fs.readFileSync(this.logFile, 'utf8');
    return [...log.matchAll(/Request \(file descriptor \d+\): CONNECT (\S+) HTTP\/1\.[01]/g)].map((m) => m[1]);
  }

  /** The CONNECT targets since the last call of this (or of start). */
  newConnects(): string[] {
    const all = this.connects();
    const fresh = all.slice(this.logOffset);
    this.logOffset = all.length;
    return fresh;
  }

  log(): string {
    return fs.readFileSync(this.logFile, 'utf8');
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => done(true));
  });
}
