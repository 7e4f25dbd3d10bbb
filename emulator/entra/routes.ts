// The Entra ID resources of the emulated Graph listener (graph/server.ts does faults, throttle and
// auth first): users by object id or UPN (and the key form /users('$x')), revokeSignInSessions,
// Identity Protection riskyUsers (list with $filter, get, confirmCompromised, dismiss). Errors use
// Graph's body; which codes are documented and which are the emulator's choice: emulator/README.md.
import { JsonObject } from '../jwt';
import { FilterSpec, parseODataFilter } from '../odata-filter';
import { clone } from '../tenant-control';
import type { Call, GraphResult } from '../graph/routes';
import { graphError } from '../graph/server';
import { ENTRA_NEED, MAX_RISKY_USER_IDS, PRIVILEGED_ROLES } from './constants';
import { DirectoryUser, EntraDirectory } from './directory';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata';
/** What GET /users/{id} answers without $select (user-get page). */
const DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
const SELECTABLE = [...DEFAULT_PROPERTIES, 'accountEnabled', 'userType', 'signInSessionsValidFromDateTime', 'createdDateTime', 'onPremisesSyncEnabled'];
const WRITABLE = ['accountEnabled', 'displayName', 'jobTitle', 'officeLocation', 'mobilePhone'];
const RISKY_FILTER: FilterSpec = {
  typeName: 'microsoft.graph.riskyUser',
  fields: {
    risklevel: { name: 'riskLevel', kind: 'text', anyCase: true },
    riskstate: { name: 'riskState', kind: 'text', anyCase: true },
    riskdetail: { name: 'riskDetail', kind: 'text', anyCase: true },
    userprincipalname: { name: 'userPrincipalName', kind: 'text', anyCase: true },
    risklastupdateddatetime: { name: 'riskLastUpdatedDateTime', kind: 'time' },
  },
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Entra answer of a call, or undefined when the path is not an Entra one. */
export function routeEntra(call: Call, directory: EntraDirectory, apiUrl: string): GraphResult | undefined {
  const segments = call.url.pathname.replace(/\/+$/, '').split('/').map((s) => safeDecode(s));
  if (segments[1]?.toLowerCase() !== 'v1.0') return undefined;
  const head = segments[2] ?? '';
  if (/^users(\(|$)/i.test(head)) return routeUsers(call, directory, head, segments.slice(3));
  if (head.toLowerCase() === 'identityprotection' && segments[3]?.toLowerCase() === 'riskyusers') return routeRisky(call, directory, segments.slice(4), apiUrl);
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const notAllowed = (call: Call, what: string): GraphResult => graphError(call, 405, 'Request_BadRequest', `The method ${call.method} is not allowed on ${what}.`);
const denied = (call: Call): GraphResult => graphError(call, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
const has = (call: Call, need: readonly string[]): boolean => need.some((p) => call.principal.permissions.has(p));

function routeUsers(call: Call, directory: EntraDirectory, head: string, rest: string[]): GraphResult {
  const key = /^users\('((?:[^']|'')*)'\)$/i.exec(head);
  let ref: string | undefined;
  if (key) ref = key[1].replace(/''/g, "'");
  else if (head.toLowerCase() === 'users') ref = rest.shift();
  if (ref === undefined || ref === '') return graphError(call, 405, 'Request_BadRequest', 'Listing users is not emulated: read one user by id or user principal name.');
  // user-get: a UPN that starts with $ only works in the key form.
  if (!key && ref.startsWith('$')) return graphError(call, 400, 'BadRequest', `Invalid object identifier '${ref.slice(0, 60)}'. A user principal name starting with '$' must be written as users('${ref.slice(0, 60)}').`);
  const action = rest.join('/').toLowerCase();
  if (action !== '' && action !== 'revokesigninsessions') return graphError(call, 400, 'BadRequest', `Resource not found for the segment '${rest[0].slice(0, 60)}'.`);
  if (action === 'revokesigninsessions') {
    if (call.method !== 'POST') return notAllowed(call, 'revokeSignInSessions');
    if (!has(call, ENTRA_NEED.revoke)) return denied(call);
  } else if (call.method === 'GET') {
    if (!has(call, ENTRA_NEED.userRead)) return denied(call);
  } else if (call.method !== 'PATCH') return notAllowed(call, 'users');
  const user = directory.findUser(ref);
  if (!user) return graphError(call, 404, 'Request_ResourceNotFound', `Resource '${ref.slice(0, 80)}' does not exist or one of its queried reference-property objects are not present.`);
  if (action === 'revokesigninsessions') return revoke(call, directory, user);
  if (call.method === 'PATCH') return patchUser(call, directory, user);
  return readUser(call, user);
}

function readUser(call: Call, user: DirectoryUser): GraphResult {
  const select = call.url.searchParams.get('$select');
  const wanted = select === null ? DEFAULT_PROPERTIES : select.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.find((p) => !SELECTABLE.some((s) => s.toLowerCase() === p.toLowerCase()));
  if (unknown) return graphError(call, 400, 'Request_BadRequest', `Could not find a property named '${unknown.slice(0, 40)}' on type 'microsoft.graph.user'.`);
  // A copy with an index signature, so a selected property is read by its name.
  const record: Record<string, unknown> = { ...user };
  const out: JsonObject = { '@odata.context': `${CONTEXT}#users${select === null ? '' : `(${wanted.join(',')})`}/$entity` };
  for (const p of wanted) {
    const name = SELECTABLE.find((s) => s.toLowerCase() === p.toLowerCase()) as string;
    out[name] = clone(record[name]) ?? null;
  }
  return { status: 200, json: out };
}

/** Sensitive actions on an admin need a caller holding a privileged admin role (the app's or the user's). */
function mayActOn(call: Call, directory: EntraDirectory, target: DirectoryUser): boolean {
  if (!directory.isAdmin(target)) return true;
  const p = call.principal;
  if (p.kind === 'application') return p.appId !== undefined && directory.settings.privilegedApps.includes(p.appId);
  const caller = p.oid ? directory.findUser(p.oid) : undefined;
  return caller !== undefined && caller.roles.some((r) => PRIVILEGED_ROLES.includes(r));
}

function revoke(call: Call, directory: EntraDirectory, user: DirectoryUser): GraphResult {
  if (!mayActOn(call, directory, user)) return denied(call);
  user.signInSessionsValidFromDateTime = directory.nowText();
  if (directory.settings.revokeStatus === 204) return { status: 204, json: undefined };
  return { status: 200, json: { '@odata.context': `${CONTEXT}#Edm.Boolean`, value: true } };
}

function patchUser(call: Call, directory: EntraDirectory, user: DirectoryUser): GraphResult {
  const keys = Object.keys(call.json);
  if (keys.length === 0) return graphError(call, 400, 'Request_BadRequest', 'The request body holds no property to update.');
  const unknown = keys.find((k) => !WRITABLE.includes(k));
  if (unknown) return graphError(call, 400, 'Request_BadRequest', `Property '${unknown.slice(0, 40)}' does not exist or is not writable on type 'microsoft.graph.user'.`);
  const enabling = keys.includes('accountEnabled');
  const others = keys.some((k) => k !== 'accountEnabled');
  // accountEnabled: User.EnableDisableAccount.All together with a read permission, or a ReadWrite one.
  const mayEnable = has(call, ENTRA_NEED.accountEnabled) || (call.principal.permissions.has('User.EnableDisableAccount.All') && has(call, ENTRA_NEED.userRead));
  if ((enabling && !mayEnable) || (others && !has(call, ENTRA_NEED.userUpdate))) return denied(call);
  if (enabling && typeof call.json.accountEnabled !== 'boolean') return graphError(call, 400, 'Request_BadRequest', "Invalid value for 'accountEnabled': a boolean is expected.");
  if (enabling && !mayActOn(call, directory, user)) return denied(call);
  Object.assign(user, Object.fromEntries(keys.map((k) => [k, call.json[k]])));
  return { status: 204, json: undefined };
}

function routeRisky(call: Call, directory: EntraDirectory, rest: string[], apiUrl: string): GraphResult {
  const [segment, extra] = rest;
  if (extra !== undefined) return graphError(call, 400, 'BadRequest', `Resource not found for the segment '${extra.slice(0, 60)}'.`);
  const action = segment?.toLowerCase();
  const write = action === 'confirmcompromised' || action === 'dismiss';
  if (write ? call.method !== 'POST' : call.method !== 'GET') return notAllowed(call, 'riskyUsers');
  if (!has(call, write ? ENTRA_NEED.riskWrite : ENTRA_NEED.riskRead)) return graphError(call, 403, 'Forbidden', 'Missing role permissions on the request. API requires one of ' + `'${(write ? ENTRA_NEED.riskWrite : ENTRA_NEED.riskRead).join(', ')}'.`);
  // Undocumented: what a tenant without P2 answers. The emulator's choice: 403 with Graph's body.
  if (!directory.settings.p2Licensed) return graphError(call, 403, 'Forbidden', 'Your tenant is not licensed for this feature: Identity Protection risky users need Microsoft Entra ID P2.');
  if (write) return riskAction(call, directory, action === 'confirmcompromised');
  if (segment === undefined) return listRisky(call, directory, apiUrl);
  const found = directory.riskyUser(segment.toLowerCase());
  if (!found) return graphError(call, 404, 'NotFound', `The user '${segment.slice(0, 60)}' has no risk record.`);
  return { status: 200, json: { '@odata.context': `${CONTEXT}#identityProtection/riskyUsers/$entity`, ...found } };
}

function listRisky(call: Call, directory: EntraDirectory, apiUrl: string): GraphResult {
  const q = call.url.searchParams;
  let items = directory.riskyUsers();
  const filter = q.get('$filter');
  if (filter !== null && filter.trim() !== '') {
    try {
      items = items.filter(parseODataFilter(filter, RISKY_FILTER));
    } catch (e) {
      return graphError(call, 400, 'BadRequest', e instanceof Error ? e.message : 'Invalid $filter.');
    }
  }
  const top = q.get('$top') === null ? 100 : Number(q.get('$top'));
  if (!Number.isInteger(top) || top < 1 || top > 500) return graphError(call, 400, 'BadRequest', 'Invalid $top: a value from 1 to 500 is allowed.');
  const token = q.get('$skiptoken');
  const skip = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  const out: JsonObject = { '@odata.context': `${CONTEXT}#identityProtection/riskyUsers` };
  if (skip + top < items.length) {
    const next = new URL(call.url.pathname, apiUrl);
    next.searchParams.set('$top', String(top));
    if (filter !== null) next.searchParams.set('$filter', filter);
    next.searchParams.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
    out['@odata.nextLink'] = next.toString();
  }
  out.value = items.slice(skip, skip + top);
  return { status: 200, json: out };
}

function riskAction(call: Call, directory: EntraDirectory, confirm: boolean): GraphResult {
  const ids = call.json.userIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) return graphError(call, 400, 'BadRequest', "The property 'userIds' must be a non-empty list of user object ids.");
  if (ids.length > MAX_RISKY_USER_IDS) return graphError(call, 400, 'BadRequest', `At most ${MAX_RISKY_USER_IDS} userIds are allowed in one request.`);
  const bad = (ids as string[]).find((id) => !GUID.test(id));
  if (bad) return graphError(call, 400, 'BadRequest', `Invalid user id '${bad.slice(0, 60)}': object ids (GUIDs) are expected.`);
  const now = directory.nowText();
  // Ids of no user in the tenant are ignored (undocumented; the emulator's choice).
  for (const id of (ids as string[]).map((i) => i.toLowerCase())) {
    if (!directory.users.some((u) => u.id === id)) continue;
    if (confirm) directory.setRisk(id, { riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised', riskLastUpdatedDateTime: now });
    else if (directory.risk.has(id)) directory.setRisk(id, { riskLevel: 'none', riskState: 'dismissed', riskDetail: 'adminDismissedAllRiskForUser', riskLastUpdatedDateTime: now });
  }
  return { status: 204, json: undefined };
}
