// The shared response runner (core/response) on the real pipeline with a scripted transport and a
// controlled clock: what a dry run, a read before sending, a conflict, a lost answer, a list with a
// failure, a single failing target and a stopping failure each report, and how waitUntilFinal
// paces its reads on the clock it is given.
import { MdcaError, MdcaRequestRejectedError } from '../../core/errors';
import type { ClientEvent } from '../../core/pipeline';
import type { OperationExecution, OperationOutcome } from '../../core/operations/types';
import { dryRunInput, MAX_RESPONSE_TARGETS, ResponseActionRecord, ResponseActionSpec, runResponseAction, targetsOf, waitUntilFinal } from '../../core/response';
import { failure, NOW, Recorder, response, testPipeline } from './pipeline-helpers';

const ACTOR = { kind: 'application' as const, appId: 'app-1' };

function execution(rec: Recorder, script: Parameters<typeof testPipeline>[1], events: ClientEvent[] = []): { exec: OperationExecution; sent: () => string[] } {
  const { pipeline, transport } = testPipeline(rec, script, { retryOptions: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 20 } });
  const exec: OperationExecution = {
    pipeline,
    longPipeline: pipeline,
    ctx: { onEvent: (e: ClientEvent) => events.push(e) },
    maxItems: 100,
    storage: { put: async () => 0 },
    warn: () => undefined,
    now: rec.clock.now,
    sleep: rec.sleep,
    actor: async () => ACTOR,
  };
  return { exec, sent: () => transport.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`) };
}

/** A machine-like action: POST /api/machines/{id}/isolate, optionally with a read before and a conflict lookup. */
function spec(extra: Partial<ResponseActionSpec> = {}): ResponseActionSpec {
  return {
    action: 'machine.isolate',
    targetKind: 'machine',
    targetsInput: 'machineIds',
    doneOutcome: 'isolated',
    comment: (input) => input.comment as string,
    request: (target, input) => ({ method: 'POST', path: `/api/machines/${target}/isolate`, json: { Comment: input.comment }, access: 'nonIdempotentWrite', expect: 'json', operation: 'machine.isolate' }),
    done: (data) => ({ actionId: (data as { id: string }).id, actionStatus: (data as { status: string }).status }),
    ...extra,
  };
}

const records = (outcome: OperationOutcome): ResponseActionRecord[] => (outcome.kind === 'perItem' ? (outcome.items as ResponseActionRecord[]) : []);
const action = (id: string, status = 'Pending') => response(201, JSON.stringify({ id, status }));

describe('runResponseAction', () => {
  test('a dry run sends nothing and reports the exact request of each target', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, []);
    const outcome = await runResponseAction(spec(), exec, { machineIds: ['m1', 'm2'], comment: 'why', dryRun: true });
    expect(sent()).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'perItem', summary: { dryRun: true, requested: 2, wouldSend: 2, done: 0 } });
    expect(records(outcome)[1]).toMatchObject({
      status: 'dryRun',
      outcome: 'wouldSend',
      target: 'm2',
      comment: 'why',
      credential: ACTOR,
      request: { method: 'POST', url: 'https://t.example/api/machines/m2/isolate', body: { Comment: 'why' } },
      at: new Date(NOW).toISOString(),
    });
  });

  test('a read before sending that says "already" makes the target unchanged, and nothing is sent', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, [response(200, '{"isolated":true}')]);
    const before: ResponseActionSpec['before'] = async (e, target) => {
      const state = (await e.pipeline.send({ method: 'GET', path: `/api/machines/${target}`, access: 'read', expect: 'json', operation: 'machine.get' }, e.ctx)).data as { isolated: boolean };
      return state.isolated ? { outcome: 'alreadyIsolated', targetName: `${target}.contoso.example` } : undefined;
    };
    const [record] = records(await runResponseAction(spec({ before }), exec, { machineIds: 'm1', comment: 'c' }));
    expect(record).toMatchObject({ status: 'unchanged', outcome: 'alreadyIsolated', targetName: 'm1.contoso.example' });
    expect(record.request).toBeUndefined();
    expect(sent()).toEqual(['GET /api/machines/m1']);
  });

  test('a refusal that means "already pending" is unchanged with the existing action id, not retried', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, [response(400, '{"error":{"code":"ActiveRequestAlreadyExists","message":"already in progress"}}')]);
    const conflict: ResponseActionSpec['conflict'] = async (_e, error) => (error instanceof MdcaRequestRejectedError ? { actionId: 'existing-7', actionStatus: 'InProgress' } : undefined);
    const [record] = records(await runResponseAction(spec({ conflict }), exec, { machineIds: 'm1', comment: 'c' }));
    expect(record).toMatchObject({ status: 'unchanged', outcome: 'actionAlreadyPending', actionId: 'existing-7', actionStatus: 'InProgress', request: { method: 'POST' } });
    expect(sent()).toEqual(['POST /api/machines/m1/isolate']);
  });

  test('a lost answer: outcomeUnknown, exactly one request, the rest of the list still runs', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, [failure('ECONNRESET', true), action('a2')]);
    const outcome = await runResponseAction(spec(), exec, { machineIds: ['m1', 'm2'], comment: 'c' });
    expect(records(outcome).map((r) => [r.target, r.status, r.outcome])).toEqual([
      ['m1', 'outcomeUnknown', 'outcomeUnknown'],
      ['m2', 'done', 'isolated'],
    ]);
    expect(records(outcome)[0]).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', message: expect.stringContaining('not sent again') });
    expect(sent()).toEqual(['POST /api/machines/m1/isolate', 'POST /api/machines/m2/isolate']);
  });

  test('a list with one failure gives a per-item report; the others are done', async () => {
    const rec = new Recorder();
    const { exec } = execution(rec, [action('a1'), response(404, '{"error":{"code":"ResourceNotFound","message":"Machine not found"}}'), response(400, '{"error":{"message":"bad"}}'), action('a4')]);
    const outcome = await runResponseAction(spec(), exec, { machineIds: 'm1, m2, m3, m4'.split(', '), comment: 'c' });
    expect(outcome).toMatchObject({ summary: { requested: 4, done: 2, notFound: 1, failed: 1, skipped: 0 } });
    expect(records(outcome).map((r) => [r.status, r.actionId])).toEqual([
      ['done', 'a1'],
      ['notFound', undefined],
      ['failed', undefined],
      ['done', 'a4'],
    ]);
  });

  test('a single target that fails throws the error itself', async () => {
    const rec = new Recorder();
    const { exec } = execution(rec, [response(400, '{"error":{"message":"bad comment"}}')]);
    await expect(runResponseAction(spec(), exec, { machineIds: 'm1', comment: 'c' })).rejects.toMatchObject({ code: 'REQUEST_REJECTED', message: expect.stringContaining('bad comment') });
  });

  test('a stopping code skips the later targets without sending; a service can make a code per target', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, [action('a1'), response(403, '{"error":{"message":"denied"}}')]);
    const outcome = await runResponseAction(spec(), exec, { machineIds: ['m1', 'm2', 'm3'], comment: 'c' });
    expect(records(outcome).map((r) => [r.status, r.errorCode])).toEqual([
      ['done', undefined],
      ['failed', 'PERMISSION_MISSING'],
      ['skipped', 'PERMISSION_MISSING'],
    ]);
    expect(sent()).toHaveLength(2);
    const rec2 = new Recorder();
    const perTarget = execution(rec2, [response(403, '{"error":{"message":"admin"}}'), action('a2')]);
    const stops = (e: MdcaError) => e.code !== 'PERMISSION_MISSING';
    const own = await runResponseAction(spec({ stops }), perTarget.exec, { machineIds: ['m1', 'm2'], comment: 'c' });
    expect(records(own).map((r) => r.status)).toEqual(['failed', 'done']);
  });

  test('nothing sent anywhere and every target failed: the first error is thrown', async () => {
    const rec = new Recorder();
    const { exec } = execution(rec, [response(404, '{}'), response(404, '{}')]);
    await expect(runResponseAction(spec(), exec, { machineIds: ['m1', 'm2'], comment: 'c' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('resolve names the target before the request is built, in a dry run too', async () => {
    const rec = new Recorder();
    const { exec, sent } = execution(rec, []);
    const resolve: ResponseActionSpec['resolve'] = async (_e, target) => ({ targetId: `id-of-${target}`, targetName: target });
    const request: ResponseActionSpec['request'] = (target, _input, resolved) => ({ method: 'POST', path: `/api/machines/${resolved?.targetId ?? target}/isolate`, access: 'nonIdempotentWrite', expect: 'json', operation: 'machine.isolate' });
    const [record] = records(await runResponseAction(spec({ resolve, request }), exec, { machineIds: 'pc1', dryRun: true }));
    expect(record).toMatchObject({ status: 'dryRun', targetId: 'id-of-pc1', targetName: 'pc1', request: { url: 'https://t.example/api/machines/id-of-pc1/isolate' } });
    expect(sent()).toEqual([]);
  });

  test('targets: trimmed, deduplicated, at most MAX_RESPONSE_TARGETS, none is an error naming the input', () => {
    expect(targetsOf({ ids: [' a ', 'a', 'b', ''] }, 'ids', 'machine')).toEqual(['a', 'b']);
    expect(() => targetsOf({ ids: [] }, 'ids', 'machine')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: expect.objectContaining({ field: 'ids' }) }));
    const many = Array.from({ length: MAX_RESPONSE_TARGETS + 1 }, (_, i) => `m${i}`);
    expect(() => targetsOf({ ids: many }, 'ids', 'machine')).toThrow(/at most 100/);
    expect(dryRunInput).toMatchObject({ name: 'dryRun', type: 'boolean', default: false });
  });

  test('after: the wait runs once the action is accepted and its answer lands in the record', async () => {
    const rec = new Recorder();
    const events: ClientEvent[] = [];
    const { exec } = execution(rec, [action('a1'), response(200, '{"status":"InProgress"}'), response(200, '{"status":"Succeeded"}')], events);
    const after: ResponseActionSpec['after'] = async (e, record) => {
      const read = async () => ((await e.pipeline.send({ method: 'GET', path: `/api/machineactions/${record.actionId}`, access: 'read', expect: 'json', operation: 'machineAction.get' }, e.ctx)).data as { status: string }).status;
      const waited = await waitUntilFinal({ exec: e, read, isFinal: (s) => s === 'Succeeded', timeoutMs: 600_000, onProgress: (s, ms) => e.ctx.onEvent?.({ type: 'waiting', operation: 'machine.isolate', actionId: String(record.actionId), status: s, elapsedMs: ms }) });
      return { actionStatus: waited.value };
    };
    const [record] = records(await runResponseAction(spec({ after }), exec, { machineIds: 'm1', comment: 'c' }));
    expect(record).toMatchObject({ status: 'done', actionId: 'a1', actionStatus: 'Succeeded', at: new Date(NOW + 45_000).toISOString() });
    expect(events.filter((e) => e.type === 'waiting')).toEqual([{ type: 'waiting', operation: 'machine.isolate', actionId: 'a1', status: 'InProgress', elapsedMs: 15_000 }]);
  });
});

describe('waitUntilFinal', () => {
  const clockExec = (rec: Recorder) => ({ now: rec.clock.now, sleep: rec.sleep, ctx: {} });

  test('reads at 15 s, 30 s, then every 60 s until final', async () => {
    const rec = new Recorder();
    const states = ['Pending', 'InProgress', 'InProgress', 'Succeeded'];
    const progress: [string, number][] = [];
    const result = await waitUntilFinal({ exec: clockExec(rec), read: async () => states.shift()!, isFinal: (s) => s === 'Succeeded', timeoutMs: 600_000, onProgress: (s, ms) => progress.push([s, ms]) });
    expect(rec.sleeps).toEqual([15_000, 30_000, 60_000, 60_000]);
    expect(result).toEqual({ value: 'Succeeded', timedOut: false, elapsedMs: 165_000 });
    expect(progress).toEqual([
      ['Pending', 15_000],
      ['InProgress', 45_000],
      ['InProgress', 105_000],
    ]);
  });

  test('the last read is at the deadline, not after it, and a timeout keeps the last value', async () => {
    const rec = new Recorder();
    let reads = 0;
    const result = await waitUntilFinal({ exec: clockExec(rec), read: async () => (reads++, 'InProgress'), isFinal: () => false, timeoutMs: 100_000 });
    expect(rec.sleeps).toEqual([15_000, 30_000, 55_000]);
    expect(result).toEqual({ value: 'InProgress', timedOut: true, elapsedMs: 100_000 });
    expect(reads).toBe(3);
  });

  test('a cancelled wait says the action keeps running', async () => {
    const rec = new Recorder();
    const controller = new AbortController();
    controller.abort();
    await expect(waitUntilFinal({ exec: { ...clockExec(rec), ctx: { signal: controller.signal } }, read: async () => 'x', isFinal: () => false, timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('keeps running') });
  });
});
