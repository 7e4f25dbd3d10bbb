// The secret values one credential holds, expanded into every form a service could echo them in.
// Pattern-based redaction misses secrets that look like ordinary words (a password, a client
// secret of unusual shape) and a service that answers `bad_secret:<the secret>` shows them back
// verbatim, so redaction also goes by value: whatever builds a service-derived message gets the
// credential's own values through this module.

/** Shorter values would blank out ordinary words; credential validation refuses them anyway. */
export const MIN_SECRET_LENGTH = 4;
/** Pieces of a PEM body this long are still unguessable on their own. */
const PEM_LINE_MIN = 16;

function add(out: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) out.add(value);
}

/** The password inside a URL's userinfo (a Redis URL may carry one). */
export function secretsInUrl(url: string): string[] {
  const out: string[] = [];
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url)) return out;
  try {
    const u = new URL(url);
    if (u.password) {
      out.push(u.password);
      try {
        out.push(decodeURIComponent(u.password));
      } catch {
        // A malformed escape: the raw form above is what the service could echo.
      }
    }
  } catch {
    // Not a URL: nothing inside it to extract.
  }
  return out;
}

function variantsOf(value: string, out: Set<string>): void {
  add(out, value);
  const trimmed = value.trim();
  add(out, trimmed);
  // A service echoing the request body shows the form-encoded value; one echoing JSON shows the
  // escaped value (a PEM's newlines as \n).
  add(out, encodeURIComponent(value));
  add(out, new URLSearchParams({ v: value }).toString().slice(2));
  add(out, JSON.stringify(value).slice(1, -1));
  if (/-----BEGIN [A-Z ]+-----/.test(value)) {
    const body = value.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '');
    add(out, body.replace(/\s+/g, ''));
    for (const line of body.split(/\s+/)) if (line.length >= PEM_LINE_MIN) add(out, line);
  }
  for (const inner of secretsInUrl(value)) if (inner !== value) variantsOf(inner, out);
}

/**
 * Every form of the given secret values to scrub, longest first so that a value containing a
 * shorter one is removed whole. Empty, missing and too-short values are ignored.
 */
export function secretVariants(values: Iterable<string | undefined | null>): string[] {
  const out = new Set<string>();
  for (const value of values) if (typeof value === 'string' && value) variantsOf(value, out);
  return [...out].sort((a, b) => b.length - a.length);
}

/** Removes every form of the given secrets from a text. */
export function removeSecrets(text: string, values: Iterable<string | undefined | null>, replacement = '[redacted]'): string {
  let out = text;
  for (const secret of secretVariants(values)) if (out.includes(secret)) out = out.split(secret).join(replacement);
  return out;
}

/**
 * The first `max` characters of a text, without a secret cut in two at the end: a length limit
 * applied before redaction must not leave the start of a secret that no longer matches whole.
 */
export function cutWithoutSecrets(text: string, max: number, values: Iterable<string | undefined | null>): string {
  if (text.length <= max) return text;
  let out = text.slice(0, max);
  for (const secret of secretVariants(values)) {
    for (let k = Math.min(secret.length - 1, out.length); k >= 2; k--) {
      if (out.endsWith(secret.slice(0, k))) {
        out = out.slice(0, out.length - k);
        break;
      }
    }
  }
  return out;
}
