// The Defender XDR listener of one tenant: faults → throttle (50/min) → route →
// auth (Bearer, aud https://api.security.microsoft.com) → permission → handler. Every error uses
// {"error": {"code", "message", "target"}}.
//   GET   /api/incidents          $filter (lastUpdateTime/createdTime ge gt le lt eq ne <ISO>,
//                                 status/assignedTo eq ne '…', and/or, parentheses), $top ≤ 100, $skip;
//                                 most recently updated first
//   GET   /api/incidents/{id}
//   PATCH /api/incidents/{id}     status, assignedTo, classification + determination, tags, comment
//   POST  /api/advancedhunting/run  {"Query": "<KQL>"} → {Stats, Schema, Results}
import type { IncomingMessage, ServerResponse } from 'http';
import { EmulatorClock } from '../clock';
import { Fault, isBlackholeFault, isDelayFault, isResetFault, isResponseFault } from '../faults';
import { delay, headerValue, readBody, sendJson } from '../http-util';
import { FilterSpec, parseODataFilter } from '../odata-filter';
import { IdentityRegistry } from '../identity/registry';
import { decodeJwt, isObject, JsonObject, verifyJwtSignature } from '../jwt';
import { canonicalXdrPermission, XDR_AUDIENCE } from './constants';
import { iso } from './incidents';
import { KqlError, runKql } from './kql';
import { trackingId, XdrTenant } from './state';

interface Result {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export const xdrError = (status: number, code: string, message: string, headers?: Record<string, string>): Result => ({
  status,
  json: { error: { code, message, target: trackingId() } },
  headers,
});

const REQUIRED = {
  read: ['Incident.Read.All', 'Incident.ReadWrite.All', 'Incident.Read', 'Incident.ReadWrite'],
  write: ['Incident.ReadWrite.All', 'Incident.ReadWrite'],
  hunting: ['AdvancedHunting.Read.All', 'AdvancedHunting.Read'],
};

const STATUSES = ['Active', 'Resolved', 'InProgress', 'Redirected'];
const DETERMINATIONS: Record<string, string[]> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount', 'CompromisedUser', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedActivity', 'ConfirmedUserActivity', 'Other'],
  FalsePositive: ['Clean', 'NoEnoughDataToValidate', 'InsufficientData', 'Other'],
  Unknown: ['NotAvailable'],
};

export function createXdrHandler(tenant: XdrTenant, registry: IdentityRegistry, clock: EmulatorClock) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const authorization = headerValue(req, 'authorization');
    const entry = { at: Date.now(), method, path: url.pathname, authKind: authorization ? (/^\s*bearer\b/i.test(authorization) ? 'bearer' : 'token') : 'none', status: 0, throttled: false, bodyBytes: 0 } as XdrTenant['requestLog'][number];
    tenant.requestLog.push(entry);
    const fault = tenant.faults.take({ method, path: url.pathname });
    if (fault) entry.fault = describeFault(fault);
    if (fault && isResetFault(fault) && fault.reset === 'before') return void req.socket.destroy();
    if (fault && isBlackholeFault(fault)) return;
    let body: Buffer;
    try {
      body = await readBody(req, 1024 * 1024);
    } catch {
      entry.status = 413;
      return sendJson(res, 413, xdrError(413, 'BadRequest', 'Request body too large.').json);
    }
    entry.bodyBytes = body.length;
    if (fault && isResponseFault(fault)) {
      entry.status = fault.status;
      const defaultBody = fault.status === 429 ? xdrError(429, 'TooManyRequests', 'API calls quota exceeded! maximum allowed 50 per 00:01:00').json : fault.status >= 500 ? xdrError(500, 'InternalServerError', 'An internal error occurred.').json : xdrError(fault.status, 'BadRequest', 'Injected fault.').json;
      const raw = fault.body === undefined ? JSON.stringify(defaultBody) : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? (typeof fault.body === 'string' ? 'text/html; charset=utf-8' : 'application/json'), 'content-length': Buffer.byteLength(raw), ...(fault.headers ?? {}) });
      return void res.end(raw);
    }
    if (fault && isDelayFault(fault)) await delay(fault.delayMs);
    const decision = tenant.throttle.check();
    if (!decision.allowed) {
      entry.status = 429;
      entry.throttled = true;
      const limit = tenant.throttle.settings === false ? 0 : tenant.throttle.settings.limit;
      const r = xdrError(429, 'TooManyRequests', `API calls quota exceeded! maximum allowed ${limit} per 00:01:00`, { 'retry-after': String(decision.retryAfterSeconds) });
      return sendJson(res, r.status, r.json, r.headers);
    }
    let result: Result;
    try {
      result = handle(method, url, body, authorization, tenant, registry, clock);
    } catch {
      result = xdrError(500, 'InternalServerError', 'An internal error occurred.');
    }
    entry.status = result.status;
    if (fault && isResetFault(fault) && fault.reset === 'after') {
      entry.status = 0;
      return void req.socket.destroy();
    }
    sendJson(res, result.status, result.json, result.headers ?? {});
  };
}

