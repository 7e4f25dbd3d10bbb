// The HTTP form of a control surface (control-http.ts for MDCA and identity, xdr/control-http.ts):
// routes matched on method and path, JSON in and out; a route answers 200 with what it returns, 400
// with the message of what it throws. Unauthenticated by design: the listener binds to 127.0.0.1
// and the emulator holds no real data.
import type { IncomingMessage, ServerResponse } from 'http';
import { readBody, sendJson } from './http-util';
import { isObject } from './jwt';

/** What a route's pattern matched, URI-decoded: the whole path first, then each captured segment. */
export type RouteParams = readonly string[];
export type ControlHandler = (params: RouteParams, body: unknown, url: URL) => unknown;

export interface ControlRoute {
  method: string;
  pattern: RegExp;
  handle: ControlHandler;
}

/** A route for `path` (a pattern whose groups capture segments), with or without a trailing slash. */
export const route = (method: string, path: string, handle: ControlHandler): ControlRoute => ({ method, pattern: new RegExp(`^${path}/?$`), handle });

/** A list sent as an array, as `{ [key]: [...] }`, or one object alone. */
export const listOf = <T>(body: unknown, key: string): T[] =>
  Array.isArray(body) ? (body as T[]) : isObject(body) && Array.isArray(body[key]) ? (body[key] as T[]) : isObject(body) ? [body as T] : [];

export const fieldOf = (body: unknown, key: string): unknown => (isObject(body) ? body[key] : undefined);

function paramsOf(match: RegExpExecArray): RouteParams {
  return match.map((segment) => decodeURIComponent(segment));
}

/** The request handler for `routes`; a body over `maxBodyBytes` is read as empty. */
export function controlRouter(routes: readonly ControlRoute[], maxBodyBytes: number) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req, maxBodyBytes).catch(() => Buffer.alloc(0));
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
    }
    for (const r of routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match || r.method !== method) continue;
      try {
        return sendJson(res, 200, r.handle(paramsOf(match), body, url) ?? null);
      } catch (e) {
        return sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    sendJson(res, 404, { error: 'unknown control route' });
  };
}
