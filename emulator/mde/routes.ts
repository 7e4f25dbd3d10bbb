// The Defender for Endpoint resources of the emulated listener (server.ts does faults, throttle
// and auth first). Every path also takes /api/v1.0/… ; path segments in any case.
//   GET  /api/machines                         $filter, $top (≤ 10,000), $skip; no nextLink; 404 when nothing matches
//   GET  /api/machines/{id | computerDnsName}
//   POST /api/machines/{id}/isolate            {"Comment", "IsolationType": "Full"|"Selective"|"UnManagedDevice"}
//   POST /api/machines/{id}/unisolate          {"Comment"}
//   POST /api/machines/{id}/runAntiVirusScan   {"Comment", "ScanType": "Quick"|"Full"}
//   POST /api/machines/{id}/collectInvestigationPackage | restrictCodeExecution | unrestrictCodeExecution  {"Comment"}
//   GET  /api/machineactions                   $filter, $top (≤ 10,000), $skip; newest first
//   GET  /api/machineactions/{id}
//   GET  /api/machineactions/{id}/GetPackageUri
//   POST /api/machineactions/{id}/cancel       {"Comment"}
import { isObject, JsonObject } from '../jwt';
import { ListenerResult } from '../listener-front';
import { FilterSpec, parseODataFilter } from '../odata-filter';
import { clone } from '../tenant-control';
import { ACTION_PERMISSIONS, ACTION_TYPES, ActionPath, ActionType, actionView, statusAt, StoredAction } from './actions';
import type { MdePrincipal } from './server';
import { mdeError } from './server';
import { MdeRequestLogEntry, MdeTenant } from './state';

/** The host the real service names in @odata.context. */
const CONTEXT = 'https://api.security.microsoft.com/api/$metadata';
const READ = ['Machine.Read.All', 'Machine.ReadWrite.All', 'Machine.Read', 'Machine.ReadWrite'];
/** GetPackageUri: apps read, users need Collect forensics (the page's permission table). */
const PACKAGE = { app: ['Machine.Read.All', 'Machine.ReadWrite.All'], user: ['Machine.CollectForensics'] };
const ANY_ACTION = [...new Set(Object.values(ACTION_PERMISSIONS))];
const MAX_TOP = 10_000;

export type Need = string[] | { app: string[]; user: string[] };
export type Authorize = (need: Need) => MdePrincipal | ListenerResult;
export interface MdeCall {
  method: string;
  url: URL;
  body: Buffer;
}

const text = (name: string, startsWith = false) => ({ name, kind: 'text' as const, anyCase: true, startsWith });
const MACHINE_FILTER: FilterSpec = {
  typeName: 'Machine',
  fields: {
    computerdnsname: text('computerDnsName', true),
    id: text('id'),
    version: text('version'),
    devicevalue: text('deviceValue'),
    aaddeviceid: text('aadDeviceId'),
    machinetags: { name: 'machineTags', kind: 'list', anyCase: true },
    lastseen: { name: 'lastSeen', kind: 'time' },
    exposurelevel: text('exposureLevel'),
    onboardingstatus: text('onboardingStatus'),
    lastipaddress: text('lastIpAddress', true),
    healthstatus: text('healthStatus'),
    osplatform: text('osPlatform', true),
    riskscore: text('riskScore'),
    rbacgroupid: { name: 'rbacGroupId', kind: 'number' },
  },
};
const ACTION_FILTER: FilterSpec = {
  typeName: 'MachineAction',
  fields: {
    id: text('id'),
    status: text('status'),
    machineid: text('machineId'),
    type: text('type'),
    requestor: text('requestor', true),
    creationdatetimeutc: { name: 'creationDateTimeUtc', kind: 'time' },
  },
};

const ACTION_PATHS = new Map(Object.entries(ACTION_TYPES).map(([path, type]) => [path.toLowerCase(), path as ActionPath]));

