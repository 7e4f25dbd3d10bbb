// HTTP form of the XDR control API, under /_emulator/xdr/ on the identity listener (JSON).
import type { IncomingMessage, ServerResponse } from 'http';
import { Fault } from '../faults';
import { readBody, sendJson } from '../http-util';
import { isObject, JsonObject } from '../jwt';
import { XdrControl } from './control';

type Handler = (m: string[], body: unknown) => unknown;
const list = <T>(body: unknown, key: string): T[] => (Array.isArray(body) ? (body as T[]) : isObject(body) && Array.isArray(body[key]) ? (body[key] as T[]) : isObject(body) ? [body as T] : []);

export function xdrControlRoutes(c: XdrControl): { method: string; pattern: RegExp; handle: Handler }[] {
  const T = '/_emulator/xdr/tenants/([^/]+)';
  const r = (method: string, path: string, handle: Handler) => ({ method, pattern: new RegExp(`^${path}/?$`), handle });
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
  const routes = xdrControlRoutes(control);
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req, 10 * 1024 * 1024).catch(() => Buffer.alloc(0));
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
    }
    for (const route of routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m || route.method !== method) continue;
      try {
        return sendJson(res, 200, route.handle(m.map((x) => (x === undefined ? x : decodeURIComponent(x))), body) ?? null);
      } catch (e) {
        return sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    sendJson(res, 404, { error: 'unknown control route' });
  };
}