interface XdrPrincipal {
  permissions: Set<string>;
  name: string;
}

function authenticate(header: string | undefined, tenant: XdrTenant, registry: IdentityRegistry, clock: EmulatorClock): XdrPrincipal | Result {
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!bearer) return xdrError(401, 'Unauthorized', 'Authorization header is missing or is not a Bearer token.', { 'www-authenticate': 'Bearer' });
  const jwt = decodeJwt(bearer[1]);
  if (!jwt || jwt.header.kid !== registry.signingKey.kid || !verifyJwtSignature(jwt, registry.signingKey.publicKey)) return xdrError(401, 'Unauthorized', 'Invalid token.');
  const p = jwt.payload;
  const aud = typeof p.aud === 'string' ? p.aud.replace(/\/+$/, '').toLowerCase() : '';
  if (aud !== XDR_AUDIENCE) return xdrError(401, 'Unauthorized', `Invalid audience: the token is not for ${XDR_AUDIENCE}.`);
  if (typeof p.exp !== 'number' || p.exp * 1000 <= clock.now()) return xdrError(401, 'Unauthorized', 'The token is expired.');
  if (p.tid !== tenant.tenantId) return xdrError(401, 'Unauthorized', 'The token is for another tenant.');
  let names: string[];
  let name = String(p.appid ?? '');
  if (Array.isArray(p.roles)) names = p.roles.filter((r): r is string => typeof r === 'string');
  else {
    names = typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : [];
    const user = typeof p.oid === 'string' ? registry.userByOid(p.oid) : undefined;
    if (user) {
      // Bounded by the user's own rights: a read-only user holding Incident.ReadWrite can read.
      const own = new Set((user.xdrPermissions ?? []).map((x) => x.toLowerCase()));
      names = names
        .map((n) => (own.has(n.toLowerCase()) ? n : n.toLowerCase() === 'incident.readwrite' && own.has('incident.read') ? 'Incident.Read' : ''))
        .filter(Boolean);
      name = user.username;
    }
  }
  return { permissions: new Set(names.map((n) => canonicalXdrPermission(n)).filter((n): n is string => n !== undefined)), name };
}

function handle(method: string, url: URL, body: Buffer, authorization: string | undefined, tenant: XdrTenant, registry: IdentityRegistry, clock: EmulatorClock): Result {
  const path = url.pathname.replace(/\/+$/, '').toLowerCase();
  const incident = /^\/api\/incidents\/([^/]+)$/.exec(path);
  let route: 'list' | 'get' | 'update' | 'hunt';
  if (path === '/api/incidents') route = method === 'GET' ? 'list' : (undefined as never);
  else if (incident) route = method === 'GET' ? 'get' : method === 'PATCH' ? 'update' : (undefined as never);
  else if (path === '/api/advancedhunting/run') route = method === 'POST' ? 'hunt' : (undefined as never);
  else return xdrError(404, 'ResourceNotFound', `No resource matches ${url.pathname.slice(0, 100)}.`);
  if (!route) return xdrError(405, 'DisallowedOperation', `The method ${method} is not allowed on ${url.pathname.slice(0, 100)}.`);
  const principal = authenticate(authorization, tenant, registry, clock);
  if ('status' in principal) return principal;
  const need = route === 'update' ? REQUIRED.write : route === 'hunt' ? REQUIRED.hunting : REQUIRED.read;
  if (!need.some((p) => principal.permissions.has(p))) {
    return xdrError(403, 'Forbidden', `The application does not have any of the required permissions (${need.join(', ')}) to access the resource.`);
  }
  let json: unknown;
  if (method === 'PATCH' || method === 'POST') {
    try {
      json = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return xdrError(400, 'InvalidRequestBody', 'The request body is not valid JSON.');
    }
    if (!isObject(json)) return xdrError(400, 'InvalidRequestBody', 'The request body must be a JSON object.');
  }
  switch (route) {
    case 'list':
      return list(url, tenant);
    case 'get': {
      const found = byId(incident?.[1] ?? '', tenant);
      return found.error ?? { status: 200, json: found.incident };
    }
    case 'update': {
      const found = byId(incident?.[1] ?? '', tenant);
      return found.error ?? update(found.incident, json as JsonObject, principal, tenant);
    }
    default:
      return hunt(json as JsonObject, tenant);
  }
}

