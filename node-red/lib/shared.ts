// Helpers shared by the Node-RED nodes: typed-input evaluation, msg overrides, safe errors,
// status texts and the registry view the editor builds its forms from.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { describeError, MdcaError, operations, resourceDefinitions } from '../../core';
import type { ClientEvent } from '../../core/pipeline';
import type { AnyOperationDefinition, OperationDefinition, OperationInput, ResourceName } from '../../core/operations/types';
import { xdrOperations, xdrResourceDefinitions } from '../../core/xdr/registry';
import type { XdrOperationDefinition, XdrResourceName } from '../../core/xdr/types';

/** One field value as the editor stores it: the TypedInput value and its type. */
export interface ParamValue {
  v?: unknown;
  t?: string;
}
export type Params = Record<string, ParamValue>;

/** TypedInput types our editor adds for registry options (evaluated here, not by Node-RED). */
export const OPTION_TYPE = 'mdca-opt';
export const MULTI_TYPE = 'mdca-multi';

/** Node types per resource (the palette order). */
export const NODE_TYPES: Record<ResourceName, string> = {
  alert: 'mdca-alert',
  activity: 'mdca-activity',
  entity: 'mdca-entity',
  ipRange: 'mdca-ip-range',
  discovery: 'mdca-discovery',
  file: 'mdca-file',
};

/** Node types per Defender XDR resource: the same operation node on the XDR registry. */
export const XDR_NODE_TYPES: Record<XdrResourceName, string> = {
  incident: 'mdca-xdr-incident',
  advancedHunting: 'mdca-xdr-hunting',
};

/** Feeds of the watch nodes: event value → the list operation whose filters it takes. */
export const FEEDS = [
  { value: 'newAlerts', operation: 'alert.getAll' },
  { value: 'changedAlerts', operation: 'alert.getAll' },
  { value: 'newActivities', operation: 'activity.getAll' },
  { value: 'incidentChanges', operation: 'incident.getAll', service: 'xdr' },
  { value: 'newIncidents', operation: 'incident.getAll', service: 'xdr' },
] as const;

export const OUTPUT_MODES = ['all', 'item', 'page'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Finds an operation of a resource by "getAll", "alert.getAll" or a deprecated alias (MDCA or Defender XDR). */
export function resolveOperation(resource: ResourceName | XdrResourceName, name: unknown): AnyOperationDefinition | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const short = name.startsWith(`${resource}.`) ? name.slice(resource.length + 1) : name;
  const all: AnyOperationDefinition[] = [...operations, ...xdrOperations];
  return all.find((o) => (o.resource as string) === resource && (o.operation === short || (o.aliases ?? []).includes(short)));
}

function evaluate(RED: NodeAPI, node: Node, p: ParamValue, msg: NodeMessage | undefined): Promise<unknown> {
  const type = p.t ?? 'str';
  const value = p.v;
  if (type === OPTION_TYPE || type === MULTI_TYPE) return Promise.resolve(value);
  if (type === 'msg' && !msg) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(String(value ?? ''), type, node, msg as NodeMessage, (err: Error | null, result: unknown) => {
        if (err) reject(err);
        else resolve(result);
      });
    } catch (e) {
      reject(e);
    }
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Uint8Array);
}

/**
 * The input values for one call: editor fields (evaluated against msg/context/JSONata/env), then
 * `msg.payload` keys that are input names of the operation (they win). Binary inputs default to
 * `msg.payload` (a string becomes UTF-8 bytes).
 */
export async function collectInputs(RED: NodeAPI, node: Node, definition: AnyOperationDefinition, params: Params, msg: NodeMessage | undefined): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const input of definition.inputs) {
    const p = params[input.name];
    let value: unknown;
    if (p && !(p.v === undefined || (p.v === '' && (p.t ?? 'str') !== 'msg'))) {
      try {
        value = await evaluate(RED, node, p, msg);
      } catch (e) {
        throw new MdcaValidationErrorLike(input, e);
      }
    } else if (input.type === 'binary' && msg) {
      value = (msg as { payload?: unknown }).payload;
    }
    if (value !== undefined && value !== '') values[input.name] = normalise(input, value);
  }
  const payload = msg ? (msg as { payload?: unknown }).payload : undefined;
  if (isPlainObject(payload)) {
    for (const input of definition.inputs) {
      if (Object.prototype.hasOwnProperty.call(payload, input.name) && payload[input.name] !== undefined) values[input.name] = normalise(input, payload[input.name]);
    }
  }
  return values;
}

