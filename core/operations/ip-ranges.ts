// IP ranges, the "subnet" data-enrichment API. Update is a full replace (omitted fields are cleared),
// so "add/remove addresses" reads the range first and sends every field back. Create is not
// idempotent: it is never resent once its body may have reached the server.
import { MdcaNotFoundError, MdcaValidationError } from '../errors';
import type { FilterObject } from '../filters';
import { parseCidr, sameRange } from '../ip';
import { listPages } from '../paging';
import { API, addFilter, filtersJsonInput, idInput, sortDirectionInput, sortFieldInput } from './common';
import { declaredRequest } from './declared-request';
import type { OperationExecution, OperationImplementation, OperationInput, OperationInputValues, PerItemResult } from './types';

const READ = ['Investigation.read', 'Investigation.manage', 'Settings.read', 'Settings.manage'] as const;
const MANAGE = ['Investigation.manage', 'Settings.manage'] as const;

export const IP_CATEGORIES = [
  { name: 'Corporate', value: 1 },
  { name: 'Administrative', value: 2 },
  { name: 'Risky', value: 3 },
  { name: 'VPN', value: 4 },
  { name: 'Cloud Provider', value: 5 },
  { name: 'Other', value: 6 },
] as const;

const rangeIdInput = idInput('rangeId', 'IP Range ID', 'objectId', 'The 24-character id of the IP range, from Get Many.');

const rangeFieldInputs = (required: boolean): OperationInput[] => [
  { name: 'name', displayName: 'Name', type: 'string', required, maxLength: 256, description: 'Unique name of the IP range.' },
  { name: 'category', displayName: 'Category', type: 'options', required, options: IP_CATEGORIES, description: 'How MDCA treats traffic from this range.' },
  { name: 'subnets', displayName: 'Subnets', type: 'stringList', format: 'cidrList', required, description: 'CIDR ranges, IPv4 or IPv6, e.g. 192.168.1.0/24, 2001:db8::/32.' },
  { name: 'organization', displayName: 'Organization (ISP Override)', type: 'string', maxLength: 256, group: 'options', description: 'Registered ISP name to show for this range.' },
  { name: 'tags', displayName: 'Tags', type: 'stringList', group: 'options', description: 'Tag ids (or names) to attach.' },
];

interface RangeRecord {
  _id?: string;
  name?: string;
  category?: number;
  subnets?: { originalString?: string; address?: string; mask?: number }[] | string[];
  organization?: string | null;
  tags?: ({ _id?: string; id?: string; name?: string } | string)[];
}

function subnetStrings(record: RangeRecord): string[] {
  return (record.subnets ?? []).map((s) => (typeof s === 'string' ? s : s.originalString ?? `${s.address}/${s.mask}`));
}

function tagValues(record: RangeRecord): string[] {
  return (record.tags ?? []).map((t) => (typeof t === 'string' ? t : t.id ?? t._id ?? t.name ?? '')).filter(Boolean);
}

function bodyFrom(input: OperationInputValues): Record<string, unknown> {
  const subnets = input.subnets as string[];
  if (subnets.length > 1_000) throw new MdcaValidationError('subnets', 'An IP range can hold at most 1,000 subnets.', 'Split it into several ranges.');
  const body: Record<string, unknown> = { name: input.name, category: input.category, subnets };
  if (input.organization !== undefined) {
    body.organization = input.organization;
    body.overrideOrganization = true; // the official manage script does this whenever it sends one
  }
  if (input.tags !== undefined) body.tags = input.tags;
  return body;
}

async function findRange(exec: OperationExecution, rangeId: string): Promise<RangeRecord> {
  // The subnet API has list, create, update and delete but no fetch-by-id: page through the list.
  // Add/remove addresses find their range the same way, so they send the Get call as declared.
  const { operation, method, path, access } = declaredRequest(getRange, { rangeId });
  const pages = listPages(exec.pipeline, { operation, method, path, access, filters: {}, maxItems: 100_000, warn: exec.warn }, exec.ctx);
  for await (const page of pages) {
    const match = page.items.find((r) => (r as RangeRecord)._id === rangeId);
    if (match) return match as RangeRecord;
  }
  throw new MdcaNotFoundError(`No IP range with id ${rangeId}.`, 'Check the id with Get Many.', { operation: 'ipRange.get', status: 404 });
}