export function routeMde(call: MdeCall, tenant: MdeTenant, entry: MdeRequestLogEntry, authorize: Authorize): ListenerResult {
  const path = call.url.pathname.replace(/\/+$/, '');
  const m = /^\/api(?:\/v1\.0)?\/(machines|machineactions)(?:\/([^/]+))?(?:\/([^/]+))?$/i.exec(path);
  if (!m) return mdeError(404, 'NotFound', `No resource matches ${call.url.pathname.slice(0, 100)}.`);
  const collection = m[1].toLowerCase();
  const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  const verb = m[3]?.toLowerCase();
  const method = (allowed: string): ListenerResult | undefined => (call.method === allowed ? undefined : mdeError(405, 'DisallowedOperation', `The method ${call.method} is not allowed on ${call.url.pathname.slice(0, 100)}.`));
  const guarded = (need: Need, then: (principal: MdePrincipal) => ListenerResult): ListenerResult => {
    const principal = authorize(need);
    return 'status' in principal ? principal : then(principal);
  };

  if (collection === 'machines') {
    if (id === undefined) return method('GET') ?? guarded(READ, () => listMachines(call, tenant));
    if (verb === undefined) return method('GET') ?? guarded(READ, () => getMachine(tenant, id));
    const actionPath = ACTION_PATHS.get(verb);
    if (!actionPath) return mdeError(404, 'NotFound', `No resource matches ${call.url.pathname.slice(0, 100)}.`);
    const type = ACTION_TYPES[actionPath];
    return method('POST') ?? guarded([ACTION_PERMISSIONS[type]], (principal) => startAction(call, tenant, entry, principal, id, type));
  }
  if (id === undefined) return method('GET') ?? guarded(READ, () => listActions(call, tenant));
  if (verb === undefined) return method('GET') ?? guarded(READ, () => getAction(tenant, entry, id));
  if (verb === 'getpackageuri') return method('GET') ?? guarded(PACKAGE, () => packageUri(tenant, entry, id));
  if (verb === 'cancel') return method('POST') ?? guarded(ANY_ACTION, (principal) => cancelAction(call, tenant, entry, principal, id));
  return mdeError(404, 'NotFound', `No resource matches ${call.url.pathname.slice(0, 100)}.`);
}

const machineNotFound = (id: string): ListenerResult => mdeError(404, 'ResourceNotFound', `Machine ${id.slice(0, 100)} was not found`);
const actionNotFound = (id: string): ListenerResult => mdeError(404, 'ResourceNotFound', `MachineAction ${id.slice(0, 100)} was not found`);

