// What one call to the pipeline carries from policy to policy: the caller's request as it was
// given, and the few counters that decide whether another attempt may follow. Every attempt of
// one send shares this object, so a refresh or a wait in one policy is seen by the others.
import type { HttpMethod, HttpResponse, RequestPriority, Sleep } from '../ports';
import { MdcaCancelledError } from '../errors';

export type AccessKind = 'read' | 'idempotentWrite' | 'nonIdempotentWrite';

export interface RequestSpec {
  method: HttpMethod;
  /** Starts with /api/, /cas/api/ or (Graph) /v1.0/, built by the operation from constants and encodePathSegment(). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  access: AccessKind;
  priority?: RequestPriority;
  expect: 'json' | 'text' | 'none';
  /** Operation id for messages, e.g. "alert.closeBenign". */
  operation: string;
}

export type ClientEvent =
  | { type: 'request'; operation: string; attempt: number; requestId: string }
  | { type: 'retry'; operation: string; attempt: number; delayMs: number; reason: string; requestId: string }
  | { type: 'throttled'; operation: string; delayMs: number; requestId: string }
  | { type: 'page'; operation: string; page: number; items: number; totalItems: number }
  | { type: 'token'; forced: boolean }
  /** A response action the service runs on its own is not final yet (core/response/wait.ts). */
  | { type: 'waiting'; operation: string; actionId: string; status: string; elapsedMs: number }
  /** An answer carried budget headers (rate limits, Retry-After): their numeric values, for the connection check. */
  | { type: 'budget'; operation: string; status: number; headers: Record<string, string> };

export interface CallContext {
  signal?: AbortSignal;
  onEvent?: (event: ClientEvent) => void;
  /** Absolute epoch-ms deadline of the whole operation. */
  deadlineMs?: number;
  requestId?: string;
}

export interface ParsedResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

export interface PipelineRequest {
  readonly spec: RequestSpec;
  readonly ctx: CallContext;
  readonly requestId: string;
  /** Absolute epoch-ms time no wait may reach past. */
  readonly deadlineMs: number;
  readonly url: string;
  readonly body?: string;
  readonly contentType?: string;
  /** The Authorization header value of the current attempt. */
  authorization?: string;
  /** Attempts already finished; the first one is 0. */
  attempt: number;
  /** Back-off retries after transient failures. */
  retries: number;
  throttleWaits: number;
  refreshedAfter401: boolean;
}

export type SendNext = (request: PipelineRequest) => Promise<HttpResponse>;

/** One concern of the pipeline; it calls `next` zero or more times and may change the request's state. */
export interface PipelinePolicy {
  readonly name: string;
  sendRequest(request: PipelineRequest, next: SendNext): Promise<HttpResponse>;
}

export function createPipelineRequest(
  spec: RequestSpec,
  ctx: CallContext,
  init: { requestId: string; deadlineMs: number; url: string; body?: string; contentType?: string },
): PipelineRequest {
  return { spec, ctx, ...init, attempt: 0, retries: 0, throttleWaits: 0, refreshedAfter401: false };
}

export function newRequestId(random: () => number): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += Math.floor(random() * 16).toString(16);
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

export function cancelled(request: PipelineRequest): MdcaCancelledError {
  return new MdcaCancelledError(undefined, { operation: request.spec.operation, requestId: request.requestId });
}

export function throwIfAborted(request: PipelineRequest): void {
  if (request.ctx.signal?.aborted) throw cancelled(request);
}

/** A wait that ends the send as cancelled when the caller stops it. */
export async function sleepOrCancel(sleep: Sleep, ms: number, request: PipelineRequest): Promise<void> {
  try {
    await sleep(ms, request.ctx.signal);
  } catch {
    throw cancelled(request);
  }
}
