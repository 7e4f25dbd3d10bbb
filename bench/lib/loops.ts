// The hand-written alternatives the core is compared with: a naive skip/limit loop that stops on
// the first error (a hand-written loop, or n8n's HTTP Request pagination without Retry On Fail),
// and a loop that behaves like Microsoft's MCAS PowerShell module (Invoke-MCASRestMethod retries a
// 429 after a fixed 5 s, without limit; Invoke-MCASCallLimiting sleeps 3 s before a call when more
// than 20 calls were made in the last 60 s). Both time constants are scaled with the window.
import type { BareHttp } from './bench';
import { SCALE, sleep } from './bench';

export interface LoopStats {
  items: number;
  requests: number;
  throttled: number;
  otherErrors: number;
  /** ms since start at which each page (with its item count) arrived */
  pages: Array<{ at: number; items: number }>;
  stoppedBy?: string;
}

export interface LoopOptions {
  url: string;
  authorization: string;
  pageSize?: number;
  /** stop issuing requests after this (ms since start) */
  deadlineMs: number;
  maxItems?: number;
  body?: Record<string, unknown>;
}

function newStats(): LoopStats {
  return { items: 0, requests: 0, throttled: 0, otherErrors: 0, pages: [] };
}

async function post(http: BareHttp, o: LoopOptions, skip: number) {
  const response = await http.axios.post(o.url, JSON.stringify({ filters: {}, ...o.body, skip, limit: o.pageSize ?? 100 }), {
    headers: { authorization: o.authorization, 'content-type': 'application/json', accept: 'application/json' },
  });
  return response;
}

/** No pacing; the first non-2xx ends the run (the n8n HTTP Request node's pagination throws). */
export async function naiveLoop(http: BareHttp, o: LoopOptions): Promise<LoopStats> {
  const stats = newStats();
  const start = performance.now();
  let skip = 0;
  while (performance.now() - start < o.deadlineMs && stats.items < (o.maxItems ?? Infinity)) {
    stats.requests++;
    const r = await post(http, o, skip);
    if (r.status === 429) {
      stats.throttled++;
      stats.stoppedBy = `HTTP 429 after ${Math.round(performance.now() - start)} ms`;
      return stats;
    }
    if (r.status < 200 || r.status >= 300) {
      stats.otherErrors++;
      stats.stoppedBy = `HTTP ${r.status}`;
      return stats;
    }
    const data = (JSON.parse(r.data as string) as { data: unknown[] }).data;
    // n8n's "Response Is Empty" completion: keep paging until an empty page comes back.
    if (data.length === 0) {
      stats.stoppedBy = 'empty page';
      return stats;
    }
    stats.items += data.length;
    stats.pages.push({ at: performance.now() - start, items: data.length });
    skip += data.length;
  }
  stats.stoppedBy = 'deadline';
  return stats;
}

/** MCAS PowerShell module behaviour, scaled: self-throttle (>20 calls in a window → sleep 3 s), 429 → sleep 5 s, retry forever. */
export async function mcasLoop(http: BareHttp, o: LoopOptions, windowMs: number): Promise<LoopStats> {
  const stats = newStats();
  const start = performance.now();
  const calls: number[] = [];
  let skip = 0;
  while (performance.now() - start < o.deadlineMs && stats.items < (o.maxItems ?? Infinity)) {
    // Invoke-MCASCallLimiting
    const now = performance.now();
    while (calls.length > 0 && calls[0] < now - windowMs) calls.shift();
    if (calls.length > 20) await sleep(3_000 * SCALE);
    // Invoke-MCASRestMethod: do { try { call } catch 429 { sleep 5 } } while (retry)
    for (;;) {
      if (performance.now() - start >= o.deadlineMs) {
        stats.stoppedBy = 'deadline';
        return stats;
      }
      calls.push(performance.now());
      stats.requests++;
      const r = await post(http, o, skip);
      if (r.status === 429) {
        stats.throttled++;
        await sleep(5_000 * SCALE);
        continue;
      }
      if (r.status < 200 || r.status >= 300) {
        stats.otherErrors++;
        stats.stoppedBy = `HTTP ${r.status}`;
        return stats;
      }
      const data = (JSON.parse(r.data as string) as { data: unknown[]; hasNext?: boolean }).data;
      stats.items += data.length;
      stats.pages.push({ at: performance.now() - start, items: data.length });
      skip += data.length;
      if (data.length === 0) {
        stats.stoppedBy = 'empty page';
        return stats;
      }
      break;
    }
  }
  stats.stoppedBy = 'deadline';
  return stats;
}
