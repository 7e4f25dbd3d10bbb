// Helpers shared by the real-host harnesses (n8n-runtime.ts, node-red-runtime.ts,
// browser-runtime.ts): free ports, temp folders, HTTP without keep-alive, CA bundles, the packed
// tarball and the cached tools from scripts/tools/.
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ChildProcess, spawn } from 'child_process';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mdca-${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir && dir.startsWith(os.tmpdir())) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The package tarball built by scripts/test.js (env MDCA_PACKAGE_TARBALL). Throws a helpful error
 * when the suite runs outside `npm test` / `npm run test:e2e:*`.
 */
export function packageTarball(): string {
  const t = process.env.MDCA_PACKAGE_TARBALL;
  if (!t || !fs.existsSync(t)) {
    throw new Error(
      'MDCA_PACKAGE_TARBALL is not set or missing: run end-to-end suites through `npm test`, ' +
        '`npm run test:e2e:n8n` or `npm run test:e2e:node-red` (they build and pack the package first)',
    );
  }
  return t;
}

/**
 * Builds a CA bundle file for NODE_EXTRA_CA_CERTS: the contents of any existing
 * NODE_EXTRA_CA_CERTS (the machine may set it to the system bundle) followed by `extraCaFile`.
 */
export function mergedCaBundle(extraCaFile: string | undefined, dir: string, base = process.env.NODE_EXTRA_CA_CERTS): string | undefined {
  if (!extraCaFile) return base;
  const parts: string[] = [];
  if (base && fs.existsSync(base)) parts.push(fs.readFileSync(base, 'utf8').trimEnd());
  parts.push(fs.readFileSync(extraCaFile, 'utf8').trimEnd());
  const out = path.join(dir, 'extra-ca-bundle.pem');
  fs.writeFileSync(out, `${parts.join('\n')}\n`);
  return out;
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

/** One HTTP request on a fresh socket (no keep-alive reuse, so no ECONNRESET on idle sockets). */
export function httpRequest(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 30000,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode || 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** Children started by the harnesses: killed if the test process exits without cleaning up. */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of children) {
        try {
          c.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
  }
  return child;
}

/** Asks a child to stop with `signal`, waits for `exited`, and kills it if it is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  child.kill(signal);
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(killer);
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, capturing output; never rejects on a non-zero exit. */
export function runCommand(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.gid }));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * `npm i <specs>` inside `dir` (created with a private package.json when missing), without
 * install scripts, audit or fund. Extra npm flags in `flags`.
 */
export async function npmInstall(dir: string, specs: string[], flags: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const pj = path.join(dir, 'package.json');
  if (!fs.existsSync(pj)) fs.writeFileSync(pj, JSON.stringify({ name: 'mdca-e2e-host', version: '0.0.0', private: true }, null, 2));
  const r = await runCommand(
    'npm',
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...flags, ...specs],
    { cwd: dir, env: { ...env, npm_config_ignore_scripts: 'true', npm_config_update_notifier: 'false' }, timeoutMs: 10 * 60000 },
  );
  if (r.code !== 0) {
    throw new Error(`npm install ${specs.join(' ')} in ${dir} failed (${r.signal ?? r.code}):\n${tail(r.stderr + r.stdout, 40)}`);
  }
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---- cached tools (scripts/tools/*.js, CommonJS) ----
type ToolModule = Record<string, (...a: unknown[]) => Promise<Record<string, string>>>;
function tool(name: string): ToolModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(REPO_ROOT, 'scripts', 'tools', `${name}.js`)) as ToolModule;
}

/** Node 24 binary: env MDCA_NODE24 (set by scripts/test.js) or installed on demand. */
export async function node24Binary(): Promise<string> {
  if (process.env.MDCA_NODE24 && fs.existsSync(process.env.MDCA_NODE24)) return process.env.MDCA_NODE24;
  return (await tool('node24').ensureNode24()) as unknown as string;
}

/** n8n bin script and the Node 24 binary that runs it. */
export async function n8nTool(): Promise<{ bin: string; node: string }> {
  const bin = process.env.MDCA_N8N_BIN;
  if (bin && fs.existsSync(bin)) return { bin, node: await node24Binary() };
  const r = await tool('n8n').ensureN8n();
  return { bin: r.bin, node: r.node };
}

/** Node-RED 5 red.js from the tool cache and the Node 24 binary that runs it. */
export async function nodeRed5Tool(): Promise<{ redJs: string; node: string }> {
  const redJs = process.env.MDCA_NODE_RED5_JS;
  if (redJs && fs.existsSync(redJs)) return { redJs, node: await node24Binary() };
  const r = await tool('node-red').ensureNodeRed5();
  return { redJs: r.redJs, node: r.node };
}

/** Node-RED 4 from the repo's devDependencies, run by the current Node (20). */
export function nodeRed4Tool(): { redJs: string; node: string } {
  return { redJs: require.resolve('node-red/red.js', { paths: [REPO_ROOT] }), node: process.execPath };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
