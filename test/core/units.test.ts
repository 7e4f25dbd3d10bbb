// Pure units: pacing, back-off, Retry-After, host allow-list, redaction, filters, IP parsing.
import {
  SlidingWindowPacer,
  backoffDelayMs,
  resolveRetryOptions,
  parseRetryAfterMs,
  validateApiBaseUrl,
  cloudByName,
  redact,
  safeServiceMessage,
  validateFilters,
  parseCidr,
  sameRange,
  encodePathSegment,
  readTokenInsight,
  validateInputs,
  findOperation,
} from '../../core';
import { FakeTime, flush } from '../support/fake-time';

describe('sliding-window pacer', () => {
  test('a small burst, then evenly spaced; never more than the budget in a rolling window', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: 28, windowMs: 60_000 });
    const admitted: number[] = [];
    for (let i = 0; i < 40; i++) void pacer.acquire('t', 'bulk').then((p) => { admitted.push(time.clock.now()); p.release(); });
    await flush();
    expect(admitted).toHaveLength(7);
    await time.advance(90_000);
    expect(admitted).toHaveLength(40);
    for (const t of admitted) expect(admitted.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(28);
    for (let i = 8; i < admitted.length; i++) expect(admitted[i] - admitted[i - 1]).toBeGreaterThanOrEqual(60_000 / 28 - 1);
  });

  test('a write during a full-budget scan goes out within about one spacing interval', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: 28, windowMs: 60_000 });
    let stop = false;
    const scan = async () => {
      while (!stop) (await pacer.acquire('t', 'bulk')).release();
    };
    void scan().catch(() => undefined);
    await time.advance(120_000);
    const asked = time.clock.now();
    let sentAt = 0;
    void pacer.acquire('t', 'interactive').then((p) => { sentAt = time.clock.now(); p.release(); });
    await time.advance(10_000);
    stop = true;
    await time.advance(10_000);
    expect(sentAt).toBeGreaterThan(0);
    expect(sentAt - asked).toBeLessThanOrEqual(60_000 / 28 + 1);
  });

  test('an idle limiter admits immediately', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep);
    let done = false;
    void pacer.acquire('t', 'bulk').then(() => { done = true; });
    await flush();
    expect(done).toBe(true);
  });

  test('a 429 halves the budget for five minutes and holds requests for Retry-After', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: 28 });
    pacer.reportThrottled('t', 7_000);
    expect(pacer.currentBudget('t')).toBe(14);
    let admittedAt = 0;
    void pacer.acquire('t', 'bulk').then((p) => { admittedAt = time.clock.now(); p.release(); });
    const start = time.clock.now();
    await time.advance(6_999);
    expect(admittedAt).toBe(0);
    await time.advance(1);
    expect(admittedAt - start).toBe(7_000);
    await time.advance(5 * 60_000);
    expect(pacer.currentBudget('t')).toBe(14);
    await time.advance(60_000);
    expect(pacer.currentBudget('t')).toBe(15);
    expect(pacer.currentBudget('other')).toBe(28);
  });

  test('interactive requests jump the queue of a long bulk read', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: 2, windowMs: 1_000 });
    const order: string[] = [];
    for (let i = 0; i < 6; i++) void pacer.acquire('t', 'bulk').then((p) => { order.push(`bulk${i}`); p.release(); });
    await flush();
    void pacer.acquire('t', 'interactive').then((p) => { order.push('write'); p.release(); });
    await time.advance(1_001);
    expect(order.slice(0, 3)).toEqual(['bulk0', 'write', 'bulk1']);
  });

  test('abort removes a waiter and leaves no timer behind', async () => {
    const time = new FakeTime();
    const pacer = new SlidingWindowPacer(time.clock, time.sleep, { budget: 1, windowMs: 60_000 });
    (await pacer.acquire('t', 'bulk')).release();
    const controller = new AbortController();
    const waiting = pacer.acquire('t', 'bulk', controller.signal);
    await flush();
    expect(time.pending()).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    await flush();
    expect(time.pending()).toBe(0);
  });
});

describe('retry arithmetic', () => {
  test('equal-jitter exponential back-off within [d/2, d], capped', () => {
    const options = resolveRetryOptions();
    expect(backoffDelayMs(0, options, () => 0)).toBe(500);
    expect(backoffDelayMs(0, options, () => 1)).toBe(1_000);
    expect(backoffDelayMs(2, options, () => 1)).toBe(4_000);
    expect(backoffDelayMs(10, options, () => 1)).toBe(60_000);
  });

  test('Retry-After in seconds, HTTP date, ms headers and DRF body', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs({ 'retry-after': '7' }, '', now)).toBe(7_000);
    expect(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, '', now)).toBe(30_000);
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, '', now)).toBe(0);
    expect(parseRetryAfterMs({ 'retry-after-ms': '250' }, '', now)).toBe(250);
    expect(parseRetryAfterMs({}, '{"detail":"Request was throttled. Expected available in 12 seconds."}', now)).toBe(12_000);
    expect(parseRetryAfterMs({}, 'TOO MANY REQUESTS', now)).toBeUndefined();
  });
});

