// The retry policy: strategies asked in order, and the writes that are never sent twice.
import { HttpResponse, TransportFailure } from '../../core/ports';
import { RetryPolicy, RetryStrategy } from '../../core/pipeline/retry-policy';
import { MDCA_WORDING } from '../../core/pipeline/wording';
import { failure, pipelineRequest, response } from './pipeline-helpers';

/** A `next` that answers from a script, counting the attempts. */
function script(outcomes: (HttpResponse | TransportFailure)[]) {
  const next = jest.fn(async () => {
    const outcome = outcomes.shift()!;
    if ('transportFailure' in outcome) throw outcome;
    return outcome;
  });
  return next;
}

function strategy(name: string, answers: boolean[], log: string[]): RetryStrategy {
  const answer = async () => {
    log.push(name);
    return answers.shift() ?? false;
  };
  return { name, retryResponse: answer, retryFailure: answer };
}

test('a 2xx answer is returned without asking any strategy', async () => {
  const log: string[] = [];
  const policy = new RetryPolicy([strategy('a', [true], log)], MDCA_WORDING);
  await expect(policy.sendRequest(pipelineRequest(), script([response(204)]))).resolves.toMatchObject({ status: 204 });
  expect(log).toEqual([]);
});

test('strategies are asked in order until one retries; each retry is a new attempt', async () => {
  const log: string[] = [];
  const policy = new RetryPolicy([strategy('a', [false, false], log), strategy('b', [true, false], log)], MDCA_WORDING);
  const request = pipelineRequest();
  const next = script([response(500), response(404)]);
  await expect(policy.sendRequest(request, next)).resolves.toMatchObject({ status: 404 });
  expect(log).toEqual(['a', 'b', 'a', 'b']);
  expect(next).toHaveBeenCalledTimes(2);
  expect(request.attempt).toBe(1);
});

test('a failure no strategy retries is a network error; typed errors pass through untouched', async () => {
  const policy = new RetryPolicy([], MDCA_WORDING);
  await expect(policy.sendRequest(pipelineRequest(), script([failure('ECONNRESET')]))).rejects.toMatchObject({
    code: 'NETWORK_ERROR',
    message: 'No response from MDCA for alert.getAll: socket said ECONNRESET (ECONNRESET) after 1 attempts.',
  });
  const typed = new Error('typed');
  await expect(policy.sendRequest(pipelineRequest(), () => Promise.reject(typed))).rejects.toBe(typed);
});

test('a write that is not safe to repeat and may have reached the server is never resent', async () => {
  const log: string[] = [];
  const policy = new RetryPolicy([strategy('always', [true, true], log)], MDCA_WORDING);
  const next = script([failure('ECONNRESET', true)]);
  await expect(policy.sendRequest(pipelineRequest({ method: 'POST', access: 'nonIdempotentWrite' }), next)).rejects.toMatchObject({
    code: 'OUTCOME_UNKNOWN',
    message: 'The connection was lost (ECONNRESET) after alert.getAll was sent; MDCA may or may not have applied it. It was not sent again, to avoid a duplicate.',
  });
  expect(log).toEqual([]);
  expect(next).toHaveBeenCalledTimes(1);
});

test('the same write is retried when the failure shows it never left, and idempotent writes always may be', async () => {
  const log: string[] = [];
  const policy = new RetryPolicy([strategy('always', [true, true], log)], MDCA_WORDING);
  await expect(policy.sendRequest(pipelineRequest({ access: 'nonIdempotentWrite' }), script([failure('ECONNREFUSED', false), response(200)]))).resolves.toMatchObject({ status: 200 });
  await expect(policy.sendRequest(pipelineRequest({ access: 'idempotentWrite' }), script([failure('ECONNRESET', true), response(200)]))).resolves.toMatchObject({ status: 200 });
  expect(log).toEqual(['always', 'always']);
});

test('a write that is not safe to repeat is not resent after a server or gateway error: it may have been applied', async () => {
  for (const answer of [response(500), response(502), response(504), response(408), response(503)]) {
    const log: string[] = [];
    const policy = new RetryPolicy([strategy('always', [true, true], log)], MDCA_WORDING);
    const next = script([answer, response(200)]);
    await expect(policy.sendRequest(pipelineRequest({ method: 'POST', access: 'nonIdempotentWrite' }), next)).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message: `MDCA answered ${answer.status} to alert.getAll; it may or may not have applied it. It was not sent again, to avoid a duplicate.`,
    });
    expect(log).toEqual([]);
    expect(next).toHaveBeenCalledTimes(1);
  }
});

test('answers that say the write was not processed (401, 429, 503 with Retry-After) still let the strategies resend it', async () => {
  for (const answer of [response(401), response(429), { ...response(503), headers: { 'retry-after': '1' } }]) {
    const log: string[] = [];
    const policy = new RetryPolicy([strategy('once', [true], log)], MDCA_WORDING);
    await expect(policy.sendRequest(pipelineRequest({ method: 'POST', access: 'nonIdempotentWrite' }), script([answer, response(200)]))).resolves.toMatchObject({ status: 200 });
    expect(log).toEqual(['once']);
  }
});

test('a cancelled send makes no further attempt', async () => {
  const controller = new AbortController();
  const policy = new RetryPolicy([{ name: 'abort', retryResponse: async () => (controller.abort(), true) }], MDCA_WORDING);
  const next = script([response(500), response(200)]);
  await expect(policy.sendRequest(pipelineRequest({}, { signal: controller.signal }), next)).rejects.toMatchObject({ code: 'CANCELLED' });
  expect(next).toHaveBeenCalledTimes(1);
});
