// Filter fields and their operators per resource, as Microsoft's MDCA API docs list them for each
// list endpoint. A raw JSON filter is validated against these tables before any request.
import { MdcaValidationError } from './errors';

export type FilterValueType = 'integer' | 'string' | 'boolean' | 'timestamp' | 'entityPk' | 'any';

export interface FilterField {
  type: FilterValueType;
  operators: readonly string[];
}

const TIME_OPS = ['lte', 'gte', 'range', 'lte_ndays', 'gte_ndays'] as const;
const EQ = ['eq', 'neq'] as const;
const SET = ['eq', 'neq', 'isset', 'isnotset'] as const;

export const filterCatalog: Record<string, Record<string, FilterField>> = {
  // Activities; `activity.eventType` (the field's 2021 name) kept for older playbooks,
  // `Contains` spelled both ways.
  activity: {
    service: { type: 'integer', operators: EQ },
    instance: { type: 'integer', operators: EQ },
    'user.orgUnit': { type: 'string', operators: SET },
    actionType: { type: 'string', operators: ['Contains', 'contains', 'eq', 'neq', 'isset', 'isnotset'] },
    'activity.eventActionType': { type: 'string', operators: EQ },
    'activity.eventType': { type: 'string', operators: EQ },
    'activity.id': { type: 'string', operators: ['eq'] },
    'activity.impersonated': { type: 'boolean', operators: ['eq'] },
    'activity.type': { type: 'boolean', operators: ['eq'] },
    'activity.takenAction': { type: 'string', operators: EQ },
    'device.type': { type: 'string', operators: EQ },
    'device.tags': { type: 'string', operators: EQ },
    'userAgent.userAgent': { type: 'string', operators: ['contains', 'ncontains'] },
    'userAgent.tags': { type: 'string', operators: EQ },
    'location.country': { type: 'string', operators: SET },
    'location.organizations': { type: 'string', operators: [...SET, 'contains'] },
    'ip.address': { type: 'string', operators: ['eq', 'neq', 'startswith', 'doesnotstartwith', 'isset', 'isnotset'] },
    'ip.category': { type: 'integer', operators: EQ },
    'ip.tags': { type: 'string', operators: EQ },
    fileSelector: { type: 'any', operators: EQ },
    office365url: { type: 'string', operators: ['startswith', 'eq', 'endswith'] },
    fileId: { type: 'string', operators: ['eq'] },
    text: { type: 'string', operators: ['eq', 'startswithsingle', 'text'] },
    date: { type: 'timestamp', operators: [...TIME_OPS, 'lt', 'gt'] },
    created: { type: 'timestamp', operators: ['lte', 'gte', 'range', 'gt', 'lt', 'eq'] },
    policy: { type: 'string', operators: SET },
    source: { type: 'any', operators: EQ },
    'activity.alertId': { type: 'string', operators: ['eq'] },
    activityObject: { type: 'string', operators: EQ },
    entity: { type: 'entityPk', operators: [...SET, 'startswith'] },
    'user.username': { type: 'string', operators: [...SET, 'startswith'] },
    'user.tags': { type: 'string', operators: [...SET, 'startswith'] },
    'user.domain': { type: 'string', operators: SET },
  },
  // Alerts; both `id` and `ID` (the docs' table and examples disagree); `entity.user` is sent
  // by Microsoft's module.
  alert: {
    'entity.entity': { type: 'entityPk', operators: EQ },
    'entity.user': { type: 'any', operators: EQ },
    'entity.ip': { type: 'string', operators: EQ },
    'entity.service': { type: 'integer', operators: EQ },
    'entity.instance': { type: 'integer', operators: EQ },
    'entity.policy': { type: 'string', operators: EQ },
    'entity.file': { type: 'string', operators: EQ },
    alertOpen: { type: 'boolean', operators: ['eq'] },
    severity: { type: 'integer', operators: EQ },
    resolutionStatus: { type: 'integer', operators: EQ },
    read: { type: 'boolean', operators: ['eq'] },
    date: { type: 'timestamp', operators: [...TIME_OPS, 'lt', 'gt'] },
    resolutionDate: { type: 'timestamp', operators: ['lte', 'gte', 'range'] },
    risk: { type: 'integer', operators: EQ },
    alertType: { type: 'integer', operators: EQ },
    id: { type: 'string', operators: EQ },
    ID: { type: 'string', operators: EQ },
    source: { type: 'string', operators: ['eq'] },
  },
  // Entities (lastSeen and score kept: older tenants may still accept them).
  entity: {
    type: { type: 'any', operators: EQ },
    isAdmin: { type: 'any', operators: ['eq'] },
    entity: { type: 'entityPk', operators: EQ },
    userGroups: { type: 'string', operators: EQ },
    app: { type: 'integer', operators: EQ },
    service: { type: 'integer', operators: EQ },
    instance: { type: 'integer', operators: EQ },
    isExternal: { type: 'boolean', operators: ['eq'] },
    affiliation: { type: 'any', operators: ['eq'] },
    domain: { type: 'string', operators: SET },
    organization: { type: 'string', operators: SET },
    status: { type: 'any', operators: EQ },
    lastSeen: { type: 'timestamp', operators: ['lte', 'gte', 'range'] },
    score: { type: 'integer', operators: ['lt', 'gt', 'isset', 'isnotset'] },
  },
  // IP ranges
  ipRange: {
    category: { type: 'integer', operators: EQ },
    tags: { type: 'string', operators: EQ },
    builtIn: { type: 'boolean', operators: ['eq'] },
  },
  // Files
  file: {
    service: { type: 'integer', operators: EQ },
    instance: { type: 'integer', operators: EQ },
    fileType: { type: 'integer', operators: EQ },
    allowDeleted: { type: 'boolean', operators: ['eq'] },
    policy: { type: 'string', operators: ['cabinetmatchedrulesequals', 'neq', 'isset', 'isnotset'] },
    filename: { type: 'string', operators: ['eq'] },
    modifiedDate: { type: 'timestamp', operators: TIME_OPS },
    createdDate: { type: 'timestamp', operators: ['lte', 'gte', 'range'] },
    'collaborators.entity': { type: 'entityPk', operators: EQ },
    'collaborators.domains': { type: 'string', operators: EQ },
    'collaborators.groups': { type: 'string', operators: EQ },
    'collaborators.withDomain': { type: 'string', operators: ['eq', 'neq', 'deq'] },
    'owner.entity': { type: 'entityPk', operators: EQ },
    'owner.orgUnit': { type: 'string', operators: EQ },
    sharing: { type: 'integer', operators: EQ },
    fileId: { type: 'string', operators: EQ },
    fileLabels: { type: 'string', operators: SET },
    fileScanLabels: { type: 'string', operators: SET },
    extension: { type: 'string', operators: EQ },
    mimeType: { type: 'string', operators: EQ },
    trashed: { type: 'boolean', operators: ['eq'] },
    parentFolder: { type: 'any', operators: EQ },
    folder: { type: 'boolean', operators: ['eq'] },
    quarantined: { type: 'boolean', operators: ['eq'] },
    snapshotLastModifiedDate: { type: 'timestamp', operators: ['lte', 'gte', 'range'] },
  },
};

