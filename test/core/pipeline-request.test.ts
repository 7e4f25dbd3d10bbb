// The per-send state and the helpers every policy shares.
import { MdcaCancelledError } from '../../core/errors';
import { cancelled, newRequestId, sleepOrCancel, throwIfAborted } from '../../core/pipeline/request';
import { NOW, pipelineRequest } from './pipeline-helpers';

test('a new request starts with no attempt, retry, throttle wait or refresh behind it', () => {
  const request = pipelineRequest();
  expect(request).toMatchObject({ requestId: 'rid-1', deadlineMs: NOW + 300_000, attempt: 0, retries: 0, throttleWaits: 0, refreshedAfter401: false });
  expect(request.authorization).toBeUndefined();
});

test('request ids are 8-4-4 hex, drawn from the given random source', () => {
  expect(newRequestId(() => 0)).toBe('00000000-0000-0000');
  expect(newRequestId(() => 0.999)).toBe('ffffffff-ffff-ffff');
});

test('cancellation names the operation and the request', () => {
  const controller = new AbortController();
  const request = pipelineRequest({}, { signal: controller.signal });
  expect(() => throwIfAborted(request)).not.toThrow();
  controller.abort();
  expect(() => throwIfAborted(request)).toThrow(MdcaCancelledError);
  expect(cancelled(request).details).toEqual({ operation: 'alert.getAll', requestId: 'rid-1' });
});

test('a stopped wait ends the send as cancelled, whatever the sleep rejected with', async () => {
  const request = pipelineRequest();
  await expect(sleepOrCancel(() => Promise.reject(new Error('timer gone')), 10, request)).rejects.toMatchObject({ code: 'CANCELLED', details: { requestId: 'rid-1' } });
  const slept: number[] = [];
  await sleepOrCancel(async (ms) => void slept.push(ms), 10, request);
  expect(slept).toEqual([10]);
});
