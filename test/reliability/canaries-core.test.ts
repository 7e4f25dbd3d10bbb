// Secret canaries through the core and runtime (case 21 in docs/reliability.md): canary client
// secret, certificate private key, password, refresh token, access token and legacy API token are
// planted, every error path is forced (bad credentials, 4xx/5xx/429 bodies echoing the secrets,
// token-endpoint faults, network and TLS errors, invalid responses, validation errors), and every
// error is serialized with JSON.stringify, util.inspect, .stack and toString, together with
// everything a Logger received. The OData APIs beside MDCA (Defender XDR, Microsoft Graph
// security) go through the same cases from one table (OTHER_APIS), and Graph's paging by
// @odata.nextLink gets foreign links carrying the canaries. Hits are written to
// test-results/canary-hits/core.json for audit:secrets.
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { startEmulator, RunningEmulator, Fault } from '../../emulator';
import type { ResponseFault } from '../../emulator/faults';
import { createTlsMaterial } from '../../emulator/tls';
import { cloudByName, GRAPH_SERVICE, MdcaClient, MdcaError, MdcaProtocolError, OperationOutcome, SlidingWindowPacer } from '../../core';
import type { ServiceClient } from '../../core/service-client';
import { createMdcaClient, createXdrClient, realSleep, sharedTransport, systemClock } from '../../runtime';
import { createServiceClient } from '../../runtime/create-service-client';
import { XDR_SERVICE } from '../../core/services/xdr';
import { GRAPH_AUDIENCE, GRAPH_PERMISSIONS } from '../../emulator/graph/constants';
import { XDR_APP_ROLES, XDR_AUDIENCE } from '../../emulator/xdr/constants';
import { sharedRedis } from '../../runtime/redis';
import { EMULATOR_APP_FULL, EMULATOR_USER_PASSWORD } from '../../emulator/seed-credentials';
import { RedisServer, ensureRedisServer, REDIS_INSTALL_TIMEOUT_MS } from '../scale/support/redis-server';
import { xdrSettings } from '../xdr/helpers';
import { graphConnection } from '../graph/helpers';
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
  // fabrikam only serves as the foreign host of a next-page link (it must receive nothing).
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }, { name: 'fabrikam', throttle: false }] });
  const accessToken = emulator.control.mintAccessToken('contoso', { appid: 'canary-app' });
  CANARIES.accessToken = accessToken;
  CANARIES.accessTokenSignature = accessToken.split('.')[2];
  CANARIES.realLegacyToken = emulator.tenants.contoso.credentials.legacyTokens.full;
  // The working certificate credential's key: one PEM line is a secret on its own.
  CANARIES.emulatorCertKeyLine = emulator.tenants.contoso.credentials.apps.cert.privateKeyPem.split('\n').find((line) => line.length >= 60 && !line.startsWith('-----')) ?? '';
  for (const api of OTHER_APIS()) {
    const token = api.token();
    CANARIES[`${api.id}AccessToken`] = token;
    CANARIES[`${api.id}AccessTokenSignature`] = token.split('.')[2];
  }
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
  for (const api of OTHER_APIS()) api.control().clearFaults('contoso');
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

async function attempt(where: string, client: Pick<ServiceClient, 'run'>, logger: CapturingLogger | undefined, op = 'alert.getAll', input: Record<string, unknown> = {}): Promise<void> {
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

/**
 * The OData APIs beside MDCA, as one table: each one's fault control, the list every case calls,
 * its error body, a token for it minted by the emulator, and a client as the hosts build one
 * (runtime/create-service-client.ts), with the logger every case scans.
 */
interface OtherApi {
  id: 'xdr' | 'graph';
  name: string;
  control: () => RunningEmulator['control']['xdr'] | RunningEmulator['control']['graph'];
  pathIncludes: string;
  list: string;
  /** The service's own error body around a message. */
  errorBody: (message: string) => Record<string, unknown>;
  token: () => string;
  client: (auth: EmulatorAuthKind | 'bearer', logger: CapturingLogger, extra?: { timeoutMs?: number; allowHosts?: string[] }) => Pick<ServiceClient, 'run'>;
}

type EmulatorAuthKind = 'appSecret' | 'appCertificate' | 'userPassword';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20 };
const bearer = (token: string) => ({ kind: 'external' as const, tokenProvider: staticTokenProvider(token, 'Bearer', Date.now() + 3_600_000), secrets: () => [] });