function byId(raw: string, tenant: XdrTenant): { incident: JsonObject; error?: undefined } | { incident?: undefined; error: Result } {
  if (!/^\d{1,18}$/.test(raw)) return { error: xdrError(400, 'InvalidInput', `The incident id '${raw.slice(0, 40)}' is not a number.`) };
  const found = tenant.find(Number(raw));
  return found ? { incident: found } : { error: xdrError(404, 'ResourceNotFound', `Incident ${raw} was not found.`) };
}

function list(url: URL, tenant: XdrTenant): Result {
  for (const key of url.searchParams.keys()) {
    if (key.startsWith('$') && !['$filter', '$top', '$skip'].includes(key)) return xdrError(400, 'ODataError', `The query parameter '${key.slice(0, 30)}' is not supported.`);
  }
  const topRaw = url.searchParams.get('$top');
  const skipRaw = url.searchParams.get('$skip');
  const top = topRaw === null ? 100 : Number(topRaw);
  const skip = skipRaw === null ? 0 : Number(skipRaw);
  if (!Number.isInteger(top) || top < 0) return xdrError(400, 'ODataError', `Invalid value '${String(topRaw).slice(0, 20)}' for $top.`);
  if (top > 100) return xdrError(400, 'ODataError', `The limit of '100' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
  if (!Number.isInteger(skip) || skip < 0) return xdrError(400, 'ODataError', `Invalid value '${String(skipRaw).slice(0, 20)}' for $skip.`);
  let predicate: (i: JsonObject) => boolean = () => true;
  const filter = url.searchParams.get('$filter');
  if (filter !== null && filter.trim() !== '') {
    try {
      predicate = parseFilter(filter);
    } catch (e) {
      return xdrError(400, 'ODataError', e instanceof Error ? e.message : 'Invalid $filter.');
    }
  }
  const value = tenant.sorted().filter(predicate).slice(skip, skip + top);
  return { status: 200, json: { '@odata.context': 'https://api.security.microsoft.com/api/$metadata#Incidents', value } };
}

/** OData subset of the incidents list. */
const INCIDENT_FILTER: FilterSpec = {
  typeName: 'Incident',
  fields: {
    lastupdatetime: { name: 'lastUpdateTime', kind: 'time' },
    createdtime: { name: 'createdTime', kind: 'time' },
    status: { name: 'status', kind: 'text' },
    assignedto: { name: 'assignedTo', kind: 'text' },
  },
};

export function parseFilter(text: string): (i: JsonObject) => boolean {
  return parseODataFilter(text, INCIDENT_FILTER);
}

const UPDATABLE = new Set(['status', 'assignedTo', 'classification', 'determination', 'tags', 'comment']);

function update(incident: JsonObject, body: JsonObject, principal: XdrPrincipal, tenant: XdrTenant): Result {
  for (const key of Object.keys(body)) {
    if (!UPDATABLE.has(key)) return xdrError(400, 'InvalidRequestBody', `The property '${key.slice(0, 40)}' cannot be updated. Updatable: ${[...UPDATABLE].join(', ')}.`);
  }
  const bad = (field: string, message: string): Result => xdrError(400, 'InvalidInput', `${field}: ${message}`);
  const changes: JsonObject = {};
  if (body.status !== undefined) {
    if (typeof body.status !== 'string' || !STATUSES.includes(body.status)) return bad('status', `'${String(body.status).slice(0, 40)}' is not a valid status (${STATUSES.join(', ')}).`);
    changes.status = body.status;
  }
  if (body.assignedTo !== undefined) {
    if (body.assignedTo !== null && typeof body.assignedTo !== 'string') return bad('assignedTo', 'must be a string.');
    changes.assignedTo = body.assignedTo;
  }
  const classification = body.classification ?? incident.classification;
  if (body.classification !== undefined) {
    if (typeof body.classification !== 'string' || !DETERMINATIONS[body.classification]) return bad('classification', `'${String(body.classification).slice(0, 40)}' is not a valid classification (${Object.keys(DETERMINATIONS).join(', ')}).`);
    changes.classification = body.classification;
  }
  if (body.determination !== undefined) {
    const allowed = DETERMINATIONS[String(classification)] ?? [];
    if (typeof body.determination !== 'string' || !allowed.includes(body.determination)) {
      return bad('determination', `'${String(body.determination).slice(0, 40)}' is not valid with classification '${String(classification)}' (allowed: ${allowed.join(', ') || 'none'}).`);
    }
    changes.determination = body.determination;
  } else if (body.classification !== undefined && !(DETERMINATIONS[String(classification)] ?? []).includes(String(incident.determination))) {
    changes.determination = classification === 'Unknown' ? 'NotAvailable' : 'Other';
  }
  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== 'string')) return bad('tags', 'must be a list of strings.');
    changes.tags = body.tags;
  }
  if (body.comment !== undefined && typeof body.comment !== 'string') return bad('comment', 'must be a string.');
  const changed = Object.entries(changes).some(([k, v]) => JSON.stringify(incident[k]) !== JSON.stringify(v));
  const comment = typeof body.comment === 'string' && body.comment !== '' ? body.comment : undefined;
  if (changed || comment) {
    // A PATCH that changes nothing leaves lastUpdateTime alone (idempotent repeats).
    const now = iso(tenant.now());
    Object.assign(incident, changes, { lastUpdateTime: now });
    if (comment) (incident.comments as JsonObject[]).push({ comment, createdBy: principal.name, createdTime: now });
    if (changes.status === 'Resolved') for (const a of incident.alerts as JsonObject[]) Object.assign(a, { status: 'Resolved', resolvedTime: a.resolvedTime ?? now, lastUpdatedTime: now });
  }
  return { status: 200, json: incident };
}

function hunt(body: JsonObject, tenant: XdrTenant): Result {
  if (typeof body.Query !== 'string' || body.Query.trim() === '') {
    return xdrError(400, 'MissingRequiredParameter', "The request body must contain the property 'Query' (property names are case-sensitive).");
  }
  const fail = tenant.hunting.fail;
  if (fail && fail.times > 0) {
    fail.times--;
    if (fail.times <= 0) tenant.hunting.fail = undefined;
    if (fail.kind === 'timeout') return xdrError(400, 'BadRequest', 'Query execution has exceeded the allowed execution time of 3 minutes and was cancelled. Optimize your query and try again.');
    if (fail.kind === 'callQuota') return xdrError(429, 'TooManyRequests', 'API calls quota exceeded! maximum allowed 45 per 00:01:00', { 'retry-after': String(fail.retryAfterSeconds ?? 1) });
    return xdrError(429, 'TooManyRequests', 'Tenant CPU resources quota exceeded for advanced hunting queries; queries are blocked until the next 15-minute cycle.', { 'retry-after': String(fail.retryAfterSeconds ?? 900) });
  }
  const started = Date.now();
  let result;
  try {
    result = runKql(body.Query, tenant.tables(), tenant.now());
  } catch (e) {
    if (e instanceof KqlError) return xdrError(400, 'BadRequest', e.message);
    throw e;
  }
  if (result.rows.length > tenant.hunting.maxRows) {
    return xdrError(400, 'BadRequest', `Query result exceeds the maximum of ${tenant.hunting.maxRows} rows. Optimize your query by limiting the number of results and try again.`);
  }
  return {
    status: 200,
    json: {
      Stats: {
        ExecutionTime: (Date.now() - started) / 1000,
        resource_usage: { cache: { memory: { hits: 0, misses: 0, total: 0 } }, cpu: { 'total cpu': '00:00:00', breakdown: {} }, memory: { peak_per_node: 0 } },
        dataset_statistics: [{ table_row_count: result.rows.length, table_size: JSON.stringify(result.rows).length }],
      },
      Schema: result.schema,
      Results: result.rows,
    },
  };
}

function describeFault(f: Fault): string {
  if (isResponseFault(f)) return `status:${f.status}`;
  if (isDelayFault(f)) return `delay:${f.delayMs}`;
  if (isResetFault(f)) return `reset:${f.reset}`;
  return 'blackhole';
}
