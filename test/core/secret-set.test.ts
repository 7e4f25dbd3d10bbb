// Redaction by value (the token endpoint and API rows of the threat model in docs/reliability.md):
// every secret a credential holds is removed from service text in whatever form the service echoes
// it, even when it does not look like a secret.
import { escapeControlCharacters, redact, safeServiceMessage, secretsInUrl, secretVariants } from '../../core';
import { createTlsMaterial } from '../../emulator/tls';

// Ordinary-looking values: no pattern catches them, only their value does.
const PASSWORD = 'correct horse battery';
const SECRET = 'plain-words-secret';

describe('secret set', () => {
  test('a secret echoed inside a service error code is removed by value', () => {
    const out = safeServiceMessage(`bad_secret:${SECRET}`, [SECRET]);
    expect(out).toBe('bad_secret:[redacted]');
  });

  test('form-encoded and JSON-escaped echoes are removed too', () => {
    const secret = 'p@ss word!&="x"';
    const echoes = [encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
    for (const echo of echoes) expect(redact(`got ${echo} here`, [secret])).toBe('got [redacted] here');
  });

  test('a private key echoed as one line of its body, or without line breaks, is removed', () => {
    // Lower case with "+" so that no shape-based rule would catch a line: only the value does.
    const lines = ['keymaterial+one+abcdefghijklmnopqrstuvw', 'keymaterial+two+abcdefghijklmnopqrstuvw', 'keymaterial+three+abcdefghijklmnopqrstu'];
    const pem = `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
    expect(redact(`key line ${lines[1]} end`)).toContain(lines[1]);
    expect(redact(`key line ${lines[1]} end`, [pem])).toBe('key line [redacted] end');
    expect(redact(lines.join(''), [pem])).not.toContain(lines[2]);
    // A real key from the emulator's generator as well.
    const real = createTlsMaterial().serverKeyPem;
    const realLine = real.split(/\r?\n/).filter((l) => l && !l.startsWith('-----'))[1];
    expect(redact(`x ${realLine} y`, [real])).not.toContain(realLine);
  });

  test('the password inside a Redis URL is a secret of its own', () => {
    const url = `redis://default:${encodeURIComponent(PASSWORD)}@127.0.0.1:6379/0`;
    expect(secretsInUrl(url)).toEqual(expect.arrayContaining([PASSWORD]));
    expect(safeServiceMessage(`ERR unknown command 'AUTH', with args beginning with: 'default' '${PASSWORD}'`, [url])).not.toContain(PASSWORD);
    // The user name is not a secret: "default" stays readable.
    expect(safeServiceMessage("user 'default'", [url])).toBe("user 'default'");
    expect(secretsInUrl('redis://127.0.0.1:6379')).toEqual([]);
    expect(secretsInUrl('not a url')).toEqual([]);
  });

  test('longest first: a secret containing another is removed whole', () => {
    expect(secretVariants(['abcd', 'abcdefgh'])[0]).toBe('abcdefgh');
    expect(redact('xx abcdefgh yy', ['abcd', 'abcdefgh'])).toBe('xx [redacted] yy');
  });

  test('empty, missing and very short values are ignored', () => {
    expect(secretVariants(['', undefined, null, 'ab'])).toEqual([]);
    expect(redact('a b c', ['', 'b'])).toBe('a b c');
  });

  test('C0, C1 and Unicode line separators are escaped visibly', () => {
    expect(escapeControlCharacters('a\r\nb\u0085c\u009bd\u2028e\u0000f\u007f')).toBe('a\\r\\nb\\u0085c\\u009bd\\u2028e\\u0000f\\u007f');
  });

  test('a secret is removed before the message is cut to length', () => {
    const out = safeServiceMessage(`${'x'.repeat(1_020)}${SECRET}`, [SECRET]);
    expect(out).not.toContain(SECRET.slice(0, 4));
  });
});
