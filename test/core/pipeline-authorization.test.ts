// The authorization policy: a token that will not expire on the way, and one refresh per 401.
import type { ClientEvent } from '../../core/pipeline/request';
import { AuthorizationPolicy, TOKEN_FRESHNESS_MS } from '../../core/pipeline/authorization-policy';
import { fakeTokens, NOW, pipelineRequest, Recorder, response } from './pipeline-helpers';

test('each attempt carries the provider token with its scheme, and the pipeline is told of it', async () => {
  const rec = new Recorder();
  const sent: string[] = [];
  const policy = new AuthorizationPolicy(fakeTokens(rec, [{ token: 'legacy', scheme: 'Token' }]), rec.clock, (t) => sent.push(t));
  const request = pipelineRequest();
  await policy.sendRequest(request, async (r) => response(r.authorization === 'Token legacy' ? 200 : 500));
  expect(request.authorization).toBe('Token legacy');
  expect(sent).toEqual(['legacy']);
  expect(rec.log).toEqual(['token']);
});

test('a token expiring within a minute is refreshed before it is sent', async () => {
  const rec = new Recorder();
  const events: ClientEvent[] = [];
  const tokens = fakeTokens(rec, [
    { token: 'old', scheme: 'Bearer', expiresOnMs: NOW + TOKEN_FRESHNESS_MS - 1 },
    { token: 'new', scheme: 'Bearer', expiresOnMs: NOW + 3_600_000 },
  ]);
  const policy = new AuthorizationPolicy(tokens, rec.clock, () => undefined);
  const request = pipelineRequest({}, { onEvent: (e) => events.push(e) });
  await policy.sendRequest(request, async () => response(200));
  expect(request.authorization).toBe('Bearer new');
  expect(rec.log).toEqual(['token', 'token forced']);
  expect(events).toEqual([{ type: 'token', forced: true }]);
});

test('a token with exactly a minute left is sent as it is', async () => {
  const rec = new Recorder();
  const policy = new AuthorizationPolicy(fakeTokens(rec, [{ token: 'ok', scheme: 'Bearer', expiresOnMs: NOW + TOKEN_FRESHNESS_MS }]), rec.clock, () => undefined);
  await policy.sendRequest(pipelineRequest(), async () => response(200));
  expect(rec.log).toEqual(['token']);
});

test('the 401 strategy refreshes once per send and only for 401', async () => {
  const rec = new Recorder();
  const events: ClientEvent[] = [];
  const policy = new AuthorizationPolicy(fakeTokens(rec), rec.clock, () => undefined);
  const request = pipelineRequest({}, { onEvent: (e) => events.push(e) });
  const retry = policy.unauthorized.retryResponse!;
  await expect(retry(request, response(403))).resolves.toBe(false);
  await expect(retry(request, response(401))).resolves.toBe(true);
  await expect(retry(request, response(401))).resolves.toBe(false);
  expect(request.refreshedAfter401).toBe(true);
  expect(rec.log).toEqual(['token forced']);
  expect(events).toEqual([{ type: 'token', forced: true }]);
  expect(policy.unauthorized.retryFailure).toBeUndefined();
});