function OTHER_APIS(): OtherApi[] {
  return [
    {
      id: 'xdr',
      name: 'Defender XDR',
      control: () => emulator.control.xdr,
      pathIncludes: '/incidents',
      list: 'incident.getAll',
      errorBody: (message) => ({ error: { code: 'BadRequest', message, target: 'canary-target' } }),
      token: () => emulator.control.mintAccessToken('contoso', { appid: 'canary-xdr', aud: XDR_AUDIENCE, roles: [...XDR_APP_ROLES] }),
      client: (auth, logger, extra = {}) => {
        const settings = xdrSettings(emulator, auth === 'bearer' ? 'appSecret' : auth, 'contoso', { retry: FAST_RETRY, ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}) });
        if (auth !== 'bearer') return createXdrClient(settings, { logger });
        return createServiceClient(XDR_SERVICE, { ...settings, apiUrl: settings.xdrApiUrl, budget: settings.xdrPacing, auth: bearer(CANARIES.xdrAccessToken) }, { logger });
      },
    },
    {
      id: 'graph',
      name: 'Microsoft Graph',
      control: () => emulator.control.graph,
      pathIncludes: '/alerts_v2',
      list: 'alert.getAll',
      errorBody: (message) => ({ error: { code: 'BadRequest', message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'canary-request', 'client-request-id': 'canary-client' } } }),
      token: () => emulator.control.mintAccessToken('contoso', { appid: 'canary-graph', aud: GRAPH_AUDIENCE, roles: [...GRAPH_PERMISSIONS] }),
      client: (auth, logger, extra = {}) => {
        const base = graphConnection(emulator, auth === 'bearer' ? 'appSecret' : auth, 'contoso', { retry: FAST_RETRY, ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}) });
        const testing = { ...base.testing!, allowHosts: [...base.testing!.allowHosts, ...(extra.allowHosts ?? [])] };
        return createServiceClient(GRAPH_SERVICE, { ...base, testing, ...(auth === 'bearer' ? { auth: bearer(CANARIES.graphAccessToken) } : {}) }, { logger });
      },
    },
  ];
}

/** The working credential's own secret, which the emulator accepts: redaction by value only. */
function ownSecret(kind: EmulatorAuthKind): string {
  return kind === 'appSecret' ? PLAIN.emulatorClientSecret : kind === 'userPassword' ? PLAIN.emulatorPassword : CANARIES.emulatorCertKeyLine;
}

const KINDS: EmulatorAuthKind[] = ['appSecret', 'appCertificate', 'userPassword'];

