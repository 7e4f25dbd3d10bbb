// A child process of the scale tests: builds MDCA clients with the Redis pacer and token cache
// against the emulator, as one n8n worker or Node-RED instance would, and runs the jobs it is sent
// over IPC. Started with `fork(worker.ts, { execArgv: ['-r', register.js] })`.
import { createMdcaClient } from '../../../runtime';
import { closeSharedRedis, RedisSettings, RespClient, sharedRedis, SharedTokenProvider } from '../../../runtime/redis';
import type { ConnectionSettings } from '../../../runtime/settings';
import type { AccessToken, Logger, TokenProvider } from '../../../core/ports';
import { systemClock } from '../../../runtime/timers';
import { MDE_SERVICE } from '../../../core/services/mde';
import { createServiceClient, ServiceConnection } from '../../../runtime/create-service-client';
import { ContainmentAction, runAllAtOnce } from '../../support/concurrent-containment';

export interface Job {
  tenant: string;
  ops: number;
  concurrency: number;
  /** Default ipRange.getAll: one request, cheap for the emulator (alert lists cost it ~100 ms). */
  operation?: string;
}

export type WorkerMessage =
  | { type: 'run'; settings: Record<string, ConnectionSettings>; redis?: RedisSettings; jobs: Job[] }
  | { type: 'token'; settings: ConnectionSettings; redis: RedisSettings; count: number }
  | { type: 'holdLock'; redis: RedisSettings; cacheKey: string; lockTtlMs: number }
  | { type: 'containment'; connection: ServiceConnection; redis?: RedisSettings; clients: number; actions: ContainmentAction[] }
  | { type: 'exit' };

export interface OpRecord {
  tenant: string;
  ok: boolean;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export interface RunResult {
  type: 'done';
  records: OpRecord[];
  pacer: { shared: number; fallback: number; redisErrors: number } | undefined;
  modes: string[];
  tokenStats?: unknown;
}

const send = (m: unknown) => process.send?.(m);
const modes: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: (m) => modes.push(`info: ${m}`),
  warn: (m) => modes.push(`warn: ${m}`),
  error: (m) => modes.push(`error: ${m}`),
};

async function run(msg: Extract<WorkerMessage, { type: 'run' }>): Promise<RunResult> {
  const records: OpRecord[] = [];
  let done = 0;
  const total = msg.jobs.reduce((n, j) => n + j.ops, 0);
  await Promise.all(
    msg.jobs.map(async (job) => {
      const client = createMdcaClient(msg.settings[job.tenant], { redis: msg.redis, logger });
      let next = 0;
      await Promise.all(
        Array.from({ length: job.concurrency }, async () => {
          while (next < job.ops) {
            next++;
            const startedAt = Date.now();
            try {
              const outcome = await client.run(job.operation ?? 'ipRange.getAll', {}, { maxItems: 5, skipPermissionCheck: true });
              if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
              records.push({ tenant: job.tenant, ok: true, startedAt, endedAt: Date.now() });
            } catch (error) {
              records.push({ tenant: job.tenant, ok: false, error: (error as Error).message, startedAt, endedAt: Date.now() });
            }
            done++;
            if (done % 5 === 0 || done === total) send({ type: 'progress', done, total });
          }
        }),
      );
    }),
  );
  const sharing = msg.redis ? sharedRedis(msg.redis, logger) : undefined;
  const budget = Object.values(msg.settings)[0]?.pacing;
  const pacer = sharing?.pacer(budget?.budget, budget?.windowMs);
  return { type: 'done', records, pacer: pacer ? { ...pacer.stats } : undefined, modes };
}

/** Defender for Endpoint containment actions, all at once, spread over `clients` clients of this process. */
async function containment(msg: Extract<WorkerMessage, { type: 'containment' }>) {
  const clients = Array.from({ length: msg.clients }, () => createServiceClient(MDE_SERVICE, msg.connection, { redis: msg.redis, logger }));
  return { type: 'done', reports: await runAllAtOnce(clients, msg.actions), modes };
}

/** Many concurrent getToken calls through the shared cache; reports the tokens seen. */
async function token(msg: Extract<WorkerMessage, { type: 'token' }>) {
  const client = createMdcaClient(msg.settings, { redis: msg.redis, logger });
  void client;
  const sharing = sharedRedis(msg.redis, logger);
  // The provider the client uses is the process-wide one for this credential.
  const { sharedTokenProvider, providerEnvironment, validateAuthSettings } = await import('../../../runtime');
  const inner = sharedTokenProvider(validateAuthSettings(msg.settings.auth), providerEnvironment(msg.settings));
  const secret = (msg.settings.auth as { clientSecret?: string }).clientSecret as string;
  const provider = sharing.tokenProvider(inner, secret) as SharedTokenProvider;
  const tokens = await Promise.all(Array.from({ length: msg.count }, () => provider.getToken()));
  return { type: 'done', tokens: [...new Set(tokens.map((t: AccessToken) => t.token.slice(-12)))], tokenStats: { ...provider.stats }, modes };
}

/** Takes the token lock through a provider whose fetch never ends, reports it, and waits to be killed. */
async function holdLock(msg: Extract<WorkerMessage, { type: 'holdLock' }>) {
  const never: TokenProvider = { cacheKey: msg.cacheKey, getToken: () => new Promise<AccessToken>(() => undefined) };
  const provider = new SharedTokenProvider(never, new RespClient({ url: msg.redis.url }), 'lock-holder-secret', { prefix: msg.redis.keyPrefix, lockTtlMs: msg.lockTtlMs, clock: systemClock });
  void provider.getToken();
  const probe = new RespClient({ url: msg.redis.url });
  const lockKey = `${msg.redis.keyPrefix ?? 'mdca:'}token:{${msg.cacheKey}}:lock`;
  for (;;) {
    if ((await probe.command(['EXISTS', lockKey])) === 1) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  send({ type: 'locked' });
}

process.on('message', (msg: WorkerMessage) => {
  const handle = async () => {
    switch (msg.type) {
      case 'run':
        return run(msg);
      case 'token':
        return token(msg);
      case 'containment':
        return containment(msg);
      case 'holdLock':
        await holdLock(msg);
        return undefined;
      case 'exit':
        closeSharedRedis();
        process.exit(0);
    }
  };
  handle().then(
    (result) => result && send(result),
    (error) => send({ type: 'error', message: (error as Error).stack ?? String(error) }),
  );
});
send({ type: 'ready' });
