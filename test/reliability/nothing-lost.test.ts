// Nothing lost, nothing doubled: a bulk close of 250 alerts with 5xx and 429 in the middle closes
// each alert exactly once with a per-item report; a lost subnet create is never silently duplicated
// and is detectable by name; cancellation mid-operation leaves no timer, no unhandled rejection
// (jest setup), and a report of what was done.
import { startEmulator, RunningEmulator } from '../../emulator';
import { HttpRequest, HttpResponse, HttpTransport, MdcaError, OperationOutcome, PerItemResult } from '../../core';
import { sharedTransport } from '../../runtime';
import { fastClient, items, dataRequests } from '../core/helpers';
import { activeTimers, drive, fakeTimeClient, realDelay, realStartFakeTime } from './helpers';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false, counts: { alerts: 2_000 } }] });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.resetRequestLog('contoso');
});

/** Wraps the real transport: records close requests (ids and status) and runs a hook per answer. */
class RecordingTransport implements HttpTransport {
  readonly closes: { ids: string[]; status: number }[] = [];
  onResponse?: (count: number) => void;
  constructor(private readonly inner: HttpTransport) {}
  async send(request: HttpRequest): Promise<HttpResponse> {
    const response = await this.inner.send(request);
    if (request.url.includes('close_benign')) {
      const body = JSON.parse(String(request.body)) as { filters: { id: { eq: string[] } } };
      this.closes.push({ ids: body.filters.id.eq, status: response.status });
      this.onResponse?.(this.closes.length);
    }
    return response;
  }
}

function openAlertIds(count: number): string[] {
  return emulator.control
    .listAlerts('contoso')
    .filter((a) => a.resolutionStatusValue === 0)
    .slice(0, count)
    .map((a) => String(a._id));
}

function perItem(outcome: OperationOutcome): PerItemResult[] {
  if (outcome.kind !== 'perItem') throw new Error(`expected perItem, got ${outcome.kind}`);
  return outcome.items;
}