function normalise(input: OperationInput, value: unknown): unknown {
  if (input.type === 'binary') {
    if (typeof value === 'string') return Buffer.from(value, 'utf8');
    if (isPlainObject(value) && value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data as number[]);
  }
  if (input.type === 'multiOptions' && typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return value;
}

/** A validation error for a field whose TypedInput could not be evaluated (bad JSONata, JSON...). */
class MdcaValidationErrorLike extends MdcaError {
  constructor(input: OperationInput, cause: unknown) {
    const why = cause instanceof Error ? cause.message.slice(0, 200) : 'evaluation failed';
    super('VALIDATION_FAILED', `"${input.displayName}" could not be evaluated: ${why}`, input.description, { field: input.name });
  }
}

/** An Error whose message is safe to show (for done(err) → Catch), plus the summary for msg.mdcaError. */
export function safeError(error: unknown): { error: Error; summary: Record<string, unknown> } {
  const summary = describeError(error);
  const e = new Error(String(summary.message ?? 'Unexpected error'));
  e.name = String(summary.name ?? 'Error');
  (e as Error & { code?: unknown }).code = summary.code;
  e.stack = `${e.name}: ${e.message}`;
  return { error: e, summary };
}

export function isCancelled(error: unknown): boolean {
  return error instanceof MdcaError && error.code === 'CANCELLED';
}

export type Translate = (key: string, subs?: Record<string, unknown>) => string;

/** English fallbacks for the status catalog (each node's locales file carries the same keys). */
export const STATUS_TEXTS: Record<string, string> = {
  requesting: 'requesting…',
  page: 'page __page__ · __count__ items',
  throttled: 'throttled · retry in __seconds__ s',
  retry: 'retry __attempt__ in __seconds__ s',
  done: 'done · __count__ items',
  doneResult: 'done',
  perItem: 'done · __done__ of __total__',
  text: 'done · __fileName__',
  missingPermission: 'missing permission __permission__',
  error: '__code__',
  noConfig: 'no connection configured',
  watching: 'watching · every __seconds__ s',
  polled: '__count__ new · __time__',
  polling: 'polling…',
  signIn: 'sign-in required',
  redisFallback: '__status__ · Redis unreachable: own budget',
};

export function translator(RED: NodeAPI, type: string): Translate {
  return (key, subs = {}) => {
    const full = `${type}.status.${key}`;
    let text: string | undefined;
    try {
      text = RED._(full, subs as Record<string, string | number>);
    } catch {
      text = undefined;
    }
    if (!text || text === full) {
      text = STATUS_TEXTS[key] ?? key;
      for (const [k, v] of Object.entries(subs)) text = text.split(`__${k}__`).join(String(v));
    }
    return text;
  };
}

/**
 * While the connection shares its budget through Redis and Redis is unreachable, each process
 * paces on its own (docs/scale-out.md): a green status turns yellow and says so, until Redis is back.
 */
export function withSharingNote<S>(t: Translate, s: S, sharingMode: (() => 'shared' | 'fallback' | 'off') | undefined): S {
  const status = s as StatusLike | undefined;
  if (typeof s !== 'object' || status?.fill !== 'green' || !sharingMode || sharingMode() !== 'fallback') return s;
  return { ...status, fill: 'yellow', text: t('redisFallback', { status: status.text }) } as S;
}

export interface StatusLike {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export function eventStatus(t: Translate, event: ClientEvent, itemsSoFar: number): StatusLike | undefined {
  switch (event.type) {
    case 'request':
      return event.attempt === 0 && itemsSoFar === 0 ? { fill: 'blue', shape: 'dot', text: t('requesting') } : undefined;
    case 'page':
      return { fill: 'blue', shape: 'dot', text: t('page', { page: event.page, count: event.totalItems }) };
    case 'throttled':
      return { fill: 'yellow', shape: 'ring', text: t('throttled', { seconds: Math.ceil(event.delayMs / 1000) }) };
    case 'retry':
      return { fill: 'yellow', shape: 'ring', text: t('retry', { attempt: event.attempt, seconds: Math.ceil(event.delayMs / 1000) }) };
    default:
      return undefined;
  }
}

export function errorStatus(t: Translate, summary: Record<string, unknown>): StatusLike {
  const perms = summary.permissions as string[] | undefined;
  if (summary.code === 'PERMISSION_MISSING' && perms && perms.length) return { fill: 'red', shape: 'ring', text: t('missingPermission', { permission: perms.join(' or ') }) };
  const field = summary.field ? ` · ${String(summary.field)}` : '';
  return { fill: 'red', shape: 'ring', text: `${t('error', { code: String(summary.code ?? 'ERROR') })}${field}` };
}

/** One operation as the editor needs it. */
function editorOperation(o: AnyOperationDefinition, service: 'mdca' | 'xdr'): Record<string, unknown> {
  return {
    id: o.id,
    service,
    resource: o.resource,
    operation: o.operation,
    displayName: o.displayName,
    description: o.description,
    permissions: o.permissions,
    paging: o.paging,
    output: o.output,
    inputs: o.inputs.map((i) => ({
      name: i.name,
      displayName: i.displayName,
      type: i.type,
      description: i.description,
      required: Boolean(i.required),
      default: i.default,
      placeholder: i.placeholder,
      options: i.options?.map((x) => ({ name: x.name, value: x.value })),
      min: i.min,
      max: i.max,
      format: i.format,
      group: i.group,
      displayWhen: i.displayWhen,
    })),
  };
}

/**
 * The operation registries the editor's forms and the editor files' help are built from. A
 * parameter rather than a direct import so a test can hand in a copy with an extra operation and
 * see it reach both, with no other change.
 */
export interface RegistrySource {
  operations: readonly OperationDefinition[];
  xdrOperations: readonly XdrOperationDefinition[];
}

export const REGISTRY: RegistrySource = { operations, xdrOperations };

/**
 * The registry as the editor needs it (served by GET mdca/registry; the editor builds forms from
 * it): the MDCA resources and operations, then the Defender XDR ones (`service: 'xdr'`).
 */
export function editorRegistry(source: RegistrySource = REGISTRY): Record<string, unknown> {
  return {
    nodeTypes: { ...NODE_TYPES, ...XDR_NODE_TYPES },
    resources: [
      ...resourceDefinitions.map((r) => ({ ...r, service: 'mdca', nodeType: NODE_TYPES[r.name] })),
      ...xdrResourceDefinitions.map((r) => ({ ...r, nodeType: XDR_NODE_TYPES[r.name] })),
    ],
    operations: [
      ...source.operations.map((o) => editorOperation(o, 'mdca')),
      ...source.xdrOperations.map((o) => editorOperation(o, 'xdr')),
    ],
    feeds: FEEDS.map((f) => ({ ...f })),
  };
}

/** Calls fn once; later calls are ignored (exactly one done per message). */
export function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args: A) => {
    if (called) return;
    called = true;
    fn(...args);
  };
}
