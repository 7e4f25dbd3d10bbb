// The shape of the operation registry: pure data both UIs are generated from, plus the executor
// that performs the call through the client's pipeline.
import type { HttpMethod, RequestPriority, Sleep } from '../ports';
import type { ResponseActor } from '../response/types';
import type { AccessKind, CallContext, HttpPipeline } from '../pipeline';
import type { PermissionName } from '../permissions';
import type { FilterObject } from '../filters';

export type ResourceName = 'alert' | 'activity' | 'entity' | 'ipRange' | 'discovery' | 'file';

export type InputType = 'string' | 'number' | 'boolean' | 'options' | 'multiOptions' | 'json' | 'stringList' | 'binary' | 'dateTime';

export type InputFormat =
  | 'alertId'
  | 'objectId'
  | 'activityId'
  | 'entityKey'
  | 'cidrList'
  | 'email'
  | 'fileName'
  | 'idList'
  | 'filterJson';

export interface InputOption {
  name: string;
  value: string | number | boolean;
  description?: string;
}

export interface OperationInput {
  name: string;
  displayName: string;
  type: InputType;
  description: string;
  required?: boolean;
  default?: unknown;
  placeholder?: string;
  options?: readonly InputOption[];
  min?: number;
  max?: number;
  maxLength?: number;
  format?: InputFormat;
  /** 'filters' inputs narrow a list; 'options' are optional extras. Both are shown grouped. */
  group?: 'filters' | 'options';
  /** Only used when another input has one of these values. */
  displayWhen?: { input: string; values: readonly (string | number | boolean)[] };
}

/** `nextLink`: the service's `@odata.nextLink`, followed on the API origin only (core/next-link-paging.ts). */
export type PagingMode = 'none' | 'skipLimit' | 'scan' | 'nextLink';
export type OutputKind = 'items' | 'item' | 'result' | 'perItem' | 'text';

/**
 * One HTTP call as declared: the full path with `{input}` placeholders, and an optional
 * `?key={input}&key=literal` query part, so the template is the only place the URL is spelled.
 */
export interface DeclaredCall {
  method: HttpMethod;
  path: string;
}

/** A further call of an operation that is a sequence, with its own access. */
export interface DeclaredStep extends DeclaredCall {
  access: AccessKind;
}

export interface OperationDefinition<R extends string = ResourceName, P extends string = PermissionName> {
  resource: R;
  operation: string;
  /** `${resource}.${operation}` */
  id: string;
  displayName: string;
  /** n8n "action" text: a sentence in lower case after the verb. */
  action: string;
  description: string;
  /** Any one of these unlocks the operation; [] means any MDCA token works (files: none documented). */
  permissions: readonly P[];
  access: AccessKind;
  http: DeclaredCall;
  /** The other calls of a sequence (the log upload's initiate step), by name. */
  steps?: Readonly<Record<string, DeclaredStep>>;
  /** How the docs show the call when it is more than one request. */
  callText?: string;
  paging: PagingMode;
  output: OutputKind;
  inputs: readonly OperationInput[];
  /** Older operation names that still reach this one (e.g. the deprecated alert dismiss/resolve calls). */
  aliases?: readonly string[];
}

/** A definition of either service, for code that serves both (hosts, validation, executor). */
export type AnyOperationDefinition = OperationDefinition<string, string>;

export type OperationInputValues = Record<string, unknown>;

export interface Page {
  items: unknown[];
  /** 1-based page number. */
  index: number;
  total?: number;
  hasNext: boolean;
}

export interface PerItemResult {
  id: string;
  /** dryRun and outcomeUnknown: response actions only (core/response/types.ts). */
  status: 'done' | 'notFound' | 'failed' | 'skipped' | 'unchanged' | 'dryRun' | 'outcomeUnknown';
  message?: string;
  errorCode?: string;
}

export interface OperationExecution {
  pipeline: HttpPipeline;
  ctx: CallContext;
  /** Upper bound on items a list returns (already validated). */
  maxItems: number;
  /** Sends bytes to a storage URL returned by MDCA (discovery upload). */
  storage: StoragePort;
  warn: (message: string) => void;
  /** Upload size from which Azure uploads go in blocks (tests lower it). */
  uploadSinglePutLimitBytes?: number;
  /** The pipeline of calls declared `long` (minutes per attempt); the default one where a service has none. */
  longPipeline: HttpPipeline;
  /** The client's clock and sleep, for operations that wait (an MDE action until it finishes). */
  now: () => number;
  sleep: Sleep;
  /** Who the credential signs in as, read from the token's claims, for the records of response actions. */
  actor: () => Promise<ResponseActor>;
}

export interface StoragePort {
  put(url: string, body: Uint8Array, headers: Record<string, string>, ctx: CallContext): Promise<number>;
}

export type OperationOutcome =
  | { kind: 'pages'; pages: AsyncIterable<Page> }
  | { kind: 'item'; item: unknown }
  | { kind: 'result'; result: Record<string, unknown> }
  | { kind: 'perItem'; summary: Record<string, unknown>; items: PerItemResult[] }
  | { kind: 'text'; text: string; fileName: string; mimeType: string };

/** What the input values add to a declared call beyond the definition's template. */
export interface RequestMapping {
  body?: (input: OperationInputValues) => unknown;
  /** Placeholder values that are not a plain input (the entity key is encoded first). */
  pathValues?: (input: OperationInputValues) => Record<string, unknown>;
  /** A stricter access for this call (an appended comment makes a PATCH non-idempotent). */
  access?: (input: OperationInputValues) => AccessKind;
  priority?: RequestPriority;
  /** Default: 'text' for text output, 'json' otherwise. */
  expect?: 'json' | 'text' | 'none';
  /** Calls that may run for minutes (advanced hunting) go through the long pipeline. */
  long?: boolean;
}

/** Typed filters and scan size of an MDCA list (skip/limit or scan paging). */
export interface ListMapping {
  filters(input: OperationInputValues): FilterObject;
  scan?(input: OperationInputValues): { limit: number } | undefined;
}

/**
 * An operation: its definition (plain data the UIs are generated from) and how input maps onto
 * the declared call. The generic executor runs it; `run` is only for operations that really are
 * several requests, and those build each request from the declaration too.
 */
export interface OperationImplementation<D extends AnyOperationDefinition = OperationDefinition, E extends OperationExecution = OperationExecution> {
  definition: D;
  request?: RequestMapping;
  list?: ListMapping;
  /** What the answer becomes; default by output kind (the body itself for 'item'). */
  answer?: (data: unknown, input: OperationInputValues, exec: E) => OperationOutcome;
  /** Turns a failure into the service's own explanation (hunting limits). */
  failure?: (error: unknown) => Error | undefined;
  run?(exec: E, input: OperationInputValues): Promise<OperationOutcome> | OperationOutcome;
}
