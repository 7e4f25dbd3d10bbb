// Bad responses (cases 9 and 18 in docs/reliability.md, and random bodies against every operation):
// truncated/invalid/empty JSON, an HTML login page with 200, a wrong content type, a 50 MB body,
// envelopes without `data`, `hasNext` without `nextQueryFilters` in scan mode, an endpoint that
// ignores `skip`. Each ends in a typed error or a warning, never a hang (per-test timeouts) and
// never an unhandled rejection (jest setup).
import fc from 'fast-check';
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { cloudByName, HttpResponse, MdcaClient, MdcaError, operations, SlidingWindowPacer } from '../../core';
import { createMdcaClient } from '../../runtime';
import { fastClient, fastSettings, items, dataRequests } from '../core/helpers';
import { CapturingLogger, SpyTransport, staticTokenProvider } from './helpers';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => (emulator = e));
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.resetRequestLog('contoso');
});

const caught = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e) as Promise<MdcaError>;

describe('case 9: malformed bodies are typed protocol errors', () => {
  test.each([
    ['truncated JSON', { status: 200, body: '{"data": [{"_id": "a"', contentType: 'application/json' }],
    ['invalid JSON', { status: 200, body: "{data: [1, 2], 'hasNext': false}", contentType: 'application/json' }],
    ['empty body', { status: 200, body: '', contentType: 'application/json' }],
    ['HTML login page with 200', { status: 200, body: '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><form action="https://login.microsoftonline.com/">…</form></body></html>', contentType: 'text/html; charset=utf-8' }],
    ['HTML page labelled as JSON', { status: 200, body: '<html><body>Proxy authentication required</body></html>', contentType: 'application/json' }],
    ['wrong content type', { status: 200, body: '{"data": [], "hasNext": false}', contentType: 'application/octet-stream' }],
    ['envelope without data', { status: 200, body: { items: [], hasNext: false } }],
    ['data is not a list', { status: 200, body: { data: { _id: 'x' }, hasNext: false } }],
    ['JSON null', { status: 200, body: 'null', contentType: 'application/json' }],
    ['JSON array', { status: 200, body: '[1,2,3]', contentType: 'application/json' }],
    ['200 with an error object', { status: 200, body: { error: { code: 'TokenExpired', message: 'The token is expired' } } }],
  ])('%s', async (_name, fault) => {
    const client = fastClient(emulator);
    emulator.control.injectFaults('contoso', [{ ...fault, match: { pathIncludes: '/alerts' } }]);
    const error = await caught(client.run('alert.getAll', {}, { maxItems: 5 }).then(items));
    expect(error).toBeInstanceOf(MdcaError);
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.hint.length).toBeGreaterThan(10);
    expect(dataRequests(emulator, '/alerts')).toHaveLength(1);
  }, 10_000);

  test('a 50 MB body hits the 25 MB cap: PROTOCOL_ERROR without reading it all, heap stays bounded', async () => {
    const client = fastClient(emulator);
    await client.insight();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 10);
    emulator.control.injectFaults('contoso', [{ status: 200, hugeBodyMb: 50, contentType: 'application/json', match: { pathIncludes: '/alerts' } }]);
    const started = Date.now();
    const error = await caught(client.run('alert.getAll', {}, { maxItems: 5 }).then(items));
    clearInterval(sampler);
    expect(error).toMatchObject({ code: 'PROTOCOL_ERROR' });
    expect(error.message).toMatch(/larger than 25 MB/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(dataRequests(emulator, '/alerts')).toHaveLength(1); // not retried
    // The body is text: at most ~25 MB of chunks plus their string form may be alive at once.
    expect(heapPeak - heapBefore).toBeLessThan(120 * 1024 * 1024);
    // The client keeps working afterwards (no poisoned socket, no leftover listener).
    expect(await items(await client.run('alert.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
  }, 30_000);
});

describe('case 18: loop guards terminate with a warning', () => {
  test('hasNext: true without nextQueryFilters in scan mode → one page, a warning, no loop', async () => {
    const logger = new CapturingLogger();
    const client = createMdcaClient(fastSettings(emulator), { logger });
    const page = { data: Array.from({ length: 3 }, (_, i) => ({ _id: `1_11161_scan${i}`, timestamp: 1_700_000_000_000 + i })), hasNext: true };
    emulator.control.injectFaults('contoso', [{ status: 200, body: page, match: { pathIncludes: '/activities' }, times: 50 }]);
    const list = await items(await client.run('activity.getAll', { scanMode: true, scanPageSize: 500 }, { maxItems: 10_000 }));
    expect(list).toHaveLength(3);
    expect(dataRequests(emulator, '/activities')).toHaveLength(1);
    expect(logger.lines.some((l) => l.level === 'warn' && /nextQueryFilters/.test(l.message))).toBe(true);
  }, 10_000);

  test('an endpoint that ignores skip (same page again) → stops after ≤ 2 identical pages with a warning', async () => {
    const logger = new CapturingLogger();
    const client = createMdcaClient(fastSettings(emulator), { logger });
    const first = emulator.control.listAlerts('contoso').slice(0, 100);
    emulator.control.injectFaults('contoso', [{ status: 200, body: { data: first, hasNext: true, total: 5_000 }, match: { pathIncludes: '/alerts' }, times: 50 }]);
    const list = await items(await client.run('alert.getAll', {}, { maxItems: 10_000 }));
    expect(list).toHaveLength(100);
    expect(new Set(list.map((a) => a._id)).size).toBe(100);
    expect(dataRequests(emulator, '/alerts').length).toBeLessThanOrEqual(2);
    expect(logger.lines.some((l) => l.level === 'warn' && /same page/.test(l.message))).toBe(true);
  }, 10_000);

  test('hasNext: true with an empty page → terminates', async () => {
    const client = fastClient(emulator);
    emulator.control.injectFaults('contoso', [{ status: 200, body: { data: [], hasNext: true }, match: { pathIncludes: '/alerts' }, times: 50 }]);
    expect(await items(await client.run('alert.getAll', {}, { maxItems: 10_000 }))).toHaveLength(0);
    expect(dataRequests(emulator, '/alerts')).toHaveLength(1);
  }, 10_000);
});

describe('every operation against random response bodies resolves or throws an MdcaError', () => {
  const garbage: fc.Arbitrary<HttpResponse> = fc
    .tuple(
      fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502),
      fc.oneof(
        fc.json(),
        fc.string(),
        fc.constantFrom('', 'null', '[]', '{}', '{"data":null}', '{"data":[null]}', '{"data":[1,"x",{}],"hasNext":true}', '{"url":"https://evil.example/x"}', '{"url":42,"provider":"azure"}', '<html>', '{"data":[{"_id":{"$oid":1}}],"hasNext":true,"nextQueryFilters":"x"}'),
      ),
      fc.constantFrom('application/json', 'text/html', 'text/plain', ''),
    )
    .map(([status, body, type]): HttpResponse => ({ status, headers: type ? { 'content-type': type } : {}, body }));

  test.each(operations.map((o) => [o.id] as const))('%s', async (opId) => {
    const op = operations.find((o) => o.id === opId)!;
    const input: Record<string, unknown> = {};
    for (const i of op.inputs) {
      if (!i.required) continue;
      if (i.displayWhen) {
        if (input[i.displayWhen.input] !== undefined && input[i.displayWhen.input] !== i.displayWhen.values[0]) continue;
        input[i.displayWhen.input] = i.displayWhen.values[0];
      }
      input[i.name] =
        i.format === 'alertId' || i.format === 'objectId'
          ? i.type === 'stringList'
            ? ['0123456789abcdef01234567']
            : '0123456789abcdef01234567'
          : i.format === 'activityId'
            ? '1_2_x'
            : i.format === 'cidrList'
              ? ['10.0.0.0/8']
              : i.format === 'fileName'
                ? 'a.log'
                : i.type === 'options'
                  ? i.options![0].value
                  : i.type === 'binary'
                    ? new Uint8Array([1])
                    : 'x';
    }
    await fc.assert(
      fc.asyncProperty(fc.array(garbage, { minLength: 1, maxLength: 4 }), async (responses) => {
        // A virtual clock that jumps by every wait: retries and pacer holds happen at once.
        let now = 1_700_000_000_000;
        const clock = { now: () => now };
        const sleep = async (ms: number) => {
          now += Math.max(1, ms);
        };
        let n = 0;
        const transport = new SpyTransport(() => responses[n++ % responses.length]);
        const client = new MdcaClient({
          cloud: cloudByName('commercial'),
          apiUrl: 'https://contoso.us2.portal.cloudappsecurity.com',
          transport,
          tokenProvider: staticTokenProvider(),
          clock,
          sleep,
          pacer: new SlidingWindowPacer(clock, sleep, { budget: 100_000 }),
          retry: { maxRetryAfterMs: 0 },
        });
        try {
          const outcome = await client.run(opId, input, { maxItems: 300 });
          if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
        } catch (error) {
          if (!(error instanceof MdcaError)) throw new Error(`${opId}: ${String(error)}`);
        }
        if (transport.calls.length > 700) throw new Error(`${opId}: ${transport.calls.length} requests for ${responses.length} responses`);
      }),
      { numRuns: Number(process.env.MDCA_FC_RUNS ?? 30) },
    );
  }, 20_000);
});
