import { removeSecrets } from './secret-set';

// Scrubs service-supplied text before it goes into an error, a log line or a host message.
// Works by known secret values, by field names and by shape (for secrets it was never told about),
// and escapes control characters so a hostile message cannot forge log lines.

const SECRET_NAMES =
  /\b(authorization|client_secret|client_assertion|access_token|refresh_token|id_token|password|token|cookie|set-cookie|x-api-key|device_code|sig)\b(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&,;}]+)/gi;
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER_OR_TOKEN = /\b(Bearer|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// Legacy MDCA API tokens are 64-192 characters of [0-9a-zA-Z=] (the format Microsoft documents).
const LEGACY_TOKEN_SHAPE = /\b[0-9a-zA-Z=]{64,192}\b/g;
// The signature of a shared-access (SAS) URL, such as the investigation package link Defender for
// Endpoint hands out: whoever holds the URL can download until it expires. Service text shown in
// an error or log never keeps it; an operation's output (the link the user asked for) is data and
// does not pass through here (core/pipeline/response-parsing.ts).
// After "?" or "&" however the text spells "&": HTML (&amp; &#38; &#x26;), JSON (\u0026), URL (%26).
const SAS_SIGNATURE = /((?:[?&]|\\u0026|%26|&#0*38;|&#x0*26;)(?:amp;)?sig=)[^&\s"'<>\\]+/gi;
const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g;
// Long high-entropy runs (base64 key material, Entra client secrets such as "abc8Q~…", secrets of
// unknown shape): 40+ characters of the base64/base64url/secret alphabet mixing upper case, lower
// case and digits.
const HIGH_ENTROPY = /[A-Za-z0-9+/_=~.-]{40,}/g;
const looksRandom = (run: string): boolean => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);

export const MAX_SERVICE_MESSAGE = 1024;

/** Replaces every known secret, then anything shaped like one. */
export function redact(text: string, knownSecrets: readonly string[] = []): string {
  return removeSecrets(text, knownSecrets)
    .replace(PEM_BLOCK, '[redacted pem]')
    .replace(SAS_SIGNATURE, '$1[redacted]')
    .replace(JWT_SHAPE, '[redacted jwt]')
    .replace(BEARER_OR_TOKEN, '$1 [redacted]')
    .replace(SECRET_NAMES, '$1$2[redacted]')
    .replace(LEGACY_TOKEN_SHAPE, '[redacted]')
    .replace(HIGH_ENTROPY, (run) => (looksRandom(run) ? '[redacted]' : run));
}

/**
 * Escapes CR, LF and every other C0 and C1 control character, and the Unicode line and paragraph
 * separators, which some log viewers also break lines on.
 */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** What a service said, made safe to show: scrubbed, single-line, at most 1 KB. */
export function safeServiceMessage(text: string, knownSecrets: readonly string[] = []): string {
  const clean = escapeControlCharacters(redact(text, knownSecrets));
  return clean.length > MAX_SERVICE_MESSAGE ? `${clean.slice(0, MAX_SERVICE_MESSAGE)}…` : clean;
}

/** Scrubs every string inside a plain value (for log fields). */
export function redactValue(value: unknown, knownSecrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return safeServiceMessage(value, knownSecrets);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, knownSecrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = /secret|password|token|authorization|assertion|private/i.test(key)
      ? '[redacted]'
      : redactValue(inner, knownSecrets, depth + 1);
  }
  return out;
}
