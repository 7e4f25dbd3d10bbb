// The Microsoft Graph security listener of one tenant: faults → throttle (150/min) → route →
// auth (Bearer, aud https://graph.microsoft.com or Graph's app id; roles for apps, scp bounded by
// the user's role for users) → permission → handler. Errors use Graph's body
// {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}.
//   GET   /v1.0/security/alerts_v2            $filter, $top (≤ 1000), $skip, $count; @odata.nextLink
//   GET   /v1.0/security/alerts_v2/{id}
//   PATCH /v1.0/security/alerts_v2/{id}       status, classification, determination, assignedTo, customDetails
//   POST  /v1.0/security/alerts_v2/{id}/comments
//   GET   /v1.0/security/incidents            as alerts, plus $expand=alerts
//   GET   /v1.0/security/incidents/{id}       $expand=alerts
//   PATCH /v1.0/security/incidents/{id}       status, classification, determination, assignedTo, customTags, …
//   POST  /v1.0/security/incidents/{id}/comments
//   POST  /v1.0/security/runHuntingQuery      {"Query"|"query", "Timespan"|"timespan"} → {schema, results}
import { randomUUID } from 'crypto';
import type { IncomingMessage, ServerResponse } from 'http';
import { EmulatorClock } from '../clock';
import { isBlackholeFault, isDelayFault, isResetFault, isResponseFault } from '../faults';
import { delay, headerValue, readBody, sendJson } from '../http-util';
import { IdentityRegistry } from '../identity/registry';
import { decodeJwt, isObject, JsonObject, verifyJwtSignature } from '../jwt';
import { canonicalGraphPermission, GRAPH_APP_ID, GRAPH_AUDIENCE } from './constants';
import { EVOLVABLE } from './enums';
import { Call, GraphResult, routeGraph } from './routes';
import { GraphTenant } from './state';
import { routeEntra } from '../entra/routes';

export function graphError(call: Pick<Call, 'clientRequestId'> | undefined, status: number, code: string, message: string, headers?: Record<string, string>): GraphResult {
  const innerError = { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID(), 'client-request-id': call?.clientRequestId ?? randomUUID() };
  return { status, json: { error: { code, message, innerError } }, headers };
}

export function createGraphHandler(tenant: GraphTenant, registry: IdentityRegistry, clock: EmulatorClock) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const authorization = headerValue(req, 'authorization');
    const clientRequestId = headerValue(req, 'client-request-id') ?? headerValue(req, 'x-ms-client-request-id');
    const entry = { at: Date.now(), method, path: url.pathname, authKind: authorization ? (/^\s*bearer\b/i.test(authorization) ? 'bearer' : 'token') : 'none', status: 0, throttled: false, bodyBytes: 0 } as GraphTenant['requestLog'][number];
    tenant.requestLog.push(entry);
    const fault = tenant.faults.take({ method, path: url.pathname });
    if (fault) entry.fault = isResponseFault(fault) ? `status:${fault.status}` : isDelayFault(fault) ? `delay:${fault.delayMs}` : isResetFault(fault) ? `reset:${fault.reset}` : 'blackhole';
    if (fault && isResetFault(fault) && fault.reset === 'before') return void req.socket.destroy();
    if (fault && isBlackholeFault(fault)) return;
    let body: Buffer;
    try {
      body = await readBody(req, 1024 * 1024);
    } catch {
      entry.status = 413;
      return sendJson(res, 413, graphError(undefined, 413, 'requestEntityTooLarge', 'Request body too large.').json);
    }
    entry.bodyBytes = body.length;
    if (fault && isResponseFault(fault)) {
      entry.status = fault.status;
      const defaultBody = graphError({ clientRequestId }, fault.status, fault.status === 429 ? 'activityLimitReached' : fault.status >= 500 ? 'generalException' : 'badRequest', fault.status === 429 ? 'The request has been throttled' : 'Injected fault.').json;
      const raw = fault.body === undefined ? JSON.stringify(defaultBody) : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? (typeof fault.body === 'string' ? 'text/html; charset=utf-8' : 'application/json'), 'content-length': Buffer.byteLength(raw), ...(fault.headers ?? {}) });
      return void res.end(raw);
    }
    if (fault && isDelayFault(fault)) await delay(fault.delayMs);
    // Entra ID users and Identity Protection count against their own documented limits.
    const throttle = tenant.entra.throttleFor(method, url.pathname) ?? tenant.throttle;
    const decision = throttle.check();
    if (!decision.allowed) {
      entry.status = 429;
      entry.throttled = true;
      const header = throttle.settings !== false && throttle.settings.retryAfterHeader ? { 'retry-after': String(decision.retryAfterSeconds) } : undefined;
      const r = graphError({ clientRequestId }, 429, 'activityLimitReached', 'The request has been throttled', header);
      return sendJson(res, r.status, r.json, r.headers);
    }
    let result: GraphResult;
    try {
      result = answer({ method, url, body, clientRequestId, prefer: headerValue(req, 'prefer') ?? '' }, authorization, tenant, registry, clock);
    } catch {
      result = graphError({ clientRequestId }, 500, 'generalException', 'An internal error occurred.');
    }
    entry.status = result.status;
    if (fault && isResetFault(fault) && fault.reset === 'after') {
      entry.status = 0;
      return void req.socket.destroy();
    }
    if (result.status === 204) return void res.writeHead(204, result.headers ?? {}).end();
    sendJson(res, result.status, result.json, result.headers ?? {});
  };
}