test.each(OTHER_APIS().map((api) => [api.name, api.id] as const))('%s API 4xx bodies and headers echoing the credential secret by value', async (_name, id) => {
  const api = OTHER_APIS().find((a) => a.id === id)!;
  for (const kind of KINDS) {
    const secret = ownSecret(kind);
    for (const [where, fault] of [...apiEchoFaults(secret), ['400 service error body', { status: 400, body: api.errorBody(`bad_secret:${secret}`) }] as [string, Fault]]) {
      api.control().clearFaults('contoso');
      api.control().injectFaults('contoso', [{ ...fault, match: { pathIncludes: api.pathIncludes } } as Fault]);
      const logger = new CapturingLogger();
      await attempt(`${id} ${where} ${kind}`, api.client(kind, logger), logger, api.list);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 120_000);

/**
 * Every shaped canary, the credential's own secret (only a value the client holds can be removed
 * by value: see the threat model in docs/reliability.md) and the API's own bearer token, in one text.
 */
const echoAll = (api: OtherApi, kind: EmulatorAuthKind | 'bearer') => `${echo()}; own ${kind === 'bearer' ? '' : ownSecret(kind)}; Bearer ${CANARIES[`${api.id}AccessToken`]}`;

test.each(OTHER_APIS().map((api) => [api.name, api.id] as const))('%s error paths echoing every canary in its error body, with each credential kind and a bearer token', async (_name, id) => {
  const api = OTHER_APIS().find((a) => a.id === id)!;
  for (const kind of [...KINDS, 'bearer'] as const) {
    for (const [where, fault] of echoFaults()) {
      // The service's own error body where the fault answers JSON, every canary in its message.
      const text = echoAll(api, kind);
      const body = 'body' in fault && typeof fault.body === 'object' ? api.errorBody(text) : 'body' in fault && typeof fault.body === 'string' ? fault.body.split(echo()).join(text) : undefined;
      api.control().clearFaults('contoso');
      api.control().injectFaults('contoso', [{ ...fault, ...(body !== undefined ? { body } : {}), match: { pathIncludes: api.pathIncludes } } as Fault]);
      const logger = new CapturingLogger();
      await attempt(`${id} ${kind}: ${where}`, api.client(kind, logger, { timeoutMs: 300 }), logger, api.list);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 180_000);

// A next-page link is followed only on the API origin and the list's own path
// (core/next-link-paging.ts): a link elsewhere, even to a host the operator allowed, is an error,
// no request goes there, and the link's text (which carries the canaries) is not in the error.
test('Microsoft Graph: a foreign @odata.nextLink carrying the canaries is refused and nothing is sent', async () => {
  const api = OTHER_APIS().find((a) => a.id === 'graph')!;
  const own = new URL(emulator.tenants.contoso.graphApiUrl);
  const foreign = new URL(emulator.tenants.fabrikam.graphApiUrl);
  const query = () => new URLSearchParams({ $skiptoken: CANARIES.graphAccessToken, client_secret: PLAIN.emulatorClientSecret, password: PLAIN.emulatorPassword, key: CANARIES.emulatorCertKeyLine, secret: CANARIES.clientSecret }).toString();
  const links = [
    `${foreign.origin}/v1.0/security/alerts_v2?${query()}`,
    `https://evil.example/v1.0/security/alerts_v2?${query()}`,
    `https://${own.hostname}.evil.example:${own.port}/v1.0/security/alerts_v2?${query()}`,
    `https://canary:${encodeURIComponent(PLAIN.emulatorPassword)}@${own.host}/v1.0/security/alerts_v2?${query()}`,
    `http://${own.host}/v1.0/security/alerts_v2?${query()}`,
    `${own.origin}/v1.0/users?${query()}`,
  ];
  for (const kind of [...KINDS, 'bearer'] as const) {
    for (const [i, link] of links.entries()) {
      const where = `graph nextLink ${i} ${kind}`;
      api.control().clearFaults('contoso');
      api.control().injectFaults('contoso', [{ status: 200, body: { value: [{ id: `canary-${i}` }], '@odata.nextLink': link }, match: { pathIncludes: api.pathIncludes } }]);
      emulator.control.graph.resetRequestLog('contoso');
      emulator.control.graph.resetRequestLog('fabrikam');
      const logger = new CapturingLogger();
      const client = api.client(kind, logger, { allowHosts: [foreign.host] });
      const error = await client.run(api.list, {}, { maxItems: 50 }).then(async (outcome) => {
        if (outcome.kind === 'pages') for await (const page of outcome.pages) scan(where, page, logger);
      }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(MdcaProtocolError);
      scan(where, error, logger);
      forged(where, error, logger);
      expect(emulator.control.graph.requestLog('contoso').filter((r) => r.path.includes('/v1.0/'))).toHaveLength(1);
      expect(emulator.control.graph.requestLog('fabrikam')).toEqual([]);
    }
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
}, 120_000);

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
