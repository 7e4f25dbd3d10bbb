// The throttling strategy: 429 and 503 with Retry-After, bounded waits, and the pacer told of 429s.
import type { ClientEvent } from '../../core/pipeline/request';
import { resolveRetryOptions } from '../../core/retry';
import { isThrottling, ThrottlingStrategy } from '../../core/pipeline/throttling-strategy';
import { MDCA_WORDING, XDR_WORDING } from '../../core/pipeline/wording';
import { fakePacer, pipelineRequest, Recorder, response } from './pipeline-helpers';

function setup(options = {}, wording = MDCA_WORDING) {
  const rec = new Recorder();
  const pacer = fakePacer(rec);
  const retry = resolveRetryOptions({ baseDelayMs: 1_000, maxDelayMs: 60_000, maxThrottleWaits: 2, maxRetryAfterMs: 120_000, ...options });
  const strategy = new ThrottlingStrategy({ clock: rec.clock, sleep: rec.sleep, logger: rec.logger, pacer, tenantKey: 'tenant', retry, random: () => 0, wording });
  const events: ClientEvent[] = [];
  const request = pipelineRequest({}, { onEvent: (e) => events.push(e) });
  return { rec, pacer, strategy, request, events };
}

test('only 429, and 503 with a Retry-After, are throttling', () => {
  expect(isThrottling(response(429))).toBe(true);
  expect(isThrottling(response(503, '', { 'retry-after': '5' }))).toBe(true);
  expect(isThrottling(response(503))).toBe(false);
  expect(isThrottling(response(500, '', { 'retry-after': '5' }))).toBe(false);
});

test('a 429 holds the tenant in the pacer for the asked wait instead of sleeping here', async () => {
  const { rec, pacer, strategy, request, events } = setup();
  await expect(strategy.retryResponse(request, response(429, '', { 'retry-after': '7' }))).resolves.toBe(true);
  expect(pacer.throttled).toEqual([7_000]);
  expect(rec.sleeps).toEqual([]);
  expect(events).toEqual([{ type: 'throttled', operation: 'alert.getAll', delayMs: 7_000, requestId: 'rid-1' }]);
  expect(rec.log).toContain('info MDCA throttled the request; waiting');
});

test('a 503 with Retry-After sleeps here and leaves the budget alone', async () => {
  const { rec, pacer, strategy, request } = setup({}, XDR_WORDING);
  await strategy.retryResponse(request, response(503, '', { 'retry-after': '3' }));
  expect(pacer.throttled).toEqual([]);
  expect(rec.sleeps).toEqual([3_000]);
  expect(rec.log).toContain('info Defender XDR throttled the request; waiting');
});

test('without a hint the wait doubles from twice the base delay, plus jitter', async () => {
  const { pacer, strategy, request } = setup({ maxThrottleWaits: 5 });
  for (let i = 0; i < 3; i++) await strategy.retryResponse(request, response(429));
  expect(pacer.throttled).toEqual([2_000, 4_000, 8_000]);
  expect(request.throttleWaits).toBe(3);
});

test('a wait longer than allowed fails fast and halves the budget without holding the queue', async () => {
  const { pacer, strategy, request } = setup();
  await expect(strategy.retryResponse(request, response(429, '', { 'retry-after': '600' }))).rejects.toMatchObject({
    code: 'THROTTLED',
    message: 'alert.getAll was throttled: MDCA asked to wait 600 s, longer than the allowed 120 s.',
    hint: 'Run it again in about 600 s. MDCA allows 30 requests per minute per tenant, shared by every integration.',
    details: { status: 429, retryAfterMs: 600_000 },
  });
  expect(pacer.throttled).toEqual([undefined]);
});

test('too many waits, or a wait past the deadline, end the send', async () => {
  const waits = setup();
  await waits.strategy.retryResponse(waits.request, response(429));
  await waits.strategy.retryResponse(waits.request, response(429));
  await expect(waits.strategy.retryResponse(waits.request, response(429))).rejects.toMatchObject({
    message: 'alert.getAll was throttled: MDCA kept throttling alert.getAll after 2 waits.',
    hint: 'Run it again in a minute. MDCA allows 30 requests per minute per tenant, shared by every integration.',
  });
  const late = setup({}, XDR_WORDING);
  late.rec.now = late.request.deadlineMs - 1_000;
  await expect(late.strategy.retryResponse(late.request, response(503, '', { 'retry-after': '2' }))).rejects.toMatchObject({
    message: 'alert.getAll was throttled: the wait Defender XDR asked for would pass the operation deadline.',
    hint: XDR_WORDING.hints.THROTTLED,
    details: { status: 429, retryAfterMs: 2_000 },
  });
  expect(late.rec.sleeps).toEqual([]);
});

test('other answers are left to the next strategy', async () => {
  const { strategy, request } = setup();
  await expect(strategy.retryResponse(request, response(500))).resolves.toBe(false);
  expect(request.throttleWaits).toBe(0);
});
