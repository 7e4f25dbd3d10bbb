// Validates and coerces operation inputs before any request: a wrong type, an unknown value or a
// malformed id fails here with the field named and what is allowed.
import { MdcaValidationError } from './errors';
import { parseCidr } from './ip';
import type { AnyOperationDefinition, InputType, OperationInput, OperationInputValues } from './operations/types';

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
// <tenantId>_<appId>_<event id> (the activity id format); the event id part varies by app.
const ACTIVITY_ID = /^[0-9]+_[0-9]+_[A-Za-z0-9._:-]{1,200}$/;
const EMAIL = /^[^\s@]{1,200}@[^\s@]{1,200}\.[^\s@]{1,60}$/;
const MAX_STRING = 10_000;

export function validateInputs(definition: AnyOperationDefinition, raw: OperationInputValues): OperationInputValues {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new MdcaValidationError('input', `The input of ${definition.id} must be an object.`, 'Pass the fields as an object.');
  }
  const known = new Map(definition.inputs.map((i) => [i.name, i]));
  for (const name of Object.keys(raw)) {
    if (!known.has(name)) {
      throw new MdcaValidationError(
        name,
        `Unknown field "${name.slice(0, 60)}" for ${definition.displayName}.`,
        `Allowed fields: ${definition.inputs.map((i) => i.name).join(', ') || 'none'}.`,
      );
    }
  }
  const out: OperationInputValues = {};
  for (const input of definition.inputs) {
    if (input.displayWhen) {
      const other = raw[input.displayWhen.input] ?? known.get(input.displayWhen.input)?.default;
      if (!input.displayWhen.values.includes(other as string)) continue;
    }
    const value = raw[input.name];
    if (isEmpty(value)) {
      if (input.required) {
        throw new MdcaValidationError(input.name, `"${input.displayName}" is required for ${definition.displayName}.`, input.description);
      }
      if (input.default !== undefined) out[input.name] = input.default;
      continue;
    }
    out[input.name] = coerce(input, value);
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

type Fail = (why: string, hint?: string) => never;
type Coercer = (input: OperationInput, value: unknown, fail: Fail) => unknown;

/** One coercer per input type: the table is exhaustive, so a new type cannot be forgotten here. */
const COERCERS: Record<InputType, Coercer> = {
  string: coerceText,
  number: coerceNumber,
  boolean: coerceBoolean,
  options: coerceOption,
  multiOptions: coerceOptions,
  stringList: coerceTextList,
  json: coerceJson,
  dateTime: coerceDateTime,
  binary: (_input, value) => value,
};

function coerce(input: OperationInput, value: unknown): unknown {
  const fail: Fail = (why, hint) => {
    throw new MdcaValidationError(input.name, `"${input.displayName}" ${why}.`, hint ?? input.description);
  };
  // A registry is plain data at run time: a type without a coercer passes its value through.
  const coercer: Coercer | undefined = COERCERS[input.type];
  return coercer ? coercer(input, value, fail) : value;
}

function coerceText(input: OperationInput, value: unknown, fail: Fail): string {
  // An entity key may be given as its object form too (as in the filter grammar's entity pk).
  if (input.format === 'entityKey' && value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  if (typeof value !== 'string' && typeof value !== 'number') fail(`must be text, got ${typeName(value)}`);
  const text = String(value).trim();
  if (text.length > (input.maxLength ?? MAX_STRING)) fail(`is longer than ${input.maxLength ?? MAX_STRING} characters`);
  checkFormat(input, text, fail);
  return text;
}

function coerceNumber(input: OperationInput, value: unknown, fail: Fail): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return fail(`must be a number, got ${typeName(value)}`);
  if (input.min !== undefined && n < input.min) fail(`must be at least ${input.min}`);
  if (input.max !== undefined && n > input.max) fail(`must be at most ${input.max}`);
  return n;
}

function coerceBoolean(_input: OperationInput, value: unknown, fail: Fail): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fail(`must be true or false, got ${typeName(value)}`);
}

