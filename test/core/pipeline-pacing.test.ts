// The pacing policy: one permit per attempt, given back whatever the attempt ended with.
import { MdcaThrottledError } from '../../core/errors';
import { PacingPolicy } from '../../core/pipeline/pacing-policy';
import { fakePacer, pipelineRequest, Recorder, response } from './pipeline-helpers';

test('reads wait as bulk, writes as interactive, unless the operation says otherwise', async () => {
  const rec = new Recorder();
  const policy = new PacingPolicy(fakePacer(rec), 'tenant');
  const next = async () => response(200);
  await policy.sendRequest(pipelineRequest(), next);
  await policy.sendRequest(pipelineRequest({ access: 'idempotentWrite' }), next);
  await policy.sendRequest(pipelineRequest({ access: 'read', priority: 'interactive' }), next);
  expect(rec.log).toEqual(['acquire tenant bulk', 'release', 'acquire tenant interactive', 'release', 'acquire tenant interactive', 'release']);
});

test('the permit is given back when the attempt fails', async () => {
  const rec = new Recorder();
  const policy = new PacingPolicy(fakePacer(rec), 'tenant');
  await expect(policy.sendRequest(pipelineRequest(), () => Promise.reject(new Error('no token')))).rejects.toThrow('no token');
  expect(rec.log).toEqual(['acquire tenant bulk', 'release']);
});

test('a typed pacer error passes through; anything else is a cancellation', async () => {
  const throttled = new MdcaThrottledError('busy', 'wait');
  const failing = (error: unknown) => new PacingPolicy({ acquire: () => Promise.reject(error), reportThrottled: () => undefined }, 'tenant');
  const next = jest.fn(async () => response(200));
  await expect(failing(throttled).sendRequest(pipelineRequest(), next)).rejects.toBe(throttled);
  await expect(failing(new Error('aborted')).sendRequest(pipelineRequest(), next)).rejects.toMatchObject({ code: 'CANCELLED', details: { operation: 'alert.getAll', requestId: 'rid-1' } });
  expect(next).not.toHaveBeenCalled();
});