/** The range's subnets after adding or removing addresses, and what happened to each address. */
function mergeAddresses(current: string[], addresses: string[], adding: boolean): { next: string[]; items: PerItemResult[] } {
  const parsedCurrent = current.map((s) => ({ text: s, parsed: parseCidr(s) }));
  const next = [...current];
  const items: PerItemResult[] = [];
  for (const address of addresses) {
    const parsed = parseCidr(address);
    if (!parsed) throw new MdcaValidationError('addresses', `"${address.slice(0, 60)}" is not an IP address or CIDR range.`, 'Use ranges like 192.168.1.0/24.');
    const existing = parsedCurrent.find((c) => c.parsed && sameRange(c.parsed, parsed));
    if (adding) {
      if (existing || next.some((n) => parseCidr(n) && sameRange(parseCidr(n)!, parsed))) {
        items.push({ id: address, status: 'unchanged', message: 'Already in the range.' });
      } else {
        next.push(parsed.prefix === (parsed.version === 4 ? 32 : 128) && !address.includes('/') ? `${address}/${parsed.prefix}` : address);
        items.push({ id: address, status: 'done' });
      }
    } else if (existing) {
      const index = next.indexOf(existing.text);
      if (index >= 0) next.splice(index, 1);
      items.push({ id: address, status: 'done' });
    } else {
      items.push({ id: address, status: 'notFound', message: 'Not in the range.' });
    }
  }
  return { next, items };
}

function changeAddresses(kind: 'addAddresses' | 'removeAddresses'): OperationImplementation {
  const adding = kind === 'addAddresses';
  const impl: OperationImplementation = {
    definition: {
      resource: 'ipRange',
      operation: kind,
      id: `ipRange.${kind}`,
      displayName: adding ? 'Add Addresses' : 'Remove Addresses',
      action: adding ? 'Add addresses to an IP range' : 'Remove addresses from an IP range',
      description: adding
        ? 'Adds subnets to an existing range (reads the range, then replaces it with the merged list). Addresses already present are reported as unchanged.'
        : 'Removes subnets from an existing range (reads the range, then replaces it). Addresses not present are reported as not found.',
      permissions: MANAGE,
      access: 'idempotentWrite',
      http: { method: 'POST', path: `${API}/subnet/{rangeId}/update_rule/` },
      paging: 'none',
      output: 'perItem',
      inputs: [rangeIdInput, { name: 'addresses', displayName: 'Addresses', type: 'stringList', format: 'cidrList', required: true, description: 'IP addresses or CIDR ranges.' }],
    },
    async run(exec, input) {
      const rangeId = input.rangeId as string;
      const record = await findRange(exec, rangeId);
      const { next, items } = mergeAddresses(subnetStrings(record), input.addresses as string[], adding);
      if (next.length === 0) {
        throw new MdcaValidationError('addresses', 'Removing these addresses would leave the range empty; MDCA requires at least one subnet.', 'Delete the range instead.');
      }
      const changed = items.some((i) => i.status === 'done');
      if (changed) {
        const body: Record<string, unknown> = { name: record.name, category: record.category, subnets: next, tags: tagValues(record) };
        if (record.organization) {
          body.organization = record.organization;
          body.overrideOrganization = true;
        }
        await exec.pipeline.send(declaredRequest(impl, input, { json: body, expect: 'none' }), exec.ctx);
      }
      return { kind: 'perItem', summary: { rangeId, name: record.name, updated: changed, subnets: next }, items };
    },
  };
  return impl;
}

// A sequence of list pages, not one request: it keeps its own run.
const getRange: OperationImplementation = {
  definition: {
    resource: 'ipRange',
    operation: 'get',
    id: 'ipRange.get',
    displayName: 'Get',
    action: 'Get an IP range',
    description: 'Finds one IP range by id (MDCA has no fetch-by-id call, so this pages through the list).',
    permissions: READ,
    access: 'read',
    http: { method: 'POST', path: `${API}/subnet/` },
    paging: 'none',
    output: 'item',
    inputs: [rangeIdInput],
  },
  async run(exec, input) {
    return { kind: 'item', item: await findRange(exec, input.rangeId as string) };
  },
};

