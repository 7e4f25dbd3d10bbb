// Secret canaries of the outbound proxy (docs/networking.md), for audit:secrets: a proxy password
// in the connection's proxy URL and in HTTPS_PROXY, through a real proxy (Debian's tinyproxy,
// test/support/proxy-server.ts) and through every proxy failure (unreachable, 407 without and
// with wrong credentials, a refused tunnel, an invalid URL), and echoed back by the identity
// service and the API. Every error is serialized every way a host could show it, with everything
// a Logger received. Hits go to test-results/canary-hits/proxy.json.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { startEmulator, RunningEmulator, Fault } from '../../emulator';
import { MdcaClient, MdcaError } from '../../core';
import { createMdcaClient } from '../../runtime';
import type { ConnectionSettings } from '../../runtime/settings';
import { fastSettings } from '../core/helpers';
import { freePort, ProxyServer, tinyproxyBinary, TINYPROXY_INSTALL_TIMEOUT_MS } from '../support/proxy-server';
import { CapturingLogger } from './helpers';

const USER = 'soc-canary';
// Shaped like ordinary words (tinyproxy takes [-a-z0-9._] only): only redaction by value removes it.
const PASSWORD = 'CANARYproxypass-otter.kelp_91c';
const CANARIES: Record<string, string> = {
  proxyPassword: PASSWORD,
  proxyBasic: Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
  envProxyPassword: 'CANARYenvproxy-badger.fern_07',
};
const FRAGMENT = 12;
const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

let emulator: RunningEmulator;
let guarded: ProxyServer;
let limited: ProxyServer;
const saved: Record<string, string | undefined> = {};
const hits: { test: string; canary: string; where: string }[] = [];
let checked = 0;

beforeAll(() => {
  tinyproxyBinary();
}, TINYPROXY_INSTALL_TIMEOUT_MS);
beforeAll(async () => {
  for (const name of PROXY_ENV) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  guarded = await ProxyServer.start({ basicAuth: { user: USER, password: PASSWORD } });
  limited = await ProxyServer.start({ basicAuth: { user: USER, password: PASSWORD }, connectPorts: [443] });
});
afterAll(async () => {
  for (const name of PROXY_ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await Promise.all([guarded?.close(), limited?.close()]);
  await emulator?.close();
  const dir = path.resolve(__dirname, '../../test-results/canary-hits');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'proxy.json'), JSON.stringify({ suite: 'proxy', checked, hits: hits.length, details: hits }, null, 2));
});
afterEach(() => {
  for (const name of PROXY_ENV) delete process.env[name];
  emulator.control.clearFaults('contoso');
  emulator.control.clearTokenFaults();
});

function scan(where: string, value: unknown, logger?: CapturingLogger): void {
  const parts: string[] = [];
  if (value instanceof Error) {
    parts.push(JSON.stringify(value), util.inspect(value, { depth: 10, showHidden: true }), String(value.stack), String(value), value.message);
    if (value instanceof MdcaError) parts.push(value.hint, JSON.stringify(value.toSummary()));
  } else if (value !== undefined) {
    parts.push(util.inspect(value, { depth: 10 }), JSON.stringify(value) ?? '');
  }
  if (logger) parts.push(logger.text());
  const text = parts.join('\n');
  checked++;
  const test = expect.getState().currentTestName ?? '';
  for (const [name, secret] of Object.entries(CANARIES)) {
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) hits.push({ test, canary: name, where });
    else if (fragmentOf(secret, text)) hits.push({ test, canary: `${name} (a piece of it)`, where });
  }
}

function fragmentOf(secret: string, text: string): boolean {
  for (let i = 0; i + FRAGMENT <= secret.length; i++) if (text.includes(secret.slice(i, i + FRAGMENT))) return true;
  return false;
}

async function attempt(where: string, client: MdcaClient, logger: CapturingLogger): Promise<void> {
  try {
    const outcome = await client.run('alert.getAll', {}, { maxItems: 2 });
    const pages: unknown[] = [];
    if (outcome.kind === 'pages') for await (const page of outcome.pages) pages.push(page);
    scan(where, pages, logger);
  } catch (error) {
    expect(error).toBeInstanceOf(MdcaError);
    scan(where, error, logger);
  }
}