export type FilterObject = Record<string, Record<string, unknown>>;

const BOOLEAN_OPERATORS = new Set(['isset', 'isnotset']);
const SINGLE_VALUE_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte', 'gte_ndays', 'lte_ndays', 'startswithsingle', 'text']);

/** Parses (if text) and validates a raw filter object for a resource; returns a clean copy. */
export function validateFilters(resource: string, raw: unknown, field = 'filtersJson'): FilterObject {
  // Own properties only: "__proto__", "constructor" or "toString" as a name must not find
  // Object.prototype's members.
  const catalog = ownProperty(filterCatalog, resource);
  let value = raw;
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    if (value.length > 100_000) throw new MdcaValidationError(field, `${field} is too long (over 100 000 characters).`, 'Use fewer filter values.');
    try {
      value = JSON.parse(value);
    } catch {
      throw new MdcaValidationError(
        field,
        `${field} is not valid JSON.`,
        'Write an object like {"severity": {"eq": [2]}}: field name, then operator, then value(s).',
      );
    }
  }
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MdcaValidationError(field, `${field} must be a JSON object.`, 'Write an object like {"severity": {"eq": [2]}}.');
  }
  checkJsonValue(value, field);
  const out: FilterObject = {};
  for (const [name, spec] of Object.entries(value as Record<string, unknown>)) {
    const known = catalog ? ownProperty(catalog, name) : undefined;
    if (!known) {
      throw new MdcaValidationError(
        `${field}.${name}`,
        `Unknown ${resource} filter "${name.slice(0, 80)}".`,
        `Allowed filters: ${Object.keys(catalog ?? {}).join(', ')}.`,
      );
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      throw new MdcaValidationError(
        `${field}.${name}`,
        `Filter "${name}" must be an object of operator to value.`,
        `For example {"${name}": {"${known.operators[0]}": ${exampleValue(known)}}}. Operators: ${known.operators.join(', ')}.`,
      );
    }
    const clean: Record<string, unknown> = {};
    for (const [operator, operand] of Object.entries(spec as Record<string, unknown>)) {
      if (!known.operators.includes(operator)) {
        throw new MdcaValidationError(
          `${field}.${name}.${operator}`,
          `Operator "${operator.slice(0, 40)}" is not allowed on filter "${name}".`,
          `Allowed operators for ${name}: ${known.operators.join(', ')}.`,
        );
      }
      clean[operator] = validateOperand(known, name, operator, operand, `${field}.${name}.${operator}`);
    }
    out[name] = clean;
  }
  return out;
}

function ownProperty<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** Filters nest two or three levels; anything deeper is a mistake or an attack on the stack. */
export const MAX_FILTER_DEPTH = 32;

/**
 * Filters given as objects (a Node-RED message, an n8n expression) may be circular, absurdly deep
 * or hold values JSON cannot carry: each is a validation error naming the field, not a RangeError
 * from the recursion or the serialization further on.
 */
