// Entities. The fetch path takes base64 of the JSON entity key; the tree
// path is documented only as "the ID of the entity", so the same encoded key is sent there.
import { MdcaValidationError } from '../errors';
import type { FilterObject } from '../filters';
import { API, addFilter, filtersJsonInput, sortDirectionInput, sortFieldInput } from './common';
import type { OperationImplementation, OperationInput, OperationInputValues, RequestMapping } from './types';

const INVESTIGATION = ['Investigation.read', 'Investigation.manage'] as const;

export interface EntityKey {
  id: string;
  saas?: number;
  inst: number;
}

/**
 * Accepts `{"id","saas","inst"}` JSON, its base64 form, or a bare entity id (an Entra object id),
 * which is completed with Office 365 (saas 11161) and instance 0 as the docs' examples do.
 */
export function parseEntityKey(value: unknown, field = 'entityKey'): EntityKey {
  let candidate: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('{')) {
      try {
        candidate = JSON.parse(text);
      } catch {
        throw new MdcaValidationError(field, 'The entity key is not valid JSON.', 'Use {"id": "<entity id>", "saas": 11161, "inst": 0}, or the bare entity id.');
      }
    } else if (/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(text) && !/^[0-9a-f-]{36}$/i.test(text)) {
      try {
        const decoded = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
        if (decoded.startsWith('{')) candidate = JSON.parse(decoded);
        else candidate = { id: text };
      } catch {
        candidate = { id: text };
      }
    } else {
      candidate = { id: text };
    }
  }
  const key = candidate as { id?: unknown; saas?: unknown; inst?: unknown } | null;
  if (!key || typeof key !== 'object' || typeof key.id !== 'string' || key.id.trim() === '' || key.id.length > 500) {
    throw new MdcaValidationError(field, 'The entity key needs an "id".', 'Use {"id": "<entity id>", "saas": 11161, "inst": 0}, or the bare entity id.');
  }
  const saas = key.saas === undefined ? 11161 : Number(key.saas);
  const inst = key.inst === undefined ? 0 : Number(key.inst);
  if (!Number.isInteger(saas) || !Number.isInteger(inst)) {
    throw new MdcaValidationError(field, 'The entity key\'s "saas" and "inst" must be whole numbers.', 'For example {"id": "...", "saas": 11161, "inst": 0}.');
  }
  return { id: key.id, saas, inst };
}

/** Standard base64 of the compact JSON key, as Microsoft's docs and the STAT project build it. */
export function encodeEntityKey(key: EntityKey): string {
  const json = JSON.stringify({ id: key.id, saas: key.saas, inst: key.inst });
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const entityKeyInput: OperationInput = {
  name: 'entityKey',
  displayName: 'Entity',
  type: 'string',
  format: 'entityKey',
  required: true,
  description: 'The entity id (e.g. the user\'s Entra object id), or its key {"id": "...", "saas": 11161, "inst": 0}.',
};

const entityFilterInputs: OperationInput[] = [
  {
    name: 'entityType',
    displayName: 'Type',
    type: 'options',
    group: 'filters',
    options: [
      { name: 'Account', value: 1 },
      { name: 'User', value: 2 },
    ],
    description: 'Only accounts, or only users.',
  },
  { name: 'isAdmin', displayName: 'Admins Only', type: 'boolean', group: 'filters', description: 'Only administrators.' },
  {
    name: 'affiliation',
    displayName: 'Affiliation',
    type: 'options',
    group: 'filters',
    options: [
      { name: 'Internal', value: 'internal' },
      { name: 'External', value: 'external' },
    ],
    description: 'Only internal, or only external, entities.',
  },
  { name: 'domains', displayName: 'Domains', type: 'stringList', group: 'filters', description: 'Only entities in these domains.' },
  { name: 'appIds', displayName: 'App IDs', type: 'stringList', group: 'filters', description: 'Only entities seen in these cloud apps.' },
  {
    name: 'status',
    displayName: 'Status',
    type: 'multiOptions',
    group: 'filters',
    options: [
      { name: 'N/A', value: 0 },
      { name: 'Staged', value: 1 },
      { name: 'Active', value: 2 },
      { name: 'Suspended', value: 3 },
      { name: 'Deleted', value: 4 },
    ],
    description: 'Only entities with these statuses.',
  },
  filtersJsonInput('{"userGroups": {"eq": ["000000200000000000000000"]}}'),
];

function entityTypedFilters(input: OperationInputValues): FilterObject {
  const filters: FilterObject = {};
  addFilter(filters, 'type', 'eq', input.entityType);
  if (input.isAdmin === true) addFilter(filters, 'isAdmin', 'eq', true);
  if (input.affiliation) addFilter(filters, 'isExternal', 'eq', input.affiliation === 'external');
  addFilter(filters, 'domain', 'eq', input.domains);
  addFilter(filters, 'app', 'eq', (input.appIds as string[] | undefined)?.map(Number));
  addFilter(filters, 'status', 'eq', input.status);
  return filters;
}

/** The path carries the base64 of the JSON key, whatever form the input took. */
const entityKeyPath: RequestMapping = {
  pathValues: (input) => ({ 'base64 entity key': encodeEntityKey(parseEntityKey(input.entityKey)) }),
};

export const entityOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'entity',
      operation: 'getAll',
      id: 'entity.getAll',
      displayName: 'Get Many',
      action: 'Get many entities',
      description: 'Lists users and accounts matching the filters.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'POST', path: `${API}/entities/` },
      paging: 'skipLimit',
      output: 'items',
      inputs: [...entityFilterInputs, sortFieldInput(['lastSeen', 'displayName']), sortDirectionInput()],
    },
    list: { filters: entityTypedFilters },
  },
  {
    definition: {
      resource: 'entity',
      operation: 'get',
      id: 'entity.get',
      displayName: 'Get',
      action: 'Get an entity',
      description: 'Fetches one user or account.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'GET', path: `${API}/entities/{base64 entity key}/` },
      paging: 'none',
      output: 'item',
      inputs: [entityKeyInput],
    },
    request: entityKeyPath,
  },
  {
    definition: {
      resource: 'entity',
      operation: 'getTree',
      id: 'entity.getTree',
      displayName: 'Get Tree',
      action: 'Get the tree of an entity',
      description: 'For a user, all its accounts; for an account, its user and sibling accounts.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'GET', path: `${API}/entities/{base64 entity key}/retrieve_tree/` },
      paging: 'none',
      output: 'item',
      inputs: [entityKeyInput],
    },
    request: entityKeyPath,
  },
];
