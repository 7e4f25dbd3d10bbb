// HTTP form of the Defender for Endpoint control API, under /_emulator/mde/ on the identity listener (JSON).
import { ControlRoute, controlRouter, fieldOf as field, listOf as list, route as r } from '../control-router';
import { Fault } from '../faults';
import { isObject, JsonObject } from '../jwt';
import { Lifecycle, MachineOverride } from './actions';
import { MdeControl } from './control';
import { MachineState, MdeSettings } from './state';

export function mdeControlRoutes(c: MdeControl): ControlRoute[] {
  const T = '/_emulator/mde/tenants/([^/]+)';
  const obj = (b: unknown): JsonObject => (isObject(b) ? b : {});
  return [
    r('POST', '/_emulator/mde/reset', (_m, b) => (c.reset(typeof field(b, 'tenant') === 'string' ? String(field(b, 'tenant')) : undefined), { ok: true })),
    r('GET', `${T}/machines`, (m) => c.listMachines(m[1])),
    r('POST', `${T}/machines`, (m, b) => c.insertMachines(m[1], list<JsonObject>(b, 'machines'))),
    r('GET', `${T}/machines/([^/]+)`, (m) => c.getMachine(m[1], m[2]) ?? null),
    r('PATCH', `${T}/machines/([^/]+)`, (m, b) => c.updateMachine(m[1], m[2], obj(b)) ?? null),
    r('GET', `${T}/machines/([^/]+)/state`, (m) => c.getMachineState(m[1], m[2]) ?? null),
    r('POST', `${T}/machines/([^/]+)/state`, (m, b) => c.setMachineState(m[1], m[2], obj(b) as Partial<MachineState>)),
    r('POST', `${T}/machines/([^/]+)/override`, (m, b) => (c.setMachineOverride(m[1], m[2], b === null || b === undefined ? null : (obj(b) as MachineOverride)), { ok: true })),
    r('DELETE', `${T}/machines/([^/]+)/override`, (m) => (c.setMachineOverride(m[1], m[2], null), { ok: true })),
    r('GET', `${T}/overrides`, (m) => c.machineOverrides(m[1])),
    r('GET', `${T}/actions`, (m) => c.listActions(m[1])),
    r('GET', `${T}/actions/([^/]+)`, (m) => c.getAction(m[1], m[2]) ?? null),
    r('POST', `${T}/lifecycle`, (m, b) => (c.setLifecycle(m[1], obj(b) as Partial<Lifecycle>), { ok: true })),
    r('GET', `${T}/settings`, (m) => c.settings(m[1])),
    r('POST', `${T}/settings`, (m, b) => (c.setSettings(m[1], obj(b) as Partial<MdeSettings>), { ok: true })),
    r('GET', `${T}/faults`, (m) => c.pendingFaults(m[1])),
    r('POST', `${T}/faults`, (m, b) => (c.injectFaults(m[1], list<Fault>(b, 'faults')), { ok: true })),
    r('DELETE', `${T}/faults`, (m) => (c.clearFaults(m[1]), { ok: true })),
    r('POST', `${T}/throttle`, (m, b) => (c.setThrottle(m[1], b === false || field(b, 'enabled') === false ? false : obj(b)), { ok: true })),
    r('GET', `${T}/throttle/admissions`, (m) => c.throttleAdmissions(m[1])),
    r('GET', `${T}/requests`, (m) => c.requestLog(m[1])),
    r('DELETE', `${T}/requests`, (m) => (c.resetRequestLog(m[1]), { ok: true })),
    r('POST', `${T}/reset`, (m) => (c.reset(m[1]), { ok: true })),
  ];
}

export function createMdeControlHandler(control: MdeControl) {
  return controlRouter(mdeControlRoutes(control), 10 * 1024 * 1024);
}
