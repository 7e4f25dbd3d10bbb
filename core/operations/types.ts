// The shape of the operation registry: pure data both UIs are generated from, plus the executor
// that performs the call through the client's pipeline.
import type { HttpMethod } from '../ports';
import type { AccessKind, CallContext, HttpPipeline } from '../pipeline';
import type { PermissionName } from '../permissions';

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

export type PagingMode = 'none' | 'skipLimit' | 'scan';
export type OutputKind = 'items' | 'item' | 'result' | 'perItem' | 'text';

export interface OperationDefinition {
  resource: ResourceName;
  operation: string;
  /** `${resource}.${operation}` */
  id: string;
  displayName: string;
  /** n8n "action" text: a sentence in lower case after the verb. */
  action: string;
  description: string;
  /** Any one of these unlocks the operation; [] means any MDCA token works (files: none documented). */
  permissions: readonly PermissionName[];
  access: AccessKind;
  http: { method: HttpMethod; path: string };
  paging: PagingMode;
  output: OutputKind;
  inputs: readonly OperationInput[];
  /** Older operation names that still reach this one (e.g. the deprecated alert dismiss/resolve calls). */
  aliases?: readonly string[];
}

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
  status: 'done' | 'notFound' | 'failed' | 'skipped' | 'unchanged';
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

export interface OperationImplementation {
  definition: OperationDefinition;
  run(exec: OperationExecution, input: OperationInputValues): Promise<OperationOutcome> | OperationOutcome;
}
