// Request pipeline of one tenant's MDCA listener: faults → body → throttle → route →
// auth → permission → handler, with a request log entry for every request.
import type { IncomingMessage, ServerResponse } from 'http';
import { EmulatorClock } from '../clock';
import { Fault, isBlackholeFault, isDelayFault, isResetFault, isResponseFault, ResponseFault } from '../faults';
import { BodyParseError, delay, headerValue, parseParams, readBody, sendJson } from '../http-util';
import { IdentityRegistry } from '../identity/registry';
import { decodeJwt } from '../jwt';
import { TenantState } from '../tenant-state';
import { authenticate, authKindOf, permissionDenied } from './auth';
import { FilterValidationError } from './filters';
import { findRoute, normalizePath, RouteContext } from './router';
import { ApiResult } from './types';

const REASON_PHRASES: Record<number, string> = { 429: 'TOO MANY REQUESTS' };

export function createApiHandler(tenant: TenantState, registry: IdentityRegistry, clock: EmulatorClock, routeContext: RouteContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const authorization = headerValue(req, 'authorization');
    const entry = { at: Date.now(), method, path: url.pathname, authKind: authKindOf(authorization), status: 0, throttled: false, bodyBytes: 0 } as TenantState['requestLog'][number];
    const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const exp = bearer ? decodeJwt(bearer[1])?.payload.exp : undefined;
    if (typeof exp === 'number') entry.tokenRemainingMs = exp * 1000 - clock.now();
    tenant.requestLog.push(entry);

    const fault = tenant.faults.take({ method, path: url.pathname });
    if (fault) entry.fault = describeFault(fault);
    if (fault && isResetFault(fault) && fault.reset === 'before') {
      req.socket.destroy();
      return;
    }
    if (fault && isBlackholeFault(fault)) return; // closed with the server

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      entry.status = 413;
      sendJson(res, 413, { detail: 'Request body too large.' });
      return;
    }
    entry.bodyBytes = body.length;

    if (fault && isResponseFault(fault)) {
      entry.status = fault.status;
      await writeFaultResponse(res, fault);
      return;
    }
    if (fault && isDelayFault(fault)) await delay(fault.delayMs);

    const decision = tenant.throttle.check();
    if (!decision.allowed) {
      entry.status = 429;
      entry.throttled = true;
      const settings = tenant.throttle.settings;
      const headers: Record<string, string> = settings !== false && settings.retryAfterHeader ? { 'retry-after': String(decision.retryAfterSeconds) } : {};
      sendJson(res, 429, { detail: `Request was throttled. Expected available in ${decision.retryAfterSeconds} seconds.` }, headers, REASON_PHRASES[429]);
      return;
    }

    const result = handle(method, url, body, headerValue(req, 'content-type'), authorization, tenant, registry, clock, routeContext);
    entry.status = result.status;
    if (fault && isResetFault(fault) && fault.reset === 'after') {
      // Applied, but the client never learns it (e.g. a subnet create whose answer is lost).
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    writeResult(res, result);
  };
}

function handle(
  method: string,
  url: URL,
  body: Buffer,
  contentType: string | undefined,
  authorization: string | undefined,
  tenant: TenantState,
  registry: IdentityRegistry,
  clock: EmulatorClock,
  routeContext: RouteContext,
): ApiResult {
  const path = normalizePath(url.pathname);
  const found = findRoute(method, path);
  if (!found) return { status: 404, json: { detail: 'Not found.' } };
  if ('methodNotAllowed' in found) return { status: 405, json: { detail: `Method "${method}" not allowed.` } };
  const auth = authenticate(authorization, tenant, registry, clock);
  if (!auth.ok) return { status: auth.status, json: { detail: auth.detail }, headers: auth.status === 401 ? { 'www-authenticate': 'Token' } : {} };
  const denied = permissionDenied(auth.principal, found.route.permission);
  if (denied) return { status: 403, json: { detail: denied } };
  let params;
  try {
    params = parseParams(url.searchParams, body, contentType);
  } catch (e) {
    return { status: 400, json: { detail: e instanceof BodyParseError ? `JSON parse error - ${e.message}` : 'Malformed request.' } };
  }
  try {
    return found.route.handle({ method, path, params, query: url.searchParams, principal: auth.principal, tenant, match: found.match }, routeContext);
  } catch (e) {
    if (e instanceof FilterValidationError) return { status: 400, json: e.body() };
    return { status: 500, json: { detail: 'A server error occurred.' } };
  }
}

function writeResult(res: ServerResponse, result: ApiResult): void {
  if (result.text !== undefined) {
    res.writeHead(result.status, { 'content-type': result.contentType ?? 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(result.text), ...(result.headers ?? {}) });
    res.end(result.text);
    return;
  }
  sendJson(res, result.status, result.json ?? {}, result.headers ?? {}, REASON_PHRASES[result.status]);
}

function describeFault(f: Fault): string {
  if (isResponseFault(f)) return `status:${f.status}`;
  if (isDelayFault(f)) return `delay:${f.delayMs}`;
  if (isResetFault(f)) return `reset:${f.reset}`;
  return 'blackhole';
}

async function writeFaultResponse(res: ServerResponse, fault: ResponseFault): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(fault.headers ?? {})) headers[k.toLowerCase()] = v;
  const defaultBody = fault.status === 429 ? { detail: 'Request was throttled. Expected available in 60 seconds.' } : fault.status >= 500 ? { detail: 'A server error occurred.' } : {};
  const raw = fault.body === undefined ? JSON.stringify(defaultBody) : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
  const contentType = fault.contentType ?? (typeof fault.body === 'string' ? 'text/html; charset=utf-8' : 'application/json');
  if (fault.hugeBodyMb && fault.hugeBodyMb > 0) {
    res.writeHead(fault.status, REASON_PHRASES[fault.status] ?? '', { 'content-type': contentType, ...headers });
    await streamHugeBody(res, fault.hugeBodyMb * 1024 * 1024);
    return;
  }
  res.writeHead(fault.status, REASON_PHRASES[fault.status] ?? '', { 'content-type': contentType, 'content-length': Buffer.byteLength(raw), ...headers });
  res.end(raw);
}

/** A syntactically valid JSON envelope of the requested size, written with back-pressure. */
async function streamHugeBody(res: ServerResponse, bytes: number): Promise<void> {
  const item = Buffer.from(`{"_id":"000000000000000000000000","filler":"${'x'.repeat(1000)}"},`);
  const chunk = Buffer.concat(new Array<Buffer>(64).fill(item));
  let written = 0;
  const write = (b: Buffer): Promise<void> =>
    new Promise((resolve) => {
      if (res.write(b)) return resolve();
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  await write(Buffer.from('{"data":['));
  while (written < bytes && !res.destroyed) {
    await write(chunk);
    written += chunk.length;
  }
  if (!res.destroyed) res.end('{"_id":"end"}],"hasNext":false,"total":0,"max":100,"moreThanTotal":false}');
}
