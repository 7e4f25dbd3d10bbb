// Request/response helpers shared by the identity, blob, control and MDCA listeners.
import type { IncomingMessage, ServerResponse } from 'http';
import { isObject, JsonObject } from './jwt';

export const MAX_BODY_BYTES = 200 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Body bytes counted without being kept: blob uploads may be large (discovery logs up to 5 GB). */
export async function drainBody(req: IncomingMessage): Promise<number> {
  let size = 0;
  for await (const chunk of req) size += (chunk as Buffer).length;
  return size;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, statusMessage?: string): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, statusMessage ?? '', { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Form values: a repeated key becomes an array; JSON-looking values are decoded (MDCA takes forms too). */
function formToObject(params: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).map(decodeFormValue);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}
function decodeFormValue(v: string): unknown {
  const t = v.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}

function parseMultipart(body: Buffer, contentType: string): JsonObject {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return {};
  const boundary = `--${m[1] ?? m[2]}`;
  const out: JsonObject = {};
  for (const part of body.toString('utf8').split(boundary)) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.slice(0, sep);
    const nameMatch = /name="([^"]*)"/i.exec(head);
    if (!nameMatch) continue;
    const value = part.slice(sep + 4).replace(/\r\n$/, '');
    out[nameMatch[1]] = decodeFormValue(value);
  }
  return out;
}

export class BodyParseError extends Error {}

/**
 * Parameters of a request from every place MDCA takes them: query string, then a JSON, form or
 * multipart body (body wins). Bodies are read for GET too, because clients send them.
 */
export function parseParams(query: URLSearchParams, body: Buffer, contentType: string | undefined): JsonObject {
  const params = formToObject(query);
  if (body.length === 0) return params;
  const ct = (contentType ?? '').toLowerCase();
  const text = body.toString('utf8');
  if (ct.includes('multipart/form-data')) return { ...params, ...parseMultipart(body, contentType ?? '') };
  if (ct.includes('application/x-www-form-urlencoded')) return { ...params, ...formToObject(new URLSearchParams(text)) };
  const trimmed = text.trim();
  if (trimmed === '') return params;
  // JSON is the default: clients send it as application/json, text/plain or with no type at all.
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    if (isObject(parsed)) return { ...params, ...parsed };
    throw new BodyParseError('JSON body must be an object');
  } catch (e) {
    if (e instanceof BodyParseError) throw e;
    if (trimmed.includes('=') && !trimmed.startsWith('{')) return { ...params, ...formToObject(new URLSearchParams(trimmed)) };
    throw new BodyParseError('JSON parse error');
  }
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
