// Fault injection shared by the MDCA listeners and the token endpoint: each fault applies to the
// next matching request(s), then disappears.

export interface FaultMatch {
  method?: string;
  pathIncludes?: string;
  /** token endpoint only */
  grant?: string;
  clientId?: string;
}

interface FaultCommon {
  match?: FaultMatch;
  /** how many matching requests it applies to (default 1) */
  times?: number;
}
/** Answer with this instead of the real response. `body` strings are sent verbatim (e.g. truncated JSON, HTML). */
export interface ResponseFault extends FaultCommon {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  /** stream a body of this many MiB (content of `body` repeated, or filler JSON) */
  hugeBodyMb?: number;
}
/** Wait, then handle normally. */
export interface DelayFault extends FaultCommon {
  delayMs: number;
}
/** `before`: destroy the socket before reading the body; `after`: apply the request, then destroy instead of answering. */
export interface ResetFault extends FaultCommon {
  reset: 'before' | 'after';
}
/** Accept and never answer (until the emulator closes). */
export interface BlackholeFault extends FaultCommon {
  blackhole: true;
}
export type Fault = ResponseFault | DelayFault | ResetFault | BlackholeFault;

export const isResponseFault = (f: Fault): f is ResponseFault => typeof (f as ResponseFault).status === 'number';
export const isDelayFault = (f: Fault): f is DelayFault => typeof (f as DelayFault).delayMs === 'number';
export const isResetFault = (f: Fault): f is ResetFault => (f as ResetFault).reset === 'before' || (f as ResetFault).reset === 'after';
export const isBlackholeFault = (f: Fault): f is BlackholeFault => (f as BlackholeFault).blackhole === true;

export interface FaultRequest {
  method: string;
  path: string;
  grant?: string;
  clientId?: string;
}

export class FaultQueue {
  private pending: Array<{ fault: Fault; remaining: number }> = [];

  add(faults: Fault[]): void {
    for (const fault of faults) this.pending.push({ fault, remaining: Math.max(1, fault.times ?? 1) });
  }

  /** Takes one use of the first fault matching the request. */
  take(req: FaultRequest): Fault | undefined {
    const i = this.pending.findIndex(({ fault }) => matches(fault.match, req));
    if (i < 0) return undefined;
    const entry = this.pending[i];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.pending.splice(i, 1);
    return entry.fault;
  }

  clear(): void {
    this.pending = [];
  }

  list(): Fault[] {
    return this.pending.map((p) => p.fault);
  }
}

function matches(m: FaultMatch | undefined, req: FaultRequest): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (m.pathIncludes && !req.path.includes(m.pathIncludes)) return false;
  if (m.grant && m.grant !== req.grant) return false;
  if (m.clientId && m.clientId !== req.clientId) return false;
  return true;
}