function checkJsonValue(root: unknown, field: string): void {
  const invalid = (why: string, hint: string): never => {
    throw new MdcaValidationError(field, `${field} ${why}.`, hint);
  };
  const onPath = new Set<object>();
  const walk = (value: unknown, depth: number): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) invalid('holds a number JSON cannot carry (NaN or Infinity)', 'Use finite numbers only.');
      return;
    }
    if (typeof value !== 'object') invalid(`holds a ${typeof value}, which is not a JSON value`, 'Use only objects, lists, strings, numbers, true, false and null.');
    const obj = value as object;
    if (depth > MAX_FILTER_DEPTH) invalid(`is nested more than ${MAX_FILTER_DEPTH} levels deep`, 'Filters are field, then operator, then value(s).');
    if (onPath.has(obj)) invalid('refers to itself (circular)', 'Give a plain JSON object.');
    // Not a prototype check: objects built in another context (an n8n expression sandbox) have
    // their own Object.prototype and are still plain JSON.
    const notJson = obj instanceof Date || obj instanceof Map || obj instanceof Set || obj instanceof RegExp || ArrayBuffer.isView(obj) || typeof (obj as { toJSON?: unknown }).toJSON === 'function';
    if (notJson) invalid('holds an object that is not plain JSON (a date, buffer or class instance)', 'Give numbers and strings, e.g. epoch milliseconds for times.');
    onPath.add(obj);
    for (const inner of Array.isArray(obj) ? obj : Object.values(obj)) walk(inner, depth + 1);
    onPath.delete(obj);
  };
  walk(root, 1);
}

function exampleValue(field: FilterField): string {
  switch (field.type) {
    case 'integer':
      return '[1]';
    case 'boolean':
      return 'true';
    case 'timestamp':
      return '1700000000000';
    default:
      return '["value"]';
  }
}

function validateOperand(field: FilterField, name: string, operator: string, operand: unknown, path: string): unknown {
  if (BOOLEAN_OPERATORS.has(operator)) {
    if (typeof operand !== 'boolean') throw new MdcaValidationError(path, `${name}.${operator} takes true or false.`, 'Use true.');
    return operand;
  }
  if (operator === 'range') {
    const ranges = Array.isArray(operand) ? operand : [operand];
    for (const range of ranges) {
      const r = range as { start?: unknown; end?: unknown } | null;
      if (!r || typeof r !== 'object' || !isTimestamp(r.start) || !isTimestamp(r.end)) {
        throw new MdcaValidationError(path, `${name}.range takes [{"start": <ms>, "end": <ms>}].`, 'Use epoch milliseconds for start and end.');
      }
    }
    return ranges;
  }
  if (operator === 'gte_ndays' || operator === 'lte_ndays') {
    if (typeof operand !== 'number' || !Number.isInteger(operand) || operand < 0 || operand > 36_500) {
      throw new MdcaValidationError(path, `${name}.${operator} takes a whole number of days.`, 'For example 7.');
    }
    return operand;
  }
  if (SINGLE_VALUE_OPERATORS.has(operator)) {
    checkScalar(field, name, operand, path);
    return operand;
  }
  // List operators accept a scalar too: clients are known to send one and the service takes it.
  const values = Array.isArray(operand) ? operand : [operand];
  if (values.length === 0) throw new MdcaValidationError(path, `${name}.${operator} needs at least one value.`, 'Give one or more values in a list.');
  if (values.length > 1_000) throw new MdcaValidationError(path, `${name}.${operator} has more than 1 000 values.`, 'Split the request.');
  for (const v of values) checkScalar(field, name, v, path);
  return operand;
}

function isTimestamp(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e14;
}

function checkScalar(field: FilterField, name: string, value: unknown, path: string): void {
  const fail = (expected: string): never => {
    throw new MdcaValidationError(path, `Filter "${name}" expects ${expected}, got ${describe(value)}.`, `Give ${expected}.`);
  };
  switch (field.type) {
    case 'integer':
      if (!(typeof value === 'number' && Number.isInteger(value)) && !(typeof value === 'string' && /^-?\d{1,10}$/.test(value))) fail('whole numbers');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return;
    case 'timestamp':
      if (!isTimestamp(value)) fail('a time in epoch milliseconds');
      return;
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') fail('text values');
      if (typeof value === 'string' && value.length > 4_000) fail('text shorter than 4 000 characters');
      return;
    case 'entityPk': {
      const pk = value as { id?: unknown } | null;
      if (typeof value === 'string') return;
      if (!pk || typeof pk !== 'object' || typeof pk.id !== 'string') fail('entity keys like {"id": "<entity id>", "saas": 11161, "inst": 0}');
      return;
    }
    default:
      if (value === undefined) fail('a value');
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
  return typeof value;
}

/** ANDs typed filters and raw filters; typed ones win on the same field and operator. */
export function mergeFilters(typed: FilterObject, raw: FilterObject): FilterObject {
  const out: FilterObject = {};
  for (const [name, spec] of Object.entries(raw)) out[name] = { ...spec };
  for (const [name, spec] of Object.entries(typed)) out[name] = { ...(out[name] ?? {}), ...spec };
  return out;
}
