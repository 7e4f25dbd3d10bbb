// A real n8n (2.40.7 on Node 24, from the tool cache) for end-to-end tests, driven by its CLI.
//
//   const n8n = await createN8n({ install: [packageTarball()] });
//   await n8n.importCredentials([{ id: 'cred1', name: 'MDCA', type: 'mdcaApi', data: { ... } }]);
//   await n8n.importWorkflow({ id: 'wfAlerts1', name: 'alerts', nodes: [...], connections: {...} });
//   const r = await n8n.execute('wfAlerts1');   // { status, ok, runData, raw, ... }
//   expect(outputItems(r, 'MDCA')[0].json).toEqual(...);
//   await n8n.cleanup();
//
// Each instance has its own N8N_USER_FOLDER (temp), SQLite database, encryption key and task
// runner broker port, so several can run at once. Community packages are installed into
// $N8N_USER_FOLDER/.n8n/nodes exactly as n8n's own installer lays them out.
import * as fs from 'fs';
import * as path from 'path';
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import {
  freePort,
  httpRequest,
  makeTempDir,
  mergedCaBundle,
  n8nTool,
  npmInstall,
  removeDir,
  RunResult,
  runCommand,
  sleep,
  stopChild,
  tail,
  track,
} from './n8n-node-red-common';

export { packageTarball } from './n8n-node-red-common';

export interface N8nOptions {
  /** npm specs (tarball paths or folders) installed into $N8N_USER_FOLDER/.n8n/nodes. */
  install?: string[];
  /** Extra environment (merged over the generated one). */
  env?: Record<string, string>;
  /** A PEM file to trust in addition to any NODE_EXTRA_CA_CERTS already set (concatenated). */
  extraCaCertFile?: string;
  /** Defaults to a random key per instance. */
  encryptionKey?: string;
  /** Keep the user folder after cleanup() (for debugging). */
  keep?: boolean;
}

export interface N8nExecution {
  /** Status from the parsed result (e.g. 'success', 'error'). */
  status: string;
  /** status === 'success' and no resultData.error. */
  ok: boolean;
  /** data.resultData.runData: per node name, an array of task runs. */
  runData: Record<string, Array<N8nTaskRun>>;
  /** data.resultData.error, when the run failed. */
  error?: { message?: string; description?: string; [k: string]: unknown };
  /** The whole parsed JSON printed by `n8n execute --rawOutput`. */
  raw: Record<string, unknown>;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface N8nTaskRun {
  data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: unknown }> | null> };
  error?: { message?: string; [k: string]: unknown };
  executionStatus?: string;
  [k: string]: unknown;
}

export interface N8nServer {
  readonly url: string;
  readonly port: number;
  log(): string;
  stop(): Promise<void>;
}

export interface N8nRuntime {
  readonly userFolder: string;
  /** $N8N_USER_FOLDER/.n8n/nodes */
  readonly nodesDir: string;
  /** The environment every n8n command gets. */
  readonly env: NodeJS.ProcessEnv;
  /** Any n8n CLI command (never rejects on exit code). */
  run(args: string[], timeoutMs?: number): Promise<RunResult>;
  /** `n8n import:credentials`; plain `data` is encrypted on import. Missing ids are generated. */
  importCredentials(credentials: Array<Record<string, unknown>>): Promise<string[]>;
  /** `n8n import:workflow`; returns the workflow id (≤ 21 chars; generated when missing). */
  importWorkflow(workflow: Record<string, unknown>): Promise<string>;
  /** Several workflows in one `n8n import:workflow` call (one CLI start instead of N); returns ids. */
  importWorkflows(workflows: Array<Record<string, unknown>>): Promise<string[]>;
  /** `n8n execute --id=<id> --rawOutput`, parsed. Rejects only when no result could be parsed. */
  execute(workflowId: string, timeoutMs?: number): Promise<N8nExecution>;
  /** `n8n publish:workflow --id=<id>` (activates it for server mode; run while no server runs). */
  publishWorkflow(workflowId: string): Promise<void>;
  /** `n8n start` on a free port; resolves when /healthz answers. */
  startServer(timeoutMs?: number): Promise<N8nServer>;
  /** `n8n worker` (queue mode: set EXECUTIONS_MODE=queue and the QUEUE_BULL_REDIS_* env); resolves when its health check answers. */
  startWorker(concurrency?: number, timeoutMs?: number): Promise<N8nServer>;
  cleanup(): Promise<void>;
}