describe('tenant API URL allow-list', () => {
  const commercial = cloudByName('commercial');
  test.each([
    'https://evil.example',
    'https://t.us.portal.cloudappsecurity.com.evil.example',
    'https://t.us.portal.cloudappsecurity.com@evil.example',
    'http://t.us.portal.cloudappsecurity.com',
    'https://169.254.169.254',
    'https://[::1]',
    'https://2130706433',
    'https://0x7f000001',
    'https://t.us.portal.cloudappsecurity.com:8443',
    'https://t.us.portal.cloudappsecurity.com/other/path',
    'https://t.us.portal.cloudappsecurity.com?x=1',
    'https://portal.cloudappsecurity.com.evil',
    'https://a.b.c.portal.cloudappsecurity.com',
    'ftp://t.us.portal.cloudappsecurity.com',
    '',
  ])('rejects %s', (url) => {
    expect(() => validateApiBaseUrl(url, commercial)).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'apiUrl' } }));
  });

  test.each([
    ['https://contoso.us2.portal.cloudappsecurity.com', 'https://contoso.us2.portal.cloudappsecurity.com'],
    ['contoso.eu2.portal.cloudappsecurity.com/api/', 'https://contoso.eu2.portal.cloudappsecurity.com'],
    ['https://Contoso.US.portal.cloudappsecurity.com/cas/api', 'https://contoso.us.portal.cloudappsecurity.com'],
  ])('accepts %s', (url, expected) => {
    expect(validateApiBaseUrl(url, commercial)).toBe(expected);
  });

  test('each cloud has its own suffix', () => {
    expect(validateApiBaseUrl('https://t.us1.portal.cloudappsecuritygov.com', cloudByName('gcc'))).toBe('https://t.us1.portal.cloudappsecuritygov.com');
    expect(validateApiBaseUrl('https://t.us1.portal.cloudappsecurity.us', cloudByName('gccHigh'))).toBe('https://t.us1.portal.cloudappsecurity.us');
    expect(() => validateApiBaseUrl('https://t.us1.portal.cloudappsecurity.us', cloudByName('commercial'))).toThrow();
  });

  test('testing hosts only when listed', () => {
    expect(validateApiBaseUrl('https://127.0.0.1:8443', commercial, { allowHosts: ['127.0.0.1:8443'] })).toBe('https://127.0.0.1:8443');
    expect(() => validateApiBaseUrl('https://127.0.0.1:8444', commercial, { allowHosts: ['127.0.0.1:8443'] })).toThrow();
  });

  test.each(['https://evil/', '//evil', '../../x', '%2F%2Fevil'])('id %s stays one encoded path segment', (id) => {
    const segment = encodePathSegment(id, 'alertId');
    expect(segment).not.toMatch(/[/.]/);
  });

  test('ids with path tricks fail validation before any request', () => {
    const op = findOperation('alert.get')!.definition;
    for (const id of ['https://evil/', '//evil', '../../x', '%2F%2Fevil']) {
      expect(() => validateInputs(op, { alertId: id })).toThrow(expect.objectContaining({ details: { field: 'alertId' } }));
    }
  });
});

describe('redaction', () => {
  test('by known value, name and shape; control characters escaped', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const text = `client_secret=abc123XYZ&password: hunter2 Authorization: Bearer ${jwt} token=${'A'.repeat(70)} known-secret-value\r\n[error] forged`;
    const out = safeServiceMessage(text, ['known-secret-value']);
    expect(out).not.toContain('abc123XYZ');
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('A'.repeat(70));
    expect(out).not.toContain('known-secret-value');
    expect(out).not.toMatch(/[\r\n]/);
    expect(out).toContain('\\r\\n[error] forged');
    expect(redact('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe('[redacted pem]');
  });

  test('a storage signature (sig=) is removed even when percent-encoding breaks its random run', () => {
    const url = 'https://blob.example/mde-packages/p/WDATP_Investigation_Package.zip?sv=2022-11-02&se=2026-12-07T09%3A00%3A00Z&sr=b&sp=r&sig=ab%2Bcd%2Fef%2B12%3D';
    const out = safeServiceMessage(`download failed: ${url}`);
    expect(out).not.toContain('ab%2Bcd');
    expect(out).toContain('sig=[redacted]');
  });

  test.each([
    ['JSON-escaped', '?sv=1\\u0026sig=k1L2%2Fab%2Buv%3D\\u0026se=2026'],
    ['HTML decimal', '?sv=1&#38;sig=k1L2%2Fab%2Buv%3D&#38;se=2026'],
    ['HTML hex', '?sv=1&#x26;sig=k1L2%2Fab%2Buv%3D&#x26;se=2026'],
    ['percent-encoded', '%3Fsv%3D1%26sig=k1L2%2Fab%2Buv%3D'],
  ])('a storage signature after a %s "&" is removed too', (_, query) => {
    const out = safeServiceMessage(`{"error":{"message":"cannot read https://blob.example/p.zip${query}"}}`);
    expect(out).not.toContain('k1L2');
    expect(out).toContain('sig=[redacted]');
  });

  test('service messages are capped at 1 KB', () => {
    expect(safeServiceMessage('x'.repeat(5_000)).length).toBeLessThanOrEqual(1_025);
  });
});

describe('filters', () => {
  test('valid filters pass, scalars accepted for list operators', () => {
    expect(validateFilters('alert', '{"severity": {"eq": 2}, "date": {"gte_ndays": 3, "lte": 1700000000000}}')).toEqual({ severity: { eq: 2 }, date: { gte_ndays: 3, lte: 1700000000000 } });
  });
  test.each([
    ['{"nope": {"eq": [1]}}', 'filtersJson.nope'],
    ['{"severity": {"gt": 1}}', 'filtersJson.severity.gt'],
    ['{"severity": {"eq": ["high"]}}', 'filtersJson.severity.eq'],
    ['{"date": {"range": [{"start": "x"}]}}', 'filtersJson.date.range'],
    ['{"alertOpen": {"eq": "yes"}}', 'filtersJson.alertOpen.eq'],
    ['[1,2]', 'filtersJson'],
    ['{"severity": ', 'filtersJson'],
  ])('%s fails naming %s', (raw, field) => {
    expect(() => validateFilters('alert', raw)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field } }));
  });
});

