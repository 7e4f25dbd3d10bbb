// The only place a registry operation's request is spelled: method, access and operation id come
// from its definition, the path from the definition's template. A custom sequence builds each of
// its requests here too, so nothing can drift from what the definition (and the docs) declare.
import { MdcaProtocolError } from '../errors';
import { encodePathSegment, RequestSpec } from '../pipeline';
import type { AccessKind } from '../pipeline';
import type { AnyOperationDefinition, DeclaredCall, OperationImplementation, OperationInputValues } from './types';

const PLACEHOLDER = /\{([^{}]+)\}/g;

type AnyImplementation = Pick<OperationImplementation<AnyOperationDefinition>, 'definition' | 'request'>;

export interface DeclaredRequestOptions {
  /** A named step of a sequence instead of the main call. */
  step?: string;
  json?: unknown;
  /** Query parameters added by a pager ($top, $skip) next to the template's own. */
  query?: RequestSpec['query'];
  expect?: RequestSpec['expect'];
}

/** The pipeline request of a declared operation for these input values. */
export function declaredRequest(impl: AnyImplementation, input: OperationInputValues, options: DeclaredRequestOptions = {}): RequestSpec {
  const { definition, request: mapping } = impl;
  const call = callOf(definition, options.step);
  const values = { ...input, ...mapping?.pathValues?.(input) };
  const [template, queryTemplate] = call.path.split('?', 2) as [string, string | undefined];
  const query = { ...fillQuery(queryTemplate, values), ...options.query };
  const json = options.json !== undefined ? options.json : options.step ? undefined : mapping?.body?.(input);
  const spec: RequestSpec = {
    method: call.method,
    path: fillPath(template, values, definition.id),
    access: options.step ? call.access : declaredAccess(impl, input),
    expect: options.expect ?? mapping?.expect ?? (definition.output === 'text' ? 'text' : 'json'),
    operation: definition.id,
  };
  if (Object.keys(query).length > 0) spec.query = query;
  if (json !== undefined) spec.json = json;
  if (mapping?.priority) spec.priority = mapping.priority;
  return spec;
}

const STRICTNESS: Record<AccessKind, number> = { read: 0, idempotentWrite: 1, nonIdempotentWrite: 2 };

/**
 * The access a call of this operation is sent with: the definition's, or the mapping's when that
 * is stricter. A mapping can only tighten it: a weaker one would let a write be resent.
 */
export function declaredAccess(impl: AnyImplementation, input: OperationInputValues): AccessKind {
  const declared = impl.definition.access;
  const mapped = impl.request?.access?.(input);
  return mapped !== undefined && STRICTNESS[mapped] > STRICTNESS[declared] ? mapped : declared;
}

function callOf(definition: AnyOperationDefinition, step: string | undefined): DeclaredCall & { access: AccessKind } {
  if (step === undefined) return { ...definition.http, access: definition.access };
  const declared = definition.steps?.[step];
  if (!declared) throw new MdcaProtocolError(`${definition.id} has no step "${step}".`, 'This is a bug in the operation definition.');
  return declared;
}

function fillPath(template: string, values: Record<string, unknown>, operation: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === null) {
      throw new MdcaProtocolError(`${operation} has no value for {${name}}.`, 'This is a bug in the operation definition.');
    }
    return encodePathSegment(String(value), name);
  });
}

function fillQuery(template: string | undefined, values: Record<string, unknown>): Record<string, string | number | boolean | undefined> {
  const query: Record<string, string | number | boolean | undefined> = {};
  for (const pair of template ? template.split('&') : []) {
    const [key, raw = ''] = pair.split('=', 2) as [string, string | undefined];
    const placeholder = /^\{([^{}]+)\}$/.exec(raw);
    // Query values stay raw here: buildUrl encodes every query value, so encoding now would double it.
    query[key] = placeholder ? (values[placeholder[1]] as string | number | boolean | undefined) : raw;
  }
  return query;
}

/** The declared path template as a pattern every sent path of the call must match. */
export function templatePattern(call: DeclaredCall): RegExp {
  const path = call.path.split('?', 2)[0];
  const parts = path.split(PLACEHOLDER);
  // split() with a capture group alternates literal text and placeholder names.
  const source = parts.map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}
