// The composed pipeline: the order of its policies and what one send does end to end.
import { ClientEvent } from '../../core/pipeline/request';
import { XDR_WORDING } from '../../core/pipeline/wording';
import { failure, fakeTokens, Recorder, response, spec, testPipeline } from './pipeline-helpers';

test('the budget is taken before the token, and the permit is given back after the answer', async () => {
  const rec = new Recorder();
  const { pipeline } = testPipeline(rec, [response(200, '{"data":[]}')]);
  await expect(pipeline.send(spec())).resolves.toMatchObject({ status: 200, data: { data: [] } });
  expect(rec.log).toEqual(['acquire t.example bulk', 'token', 'send Bearer tok-1', 'release']);
});

test('a 401 refreshes the token once and sends again under a new permit', async () => {
  const rec = new Recorder();
  const events: ClientEvent[] = [];
  const { pipeline } = testPipeline(rec, [response(401), response(200, '{}')], {
    tokenProvider: fakeTokens(rec, [
      { token: 'tok-1', scheme: 'Bearer', expiresOnMs: rec.now + 3_600_000 },
      { token: 'tok-2', scheme: 'Bearer', expiresOnMs: rec.now + 3_600_000 },
    ]),
  });
  await pipeline.send(spec(), { onEvent: (e) => events.push(e) });
  expect(rec.log).toEqual(['acquire t.example bulk', 'token', 'send Bearer tok-1', 'release', 'token forced', 'acquire t.example bulk', 'token', 'send Bearer tok-2', 'release']);
  expect(events.map((e) => e.type)).toEqual(['request', 'token', 'request']);
  expect(events.filter((e) => e.type === 'request').map((e) => (e as { attempt: number }).attempt)).toEqual([0, 1]);
});

test('a second 401 in the same send is an authentication error', async () => {
  const rec = new Recorder();
  const { pipeline } = testPipeline(rec, [response(401), response(401, '{"detail":"bad token"}')]);
  await expect(pipeline.send(spec())).rejects.toMatchObject({ code: 'AUTH_FAILED', message: 'MDCA refused the credential for alert.getAll (401): bad token.', details: { status: 401 } });
});

test('headers, body, timeout and a fresh connection for writes that must not be repeated', async () => {
  const rec = new Recorder();
  const { pipeline, transport } = testPipeline(rec, [response(200, '{}')]);
  await pipeline.send(spec({ method: 'POST', path: '/api/v1/subnet/', json: { a: 1 }, access: 'nonIdempotentWrite', expect: 'json', query: { x: 'a b', y: undefined } }), { requestId: 'r-1' });
  expect(transport.requests[0]).toEqual({
    method: 'POST',
    url: 'https://t.example/api/v1/subnet/?x=a%20b',
    headers: { accept: 'application/json', authorization: 'Bearer tok-1', 'x-ms-client-request-id': 'r-1', 'content-type': 'application/json' },
    body: '{"a":1}',
    timeoutMs: 30_000,
    maxResponseBytes: 1_048_576,
    signal: undefined,
    freshConnection: true,
  });
});

test('transport failures that no retry helps are typed in the last step', async () => {
  const rec = new Recorder();
  const tooLarge = testPipeline(rec, [failure('TOO_LARGE')]).pipeline;
  await expect(tooLarge.send(spec())).rejects.toMatchObject({ code: 'PROTOCOL_ERROR', hint: expect.stringContaining('points at MDCA') });
  const aborted = testPipeline(rec, [failure('ABORTED')]).pipeline;
  await expect(aborted.send(spec())).rejects.toMatchObject({ code: 'CANCELLED', details: { operation: 'alert.getAll' } });
  const untyped = testPipeline(rec, [], { transport: { send: () => Promise.reject(new Error('boom')) } }).pipeline;
  await expect(untyped.send(spec({ access: 'nonIdempotentWrite', method: 'POST' }))).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringContaining('(UNKNOWN)') });
});

test('the wording names the service in every message', async () => {
  const rec = new Recorder();
  const { pipeline } = testPipeline(rec, [response(403, '{"error":{"message":"no"}}')], { wording: XDR_WORDING });
  await expect(pipeline.send(spec())).rejects.toMatchObject({ message: 'Defender XDR denied alert.getAll (403): no.', hint: XDR_WORDING.hints.PERMISSION_MISSING });
});

test('tokens the pipeline sent are scrubbed like the credential', async () => {
  const rec = new Recorder();
  const { pipeline } = testPipeline(rec, [response(400, '{"detail":"echo tok-1 and client-secret-value"}')]);
  const error = (await pipeline.send(spec()).catch((e: unknown) => e)) as Error;
  expect(pipeline.secrets()).toEqual(['client-secret-value', 'tok-1']);
  expect(error.message).not.toMatch(/tok-1|client-secret-value/);
  expect(pipeline.tenantKey).toBe('t.example');
  expect(pipeline.baseUrl).toBe('https://t.example');
});
