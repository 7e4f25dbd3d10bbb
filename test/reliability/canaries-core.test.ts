// Secret canaries through the core and runtime (case 21 in docs/reliability.md): canary client
// secret, certificate private key, password, refresh token, access token and legacy API token are
// planted, every error path is forced (bad credentials, 4xx/5xx/429 bodies echoing the secrets,
// token-endpoint faults, network and TLS errors, invalid responses, validation errors), and every
// error is serialized with JSON.stringify, util.inspect, .stack and toString, together with
// everything a Logger received. Hits are written to test-results/canary-hits/core.json for
// audit:secrets.
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { startEmulator, RunningEmulator, Fault } from '../../emulator';
import type { ResponseFault } from '../../emulator/faults';
import { createTlsMaterial } from '../../emulator/tls';
import { cloudByName, MdcaClient, MdcaError, OperationOutcome, SlidingWindowPacer } from '../../core';
import { createMdcaClient, realSleep, sharedTransport, systemClock } from '../../runtime';
import { sharedRedis } from '../../runtime/redis';
import { EMULATOR_APP_FULL, EMULATOR_USER_PASSWORD } from '../../emulator/seed-credentials';
import { RedisServer, ensureRedisServer, REDIS_INSTALL_TIMEOUT_MS } from '../scale/support/redis-server';
import { xdrClient } from '../xdr/helpers';
import type { AuthSettings, ConnectionSettings } from '../../runtime/settings';
import { fastSettings } from '../core/helpers';
import { CapturingLogger, staticTokenProvider } from './helpers';

let emulator: RunningEmulator;
const hits: { test: string; canary: string; where: string }[] = [];
let checked = 0;

const fresh = createTlsMaterial();
const keyBody = fresh.serverKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const CANARIES: Record<string, string> = {
  // Entra client secrets are 40 characters of [A-Za-z0-9~._-] with "Q~" after the first three.
  clientSecret: 'Cn8Q~k2Vf.Zp9_Lq3~Ww7Xy1Rt5Uv-Ab4Cd6Ef8G',
  password: 'CANARYpassword!51d0e8a7',
  refreshToken: 'CANARYrefresh.0aa1bb2cc3dd4ee5ff6',
  privateKey: keyBody.slice(100, 160),
  legacyToken: 'CANARY0legacy0token0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ',
};
// Secrets that look like ordinary words: no shape rule catches them, only redaction by value does
// (the threat model in docs/reliability.md). The emulator's own client secret and password are of
// that kind too, and they work, so the MDCA and XDR APIs can be reached with them. For these, a
// piece of the secret cut off at a length limit is a hit as well.
const PLAIN: Record<string, string> = {
  plainClientSecret: 'quokka marmalade ferry lantern',
  plainPassword: 'wombat tangerine harbor!',
  plainRefreshToken: 'narwhal-pistachio-canyon',
  plainRedisPassword: 'axolotl papaya meadow',
  emulatorClientSecret: EMULATOR_APP_FULL.clientSecret,
  emulatorPassword: EMULATOR_USER_PASSWORD,
};
Object.assign(CANARIES, PLAIN);
const FRAGMENT = 12;

// Redis may still be installing on a fresh machine (see REDIS_INSTALL_TIMEOUT_MS).
beforeAll(() => ensureRedisServer(), REDIS_INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  const accessToken = emulator.control.mintAccessToken('contoso', { appid: 'canary-app' });
  CANARIES.accessToken = accessToken;
  CANARIES.accessTokenSignature = accessToken.split('.')[2];
  CANARIES.realLegacyToken = emulator.tenants.contoso.credentials.legacyTokens.full;
});
afterAll(async () => {
  await emulator.close();
  const dir = path.resolve(__dirname, '../../test-results/canary-hits');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'core.json'), JSON.stringify({ suite: 'core', checked, hits: hits.length, details: hits }, null, 2));
});
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.clearTokenFaults();
});

