// Error mapping: one typed error per status class and transport failure, the service's wording,
// and what the service said, scrubbed before it is cut short.
import { ErrorMappingPolicy, extractServiceMessage, networkError, serviceMessageOf, statusError, throttledError, tooLargeError, uncertainOutcomeError } from '../../core/pipeline/error-mapping';
import { MDCA_WORDING, XDR_WORDING } from '../../core/pipeline/wording';
import { failure, pipelineRequest, response } from './pipeline-helpers';

const map = (status: number, body = '', wording = MDCA_WORDING, retries = 0) => {
  const request = pipelineRequest();
  request.retries = retries;
  return statusError(request, response(status, body), wording, ['plain-secret-words']);
};

const expected: Record<number, { code: string; name: string; message: string }> = {
  401: { code: 'AUTH_FAILED', name: 'MdcaAuthError', message: 'MDCA refused the credential for alert.getAll (401).' },
  403: { code: 'PERMISSION_MISSING', name: 'MdcaPermissionError', message: 'MDCA denied alert.getAll (403).' },
  404: { code: 'NOT_FOUND', name: 'MdcaNotFoundError', message: 'Not found: alert.getAll (404).' },
  408: { code: 'SERVER_ERROR', name: 'MdcaServerError', message: 'MDCA answered 408 to alert.getAll 1 times.' },
  302: { code: 'PROTOCOL_ERROR', name: 'MdcaProtocolError', message: 'MDCA answered with a redirect (302) to alert.getAll; redirects are never followed so the credential cannot leak to another host.' },
  501: { code: 'SERVER_ERROR', name: 'MdcaServerError', message: 'MDCA answered 501 to alert.getAll.' },
  400: { code: 'REQUEST_REJECTED', name: 'MdcaRequestRejectedError', message: 'MDCA rejected alert.getAll (400).' },
  409: { code: 'REQUEST_REJECTED', name: 'MdcaRequestRejectedError', message: 'MDCA rejected alert.getAll (409).' },
};

test.each(Object.keys(expected).map(Number))('status %i has its typed error', (status) => {
  const { code, name, message } = expected[status];
  const error = map(status);
  expect(error).toMatchObject({ code, name, message, details: { status, operation: 'alert.getAll', requestId: 'rid-1' } });
  expect(error.details.serviceMessage).toBeUndefined();
});

test('a retryable status after the retries were spent counts every attempt', () => {
  expect(map(503, '{"detail":"down"}', MDCA_WORDING, 3).message).toBe('MDCA answered 503 to alert.getAll 4 times: down.');
});

test('Defender XDR errors name the service and carry its hints where it has them', () => {
  expect(map(401, '', XDR_WORDING)).toMatchObject({ message: 'Defender XDR refused the credential for alert.getAll (401).', hint: XDR_WORDING.hints.AUTH_FAILED });
  expect(map(302, '', XDR_WORDING).hint).toBe(XDR_WORDING.hints.PROTOCOL_ERROR);
  expect(map(400, '', XDR_WORDING).hint).toBe(XDR_WORDING.hints.REQUEST_REJECTED);
  expect(map(500, '', XDR_WORDING, 3).hint).toBe('Retry later; for list operations narrow the filters (for example a shorter date range).');
  expect(map(403).hint).toContain('Grant the MDCA permission');
});

test('the service message is scrubbed by value before it is cut, so no piece of a secret survives', () => {
  const lead = 'word '.repeat(38);
  const body = `${lead}plain-secret-words and more`;
  expect(serviceMessageOf(body, ['plain-secret-words'])).toBe(`${lead}[redacted] and more`.slice(0, 200));
  expect(serviceMessageOf(body, [])).toBe(body.slice(0, 200));
  expect(map(400, '{"detail":"bad filter near plain-secret-words"}').details.serviceMessage).toBe('bad filter near [redacted]');
  expect(serviceMessageOf('{"detail":"line\\nbreak"}', [])).toBe('line\\nbreak');
});

test('service messages come from the DRF, filter-error and XDR error shapes, or the start of the text', () => {
  expect(extractServiceMessage('{"detail":"d"}')).toBe('d');
  expect(extractServiceMessage('{"filters":[{"error":"a"},{"x":1},{"error":"b"}]}')).toBe('a; b');
  expect(extractServiceMessage('{"error":{"code":"X","message":"m"}}')).toBe('m');
  expect(extractServiceMessage('{"error":"e"}')).toBe('e');
  expect(extractServiceMessage('{"message":"msg"}')).toBe('msg');
  expect(extractServiceMessage('{"other":1}')).toBe('');
  expect(extractServiceMessage('<html><body><h1>Bad   gateway</h1></body></html>')).toBe('Bad gateway');
  expect(extractServiceMessage('y'.repeat(300))).toBe('y'.repeat(200));
});

test('transport failures: the network, an untrusted certificate, an outcome unknown, a body too large', () => {
  const request = pipelineRequest();
  request.retries = 2;
  expect(networkError(request, failure('ECONNRESET'), XDR_WORDING)).toMatchObject({
    code: 'NETWORK_ERROR',
    message: 'No response from Defender XDR for alert.getAll: socket said ECONNRESET (ECONNRESET) after 3 attempts.',
    hint: 'Check the tenant API URL and the network path (proxy, firewall, DNS).',
  });
  expect(networkError(request, failure('SELF_SIGNED_CERT_IN_CHAIN'), MDCA_WORDING)).toMatchObject({
    message: 'No response from MDCA for alert.getAll: socket said SELF_SIGNED_CERT_IN_CHAIN (SELF_SIGNED_CERT_IN_CHAIN).',
    hint: expect.stringContaining('NODE_EXTRA_CA_CERTS'),
  });
  expect(uncertainOutcomeError(request, failure('EPIPE', true), XDR_WORDING).message).toContain('Defender XDR may or may not have applied it');
  expect(tooLargeError(request, 25 * 1_048_576, XDR_WORDING)).toMatchObject({
    code: 'PROTOCOL_ERROR',
    message: 'The response to alert.getAll was larger than 25 MB and was not read.',
    hint: 'Narrow the request (smaller page or tighter filters), or check that the API URL points at Defender XDR.',
  });
});

test('throttling errors are 429s with the service limits, or its own hint', () => {
  const request = pipelineRequest();
  expect(throttledError(request, 1_500, 'why', MDCA_WORDING)).toMatchObject({
    message: 'alert.getAll was throttled: why.',
    hint: 'Run it again in about 2 s. MDCA allows 30 requests per minute per tenant, shared by every integration.',
    details: { status: 429, retryAfterMs: 1_500 },
  });
  expect(throttledError(request, undefined, 'why', XDR_WORDING).hint).toBe(XDR_WORDING.hints.THROTTLED);
});

test('the policy passes 2xx answers on and throws for the others', async () => {
  const policy = new ErrorMappingPolicy(MDCA_WORDING, () => []);
  await expect(policy.sendRequest(pipelineRequest(), async () => response(200, '{}'))).resolves.toMatchObject({ status: 200 });
  await expect(policy.sendRequest(pipelineRequest(), async () => response(404))).rejects.toMatchObject({ code: 'NOT_FOUND' });
});
