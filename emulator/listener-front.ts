// The part every emulated service listener does before its own routing: log the request, apply
// an injected fault (reset before, blackhole, canned response, delay), read the body, ask the
// throttle, answer; and, for a reset-after fault, apply the request and then drop the connection
// (a lost response). The MDE listener uses it (emulator/mde/server.ts).
import type { IncomingMessage, ServerResponse } from 'http';
import { Fault, FaultQueue, isBlackholeFault, isDelayFault, isResetFault, isResponseFault } from './faults';
import { delay, headerValue, readBody, sendJson } from './http-util';
import { RequestLogEntry } from './tenant-state';

export interface ListenerResult {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export interface ListenerFront<E extends RequestLogEntry> {
  faults: FaultQueue;
  requestLog: E[];
  maxBodyBytes: number;
  /** The service's error body for a status and message. */
  error(status: number, kind: 'tooLarge' | 'fault' | 'internal'): ListenerResult;
  /** A 429 answer when the throttle refuses the call. */
  throttled(): ListenerResult | undefined;
  /** The service's answer; may add to the log entry (body summary, ids). */
  answer(call: { method: string; url: URL; body: Buffer; authorization?: string }, entry: E): ListenerResult;
}

export const describeFault = (fault: Fault): string =>
  isResponseFault(fault) ? `status:${fault.status}` : isDelayFault(fault) ? `delay:${fault.delayMs}` : isResetFault(fault) ? `reset:${fault.reset}` : 'blackhole';

export function createListener<E extends RequestLogEntry>(front: ListenerFront<E>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const authorization = headerValue(req, 'authorization');
    const entry = { at: Date.now(), method, path: url.pathname, authKind: authorization ? (/^\s*bearer\b/i.test(authorization) ? 'bearer' : 'token') : 'none', status: 0, throttled: false, bodyBytes: 0 } as E;
    front.requestLog.push(entry);
    const fault = front.faults.take({ method, path: url.pathname });
    if (fault) entry.fault = describeFault(fault);
    if (fault && isResetFault(fault) && fault.reset === 'before') return void req.socket.destroy();
    if (fault && isBlackholeFault(fault)) return;
    let body: Buffer;
    try {
      body = await readBody(req, front.maxBodyBytes);
    } catch {
      const r = front.error(413, 'tooLarge');
      entry.status = r.status;
      return sendJson(res, r.status, r.json, r.headers);
    }
    entry.bodyBytes = body.length;
    if (fault && isResponseFault(fault)) {
      entry.status = fault.status;
      const raw = fault.body === undefined ? JSON.stringify(front.error(fault.status, 'fault').json) : typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
      res.writeHead(fault.status, { 'content-type': fault.contentType ?? (typeof fault.body === 'string' ? 'text/html; charset=utf-8' : 'application/json'), 'content-length': Buffer.byteLength(raw), ...(fault.headers ?? {}) });
      return void res.end(raw);
    }
    if (fault && isDelayFault(fault)) await delay(fault.delayMs);
    const refused = front.throttled();
    if (refused) {
      entry.status = refused.status;
      entry.throttled = true;
      return sendJson(res, refused.status, refused.json, refused.headers);
    }
    let result: ListenerResult;
    try {
      result = front.answer({ method, url, body, authorization }, entry);
    } catch {
      result = front.error(500, 'internal');
    }
    entry.status = result.status;
    if (fault && isResetFault(fault) && fault.reset === 'after') {
      entry.status = 0;
      return void req.socket.destroy();
    }
    sendJson(res, result.status, result.json, result.headers ?? {});
  };
}