/** Everything a host could show: the error in every serialization, the outcome, the log. */
function scan(where: string, value: unknown, logger?: CapturingLogger): void {
  const parts: string[] = [];
  if (value instanceof Error) {
    parts.push(JSON.stringify(value), util.inspect(value, { depth: 10, showHidden: true }), String(value.stack), String(value), value.message);
    if (value instanceof MdcaError) parts.push(value.hint, JSON.stringify(value.toSummary()));
  } else if (value !== undefined) {
    parts.push(util.inspect(value, { depth: 10 }), safeJson(value));
  }
  if (logger) parts.push(logger.text());
  const text = parts.join('\n');
  checked++;
  const test = expect.getState().currentTestName ?? '';
  for (const [name, secret] of Object.entries(CANARIES)) {
    if (secret && text.includes(secret)) hits.push({ test, canary: name, where });
    else if (name in PLAIN && fragmentOf(secret, text)) hits.push({ test, canary: `${name} (a piece of it)`, where });
  }
}

function fragmentOf(secret: string, text: string): boolean {
  for (let i = 0; i + FRAGMENT <= secret.length; i++) if (text.includes(secret.slice(i, i + FRAGMENT))) return true;
  return false;
}

/** Control characters a service sent must reach no message, hint or log line unescaped. */
function forged(where: string, error: unknown, logger?: CapturingLogger): void {
  const texts = [error instanceof Error ? error.message : '', error instanceof MdcaError ? error.hint : '', ...(logger?.lines.map((l) => `${l.message} ${JSON.stringify(l.fields ?? {})}`) ?? [])];
  checked++;
  // eslint-disable-next-line no-control-regex
  if (texts.some((t) => /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(t))) hits.push({ test: expect.getState().currentTestName ?? '', canary: 'control character', where });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

async function attempt(where: string, client: MdcaClient, logger: CapturingLogger | undefined, op = 'alert.getAll', input: Record<string, unknown> = {}): Promise<void> {
  let outcome: OperationOutcome | undefined;
  try {
    outcome = await client.run(op, input, { maxItems: 3 });
    if (outcome.kind === 'pages') {
      const collected: unknown[] = [];
      for await (const page of outcome.pages) collected.push(page);
      scan(where, collected, logger);
      return;
    }
    scan(where, outcome, logger);
  } catch (error) {
    expect(error).toBeInstanceOf(MdcaError);
    scan(where, error, logger);
    forged(where, error, logger);
  }
}

function clientFor(auth: AuthSettings, logger: CapturingLogger, extra: Partial<ConnectionSettings> = {}): MdcaClient {
  return createMdcaClient(fastSettings(emulator, auth, 'contoso', { retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...extra }), { logger });
}

const echo = () =>
  `Authorization: Bearer ${CANARIES.accessToken}; client_secret=${CANARIES.clientSecret}; password=${CANARIES.password}; refresh_token=${CANARIES.refreshToken}; key ${CANARIES.privateKey}; Token ${CANARIES.legacyToken} ${CANARIES.realLegacyToken}`;

const echoFaults = (): [string, Fault][] => [
  ['400 JSON echo', { status: 400, body: { detail: echo() } }],
  ['400 filter-error echo', { status: 400, body: { filters: [{ error: echo() }] } }],
  ['401 twice', { status: 401, body: { detail: echo() }, times: 2 }],
  ['403', { status: 403, body: { detail: echo() } }],
  ['404', { status: 404, body: { error: { message: echo() } } }],
  ['409 text', { status: 409, body: echo(), contentType: 'text/plain' }],
  ['429 long Retry-After', { status: 429, headers: { 'Retry-After': '86400' }, body: { detail: echo() } }],
  ['429 HTML forever', { status: 429, body: `<html>${echo()}</html>`, contentType: 'text/html', times: 10 }],
  ['500 x4', { status: 500, body: { message: echo() }, times: 4 }],
  ['502 HTML x4', { status: 502, body: `<html><body>${echo()}</body></html>`, times: 4 }],
  ['200 HTML', { status: 200, body: `<html>${echo()}</html>`, contentType: 'text/html' }],
  ['200 truncated JSON', { status: 200, body: `{"data": [{"detail": "${echo()}"`, contentType: 'application/json' }],
  ['200 wrong content type', { status: 200, body: '{}', contentType: `text/x-${CANARIES.clientSecret}-${CANARIES.realLegacyToken}` }],
  ['302 redirect', { status: 302, headers: { Location: `https://evil.example/?t=${CANARIES.accessToken}` }, body: echo(), contentType: 'text/plain' }],
  ['reset before x4', { reset: 'before', times: 4 }],
  ['black hole x4', { blackhole: true, times: 4 }],
];

test('bad credentials: wrong secret, password, refresh token, certificate, legacy token', async () => {
  const t = emulator.tenants.contoso;
  const c = t.credentials;
  const cases: [string, AuthSettings][] = [
    ['wrong client secret', { kind: 'appSecret', tenantId: t.tenantId, clientId: c.apps.full.clientId, clientSecret: CANARIES.clientSecret }],
    ['wrong password', { kind: 'userPassword', tenantId: t.tenantId, clientId: c.apps.public.clientId, username: c.users.analyst.username, password: CANARIES.password }],
    ['invalid refresh token', { kind: 'refreshToken', tenantId: t.tenantId, clientId: c.apps.public.clientId, refreshToken: CANARIES.refreshToken }],
    ['unregistered certificate', { kind: 'appCertificate', tenantId: t.tenantId, clientId: c.apps.cert.clientId, certificatePem: fresh.serverCertPem, privateKeyPem: fresh.serverKeyPem }],
    ['invalid legacy token', { kind: 'apiToken', token: CANARIES.legacyToken }],
  ];
  for (const [where, auth] of cases) {
    const logger = new CapturingLogger();
    await attempt(where, clientFor(auth, logger), logger);
  }
  // The canary key with a certificate it does not belong to, and a garbled PEM: configuration errors.
  for (const [where, certificatePem, privateKeyPem] of [
    ['mismatched key', createTlsMaterial().serverCertPem, fresh.serverKeyPem],
    ['garbled key', fresh.serverCertPem, `-----BEGIN PRIVATE KEY-----\n${CANARIES.privateKey}\n-----END PRIVATE KEY-----`],
  ] as const) {
    try {
      const logger = new CapturingLogger();
      await attempt(where, clientFor({ kind: 'appCertificate', tenantId: t.tenantId, clientId: c.apps.cert.clientId, certificatePem, privateKeyPem }, logger), logger);
    } catch (error) {
      scan(where, error);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 30_000);

test('token endpoint faults echoing the secrets', async () => {
  const t = emulator.tenants.contoso;
  const c = t.credentials;
  const faults: ResponseFault[] = [
    { status: 400, body: { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided. ${echo()}`, error_codes: [7000215] } },
    { status: 401, body: { error: 'invalid_client', error_description: echo() } },
    { status: 429, body: { error: 'temporarily_unavailable', error_description: echo() } },
    { status: 500, body: `<html>${echo()}</html>` },
    { status: 503, headers: { 'Retry-After': '5' }, body: { error: 'temporarily_unavailable', error_description: echo() } },
  ];
  for (const [i, fault] of faults.entries()) {
    for (const kind of ['appSecret', 'userPassword'] as const) {
      emulator.control.clearTokenFaults();
      emulator.control.injectTokenFaults([{ ...fault, times: 3 }]);
      const logger = new CapturingLogger();
      // A fresh credential each time (no cached token): the secret differs per case.
      const auth: AuthSettings =
        kind === 'appSecret'
          ? { kind, tenantId: t.tenantId, clientId: c.apps.full.clientId, clientSecret: `${CANARIES.clientSecret}${i}` }
          : { kind, tenantId: t.tenantId, clientId: c.apps.public.clientId, username: c.users.analyst.username, password: `${CANARIES.password}${i}` };
      await attempt(`token fault ${fault.status} ${kind}`, clientFor(auth, logger), logger);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 60_000);

test('API error paths echoing the secrets, with a legacy token and with a bearer access token', async () => {
  const settings = fastSettings(emulator, 'apiToken');
  const clients: [string, () => { client: MdcaClient; logger: CapturingLogger }][] = [
    [
      'legacy',
      () => {
        const logger = new CapturingLogger();
        return { logger, client: clientFor({ kind: 'apiToken', token: CANARIES.realLegacyToken }, logger, { timeoutMs: 300 }) };
      },
    ],
    [
      'bearer',
      () => {
        const logger = new CapturingLogger();
        const client = new MdcaClient({
          cloud: cloudByName('commercial'),
          apiUrl: settings.apiUrl,
          transport: sharedTransport(emulator.caPem),
          tokenProvider: staticTokenProvider(CANARIES.accessToken, 'Bearer', Date.now() + 3_600_000),
          clock: systemClock,
          sleep: realSleep,
          pacer: new SlidingWindowPacer(systemClock, realSleep, { budget: 10_000 }),
          logger,
          retry: { baseDelayMs: 5, maxDelayMs: 20 },
          timeoutMs: 300,
          testing: { allowHosts: settings.testing!.allowHosts, authorityHost: emulator.identityUrl },
        });
        return { logger, client };
      },
    ],
  ];
  for (const [kind, make] of clients) {
    for (const [where, fault] of echoFaults()) {
      emulator.control.clearFaults('contoso');
      emulator.control.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/alerts' } } as Fault]);
      const { client, logger } = make();
      await attempt(`${kind}: ${where}`, client, logger);
    }
    // A bulk close whose batch fails: the per-item report carries the failure message.
    emulator.control.clearFaults('contoso');
    emulator.control.injectFaults('contoso', [{ status: 500, body: { detail: echo() }, times: 4, match: { pathIncludes: 'close_benign' } }]);
    const { client, logger } = make();
    const [alert] = emulator.control.listAlerts('contoso');
    await attempt(`${kind}: bulk close 500`, client, logger, 'alert.closeBenign', { alertIds: [alert._id] });
    // Lost create: outcome unknown.
    emulator.control.injectFaults('contoso', [{ reset: 'after', match: { pathIncludes: 'create_rule' } }]);
    await attempt(`${kind}: lost create`, client, logger, 'ipRange.create', { name: `canary ${kind}`, category: 1, subnets: ['192.0.2.0/24'] });
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 60_000);

test('network and TLS errors: connection refused, untrusted certificate', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const refusedHost = `127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const untrusted = https.createServer({ cert: fresh.serverCertPem, key: fresh.serverKeyPem }, (_q, r) => r.end('{}'));
  await new Promise<void>((resolve) => untrusted.listen(0, '127.0.0.1', resolve));
  const tlsHost = `127.0.0.1:${(untrusted.address() as net.AddressInfo).port}`;
  try {
    for (const host of [refusedHost, tlsHost]) {
      for (const auth of [{ kind: 'apiToken', token: CANARIES.realLegacyToken } as const, { ...fastSettings(emulator, 'appSecret').auth }]) {
        const logger = new CapturingLogger();
        const base = fastSettings(emulator, auth as AuthSettings, 'contoso', { retry: { baseDelayMs: 5, maxDelayMs: 20 } });
        const client = createMdcaClient({ ...base, apiUrl: `https://${host}`, testing: { ...base.testing!, allowHosts: [...base.testing!.allowHosts, host] } }, { logger });
        await attempt(`network ${host === tlsHost ? 'tls' : 'refused'} ${auth.kind}`, client, logger);
      }
    }
  } finally {
    await new Promise<void>((resolve) => untrusted.close(() => resolve()));
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 30_000);

test('validation and configuration errors with canary credentials', async () => {
  const t = emulator.tenants.contoso;
  const logger = new CapturingLogger();
  const client = clientFor({ kind: 'appSecret', tenantId: t.tenantId, clientId: t.credentials.apps.full.clientId, clientSecret: CANARIES.clientSecret }, logger);
  for (const [op, input] of [
    ['alert.get', { alertId: 'not-an-id' }],
    ['alert.getAll', { filtersJson: '{"severity": ' }],
    ['ipRange.create', { name: 'x', category: 99, subnets: ['300.1.1.1/8'] }],
    ['nope.nothing', {}],
    ['alert.getAll', { unknownField: 1 }],
  ] as const) {
    await attempt(`validation ${op}`, client, logger, op, input as Record<string, unknown>);
  }
  for (const settings of [
    { ...fastSettings(emulator, 'apiToken'), apiUrl: `https://evil.example/?key=${CANARIES.clientSecret}` },
    { ...fastSettings(emulator, { kind: 'apiToken', token: `${CANARIES.legacyToken}!` }) },
    { ...fastSettings(emulator, { kind: 'appSecret', tenantId: 'not a tenant', clientId: 'x', clientSecret: CANARIES.clientSecret }) },
  ]) {
    try {
      createMdcaClient(settings, { logger });
    } catch (error) {
      scan('configuration', error, logger);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
});

// Redaction by value: a hostile or compromised service that echoes the very secret it was sent, in
// the token endpoint's `error` (msal's error code), in error_codes and suberror, form-encoded, or
// with CR/LF to forge a log line.
const FORM = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

test('token endpoint echoing the secret by value: in error, in error codes, form-encoded, with CR/LF', async () => {
  const t = emulator.tenants.contoso;
  const c = t.credentials;
  const credentials: [string, string, AuthSettings][] = [
    ['appSecret', PLAIN.plainClientSecret, { kind: 'appSecret', tenantId: t.tenantId, clientId: c.apps.full.clientId, clientSecret: PLAIN.plainClientSecret }],
    ['userPassword', PLAIN.plainPassword, { kind: 'userPassword', tenantId: t.tenantId, clientId: c.apps.public.clientId, username: c.users.analyst.username, password: PLAIN.plainPassword }],
    ['refreshToken', PLAIN.plainRefreshToken, { kind: 'refreshToken', tenantId: t.tenantId, clientId: c.apps.public.clientId, refreshToken: PLAIN.plainRefreshToken }],
  ];
  const faults = (secret: string): [string, Fault][] => [
    ['error', { status: 400, body: { error: `bad_secret:${secret}` } }],
    ['error with CR/LF', { status: 400, body: { error: `invalid_client\r\n2026-01-01T00:00:00Z [error] forged ${secret}\u0085x` } }],
    ['error codes', { status: 400, body: { error: 'invalid_grant', error_description: `AADSTS50126: Error validating credentials.`, error_codes: [secret], suberror: secret } }],
    ['description', { status: 401, body: { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided: ${secret}` } }],
    ['description form-encoded', { status: 400, body: { error: 'invalid_request', error_description: `AADSTS900144: received body client_secret_x=${FORM(secret)}&password_x=${FORM(secret)}` } }],
    ['description cut at the limit', { status: 400, body: { error: 'invalid_request', error_description: `AADSTS900144: ${'y'.repeat(270)} ${secret}` } }],
    ['429 error', { status: 429, body: { error: `temporarily_unavailable:${secret}`, error_description: secret } }],
    ['500 text', { status: 500, body: `upstream said ${secret}\r\nforged`, contentType: 'text/plain' }],
  ];
  for (const [kind, secret, auth] of credentials) {
    for (const [where, fault] of faults(secret)) {
      emulator.control.clearTokenFaults();
      emulator.control.injectTokenFaults([{ ...fault, times: 3 } as Fault]);
      const logger = new CapturingLogger();
      await attempt(`token ${where} ${kind}`, clientFor(auth, logger), logger);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 90_000);

const apiEchoFaults = (secret: string): [string, Fault][] => [
  ['400 detail', { status: 400, body: { detail: `bad_secret:${secret}` } }],
  ['400 text cut at the limit', { status: 400, body: `${'z'.repeat(185)} ${secret}`, contentType: 'text/plain' }],
  ['400 long JSON', { status: 400, body: JSON.stringify({ detail: `${secret} ${'w'.repeat(5_000)}` }), contentType: 'application/json' }],
  ['409 form-encoded', { status: 409, body: { detail: `value ${FORM(secret)}` } }],
  ['400 CR/LF', { status: 400, body: { detail: `bad\r\n[error] forged ${secret}` } }],
  ['200 content type', { status: 200, body: '{}', contentType: `text/x-${FORM(secret)}` }],
];

test('MDCA API 4xx bodies and headers echoing the credential secret by value', async () => {
  for (const kind of ['appSecret', 'userPassword'] as const) {
    const secret = kind === 'appSecret' ? PLAIN.emulatorClientSecret : PLAIN.emulatorPassword;
    for (const [where, fault] of apiEchoFaults(secret)) {
      emulator.control.clearFaults('contoso');
      emulator.control.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/alerts' } } as Fault]);
      const logger = new CapturingLogger();
      await attempt(`mdca ${where} ${kind}`, clientFor(fastSettings(emulator, kind).auth, logger), logger);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 60_000);

test('Defender XDR API 4xx bodies and headers echoing the credential secret by value', async () => {
  for (const kind of ['appSecret', 'userPassword'] as const) {
    const secret = kind === 'appSecret' ? PLAIN.emulatorClientSecret : PLAIN.emulatorPassword;
    for (const [where, fault] of apiEchoFaults(secret)) {
      emulator.control.xdr.clearFaults('contoso');
      emulator.control.xdr.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/incidents' } } as Fault]);
      const logger = new CapturingLogger();
      const client = xdrClient(emulator, kind, 'contoso', { retry: { baseDelayMs: 5, maxDelayMs: 20 } });
      try {
        const outcome = await client.run('incident.getAll', {}, { maxItems: 3 });
        if (outcome.kind === 'pages') for await (const page of outcome.pages) scan(`xdr ${where} ${kind}`, page);
        else scan(`xdr ${where} ${kind}`, outcome);
      } catch (error) {
        expect(error).toBeInstanceOf(MdcaError);
        scan(`xdr ${where} ${kind}`, error, logger);
        forged(`xdr ${where} ${kind}`, error, logger);
      }
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 60_000);

test('a Redis server echoing its password in an error', async () => {
  // A real redis-server whose AUTH command is renamed away answers our AUTH with
  // "ERR unknown command 'AUTH', with args beginning with: '<password>'".
  const server = await RedisServer.start(['--rename-command', 'AUTH', '']);
  try {
    for (const [where, redis] of [
      ['password field', { url: server.url, password: PLAIN.plainRedisPassword, keyPrefix: 'canary-a:' }],
      ['password in the URL', { url: `redis://:${encodeURIComponent(PLAIN.plainRedisPassword)}@127.0.0.1:${server.port}`, keyPrefix: 'canary-b:' }],
    ] as const) {
      const logger = new CapturingLogger();
      const reasons: string[] = [];
      sharedRedis(redis, logger).onModeChange((_mode, reason) => reasons.push(String(reason)));
      const client = createMdcaClient(fastSettings(emulator, 'appSecret'), { logger, redis });
      await attempt(`redis ${where}`, client, logger);
      let direct: unknown;
      await sharedRedis(redis, logger)
        .client.command(['PING'])
        .catch((error: unknown) => {
          direct = error;
        });
      expect(direct).toBeInstanceOf(Error);
      scan(`redis ${where}: command error`, direct);
      scan(`redis ${where}: status reasons`, reasons, logger);
      expect(logger.lines.length).toBeGreaterThan(0);
      sharedRedis(redis, logger).close();
    }
  } finally {
    await server.stop();
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 60_000);