function rangeTypedFilters(input: OperationInputValues): FilterObject {
  const typed: FilterObject = {};
  addFilter(typed, 'category', 'eq', input.category);
  if (input.builtIn) addFilter(typed, 'builtIn', 'eq', input.builtIn === 'builtIn');
  return typed;
}

export const ipRangeOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'ipRange',
      operation: 'getAll',
      id: 'ipRange.getAll',
      displayName: 'Get Many',
      action: 'Get many IP ranges',
      description: 'Lists IP ranges.',
      permissions: READ,
      access: 'read',
      http: { method: 'POST', path: `${API}/subnet/` },
      paging: 'skipLimit',
      output: 'items',
      inputs: [
        { name: 'category', displayName: 'Category', type: 'multiOptions', options: IP_CATEGORIES, group: 'filters', description: 'Only ranges of these categories.' },
        {
          name: 'builtIn',
          displayName: 'Built-In or Custom',
          type: 'options',
          group: 'filters',
          options: [
            { name: 'Custom Only', value: 'custom' },
            { name: 'Built-In Only', value: 'builtIn' },
          ],
          description: 'Only custom, or only built-in, ranges.',
        },
        filtersJsonInput('{"tags": {"eq": ["000000290000000000000000"]}}'),
        sortFieldInput(['name', 'category', 'tags']),
        sortDirectionInput(),
      ],
    },
    list: { filters: rangeTypedFilters },
  },
  getRange,
  {
    definition: {
      resource: 'ipRange',
      operation: 'create',
      id: 'ipRange.create',
      displayName: 'Create',
      action: 'Create an IP range',
      description: 'Creates an IP range. Not resent after a lost connection (that could create a duplicate): you get an "outcome unknown" error instead.',
      permissions: MANAGE,
      access: 'nonIdempotentWrite',
      http: { method: 'POST', path: `${API}/subnet/create_rule/` },
      paging: 'none',
      output: 'result',
      inputs: rangeFieldInputs(true),
    },
    request: { body: bodyFrom },
    answer(data, input) {
      // The service answers with the new id as a bare JSON string.
      const id = typeof data === 'string' ? data : (data as { _id?: string; id?: string })?._id ?? (data as { id?: string })?.id;
      return { kind: 'result', result: { rangeId: id, name: input.name, created: true } };
    },
  },
  {
    definition: {
      resource: 'ipRange',
      operation: 'update',
      id: 'ipRange.update',
      displayName: 'Update (Replace)',
      action: 'Replace an IP range',
      description: 'Replaces every field of an IP range: fields left empty are cleared, as MDCA does not support partial updates.',
      permissions: MANAGE,
      access: 'idempotentWrite',
      http: { method: 'POST', path: `${API}/subnet/{rangeId}/update_rule/` },
      paging: 'none',
      output: 'result',
      inputs: [rangeIdInput, ...rangeFieldInputs(true)],
    },
    request: { body: bodyFrom, expect: 'none' },
    answer: (_, input) => ({ kind: 'result', result: { rangeId: input.rangeId, updated: true } }),
  },
  {
    definition: {
      resource: 'ipRange',
      operation: 'delete',
      id: 'ipRange.delete',
      displayName: 'Delete',
      action: 'Delete an IP range',
      description: 'Deletes an IP range.',
      permissions: MANAGE,
      access: 'idempotentWrite',
      http: { method: 'DELETE', path: `${API}/subnet/{rangeId}/` },
      paging: 'none',
      output: 'result',
      inputs: [rangeIdInput],
    },
    request: { expect: 'none' },
    answer: (_, input) => ({ kind: 'result', result: { rangeId: input.rangeId, deleted: true } }),
  },
  changeAddresses('addAddresses'),
  changeAddresses('removeAddresses'),
];
