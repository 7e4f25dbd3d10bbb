// Reliability cases against the emulator over HTTPS: permission preflight, single-flight tokens,
// throttling with and without Retry-After, 5xx retries, one refresh after 401, no duplicate create
// after a lost response, exact paging, and no secret in any error.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { MdcaClient, MdcaError, SlidingWindowPacer } from '../../core';
import { createMdcaClient, createTokenProvider, providerEnvironment, realSleep, systemClock } from '../../runtime';
import { authFor } from '../support/emulator-settings';
import { clientAround, fastClient, fastSettings, items, dataRequests } from './helpers';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'bigco', throttle: false, counts: { alerts: 10_000 } }] }, (e) => (emulator = e));
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.resetRequestLog('contoso');
});

test('a missing permission is reported before anything is sent', async () => {
  const reader = fastClient(emulator, 'appReader');
  const [alert] = emulator.control.listAlerts('contoso');
  const error = (await reader.run('alert.closeBenign', { alertIds: [alert._id] }).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('PERMISSION_MISSING');
  expect(error.message).toContain('Investigation.manage');
  expect(error.hint).toMatch(/API permissions/);
  expect(dataRequests(emulator, 'close_benign')).toHaveLength(0);
});

test('a legacy read-only token gets the server 403 with the permission named', async () => {
  const client = fastClient(emulator, 'apiTokenReadonly');
  const [alert] = emulator.control.listAlerts('contoso');
  const error = (await client.run('alert.closeBenign', { alertIds: [alert._id] }).catch((e: unknown) => e)) as MdcaError;
  // Per-item report: the batch failed with the permission error; nothing was closed.
  expect(error).toBeDefined();
  const outcome = error as unknown as { kind?: string; items?: { status: string; errorCode?: string }[] };
  if (outcome.kind === 'perItem') expect(outcome.items?.[0]).toMatchObject({ status: 'failed', errorCode: 'PERMISSION_MISSING' });
  else expect((error as MdcaError).code).toBe('PERMISSION_MISSING');
});

test('50 concurrent cold calls make exactly one token request', async () => {
  const settings = fastSettings(emulator, 'appSecret');
  const provider = createTokenProvider(authFor(emulator, 'appSecret'), providerEnvironment(settings), 'cold-50');
  const client = clientAround(emulator, settings, provider, new SlidingWindowPacer(systemClock, realSleep, { budget: 1000 }));
  emulator.control.resetTokenRequests();
  const [alert] = emulator.control.listAlerts('contoso');
  await Promise.all(Array.from({ length: 50 }, () => client.run('alert.get', { alertId: alert._id })));
  expect(emulator.control.tokenRequestCounts().total).toBe(1);
});

test('429 with Retry-After waits that long and then succeeds, with no extra request', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ status: 429, headers: { 'Retry-After': '1' }, body: { detail: 'Request was throttled. Expected available in 1 seconds.' }, match: { pathIncludes: '/alerts' } }]);
  const started = Date.now();
  const events: string[] = [];
  const outcome = await client.run('alert.getAll', {}, { maxItems: 10, onEvent: (e) => events.push(e.type) });
  expect(await items(outcome)).toHaveLength(10);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(dataRequests(emulator, '/alerts')).toHaveLength(2);
  expect(events).toContain('throttled');
});

test('429 without Retry-After and with an HTML body backs off and succeeds', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ status: 429, body: '<html><body>(429) TOO MANY REQUESTS</body></html>', contentType: 'text/html', match: { pathIncludes: '/alerts' }, times: 2 }]);
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 5 }))).toHaveLength(5);
  expect(dataRequests(emulator, '/alerts')).toHaveLength(3);
});

test('a Retry-After beyond the cap fails fast with the wait in the error', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ status: 429, headers: { 'Retry-After': '86400' }, match: { pathIncludes: '/alerts' } }]);
  const started = Date.now();
  const error = (await client.run('alert.getAll', {}, { maxItems: 5 }).then(items).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('THROTTLED');
  expect(error.retryAfterMs).toBe(86_400_000);
  expect(Date.now() - started).toBeLessThan(2_000);
});

test('503 is retried; 501 is not', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ status: 503, match: { pathIncludes: '/alerts' }, times: 2 }]);
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 5 }))).toHaveLength(5);
  expect(dataRequests(emulator, '/alerts')).toHaveLength(3);
  emulator.control.resetRequestLog('contoso');
  emulator.control.injectFaults('contoso', [{ status: 501, match: { pathIncludes: '/alerts' } }]);
  await expect(client.run('alert.getAll', {}, { maxItems: 5 }).then(items)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  expect(dataRequests(emulator, '/alerts')).toHaveLength(1);
});

test('persistent 5xx stops after 3 retries', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ status: 502, match: { pathIncludes: '/alerts' }, times: 10 }]);
  await expect(client.run('alert.getAll', {}, { maxItems: 5 }).then(items)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  expect(dataRequests(emulator, '/alerts')).toHaveLength(4);
});

test('401 once triggers exactly one forced refresh and one resend', async () => {
  const client = fastClient(emulator, 'appCertificate');
  await client.insight();
  emulator.control.resetTokenRequests();
  emulator.control.injectFaults('contoso', [{ status: 401, body: { detail: 'Invalid token' }, match: { pathIncludes: '/alerts' } }]);
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 3 }))).toHaveLength(3);
  expect(emulator.control.tokenRequestCounts().total).toBe(1);
  expect(dataRequests(emulator, '/alerts')).toHaveLength(2);
});