test('bulk close of 250 alerts with 503 and 429 mid-way: each alert closed exactly once, every item done', async () => {
  const ids = openAlertIds(250);
  expect(ids).toHaveLength(250);
  const transport = new RecordingTransport(sharedTransport(emulator.caPem));
  transport.onResponse = (n) => {
    // After the first batch succeeded: the second batch meets a 503, then a 429 with Retry-After.
    if (n === 1) emulator.control.injectFaults('contoso', [{ status: 503, match: { pathIncludes: 'close_benign' } }, { status: 429, headers: { 'Retry-After': '1' }, match: { pathIncludes: 'close_benign' } }]);
    // The third batch meets a 502 twice.
    if (n === 4) emulator.control.injectFaults('contoso', [{ status: 502, match: { pathIncludes: 'close_benign' }, times: 2 }]);
  };
  const time = await realStartFakeTime();
  const { client } = fakeTimeClient(emulator, time, { transport, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  const result = await drive(time, client.run('alert.closeBenign', { alertIds: ids, comment: 'bulk close under faults' }), 100);
  expect(result.error).toBeUndefined();
  const report = perItem(result.value as OperationOutcome);
  expect(report).toHaveLength(250);
  expect(report.every((r) => r.status === 'done')).toBe(true);
  expect(new Set(report.map((r) => r.id))).toEqual(new Set(ids));
  // Ground truth: every alert is closed (benign = 3 in the emulator) ...
  for (const id of ids) expect(emulator.control.getAlert('contoso', id)?.resolutionStatusValue).not.toBe(0);
  // ... by exactly one successful close request; batches of ≤ 100.
  const applied = new Map<string, number>();
  for (const close of transport.closes) {
    expect(close.ids.length).toBeLessThanOrEqual(100);
    if (close.status === 200) for (const id of close.ids) applied.set(id, (applied.get(id) ?? 0) + 1);
  }
  expect([...applied.values()].every((n) => n === 1)).toBe(true);
  expect(applied.size).toBe(250);
  expect(transport.closes.map((c) => c.status)).toEqual([200, 503, 429, 200, 502, 502, 200]);
  expect(time.pending()).toBe(0);
});

test('a lost subnet create is never resent; a second run by the user can detect it by name first', async () => {
  const client = fastClient(emulator);
  const name = `Lost create ${Date.now()}`;
  emulator.control.injectFaults('contoso', [{ reset: 'after', match: { pathIncludes: 'create_rule' } }]);
  const error = (await client.run('ipRange.create', { name, category: 1, subnets: ['198.51.100.0/25'] }).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('OUTCOME_UNKNOWN');
  expect(error.hint).toMatch(/list operation/);
  expect(dataRequests(emulator, 'create_rule')).toHaveLength(1);
  // What the hint tells the user to do: list, find it by name, do not create again.
  const ranges = await items(await client.run('ipRange.getAll', {}, { maxItems: 1_000 }));
  expect(ranges.filter((r) => r.name === name)).toHaveLength(1);
  // Running the create again does not make a silent duplicate: MDCA refuses the same name.
  const again = (await client.run('ipRange.create', { name, category: 1, subnets: ['198.51.100.0/25'] }).catch((e: unknown) => e)) as MdcaError;
  expect(again).toBeInstanceOf(MdcaError);
  expect(again.code).toBe('REQUEST_REJECTED');
  expect(emulator.control.getSubnets('contoso').filter((s) => s.name === name)).toHaveLength(1);
});

test('cancel during a Retry-After wait in a bulk close: a report of what was done, nothing after, no timer left', async () => {
  const ids = openAlertIds(250);
  const transport = new RecordingTransport(sharedTransport(emulator.caPem));
  transport.onResponse = (n) => {
    if (n === 1) emulator.control.injectFaults('contoso', [{ status: 429, headers: { 'Retry-After': '30' }, match: { pathIncludes: 'close_benign' } }]);
  };
  const time = await realStartFakeTime();
  const { client } = fakeTimeClient(emulator, time, { transport });
  const controller = new AbortController();
  const running = client.run('alert.closeBenign', { alertIds: ids }, { signal: controller.signal });
  while (transport.closes.length < 2 || time.pending() === 0) await realDelay(5);
  const abortedAt = Date.now();
  controller.abort();
  const report = perItem(await running);
  expect(Date.now() - abortedAt).toBeLessThanOrEqual(100);
  expect(time.pending()).toBe(0);
  const byStatus = (s: PerItemResult['status']) => report.filter((r) => r.status === s).map((r) => r.id);
  expect(byStatus('done')).toEqual(ids.slice(0, 100));
  expect(byStatus('failed')).toEqual(ids.slice(100, 200));
  expect(byStatus('skipped')).toEqual(ids.slice(200));
  expect(report.filter((r) => r.status !== 'done').every((r) => r.errorCode === 'CANCELLED')).toBe(true);
  // Ground truth matches the report, and nothing is sent later.
  await time.advance(120_000);
  await realDelay(50);
  expect(transport.closes).toHaveLength(2);
  for (const id of ids.slice(0, 100)) expect(emulator.control.getAlert('contoso', id)?.resolutionStatusValue).not.toBe(0);
  for (const id of ids.slice(100)) expect(emulator.control.getAlert('contoso', id)?.resolutionStatusValue).toBe(0);
});

test('cancel during an in-flight bulk close (real time): no timer left behind, report says what was done', async () => {
  const ids = openAlertIds(250);
  const client = fastClient(emulator);
  await client.insight();
  const timersBefore = activeTimers();
  // The second batch is slow (5 s): cancel while it is in flight.
  emulator.control.injectFaults('contoso', [{ delayMs: 0, match: { pathIncludes: 'close_benign' } }, { delayMs: 5_000, match: { pathIncludes: 'close_benign' } }]);
  const controller = new AbortController();
  const running = client.run('alert.closeBenign', { alertIds: ids }, { signal: controller.signal });
  while (dataRequests(emulator, 'close_benign').length < 2) await realDelay(5);
  await realDelay(50);
  const abortedAt = Date.now();
  controller.abort();
  const report = perItem(await running);
  expect(Date.now() - abortedAt).toBeLessThanOrEqual(100);
  expect(report.filter((r) => r.status === 'done')).toHaveLength(100);
  expect(report.filter((r) => r.status === 'failed' && r.errorCode === 'CANCELLED')).toHaveLength(100);
  expect(report.filter((r) => r.status === 'skipped')).toHaveLength(50);
  for (let i = 0; i < 50 && activeTimers() > timersBefore + 1; i++) await realDelay(10);
  // At most the emulator's own 5 s delay timer (it shares this process) may still be running.
  expect(activeTimers()).toBeLessThanOrEqual(timersBefore + 1);
  // The slow batch may still have been applied by the server after the client gave up: the
  // report marks it failed (CANCELLED), never done — it can be re-run safely (idempotent close).
  await realDelay(5_100);
  expect(dataRequests(emulator, 'close_benign')).toHaveLength(2);
}, 15_000);
