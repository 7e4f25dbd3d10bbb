// HTTP form of the control API, under /_emulator/ on the identity listener (JSON in and out).
// How a route is matched and answered: control-router.ts.
import { EmulatorControl } from './control';
import type { AlertPick } from './data/seed';
import { ControlRoute, controlRouter, fieldOf as field, listOf as list, route as r } from './control-router';
import { Fault } from './faults';
import { isObject, JsonObject } from './jwt';

export function controlRoutes(c: EmulatorControl): ControlRoute[] {
  const T = '/_emulator/tenants/([^/]+)';
  return [
    r('GET', '/_emulator/state', () => c.state()),
    r('POST', '/_emulator/reset', (_m, b) => (c.reset(typeof field(b, 'tenant') === 'string' ? String(field(b, 'tenant')) : undefined), { ok: true })),
    r('GET', '/_emulator/clock', () => ({ offsetMs: c.clockOffsetMs(), now: c.now() })),
    r('POST', '/_emulator/clock', (_m, b) => (c.setClockOffsetMs(Number(field(b, 'offsetMs') ?? 0)), { offsetMs: c.clockOffsetMs(), now: c.now() })),
    r('GET', '/_emulator/token-requests', () => ({ requests: c.tokenRequests(), counts: c.tokenRequestCounts() })),
    r('DELETE', '/_emulator/token-requests', () => (c.resetTokenRequests(), { ok: true })),
    r('POST', '/_emulator/token-faults', (_m, b) => (c.injectTokenFaults(list<Fault>(b, 'faults')), { ok: true })),
    r('DELETE', '/_emulator/token-faults', () => (c.clearTokenFaults(), { ok: true })),
    r('GET', '/_emulator/device-codes/last', () => c.lastDeviceCode() ?? null),
    r('POST', '/_emulator/device-codes/approve', (_m, b) => ({ approved: c.approveDeviceCode(String(field(b, 'userCode') ?? ''), String(field(b, 'username') ?? '')) })),
    r('POST', '/_emulator/device-codes/deny', (_m, b) => ({ denied: c.denyDeviceCode(String(field(b, 'userCode') ?? '')) })),
    r('POST', `${T}/federated-token`, (m, b) => ({ token: c.mintFederatedToken(m[1], isObject(b) ? b : {}) })),
    r('POST', `${T}/managed-identities/([^/]+)`, (m, b) => (c.setManagedIdentityAssigned(m[1], m[2], field(b, 'assigned') !== false), { ok: true })),
    r('GET', `${T}/faults`, (m) => c.pendingFaults(m[1])),
    r('POST', `${T}/faults`, (m, b) => (c.injectFaults(m[1], list<Fault>(b, 'faults')), { ok: true })),
    r('DELETE', `${T}/faults`, (m) => (c.clearFaults(m[1]), { ok: true })),
    r('GET', `${T}/alerts`, (m) => c.listAlerts(m[1])),
    r('POST', `${T}/alerts`, (m, b) => c.insertAlerts(m[1], list<JsonObject>(b, 'alerts'), alertPick(b))),
    r('GET', `${T}/alerts/([^/]+)`, (m) => c.getAlert(m[1], m[2]) ?? null),
    r('PATCH', `${T}/alerts/([^/]+)`, (m, b) => c.updateAlert(m[1], m[2], isObject(b) ? b : {}) ?? null),
    r('GET', `${T}/activities`, (m) => ({ count: c.activityCount(m[1]), data: c.activityCount(m[1]) <= 10_000 ? c.listActivities(m[1]) : [] })),
    r('POST', `${T}/activities`, (m, b) => c.insertActivities(m[1], list<JsonObject>(b, 'activities'))),
    r('GET', `${T}/activities/([^/]+)`, (m) => c.getActivity(m[1], decodeURIComponent(m[2])) ?? null),
    r('GET', `${T}/feedback`, (m) => c.getActivityFeedback(m[1])),
    r('GET', `${T}/subnets`, (m) => c.getSubnets(m[1])),
    r('GET', `${T}/uploads`, (m) => c.getUploads(m[1])),
    r('GET', `${T}/requests`, (m) => c.requestLog(m[1])),
    r('DELETE', `${T}/requests`, (m) => (c.resetRequestLog(m[1]), { ok: true })),
    r('POST', `${T}/throttle`, (m, b) => (c.setThrottle(m[1], b === false || field(b, 'enabled') === false ? false : (isObject(b) ? b : {})), { ok: true })),
    r('POST', `${T}/reset`, (m) => (c.reset(m[1]), { ok: true })),
  ];
}

export function createControlHandler(control: EmulatorControl) {
  return controlRouter(controlRoutes(control), 50 * 1024 * 1024);
}

/** The optional `policy` (title) and `user` (UPN or object id) a new alert is built for. */
function alertPick(body: unknown): AlertPick {
  const text = (name: string): string | undefined => (typeof field(body, name) === 'string' ? String(field(body, name)) : undefined);
  return { policy: text('policy'), user: text('user') };
}