/** $top, $skip and $filter of a list; anything else starting with `$` is refused. */
function listQuery(call: MdeCall, spec: FilterSpec): { top: number; skip: number; predicate: (i: JsonObject) => boolean } | ListenerResult {
  const q = call.url.searchParams;
  for (const key of q.keys()) {
    if (key.startsWith('$') && !['$filter', '$top', '$skip'].includes(key.toLowerCase())) return mdeError(400, 'ODataError', `The query parameter '${key.slice(0, 30)}' is not supported.`);
  }
  const top = q.get('$top') === null ? MAX_TOP : Number(q.get('$top'));
  const skip = q.get('$skip') === null ? 0 : Number(q.get('$skip'));
  if (!Number.isInteger(top) || top < 0) return mdeError(400, 'ODataError', `Invalid value '${String(q.get('$top')).slice(0, 20)}' for $top.`);
  if (top > MAX_TOP) return mdeError(400, 'ODataError', `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
  if (!Number.isInteger(skip) || skip < 0) return mdeError(400, 'ODataError', `Invalid value '${String(q.get('$skip')).slice(0, 20)}' for $skip.`);
  const filter = q.get('$filter');
  if (filter === null || filter.trim() === '') return { top, skip, predicate: () => true };
  try {
    return { top, skip, predicate: parseODataFilter(filter, spec) };
  } catch (e) {
    return mdeError(400, 'ODataError', e instanceof Error ? e.message : 'Invalid $filter.');
  }
}

function listMachines(call: MdeCall, tenant: MdeTenant): ListenerResult {
  const query = listQuery(call, MACHINE_FILTER);
  if ('status' in query) return query;
  const all = tenant.machines.filter(query.predicate);
  // Documented: no machines → 404, not an empty list.
  if (all.length === 0 && tenant.settings.emptyMachineList === '404') return mdeError(404, 'ResourceNotFound', 'No machines found');
  return { status: 200, json: { '@odata.context': `${CONTEXT}#Machines`, value: clone(all.slice(query.skip, query.skip + query.top)) } };
}

function getMachine(tenant: MdeTenant, id: string): ListenerResult {
  const machine = tenant.findMachine(id);
  if (!machine) return machineNotFound(id);
  return { status: 200, json: { '@odata.context': `${CONTEXT}#Machines/$entity`, ...clone(machine) } };
}

function listActions(call: MdeCall, tenant: MdeTenant): ListenerResult {
  const query = listQuery(call, ACTION_FILTER);
  if ('status' in query) return query;
  const now = tenant.now();
  const all = tenant.sortedActions().map((a) => actionView(a, now)).filter(query.predicate);
  return { status: 200, json: { '@odata.context': `${CONTEXT}#MachineActions`, value: all.slice(query.skip, query.skip + query.top) } };
}

const actionAnswer = (status: number, action: StoredAction, now: number): ListenerResult => ({ status, json: { '@odata.context': `${CONTEXT}#MachineActions/$entity`, ...actionView(action, now) } });

function getAction(tenant: MdeTenant, entry: MdeRequestLogEntry, id: string): ListenerResult {
  const action = tenant.findAction(id);
  if (!action) return actionNotFound(id);
  entry.actionId = action.id;
  return actionAnswer(200, action, tenant.now());
}

/** The JSON object of a POST body, or the 400 the service answers. */
function jsonBody(call: MdeCall): JsonObject | ListenerResult {
  if (call.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString('utf8'));
  } catch {
    return mdeError(400, 'InvalidRequestBody', 'Request body is not valid JSON.');
  }
  return isObject(parsed) ? parsed : mdeError(400, 'InvalidRequestBody', 'Request body must be a JSON object.');
}

const BODY_FIELDS: Partial<Record<ActionType, Record<string, readonly string[]>>> = {
  Isolate: { IsolationType: ['Full', 'Selective', 'UnManagedDevice'] },
  RunAntiVirusScan: { ScanType: ['Quick', 'Full'] },
};

/**
 * Parameter names and values are case-sensitive: `comment` is not `Comment` (400
 * InvalidRequestBody), a missing Comment (or ScanType) is 400 MissingRequiredParameter, and
 * `"full"` is not an IsolationType. IsolationType may be left out (Full).
 */
function actionBody(json: JsonObject, type: ActionType | 'Cancel'): { comment: string; scope: string | null } | ListenerResult {
  const enums = type === 'Cancel' ? {} : (BODY_FIELDS[type] ?? {});
  const known = ['Comment', ...Object.keys(enums)];
  for (const key of Object.keys(json)) {
    const meant = known.find((k) => k.toLowerCase() === key.toLowerCase());
    if (meant && meant !== key) return mdeError(400, 'InvalidRequestBody', `Request body is invalid: unknown parameter '${key.slice(0, 40)}' (parameter names are case-sensitive: '${meant}').`);
  }
  if (json.Comment === undefined || json.Comment === null || json.Comment === '') return mdeError(400, 'MissingRequiredParameter', 'Comment is missing or empty.');
  if (typeof json.Comment !== 'string') return mdeError(400, 'InvalidRequestBody', 'Comment must be a string.');
  let scope: string | null = null;
  for (const [field, values] of Object.entries(enums)) {
    const value = json[field];
    if (value === undefined && field === 'IsolationType') {
      scope = 'Full';
      continue;
    }
    if (value === undefined || value === null) return mdeError(400, 'MissingRequiredParameter', `${field} is missing.`);
    if (typeof value !== 'string' || !values.includes(value)) return mdeError(400, 'InvalidRequestBody', `${field} '${String(value).slice(0, 40)}' is not valid: use ${values.join(' or ')} (values are case-sensitive).`);
    scope = value;
  }
  return { comment: json.Comment, scope };
}

