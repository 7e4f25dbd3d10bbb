// A node's inputs for one message: each field's TypedInput (value, msg, flow/global context, env,
// JSONata) evaluated, then the overrides in msg.payload, each normalised for the registry input.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { MdcaError, operations } from '../../core';
import type { AnyOperationDefinition, OperationInput } from '../../core/operations/types';
import { xdrOperations } from '../../core/xdr/registry';
import { graphOperations } from '../../core/graph/registry';
import { entraOperations } from '../../core/entra/registry';
import { mdeOperations } from '../../core/mde/registry';
import { dryRunInput } from '../../core/response';
import type { AnyResourceName, OperationService } from './node-types';

/** One field value as the editor stores it: the TypedInput value and its type. */
export interface ParamValue {
  v?: unknown;
  t?: string;
}
export type Params = Record<string, ParamValue>;

/** TypedInput types our editor adds for registry options (evaluated here, not by Node-RED). */
export const OPTION_TYPE = 'mdca-opt';
export const MULTI_TYPE = 'mdca-multi';

const REGISTRIES: Record<OperationService, readonly AnyOperationDefinition[]> = {
  mdca: operations,
  xdr: xdrOperations,
  graph: graphOperations,
  entra: entraOperations,
  mde: mdeOperations,
};

/** The registry of a service: MDCA, Defender XDR, Microsoft Graph security, Entra ID or Defender for Endpoint. */
export function operationsOfService(service: OperationService): readonly AnyOperationDefinition[] {
  return REGISTRIES[service];
}

/**
 * Finds an operation of a resource of a service by "getAll", "alert.getAll" or a deprecated alias.
 * The service is needed: MDCA and Graph both have an "alert" resource, XDR and Graph an "incident".
 */
export function resolveOperation(resource: AnyResourceName, name: unknown, service: OperationService = 'mdca'): AnyOperationDefinition | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const short = name.startsWith(`${resource}.`) ? name.slice(resource.length + 1) : name;
  const all = operationsOfService(service);
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
 * `msg.payload` keys that are input names of the operation (they win, except that a message may
 * only turn a response action's Dry Run on). Binary inputs default to `msg.payload` (a string
 * becomes UTF-8 bytes).
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
      if (!Object.prototype.hasOwnProperty.call(payload, input.name) || payload[input.name] === undefined) continue;
      if (input.name === dryRunInput.name && isOn(values[input.name])) continue;
      values[input.name] = normalise(input, payload[input.name]);
    }
  }
  return values;
}

/**
 * Dry Run set in the editor is the safety the user chose: a payload from upstream (an HTTP request,
 * a webhook, an alert's JSON) carrying `dryRun: false` must not make the node isolate or disable
 * for real, so a message can only turn Dry Run on.
 */
function isOn(value: unknown): boolean {
  return value === true || value === 'true';
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

