// Shared setup for the benchmarks: mode and time scale, emulator and client construction, a bare
// axios client with the same TLS agent settings as the core transport, timing helpers and the
// result format the runner (bench/run.js) collects.
import { writeFileSync } from 'node:fs';
import https from 'node:https';
import axios, { AxiosInstance } from 'axios';
import { startEmulator, RunningEmulator, TenantOptions } from '../../emulator';
import { MdcaClient, SlidingWindowPacer, cloudByName } from '../../core';
import { createMdcaClient, createTokenProvider, providerEnvironment, sharedTransport, realSleep, systemClock, trustedCas } from '../../runtime';
import type { ConnectionSettings } from '../../runtime/settings';
import { authFor, settingsFor } from '../../test/support/emulator-settings';

export const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');

/**
 * Time scale: the real MDCA limit is 30 requests per rolling 60 s. The benchmarks shrink the window
 * (quick: 6 s, full: 20 s) and scale every time constant (pacer window, MCAS sleeps) the same way.
 */
export const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS) || (QUICK ? 6_000 : 20_000);
export const SCALE = WINDOW_MS / 60_000;
export const LIMIT = 30;
export const BUDGET = 28;

export interface Figure {
  id: string;
  label: string;
  value: number | string | null;
  unit?: string;
  /** e.g. ">= 0.93"; absent for figures that are context, not targets. */
  target?: string;
  pass?: boolean;
  /** What it compares / how it was measured. */
  note?: string;
}

export interface BenchResult {
  bench: string;
  mode: 'quick' | 'full';
  windowMs: number;
  figures: Figure[];
  details?: Record<string, unknown>;
}

export function figure(id: string, label: string, value: number | string | null, unit?: string, target?: { op: '>=' | '<=' | '=='; value: number }, note?: string): Figure {
  const f: Figure = { id, label, value: typeof value === 'number' ? round(value) : value, unit, note };
  if (target) {
    f.target = `${target.op} ${target.value}`;
    if (typeof value === 'number') {
      f.pass = target.op === '>=' ? value >= target.value : target.op === '<=' ? value <= target.value : value === target.value;
    } else f.pass = false;
  }
  return f;
}

export function round(n: number, digits = 3): number {
  if (!Number.isFinite(n)) return n;
  const p = 10 ** digits;
  return Math.round(n * p) / p;
}

/** Writes the result where the runner wants it (BENCH_OUT) and prints a short summary. */
export function emit(result: BenchResult): void {
  const out = process.env.BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify(result, null, 2));
  else console.log(JSON.stringify(result, null, 2));
}

/** Runs a benchmark body with an emulator, always closing it, and exits (no dangling handles). */
export async function main(name: string, body: () => Promise<Omit<BenchResult, 'bench' | 'mode' | 'windowMs'>>): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error(`${name}: hard time limit reached`);
    process.exit(3);
  }, Number(process.env.BENCH_TIMEOUT_MS) || 20 * 60_000);
  hardStop.unref();
  try {
    const partial = await body();
    emit({ bench: name, mode: QUICK ? 'quick' : 'full', windowMs: WINDOW_MS, ...partial });
    process.exit(0);
  } catch (error) {
    console.error(`${name} failed:`, error);
    process.exit(1);
  }
}

export async function withEmulator<T>(tenants: TenantOptions[], fn: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ tenants });
  try {
    return await fn(emulator);
  } finally {
    await emulator.close();
  }
}

/** A throttled tenant at the benchmark's time scale (30 per WINDOW_MS, sliding window, Retry-After). */
export function throttledTenant(name: string, counts: TenantOptions['counts'] = {}, windowMs = WINDOW_MS): TenantOptions {
  return { name, counts, throttle: { limit: LIMIT, windowMs, retryAfterHeader: true } };
}

export function openTenant(name: string, counts: TenantOptions['counts'] = {}): TenantOptions {
  return { name, counts, throttle: false };
}

/** Connection settings as a user would configure them, with the pacer scaled to the bench window. */
export function benchSettings(emulator: RunningEmulator, tenant: string, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return settingsFor(emulator, 'appSecret', tenant, { pacing: { budget: BUDGET, windowMs: WINDOW_MS }, ...extra });
}

/** The client a host builds (shared transport, shared token provider, shared per-process pacer). */
export function coreClient(emulator: RunningEmulator, tenant: string, extra: Partial<ConnectionSettings> = {}): MdcaClient {
  return createMdcaClient(benchSettings(emulator, tenant, extra));
}

/** A client with its own cold token provider and pacer (as test/core/reliability.test.ts builds one). */
export function isolatedClient(emulator: RunningEmulator, tenant: string, pacerBudget = 10_000): MdcaClient {
  const settings = benchSettings(emulator, tenant);
  const provider = createTokenProvider(authFor(emulator, 'appSecret', tenant), providerEnvironment(settings), `bench-${tenant}-${Date.now()}`);
  return new MdcaClient({
    cloud: cloudByName('commercial'),
    apiUrl: settings.apiUrl,
    transport: sharedTransport(emulator.caPem),
    tokenProvider: provider,
    clock: systemClock,
    sleep: realSleep,
    pacer: new SlidingWindowPacer(systemClock, realSleep, { budget: pacerBudget, windowMs: WINDOW_MS }),
    testing: { allowHosts: settings.testing!.allowHosts, authorityHost: emulator.identityUrl },
  });
}

/** A bearer token for the hand-written loops (fetched once, like a token pasted into a header). */
export async function bearerToken(emulator: RunningEmulator, tenant: string): Promise<string> {
  const settings = benchSettings(emulator, tenant);
  const provider = createTokenProvider(authFor(emulator, 'appSecret', tenant), providerEnvironment(settings), `bench-raw-${tenant}`);
  const token = await provider.getToken({});
  return `${token.scheme} ${token.token}`;
}

export interface BareHttp {
  axios: AxiosInstance;
  agent: https.Agent;
  close(): void;
}

/** Bare axios with the core transport's agent settings (keep-alive, 16 sockets, emulator CA). */
export function bareAxios(caPem: string): BareHttp {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: trustedCas(caPem) });
  const instance = axios.create({ httpsAgent: agent, maxRedirects: 0, validateStatus: () => true, proxy: false, responseType: 'text', transformResponse: [(d: unknown) => d] });
  return { axios: instance, agent, close: () => agent.destroy() };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const nowMs = () => performance.now();

/** Deterministic PRNG (mulberry32) so fault placement is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function scaleNote(windowMs = WINDOW_MS): string {
  return `time-scaled: 30 requests per ${windowMs / 1000} s window (real MDCA: 30 per 60 s; ×${round(60_000 / windowMs, 2)})`;
}