function coerceOption(input: OperationInput, value: unknown, fail: Fail): unknown {
  const match = input.options?.find((o) => o.value === value || String(o.value) === safeString(value));
  if (!match) return fail(`has an unknown value ${safeJson(value)}`, `Allowed: ${allowed(input)}.`);
  return match.value;
}

/** Several options: each item may also be given by its display name. */
function coerceOptions(input: OperationInput, value: unknown, fail: Fail): unknown[] {
  return toList(value).map((item) => {
    const match = input.options?.find((o) => o.value === item || String(o.value) === safeString(item) || o.name === item);
    if (!match) return fail(`has an unknown value ${safeJson(item)}`, `Allowed: ${allowed(input)}.`);
    return match.value;
  });
}

function coerceTextList(input: OperationInput, value: unknown, fail: Fail): string[] {
  const list = toList(value).map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') fail(`must be a list of text values, got ${typeName(item)}`);
    return String(item).trim();
  });
  if (list.length > 10_000) fail('has more than 10 000 entries', 'Split the list.');
  for (const item of list) checkFormat(input, item, fail);
  return list.filter((item) => item !== '');
}

function coerceJson(_input: OperationInput, value: unknown, fail: Fail): unknown {
  if (typeof value === 'string') {
    if (value.length > 100_000) fail('is longer than 100 000 characters');
    try {
      return JSON.parse(value);
    } catch {
      return fail('is not valid JSON');
    }
  }
  if (typeof value !== 'object') fail(`must be a JSON object, got ${typeName(value)}`);
  return value;
}

function coerceDateTime(_input: OperationInput, value: unknown, fail: Fail): number {
  const ms = toEpochMs(value);
  if (ms === undefined) return fail(`must be a date (ISO 8601 such as 2026-01-31T12:00:00Z, or epoch milliseconds), got ${typeName(value)}`);
  return ms;
}

function checkFormat(input: OperationInput, text: string, fail: Fail): void {
  switch (input.format) {
    case 'alertId':
    case 'objectId':
      if (!OBJECT_ID.test(text)) fail(`must be a 24-character hexadecimal id, got "${text.slice(0, 40)}"`, 'Copy the id from a list operation or from the portal URL (…/#/alerts/<id>).');
      return;
    case 'activityId':
      if (!ACTIVITY_ID.test(text)) fail(`must look like <tenantId>_<appId>_<eventId>, got "${text.slice(0, 40)}"`);
      return;
    case 'cidrList':
      if (!parseCidr(text)) fail(`contains "${text.slice(0, 60)}", which is not an IP address or CIDR range`, 'Use ranges like 192.168.1.0/24 or 2001:db8::/32.');
      return;
    case 'email':
      if (!EMAIL.test(text)) fail(`must be an e-mail address, got "${text.slice(0, 60)}"`);
      return;
    case 'fileName':
      if (/[\\/\u0000-\u001f]/.test(text) || text === '.' || text === '..') fail('must be a plain file name without folders');
      return;
    case 'entityKey':
      if (text.length > 2_000) fail('is too long');
      return;
    default:
  }
}

/** String() throws for objects without a prototype or with a broken toString; never let it escape. */
function safeString(value: unknown): string | undefined {
  try {
    return String(value);
  } catch {
    return undefined;
  }
}

/** JSON.stringify throws for BigInt and cycles; an error message must never be the thing that fails. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 60) ?? typeName(value);
  } catch {
    return typeName(value);
  }
}

function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
  return [value];
}

function allowed(input: OperationInput): string {
  return (input.options ?? []).map((o) => `${o.name} (${String(o.value)})`).join(', ');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  return typeof value;
}

/** ISO 8601 text, epoch ms or epoch seconds (10 digits, as Microsoft's MCAS module accepts). */
export function toEpochMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value < 1e11 ? value * 1000 : Math.floor(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{10}$/.test(text)) return Number(text) * 1000;
    if (/^\d{12,14}$/.test(text)) return Number(text);
    if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
    const parsed = Date.parse(text);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}
