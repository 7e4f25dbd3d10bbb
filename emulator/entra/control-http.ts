// HTTP form of the Entra ID control API, under /_emulator/graph/tenants/<t>/entra/ (JSON), served
// by the Graph control handler.
import { ControlRoute, route as r } from '../control-router';
import { isObject } from '../jwt';
import type { EntraControl } from './control';
import type { EntraThrottleFamily } from './directory';

export function entraControlRoutes(c: EntraControl): ControlRoute[] {
  const T = '/_emulator/graph/tenants/([^/]+)/entra';
  const body = (b: unknown) => (isObject(b) ? b : {});
  return [
    r('GET', `${T}/users`, (m) => c.listUsers(m[1])),
    r('GET', `${T}/users/([^/]+)`, (m) => c.getUser(m[1], m[2]) ?? null),
    r('PATCH', `${T}/users/([^/]+)`, (m, b) => c.updateUser(m[1], m[2], body(b)) ?? null),
    r('GET', `${T}/risk/([^/]+)`, (m) => c.getRisk(m[1], m[2]) ?? null),
    r('PUT', `${T}/risk/([^/]+)`, (m, b) => (c.setRisk(m[1], m[2], b === null ? null : body(b)), { ok: true })),
    r('GET', `${T}/settings`, (m) => c.settings(m[1])),
    r('POST', `${T}/settings`, (m, b) => (c.setSettings(m[1], body(b)), { ok: true })),
    r('POST', `${T}/throttle/([^/]+)`, (m, b) => (c.setThrottle(m[1], m[2] as EntraThrottleFamily, b === false || (isObject(b) && b.enabled === false) ? false : body(b)), { ok: true })),
    r('POST', `${T}/reset`, (m) => (c.reset(m[1]), { ok: true })),
  ];
}