describe('IP ranges', () => {
  test('v4, v6, mapped and bare addresses', () => {
    expect(parseCidr('192.168.1.0/24')).toMatchObject({ version: 4, prefix: 24 });
    expect(parseCidr('2001:db8::/32')).toMatchObject({ version: 6, prefix: 32 });
    expect(parseCidr('::ffff:10.0.0.1/128')).toMatchObject({ version: 6 });
    expect(parseCidr('10.0.0.1')).toMatchObject({ prefix: 32 });
    expect(sameRange(parseCidr('10.0.0.7/24')!, parseCidr('10.0.0.0/24')!)).toBe(true);
    for (const bad of ['256.1.1.1/24', '10.0.0.0/33', '10.0.0/24', '1::2::3', 'abc', '10.0.0.0/24/1', '01.2.3.4']) expect(parseCidr(bad)).toBeUndefined();
  });
});

describe('token insight', () => {
  test('reads roles and scp without trusting them', () => {
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const app = `${encode({ alg: 'none' })}.${encode({ roles: ['investigation.read', 'Other.Role'], tid: 't', exp: 100 })}.sig`;
    expect(readTokenInsight(app)).toMatchObject({ kind: 'application', permissions: ['Investigation.read'], otherClaims: ['Other.Role'], expiresOnMs: 100_000, verified: false });
    const user = `${encode({})}.${encode({ scp: 'Discovery.Read Investigation.manage' })}.sig`;
    expect(readTokenInsight(user)).toMatchObject({ kind: 'delegated', permissions: ['Discovery.read', 'Investigation.manage'] });
    expect(readTokenInsight('opaque')).toBeUndefined();
  });
});

// Hostile flow input (threat model in docs/reliability.md): filter names are looked up as own
// properties, values are checked for JSON shape, and the path encoder itself refuses dot segments.
describe('filters: prototype names, deep, circular and non-JSON values', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('filter name %s is a validation error naming the field', (name) => {
    expect(() => validateFilters('alert', `{"${name}": {"eq": [1]}}`)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: `filtersJson.${name}` } }));
    expect(() => validateFilters('alert', { [name]: { eq: [1] } })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: `filtersJson.${name}` } }));
  });

  test('an unknown resource with a prototype name finds no catalog', () => {
    expect(() => validateFilters('constructor', '{"x": {"eq": [1]}}')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  test('over-deep, circular and non-JSON filter values are validation errors, not RangeErrors', () => {
    let deep: unknown = [1];
    for (let i = 0; i < 1_000; i++) deep = [deep];
    const circular: Record<string, unknown> = { eq: [1] };
    circular.self = circular;
    const cases: unknown[] = [
      { severity: { eq: deep } },
      JSON.stringify({ severity: { eq: deep } }),
      { severity: circular },
      { severity: { eq: [Number.NaN] } },
      { severity: { eq: [Infinity] } },
      { date: { lte: new Date(0) } },
      { severity: { eq: [() => 1] } },
      { severity: { eq: [BigInt(1)] } },
    ];
    for (const raw of cases) {
      expect(() => validateFilters('alert', raw)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: 'filtersJson' } }));
    }
  });

  test('"." and ".." are refused by the path encoder itself', () => {
    for (const id of ['.', '..']) expect(() => encodePathSegment(id, 'alertId')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { field: 'alertId' } }));
    // Dots inside an id are still one encoded segment.
    expect(encodePathSegment('a..b', 'alertId')).toBe('a%2E%2Eb');
    expect(new URL(`https://h.example/api/v1/alerts/${encodePathSegment('...', 'alertId')}/`).pathname).toBe('/api/v1/alerts/%2E%2E%2E/');
  });
});
