// Response parsing: data as the operation expects it, sign-in pages and broken JSON told apart.
import { parseResponse } from '../../core/pipeline/response-parsing';
import { MDCA_WORDING, XDR_WORDING } from '../../core/pipeline/wording';
import { pipelineRequest, response } from './pipeline-helpers';

const parse = (res: ReturnType<typeof response>, expect: 'json' | 'text' | 'none' = 'json', wording = MDCA_WORDING) =>
  parseResponse<unknown>(res, pipelineRequest({ expect }), wording, ['s3cret-value']);

test('JSON, text, nothing, and an empty body as an empty object', () => {
  expect(parse(response(200, '{"a":[1]}'))).toEqual({ a: [1] });
  expect(parse(response(200, 'a,b\n1,2', { 'content-type': 'text/plain' }), 'text')).toBe('a,b\n1,2');
  expect(parse(response(200, 'ignored'), 'none')).toBeUndefined();
  expect(parse(response(200, '  '))).toEqual({});
  expect(parse(response(200, '{"a":1}', { 'content-type': '' }))).toEqual({ a: 1 });
});

test("the credential's own secrets are taken out of the data, nothing else is", () => {
  expect(parse(response(200, '{"note":"s3cret-value","token":"Bearer abcdefghijk"}'))).toEqual({ note: '[redacted]', token: 'Bearer abcdefghijk' });
  expect(parse(response(200, 'x s3cret-value', { 'content-type': 'text/plain' }), 'text')).toBe('x [redacted]');
});

test('an HTML page is a protocol error, by its content type or by its first tag', () => {
  const byTag = () => parse(response(200, '  <!DOCTYPE html><p>Sign in</p>', { 'content-type': 'application/json' }), 'text');
  expect(byTag).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR', message: 'MDCA answered alert.getAll with an HTML page instead of text (often a sign-in or proxy page).' }));
  expect(() => parse(response(200, 'hello', { 'content-type': 'text/html; charset=utf-8' }))).toThrow(
    expect.objectContaining({
      message: 'MDCA answered alert.getAll with an HTML page instead of JSON (often a sign-in or proxy page).',
      hint: 'Check that the tenant API URL is the one shown in the portal and that no proxy intercepts the traffic.',
      details: { status: 200, operation: 'alert.getAll', requestId: 'rid-1' },
    }),
  );
});

test('a content type other than JSON is refused, and shown scrubbed', () => {
  expect(() => parse(response(200, '{}', { 'content-type': 'application/xml; s3cret-value' }))).toThrow(
    expect.objectContaining({ message: 'MDCA answered alert.getAll with content type "application/xml; [redacted]" instead of JSON.', hint: 'Check that the tenant API URL points at MDCA.' }),
  );
});

test('invalid or truncated JSON is a protocol error; Defender XDR gives its own hint', () => {
  expect(() => parse(response(200, '{"a":'))).toThrow(
    expect.objectContaining({ message: 'MDCA answered alert.getAll with invalid or truncated JSON (5 characters).', hint: 'Retry; if it persists, check proxies between you and MDCA.' }),
  );
  expect(() => parse(response(200, '{"a":'), 'json', XDR_WORDING)).toThrow(
    expect.objectContaining({ message: 'Defender XDR answered alert.getAll with invalid or truncated JSON (5 characters).', hint: XDR_WORDING.hints.PROTOCOL_ERROR }),
  );
});
