// The transient strategy: back-off on network codes and statuses that usually pass, within the
// retry count and the operation deadline; and the same rules for calls outside the pipeline.
import type { ClientEvent } from '../../core/pipeline/request';
import { resolveRetryOptions } from '../../core/retry';
import { isTransient, retryTransient, transientDelayMs, TransientRetryStrategy } from '../../core/pipeline/transient-strategy';
import { MDCA_WORDING } from '../../core/pipeline/wording';
import { failure, pipelineRequest, Recorder, response } from './pipeline-helpers';

const retry = resolveRetryOptions({ maxRetries: 2, baseDelayMs: 1_000, maxDelayMs: 60_000 });

test('network codes and statuses that usually pass are transient; others are not', () => {
  expect(isTransient({ code: 'ECONNRESET' })).toBe(true);
  expect(isTransient({ code: 'CERT_HAS_EXPIRED' })).toBe(false);
  expect(isTransient({ status: 502 })).toBe(true);
  expect(isTransient({ status: 400 })).toBe(false);
  expect(isTransient({ status: 0, code: '' })).toBe(false);
});

test('the delay doubles per retry with equal jitter and stops after the allowed retries', () => {
  expect(transientDelayMs(0, { status: 500 }, retry, () => 1)).toBe(1_000);
  expect(transientDelayMs(1, { status: 500 }, retry, () => 0)).toBe(1_000);
  expect(transientDelayMs(2, { status: 500 }, retry, () => 1)).toBeUndefined();
  expect(transientDelayMs(0, { ok: true, status: 200 }, retry, () => 1)).toBeUndefined();
});

function setup() {
  const rec = new Recorder();
  const strategy = new TransientRetryStrategy({ clock: rec.clock, sleep: rec.sleep, logger: rec.logger, retry, random: () => 1, wording: MDCA_WORDING });
  const events: ClientEvent[] = [];
  const request = pipelineRequest({}, { onEvent: (e) => events.push(e) });
  return { rec, strategy, request, events };
}

test('a retry sleeps, counts, and reports itself', async () => {
  const { rec, strategy, request, events } = setup();
  await expect(strategy.retryFailure(request, failure('ETIMEDOUT'))).resolves.toBe(true);
  await expect(strategy.retryResponse(request, response(503))).resolves.toBe(true);
  await expect(strategy.retryResponse(request, response(503))).resolves.toBe(false);
  expect(request.retries).toBe(2);
  expect(rec.sleeps).toEqual([1_000, 2_000]);
  expect(events).toEqual([
    { type: 'retry', operation: 'alert.getAll', attempt: 1, delayMs: 1_000, reason: 'network', requestId: 'rid-1' },
    { type: 'retry', operation: 'alert.getAll', attempt: 2, delayMs: 2_000, reason: 'HTTP 503', requestId: 'rid-1' },
  ]);
  expect(rec.log.filter((l) => l.startsWith('debug'))).toEqual(['debug retrying MDCA request', 'debug retrying MDCA request']);
});

test('failures that are not transient are left alone', async () => {
  const { rec, strategy, request } = setup();
  await expect(strategy.retryResponse(request, response(404))).resolves.toBe(false);
  await expect(strategy.retryFailure(request, failure('CERT_HAS_EXPIRED'))).resolves.toBe(false);
  expect(request.retries).toBe(0);
  expect(rec.sleeps).toEqual([]);
});

test('a retry that would pass the operation deadline ends the send', async () => {
  const { rec, strategy, request } = setup();
  rec.now = request.deadlineMs - 500;
  await expect(strategy.retryResponse(request, response(502))).rejects.toMatchObject({
    code: 'SERVER_ERROR',
    message: 'alert.getAll failed (HTTP 502) and the next retry would pass the operation deadline.',
    hint: 'Retry later.',
    details: { operation: 'alert.getAll', requestId: 'rid-1' },
  });
  expect(rec.sleeps).toEqual([]);
});

test('retryTransient repeats a call outside the pipeline until it succeeds or may not retry', async () => {
  const rec = new Recorder();
  const outcomes = [{ status: 0, code: 'ECONNRESET' }, { status: 500 }, { ok: true, status: 201 }];
  const attempt = jest.fn(async () => outcomes.shift()!);
  const options = { retry, random: () => 1, sleep: rec.sleep, cancelled: () => new Error('cancelled') };
  await expect(retryTransient(attempt, options)).resolves.toEqual({ ok: true, status: 201 });
  expect(rec.sleeps).toEqual([1_000, 2_000]);
  const spent = [{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }];
  await expect(retryTransient(async () => spent.shift()!, options)).resolves.toEqual({ status: 500 });
  expect(spent).toHaveLength(1);
  await expect(retryTransient(async () => ({ status: 400 }), options)).resolves.toEqual({ status: 400 });
});

test('retryTransient stops when cancelled, before an attempt or during a wait', async () => {
  const controller = new AbortController();
  controller.abort();
  const attempt = jest.fn(async () => ({ status: 500 }));
  const cancelled = () => new Error('cancelled');
  await expect(retryTransient(attempt, { retry, random: () => 1, sleep: async () => undefined, signal: controller.signal, cancelled })).rejects.toThrow('cancelled');
  expect(attempt).not.toHaveBeenCalled();
  await expect(retryTransient(attempt, { retry, random: () => 1, sleep: () => Promise.reject(new Error('timer')), cancelled })).rejects.toThrow('cancelled');
  expect(attempt).toHaveBeenCalledTimes(1);
});