function answer(call: Omit<Call, 'principal' | 'json'>, authorization: string | undefined, tenant: GraphTenant, registry: IdentityRegistry, clock: EmulatorClock): GraphResult {
  const principal = authenticate(call, authorization, tenant, registry, clock);
  if ('status' in principal) return principal;
  let json: JsonObject = {};
  if (call.method === 'PATCH' || call.method === 'POST') {
    let parsed: unknown;
    try {
      parsed = call.body.length === 0 ? {} : JSON.parse(call.body.toString('utf8'));
    } catch {
      return graphError(call, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    }
    if (!isObject(parsed)) return graphError(call, 400, 'BadRequest', 'The request body must be a JSON object.');
    json = parsed;
  }
  const result = routeEntra({ ...call, principal, json }, tenant.entra, tenant.apiUrl) ?? routeGraph({ ...call, principal, json }, tenant);
  return call.prefer.toLowerCase().includes('include-unknown-enum-members') ? result : { ...result, json: hideEvolvable(result.json) };
}

export interface GraphPrincipal {
  permissions: Set<string>;
  /** Who the token is for: an app (roles) or a signed-in user (scp), by app id and user object id. */
  kind?: 'application' | 'delegated';
  appId?: string;
  oid?: string;
  /** createdByDisplayName of a comment: the user's UPN, or the app's display name. */
  name: string;
}

function authenticate(call: Pick<Call, 'clientRequestId'>, header: string | undefined, tenant: GraphTenant, registry: IdentityRegistry, clock: EmulatorClock): GraphPrincipal | GraphResult {
  const invalid = (message: string): GraphResult => graphError(call, 401, 'InvalidAuthenticationToken', message, { 'www-authenticate': 'Bearer' });
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!bearer) return invalid('Access token is empty.');
  const jwt = decodeJwt(bearer[1]);
  if (!jwt || jwt.header.kid !== registry.signingKey.kid || !verifyJwtSignature(jwt, registry.signingKey.publicKey)) return invalid('Access token validation failure.');
  const p = jwt.payload;
  const aud = typeof p.aud === 'string' ? p.aud.replace(/\/+$/, '').toLowerCase() : '';
  if (aud !== GRAPH_AUDIENCE && aud !== GRAPH_APP_ID) return invalid('Access token validation failure. Invalid audience.');
  if (typeof p.exp !== 'number' || p.exp * 1000 <= clock.now()) return invalid('Lifetime validation failed, the token is expired.');
  if (p.tid !== tenant.tenantId) return invalid('Access token validation failure: the token is for another tenant.');
  if (Array.isArray(p.roles)) {
    const names = p.roles.filter((r): r is string => typeof r === 'string');
    const app = registry.apps.get(String(p.appid ?? ''));
    return { permissions: canonical(names), name: app?.displayName ?? String(p.appid ?? 'app'), kind: 'application', appId: String(p.appid ?? '') };
  }
  const scopes = typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : [];
  const user = typeof p.oid === 'string' ? registry.userByOid(p.oid) : undefined;
  const who = { kind: 'delegated' as const, appId: String(p.appid ?? ''), ...(typeof p.oid === 'string' ? { oid: p.oid } : {}) };
  if (!user) return { permissions: canonical(scopes), name: String(p.upn ?? p.appid ?? 'user'), ...who };
  // A delegated token does no more than the user's own Entra security role allows.
  const own = new Set((user.graphPermissions ?? []).map((x) => x.toLowerCase()));
  const bounded = scopes.map((s) => (own.has(s.toLowerCase()) ? s : own.has(s.toLowerCase().replace('.readwrite.', '.read.')) ? s.replace(/\.ReadWrite\./i, '.Read.') : '')).filter(Boolean);
  return { permissions: canonical(bounded), name: user.username, ...who };
}

const canonical = (names: string[]): Set<string> => new Set(names.map((n) => canonicalGraphPermission(n)).filter((n): n is string => n !== undefined));

/** Evolvable enum members become unknownFutureValue for a caller that did not opt in. */
function hideEvolvable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideEvolvable);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'string' && EVOLVABLE[key]?.includes(v) ? 'unknownFutureValue' : hideEvolvable(v);
  return out;
}