/** Items a node produced on its first output in its first run. */
export function outputItems(exec: Pick<N8nExecution, 'runData'>, nodeName: string, output = 0, run = 0): Array<{ json: Record<string, unknown> }> {
  const runs = exec.runData[nodeName];
  if (!runs || !runs[run]) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(exec.runData).join(', ')})`);
  return (runs[run].data?.main?.[output] ?? []) as Array<{ json: Record<string, unknown> }>;
}

export function randomId(prefix = 'wf'): string {
  return `${prefix}${randomBytes(8).toString('hex')}`.slice(0, 21);
}

/** Parses `n8n execute --rawOutput` stdout: JSON starts at the first line that is exactly `{`. */
export function parseExecuteOutput(stdout: string): Record<string, unknown> | null {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.replace(/\r$/, '') === '{');
  if (start < 0) return null;
  const rest = lines.slice(start);
  try {
    return JSON.parse(rest.join('\n')) as Record<string, unknown>;
  } catch {
    // Log lines may follow the JSON: cut at each closing `}` line from the end.
    for (let end = rest.length - 1; end > 0; end--) {
      if (rest[end].replace(/\r$/, '') !== '}') continue;
      try {
        return JSON.parse(rest.slice(0, end + 1).join('\n')) as Record<string, unknown>;
      } catch {
        /* keep looking */
      }
    }
    return null;
  }
}

export async function createN8n(options: N8nOptions = {}): Promise<N8nRuntime> {
  const { bin, node } = await n8nTool();
  const userFolder = makeTempDir('n8n');
  const nodesDir = path.join(userFolder, '.n8n', 'nodes');
  const workDir = path.join(userFolder, 'work');
  fs.mkdirSync(workDir, { recursive: true });
  try {
    if (options.install && options.install.length) {
      await npmInstall(nodesDir, options.install, ['--install-links', '--omit=peer', '--legacy-peer-deps']);
    }
    const brokerPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
      N8N_USER_FOLDER: userFolder,
      N8N_ENCRYPTION_KEY: options.encryptionKey ?? randomBytes(24).toString('hex'),
      DB_TYPE: 'sqlite',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
      N8N_LOG_LEVEL: 'info',
      N8N_RUNNERS_BROKER_PORT: String(brokerPort),
      N8N_HIDE_USAGE_PAGE: 'true',
      N8N_SECURE_COOKIE: 'false',
      N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
      ...(options.env ?? {}),
    };
    // jest sets NODE_ENV=test, under which n8n's CLI prints nothing at all.
    if (!options.env?.NODE_ENV) delete env.NODE_ENV;
    delete env.JEST_WORKER_ID;
    delete env.NODE_OPTIONS;
    delete env.npm_config_nodedir;
    const ca = mergedCaBundle(options.extraCaCertFile, userFolder, env.NODE_EXTRA_CA_CERTS);
    if (ca) env.NODE_EXTRA_CA_CERTS = ca;

    // Every n8n process starts a task-runner broker: give each command its own port so that
    // commands of one runtime (or of several runtimes) may run at the same time.
    const run = async (args: string[], timeoutMs = 120_000): Promise<RunResult> =>
      runCommand(node, [bin, ...args], {
        cwd: workDir,
        env: options.env?.N8N_RUNNERS_BROKER_PORT ? env : { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
        timeoutMs,
      });
    const mustRun = async (args: string[]): Promise<RunResult> => {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (${r.signal ?? r.code}):\n${tail(r.stdout + r.stderr, 40)}`);
      return r;
    };
    let counter = 0;
    const writeJson = (name: string, data: unknown): string => {
      const f = path.join(workDir, `${name}-${++counter}.json`);
      fs.writeFileSync(f, JSON.stringify(data, null, 2));
      return f;
    };
    const servers = new Set<N8nServer>();
    /** Spawns an n8n process and resolves when its /healthz answers 200. */
    const launch = async (args: string[], extraEnv: Record<string, string>, port: number, timeoutMs: number): Promise<N8nServer> => {
      let out = '';
      const child: ChildProcess = track(spawn(node, [bin, ...args], { cwd: workDir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] }));
      child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      let exited = false;
      const exitP = new Promise<void>((res) => child.on('exit', () => ((exited = true), res())));
      const url = `http://127.0.0.1:${port}`;
      const end = Date.now() + timeoutMs;
      for (;;) {
        if (exited) throw new Error(`n8n ${args[0]} exited before it was healthy:\n${tail(out, 40)}`);
        try {
          if ((await httpRequest('GET', `${url}/healthz`, undefined, {}, 2000)).status === 200) break;
        } catch {
          /* not yet */
        }
        if (Date.now() > end) {
          child.kill('SIGKILL');
          throw new Error(`n8n ${args[0]} was not healthy within ${timeoutMs} ms:\n${tail(out, 40)}`);
        }
        await sleep(500);
      }
      const server: N8nServer = {
        url,
        port,
        log: () => out,
        async stop() {
          servers.delete(server);
          if (!exited) await stopChild(child, exitP, 'SIGTERM', 10_000);
        },
      };
      servers.add(server);
      return server;
    };

    const runtime: N8nRuntime = {
      userFolder,
      nodesDir,
      env,
      run,
      async importCredentials(credentials) {
        const withIds = credentials.map((c) => ({ id: randomId('cr'), ...c }));
        await mustRun(['import:credentials', `--input=${writeJson('credentials', withIds)}`]);
        return withIds.map((c) => String(c.id));
      },
      async importWorkflow(workflow) {
        const [id] = await runtime.importWorkflows([workflow]);
        return id;
      },
      async importWorkflows(workflows) {
        const wfs = workflows.map((workflow) => {
          const id = String(workflow.id ?? randomId());
          if (id.length > 21) throw new Error(`workflow id "${id}" is longer than 21 characters (n8n rejects it)`);
          return { name: id, active: false, settings: {}, connections: {}, ...workflow, id };
        });
        await mustRun(['import:workflow', `--input=${writeJson('workflows', wfs.length === 1 ? wfs[0] : wfs)}`]);
        return wfs.map((w) => w.id);
      },
      async execute(workflowId, timeoutMs = 120_000) {
        const r = await run(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
        const raw = parseExecuteOutput(r.stdout);
        if (!raw) {
          throw new Error(`n8n execute --id=${workflowId} printed no result (${r.signal ?? r.code}):\n${tail(r.stdout + r.stderr, 60)}`);
        }
        // A complete result followed by exit 139 (segfault at exit) is a known n8n 2.x issue: the
        // parsed status decides.
        const data = (raw.data ?? {}) as { resultData?: { runData?: Record<string, N8nTaskRun[]>; error?: N8nExecution['error'] } };
        const error = data.resultData?.error;
        const status = String(raw.status ?? (error ? 'error' : raw.finished ? 'success' : 'unknown'));
        return {
          status,
          ok: status === 'success' && !error,
          runData: data.resultData?.runData ?? {},
          error,
          raw,
          code: r.code,
          signal: r.signal,
          stdout: r.stdout,
          stderr: r.stderr,
        };
      },
      async publishWorkflow(workflowId) {
        await mustRun(['publish:workflow', `--id=${workflowId}`]);
      },
      async startServer(timeoutMs = 90_000) {
        const port = await freePort();
        return launch(['start'], { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' }, port, timeoutMs);
      },
      async startWorker(concurrency = 10, timeoutMs = 90_000) {
        // Each worker answers /healthz on its own port and starts its own task-runner broker.
        const port = await freePort();
        const env = { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
        return launch(['worker', `--concurrency=${concurrency}`], env, port, timeoutMs);
      },
      async cleanup() {
        await Promise.all([...servers].map((s) => s.stop()));
        if (!options.keep) removeDir(userFolder);
      },
    };
    return runtime;
  } catch (e) {
    if (!options.keep) removeDir(userFolder);
    throw e;
  }
}
