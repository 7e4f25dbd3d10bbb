// HTTP form of the XDR control API, under /_emulator/xdr/ on the identity listener (JSON); how a
// route is matched and answered: ../control-router.ts.
import { ControlRoute, controlRouter, listOf as list, route as r } from '../control-router';
import { Fault } from '../faults';
import { isObject, JsonObject } from '../jwt';
import { XdrControl } from './control';

export function xdrControlRoutes(c: XdrControl): ControlRoute[] {
  const T = '/_emulator/xdr/tenants/([^/]+)';
  return [
    r('POST', '/_emulator/xdr/reset', (_m, b) => (c.reset(isObject(b) && typeof b.tenant === 'string' ? b.tenant : undefined), { ok: true })),
    r('GET', `${T}/incidents`, (m) => c.listIncidents(m[1])),
    r('POST', `${T}/incidents`, (m, b) => c.insertIncidents(m[1], list<JsonObject>(b, 'incidents'))),
    r('GET', `${T}/incidents/([0-9]+)`, (m) => c.getIncident(m[1], Number(m[2])) ?? null),
    r('PATCH', `${T}/incidents/([0-9]+)`, (m, b) => c.updateIncident(m[1], Number(m[2]), isObject(b) ? b : {}) ?? null),
    r('GET', `${T}/mdca-alerts/([^/]+)/incidents`, (m) => c.incidentsForMdcaAlert(m[1], m[2])),
    r('GET', `${T}/faults`, (m) => c.pendingFaults(m[1])),
    r('POST', `${T}/faults`, (m, b) => (c.injectFaults(m[1], list<Fault>(b, 'faults')), { ok: true })),
    r('DELETE', `${T}/faults`, (m) => (c.clearFaults(m[1]), { ok: true })),
    r('POST', `${T}/throttle`, (m, b) => (c.setThrottle(m[1], b === false || (isObject(b) && b.enabled === false) ? false : isObject(b) ? b : {}), { ok: true })),
    r('POST', `${T}/hunting`, (m, b) => (c.setHunting(m[1], isObject(b) ? b : {}), { ok: true })),
    r('GET', `${T}/requests`, (m) => c.requestLog(m[1])),
    r('DELETE', `${T}/requests`, (m) => (c.resetRequestLog(m[1]), { ok: true })),
    r('POST', `${T}/reset`, (m) => (c.reset(m[1]), { ok: true })),
  ];
}

export function createXdrControlHandler(control: XdrControl) {
  return controlRouter(xdrControlRoutes(control), 10 * 1024 * 1024);
}
