// HTTP form of the Graph control API, under /_emulator/graph/ on the identity listener (JSON).
import { ControlRoute, controlRouter, listOf as list, route as r } from '../control-router';
import { Fault } from '../faults';
import { isObject, JsonObject } from '../jwt';
import { GraphControl } from './control';
import { entraControlRoutes } from '../entra/control-http';

export function graphControlRoutes(c: GraphControl): ControlRoute[] {
  const T = '/_emulator/graph/tenants/([^/]+)';
  return [
    r('POST', '/_emulator/graph/reset', (_m, b) => (c.reset(isObject(b) && typeof b.tenant === 'string' ? b.tenant : undefined), { ok: true })),
    r('GET', `${T}/alerts`, (m) => c.listAlerts(m[1])),
    r('POST', `${T}/alerts`, (m, b) => c.insertAlerts(m[1], list<JsonObject>(b, 'alerts'))),
    r('GET', `${T}/alerts/([^/]+)`, (m) => c.getAlert(m[1], decodeURIComponent(m[2])) ?? null),
    r('PATCH', `${T}/alerts/([^/]+)`, (m, b) => c.updateAlert(m[1], decodeURIComponent(m[2]), isObject(b) ? b : {}) ?? null),
    r('GET', `${T}/incidents`, (m) => c.listIncidents(m[1])),
    r('POST', `${T}/incidents`, (m, b) => c.insertIncidents(m[1], list<JsonObject>(b, 'incidents'), { alerts: !(isObject(b) && b.alerts === false) })),
    r('GET', `${T}/incidents/([^/]+)`, (m) => c.getIncident(m[1], decodeURIComponent(m[2])) ?? null),
    r('PATCH', `${T}/incidents/([^/]+)`, (m, b) => c.updateIncident(m[1], decodeURIComponent(m[2]), isObject(b) ? b : {}) ?? null),
    r('POST', `${T}/settings`, (m, b) => (c.setSettings(m[1], isObject(b) ? b : {}), { ok: true })),
    r('POST', `${T}/hunting`, (m, b) => (c.setHunting(m[1], isObject(b) ? b : {}), { ok: true })),
    r('GET', `${T}/faults`, (m) => c.pendingFaults(m[1])),
    r('POST', `${T}/faults`, (m, b) => (c.injectFaults(m[1], list<Fault>(b, 'faults')), { ok: true })),
    r('DELETE', `${T}/faults`, (m) => (c.clearFaults(m[1]), { ok: true })),
    r('POST', `${T}/throttle`, (m, b) => (c.setThrottle(m[1], b === false || (isObject(b) && b.enabled === false) ? false : isObject(b) ? b : {}), { ok: true })),
    r('GET', `${T}/requests`, (m) => c.requestLog(m[1])),
    r('DELETE', `${T}/requests`, (m) => (c.resetRequestLog(m[1]), { ok: true })),
    r('POST', `${T}/reset`, (m) => (c.reset(m[1]), { ok: true })),
    ...entraControlRoutes(c.entra),
  ];
}

export function createGraphControlHandler(control: GraphControl) {
  return controlRouter(graphControlRoutes(control), 10 * 1024 * 1024);
}
