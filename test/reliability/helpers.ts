// Shared pieces of the reliability suite (docs/reliability.md): a client on the FakeTime clock with
// the real axios transport and real msal provider, a driver that moves fake time while real I/O
// runs, a capturing logger, and a transport spy that fails a test if anything is sent.
import type { RunningEmulator } from '../../emulator';
import {
  cloudByName,
  HttpRequest,
  HttpResponse,
  HttpTransport,
  Logger,
  MdcaClient,
  MdcaClientConfig,
  RetryOptions,
  SlidingWindowPacer,
  TokenProvider,
} from '../../core';
import { createTokenProvider, providerEnvironment, sharedTransport } from '../../runtime';
import type { AuthSettings } from '../../runtime/settings';
import { authFor, EmulatorAuthKind } from '../support/emulator-settings';
import { FakeTime } from '../support/fake-time';
import { fastSettings } from '../core/helpers';

/** A FakeTime whose clock starts at the real time (msal's expiresOn is real-time based). */
export async function realStartFakeTime(): Promise<FakeTime> {
  const time = new FakeTime();
  await time.advance(Date.now() - time.clock.now());
  return time;
}

let providerSeq = 0;

export interface FakeClientOptions {
  tenant?: string;
  kind?: EmulatorAuthKind | AuthSettings;
  retry?: RetryOptions;
  pacing?: { budget?: number; windowMs?: number };
  tokenProvider?: TokenProvider;
  logger?: Logger;
  timeoutMs?: number;
  operationDeadlineMs?: number;
  transport?: HttpTransport;
  /** The pacer's and pipeline's clock also drive the provider's cache when true (default false: msal stays on real time). */
  providerOnFakeClock?: boolean;
}

/** MdcaClient wired like createMdcaClient, but with the FakeTime clock/sleep and its own pacer. */
export function fakeTimeClient(emulator: RunningEmulator, time: FakeTime, options: FakeClientOptions = {}): { client: MdcaClient; pacer: SlidingWindowPacer; provider: TokenProvider } {
  const tenant = options.tenant ?? 'contoso';
  const settings = fastSettings(emulator, options.kind ?? 'appSecret', tenant);
  const auth = typeof options.kind === 'object' ? options.kind : authFor(emulator, (options.kind as EmulatorAuthKind) ?? 'appSecret', tenant);
  const env = providerEnvironment(settings);
  const provider =
    options.tokenProvider ?? createTokenProvider(auth, options.providerOnFakeClock ? { ...env, clock: time.clock } : env, `reliability-${++providerSeq}`);
  const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: options.pacing?.budget ?? 28, windowMs: options.pacing?.windowMs ?? 60_000 });
  const config: MdcaClientConfig = {
    cloud: cloudByName('commercial'),
    apiUrl: settings.apiUrl,
    transport: options.transport ?? sharedTransport(emulator.caPem),
    tokenProvider: provider,
    clock: time.clock,
    sleep: time.sleep,
    pacer,
    logger: options.logger,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    operationDeadlineMs: options.operationDeadlineMs,
    testing: { allowHosts: settings.testing!.allowHosts, authorityHost: emulator.identityUrl },
  };
  return { client: new MdcaClient(config), pacer, provider };
}

/**
 * Awaits `work` while moving fake time forward whenever a fake timer is pending and no real I/O
 * made progress for a moment. Returns the result and the fake time that passed.
 */
export async function drive<T>(time: FakeTime, work: Promise<T>, stepMs = 250): Promise<{ value?: T; error?: unknown; elapsedMs: number }> {
  const start = time.clock.now();
  let settled = false;
  let value: T | undefined;
  let error: unknown;
  work.then(
    (v) => {
      settled = true;
      value = v;
    },
    (e) => {
      settled = true;
      error = e;
    },
  );
  while (!settled) {
    await realDelay(3);
    if (!settled && time.pending() > 0) await time.advance(stepMs);
  }
  return { value, error, elapsedMs: time.clock.now() - start };
}

export const realDelay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Records every log call; `text()` is everything written, for canary and injection checks. */
export class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n');
  }
}

/** A transport that records calls and answers with a canned response (or fails the test). */
export class SpyTransport implements HttpTransport {
  readonly calls: HttpRequest[] = [];
  constructor(private readonly answer: (request: HttpRequest) => HttpResponse = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":[],"hasNext":false,"total":0}' })) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    this.calls.push(request);
    return this.answer(request);
  }
}

/** A provider with a fixed legacy token and no network (permission preflight is skipped for legacy tokens). */
export function staticTokenProvider(token = 'StaticLegacyToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN', scheme: 'Token' | 'Bearer' = 'Token', expiresOnMs?: number): TokenProvider & { calls: number } {
  const provider = {
    cacheKey: `static-${++providerSeq}`,
    calls: 0,
    async getToken() {
      provider.calls++;
      return { token, scheme, expiresOnMs };
    },
  };
  return provider;
}

/** Active timers of this process (setTimeout/setInterval), for "no timer left behind" checks. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