test('401 forever stops after one refresh with an auth error', async () => {
  const client = fastClient(emulator, 'appCertificate');
  await client.insight();
  emulator.control.resetTokenRequests();
  emulator.control.injectFaults('contoso', [{ status: 401, body: { detail: 'Invalid token' }, match: { pathIncludes: '/alerts' }, times: 5 }]);
  await expect(client.run('alert.getAll', {}, { maxItems: 3 }).then(items)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  expect(emulator.control.tokenRequestCounts().total).toBe(1);
  expect(dataRequests(emulator, '/alerts')).toHaveLength(2);
});

test('subnet create whose response is lost: outcome unknown, exactly one create on the server', async () => {
  const client = fastClient(emulator);
  const before = emulator.control.getSubnets('contoso').length;
  emulator.control.injectFaults('contoso', [{ reset: 'after', match: { pathIncludes: 'create_rule' } }]);
  const error = (await client.run('ipRange.create', { name: 'Lost response', category: 1, subnets: ['198.51.100.0/24'] }).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('OUTCOME_UNKNOWN');
  expect(dataRequests(emulator, 'create_rule')).toHaveLength(1);
  const after = emulator.control.getSubnets('contoso');
  expect(after.length).toBe(before + 1);
  expect(after.filter((s) => s.name === 'Lost response')).toHaveLength(1);
});

test('a list read hit by a connection reset is retried at the same cursor', async () => {
  const client = fastClient(emulator);
  emulator.control.injectFaults('contoso', [{ reset: 'before', match: { pathIncludes: '/alerts' } }]);
  const list = await items(await client.run('alert.getAll', {}, { maxItems: 150 }));
  expect(list).toHaveLength(150);
  expect(new Set(list.map((a) => a._id)).size).toBe(150);
});

test('10,000 alerts arrive exactly once in 100 data requests', async () => {
  const client = fastClient(emulator, 'appSecret', 'bigco');
  emulator.control.resetRequestLog('bigco');
  const list = await items(await client.run('alert.getAll', { sortDirection: 'asc' }, { maxItems: 20_000 }));
  expect(list).toHaveLength(10_000);
  expect(new Set(list.map((a) => a._id)).size).toBe(10_000);
  expect(dataRequests(emulator, '/alerts', 'bigco')).toHaveLength(100);
}, 60_000);

test('canary secrets never appear in any thrown error', async () => {
  const canaries = {
    clientSecret: 'CANARY-client-secret-91c2d7e4f0',
    password: 'CANARY-password-5a8e33b1d2',
    apiToken: 'CANARYlegacytoken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU',
  };
  const t = emulator.tenants.contoso;
  const errors: unknown[] = [];
  const attempt = async (client: MdcaClient) => {
    errors.push(await client.run('alert.getAll', {}, { maxItems: 1 }).then(items).catch((e: unknown) => e));
  };
  await attempt(createMdcaClient(fastSettings(emulator, { kind: 'appSecret', tenantId: t.tenantId, clientId: t.credentials.apps.full.clientId, clientSecret: canaries.clientSecret })));
  await attempt(createMdcaClient(fastSettings(emulator, { kind: 'userPassword', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, username: t.credentials.users.analyst.username, password: canaries.password })));
  await attempt(createMdcaClient(fastSettings(emulator, { kind: 'apiToken', token: canaries.apiToken })));
  // Error paths that echo the request: a 400 whose body repeats the token, a 500 with it, HTML.
  const legacy = fastClient(emulator, 'apiToken');
  const token = t.credentials.legacyTokens.full;
  for (const fault of [
    { status: 400, body: { detail: `bad request with Authorization: Token ${token}` } },
    { status: 500, body: { detail: `boom ${token}` }, times: 4 },
    { status: 200, body: `<html>login ${token}</html>`, contentType: 'text/html' },
    { status: 200, body: '{"data": [', contentType: 'application/json' },
  ]) {
    emulator.control.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/alerts' } }]);
    await attempt(legacy);
    emulator.control.clearFaults('contoso');
  }
  const secrets = [...Object.values(canaries), token];
  expect(errors.every((e) => e instanceof MdcaError)).toBe(true);
  for (const error of errors) {
    const e = error as MdcaError;
    const text = `${JSON.stringify(e)}\n${e.message}\n${e.stack}\n${String(e)}\n${require('node:util').inspect(e, { depth: 5 })}`;
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
});

test('a request that waits for the budget takes its token after the wait, not before (no stale token after a long queue)', async () => {
  const settings = fastSettings(emulator, 'appSecret');
  const real = createTokenProvider(authFor(emulator, 'appSecret'), providerEnvironment(settings), 'budget-first');
  const order: string[] = [];
  const provider = { cacheKey: 'budget-first', getToken: async (o?: Parameters<typeof real.getToken>[0]) => (order.push('token'), real.getToken(o)) };
  // A pacer that holds every request until released by the test, as a busy shared budget does.
  const waiting: Array<() => void> = [];
  const pacer = {
    acquire: () => (order.push('budget wait'), new Promise<{ release: () => void }>((resolve) => waiting.push(() => (order.push('admitted'), resolve({ release: () => undefined }))))),
    reportThrottled: () => undefined,
  };
  const client = clientAround(emulator, settings, provider, pacer);
  const run = client.run('ipRange.getAll', {}, { maxItems: 1, skipPermissionCheck: true }).then(async (o) => {
    if (o.kind === 'pages') for await (const p of o.pages) void p;
  });
  while (waiting.length === 0) await new Promise((r) => setTimeout(r, 5));
  expect(order).toEqual(['budget wait']);
  waiting.shift()!();
  await run;
  expect(order.slice(0, 3)).toEqual(['budget wait', 'admitted', 'token']);
});
