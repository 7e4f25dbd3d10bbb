// Request URLs and bodies. Only relative paths built from constants and encoded segments reach
// the pipeline, and they are always joined to the validated service origin, so no input can
// point a request carrying the credential at another host or another API.
import { MdcaProtocolError, MdcaValidationError } from '../errors';
import type { RequestSpec } from './request';

// MDCA and Defender XDR paths start with /api/ (or /cas/api/), Microsoft Graph ones with /v1.0/.
// Quotes and parentheses only from a path template's own text (Graph's key form /users('{userKey}'),
// docs/entra-users-api.md): encodePathSegment encodes them in every value.
const ALLOWED_PATH = /^\/((cas\/)?api|v1\.0)\/[A-Za-z0-9_%./'()-]*$/;

export function encodePathSegment(value: string, field: string): string {
  // Path tricks in ids never reach the URL: each id is one encoded segment. "." and ".." are
  // refused here rather than encoded: URL parsers treat %2E and %2E%2E as dot segments and
  // collapse them, so encoding alone would still move the request up the path.
  if (value === '.' || value === '..') {
    throw new MdcaValidationError(field, `"${value}" is not a valid ${field}.`, 'Give the id itself, as shown in the portal or returned by a list operation.');
  }
  return encodeURIComponent(value).replace(/[.'()*!]/g, percentEncoded) || emptySegment(field);
}

// encodeURIComponent leaves ' ( ) * ! as they are: in an id they could turn a segment into an
// OData function call or key form (`delta()`, `x('y')`), so they are encoded too.
const percentEncoded = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

function emptySegment(field: string): never {
  throw new MdcaProtocolError(`Empty path segment for ${field}.`, 'Provide a value.');
}

export function buildUrl(baseUrl: string, spec: RequestSpec): string {
  if (!ALLOWED_PATH.test(spec.path) || spec.path.includes('..') || spec.path.includes('//')) {
    throw new MdcaProtocolError(`Refusing to build a request path for ${spec.operation}.`, 'This is a bug in the operation definition.');
  }
  const query = spec.query
    ? Object.entries(spec.query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
    : '';
  return `${baseUrl}${spec.path}${query ? `?${query}` : ''}`;
}

export function serializeBody(spec: RequestSpec): { body?: string; contentType?: string } {
  if (spec.json !== undefined) return { body: JSON.stringify(spec.json), contentType: 'application/json' };
  if (spec.form) return { body: new URLSearchParams(spec.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  return {};
}
