// Request URLs: only allow-listed API paths on the validated origin; bodies as JSON or form text.
import { buildUrl, encodePathSegment, serializeBody } from '../../core/pipeline/url';
import { spec } from './pipeline-helpers';

test('the path is joined to the origin with the defined query values encoded', () => {
  expect(buildUrl('https://t.example', spec({ path: '/api/v1/alerts/', query: { 'a b': 'c&d', n: 5, f: false, u: undefined } }))).toBe('https://t.example/api/v1/alerts/?a%20b=c%26d&n=5&f=false');
  expect(buildUrl('https://t.example', spec({ path: '/cas/api/v1/discovery/' }))).toBe('https://t.example/cas/api/v1/discovery/');
  expect(buildUrl('https://t.example', spec({ path: '/api/incidents', query: {} }))).toBe('https://t.example/api/incidents');
});

test.each(['/other/v1/', '/api/../admin', '/api//x', 'https://evil.example/api/', '/api/v1/a?b=c', '/api/v1/a b'])('the path %s is refused before anything is sent', (path) => {
  expect(() => buildUrl('https://t.example', spec({ path }))).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR', message: 'Refusing to build a request path for alert.getAll.' }));
});

test('ids become one encoded segment; dot segments and empty ids are refused', () => {
  expect(encodePathSegment('a/b.c', 'alertId')).toBe('a%2Fb%2Ec');
  expect(() => encodePathSegment('..', 'alertId')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  expect(() => encodePathSegment('', 'alertId')).toThrow(expect.objectContaining({ code: 'PROTOCOL_ERROR', message: 'Empty path segment for alertId.' }));
});

test("an id's quotes, parentheses, * and ! are encoded: no value can make a segment an OData function call or key form", () => {
  expect(encodePathSegment('delta()', 'alertId')).toBe('delta%28%29');
  expect(encodePathSegment("x('y')*!", 'alertId')).toBe('x%28%27y%27%29%2A%21');
  // The key form's own quotes and parentheses come from the path template (core/entra/user-reference.ts).
  expect(buildUrl('https://t.example', spec({ path: `/v1.0/users('${encodePathSegment("$o''neil@contoso.com", 'userKey')}')` }))).toBe("https://t.example/v1.0/users('%24o%27%27neil%40contoso%2Ecom')");
});

test('a JSON body wins over a form; no body without either', () => {
  expect(serializeBody(spec({ json: { a: 1 }, form: { b: '2' } }))).toEqual({ body: '{"a":1}', contentType: 'application/json' });
  expect(serializeBody(spec({ form: { b: '2 3' } }))).toEqual({ body: 'b=2+3', contentType: 'application/x-www-form-urlencoded' });
  expect(serializeBody(spec())).toEqual({});
  expect(serializeBody(spec({ json: null }))).toEqual({ body: 'null', contentType: 'application/json' });
});