/** The action would change nothing: the machine is already in the state it asks for. */
function alreadyApplied(tenant: MdeTenant, machineId: string, type: ActionType): string | undefined {
  const state = tenant.stateOf(machineId);
  if (type === 'Isolate' && state.isolated) return 'Machine is already isolated.';
  if (type === 'Unisolate' && !state.isolated) return 'Machine is not isolated.';
  if (type === 'RestrictCodeExecution' && state.restricted) return 'Machine is already restricted.';
  if (type === 'UnrestrictCodeExecution' && !state.restricted) return 'Machine is not restricted.';
  return undefined;
}

function startAction(call: MdeCall, tenant: MdeTenant, entry: MdeRequestLogEntry, principal: MdePrincipal, id: string, type: ActionType): ListenerResult {
  const json = jsonBody(call);
  if ('status' in json) return json as ListenerResult;
  const body = actionBody(json, type);
  if ('status' in body) return body;
  const machine = tenant.findMachine(id);
  if (!machine) return machineNotFound(id);
  const machineId = String(machine.id);
  const now = tenant.now();
  const live = tenant.liveAction(machineId, type);
  if (live) {
    entry.actionId = live.id;
    // Observed (not documented): 400 ActiveRequestAlreadyExists. The docs also allow 201 with
    // the pending action; a running package collection is documented as 400.
    if (type === 'CollectInvestigationPackage' || tenant.settings.duplicateMode === '400') return mdeError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
    return actionAnswer(201, live, now);
  }
  const applied = alreadyApplied(tenant, machineId, type);
  if (applied && tenant.settings.alreadyAppliedMode === '400') return mdeError(400, 'BadRequest', applied);
  const action = tenant.addAction({ type, scope: body.scope, machineId, computerDnsName: String(machine.computerDnsName), requestor: principal.name, requestorComment: body.comment });
  entry.actionId = action.id;
  return actionAnswer(201, action, now);
}

function cancelAction(call: MdeCall, tenant: MdeTenant, entry: MdeRequestLogEntry, principal: MdePrincipal, id: string): ListenerResult {
  const json = jsonBody(call);
  if ('status' in json) return json as ListenerResult;
  const body = actionBody(json, 'Cancel');
  if ('status' in body) return body;
  const action = tenant.findAction(id);
  if (!action) return actionNotFound(id);
  entry.actionId = action.id;
  const need = ACTION_PERMISSIONS[action.type];
  if (!principal.permissions.has(need)) return mdeError(403, 'Forbidden', `The application does not have any of the required permissions (${need}) to access the resource.`);
  const now = tenant.now();
  const { status } = statusAt(action, now);
  if (status !== 'Pending' && status !== 'InProgress') return mdeError(400, 'BadRequest', `Machine action ${action.id} is ${status}: only a Pending or InProgress action can be cancelled.`);
  action.cancel = { atMs: now, by: principal.name, comment: body.comment };
  return actionAnswer(200, action, now);
}

/** A read link to the package on the emulator's blob stand-in, valid for an hour. */
function packageUri(tenant: MdeTenant, entry: MdeRequestLogEntry, id: string): ListenerResult {
  const action = tenant.findAction(id);
  if (!action) return actionNotFound(id);
  entry.actionId = action.id;
  if (action.type !== 'CollectInvestigationPackage') return mdeError(400, 'InvalidInput', `Machine action ${action.id} is not an investigation package collection.`);
  // Documented: 404 while the collection has not completed.
  if (statusAt(action, tenant.now()).status !== 'Succeeded') return mdeError(404, 'ResourceNotFound', `Investigation package of machine action ${action.id} was not found`);
  const blob = tenant.blobs.issue(tenant.blobBaseUrl, tenant.name, 'WDATP_Investigation_Package.zip', 'mde-investigation-package', tenant.now(), { container: `mde-packages-${tenant.name}`, permissions: 'r' });
  blob.committed = true;
  blob.size = 1024 * 1024;
  const value = tenant.settings.packageUriQuoted ? `"${blob.url}"` : blob.url;
  return { status: 200, json: { '@odata.context': `${CONTEXT}#Edm.String`, value } };
}