function clientFor(kind: 'appSecret' | 'userPassword' | 'apiToken', extra: Partial<ConnectionSettings>, logger: CapturingLogger): MdcaClient {
  return createMdcaClient(fastSettings(emulator, kind, 'contoso', { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 20 }, ...extra }), { logger });
}

const withPassword = (server: ProxyServer, password = PASSWORD) => server.url({ user: USER, password });

test('canary: every proxy failure, with the password in the connection field and in HTTPS_PROXY', async () => {
  const dead = `http://${USER}:${PASSWORD}@127.0.0.1:${await freePort()}`;
  const cases: [string, Partial<ConnectionSettings>, Record<string, string>][] = [
    ['works through the proxy', { proxyUrl: withPassword(guarded) }, {}],
    ['unreachable proxy (field)', { proxyUrl: dead }, {}],
    ['unreachable proxy (HTTPS_PROXY)', {}, { HTTPS_PROXY: dead }],
    ['wrong password (field)', { proxyUrl: withPassword(guarded, CANARIES.envProxyPassword) }, {}],
    ['wrong password (HTTPS_PROXY)', {}, { HTTPS_PROXY: withPassword(guarded, CANARIES.envProxyPassword) }],
    ['no credentials, env password elsewhere', { proxyUrl: guarded.url() }, { HTTP_PROXY: `http://${USER}:${CANARIES.envProxyPassword}@127.0.0.1:9` }],
    ['refused tunnel', { proxyUrl: withPassword(limited) }, {}],
  ];
  for (const [where, extra, env] of cases) {
    for (const kind of ['appSecret', 'userPassword', 'apiToken'] as const) {
      for (const name of PROXY_ENV) delete process.env[name];
      Object.assign(process.env, env);
      const logger = new CapturingLogger();
      await attempt(`${where} / ${kind}`, clientFor(kind, extra, logger), logger);
    }
  }
  expect(hits).toEqual([]);
}, 120_000);

test('canary: an invalid proxy URL carrying the password is refused without showing it', () => {
  for (const [where, proxyUrl, env] of [
    ['socks field', `socks5://${USER}:${PASSWORD}@127.0.0.1:1080`, {}],
    ['path in field', `http://${USER}:${PASSWORD}@127.0.0.1:3128/x?y=${PASSWORD}`, {}],
    ['ftp in HTTPS_PROXY', undefined, { HTTPS_PROXY: `ftp://${USER}:${CANARIES.envProxyPassword}@proxy:21` }],
  ] as const) {
    for (const name of PROXY_ENV) delete process.env[name];
    Object.assign(process.env, env);
    try {
      createMdcaClient(fastSettings(emulator, 'appSecret', 'contoso', proxyUrl ? { proxyUrl } : {}));
      hits.push({ test: 'invalid proxy URL', canary: 'none', where: `${where}: accepted` });
    } catch (error) {
      expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID' });
      scan(where, error);
    }
  }
  expect(hits).toEqual([]);
});

test('canary: the identity service and the API echo the proxy password back', async () => {
  const echo = `proxy said: Proxy-Authorization: Basic ${CANARIES.proxyBasic}; pass ${PASSWORD}`;
  const apiFaults: Fault[] = [
    { status: 400, body: { detail: echo } },
    { status: 500, body: `<html>${echo}</html>`, contentType: 'text/html', times: 4 },
    { status: 200, body: `<html>${echo}</html>`, contentType: 'text/html' },
  ];
  for (const [i, fault] of apiFaults.entries()) {
    emulator.control.clearFaults('contoso');
    emulator.control.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/alerts' } } as Fault]);
    const logger = new CapturingLogger();
    await attempt(`API echo ${i}`, clientFor('apiToken', { proxyUrl: withPassword(guarded) }, logger), logger);
  }
  emulator.control.injectTokenFaults([{ status: 400, body: { error: 'invalid_client', error_description: `AADSTS7000215: ${echo}`, error_codes: [7000215] }, times: 3 } as Fault]);
  const logger = new CapturingLogger();
  // A proxy URL of its own (trailing slash): a token provider of its own, which asks the identity service again.
  await attempt('token echo', clientFor('userPassword', { proxyUrl: `${withPassword(guarded)}/` }, logger), logger);
  expect(hits).toEqual([]);
}, 60_000);
