// Files: list with filters, fetch. Microsoft's permission table has no row for them: any
// Investigation.*.
import { isObject, JsonObject } from '../jwt';
import { compileFilters, DATE_OPS, EQ, FilterSpecs, get, SET } from './filters';
import { listPage } from './paging';
import { ApiRequest, ApiResult, notFound, ok } from './types';

const collaboratorPks = (r: JsonObject): unknown[] => (Array.isArray(r.collaborators) ? r.collaborators.filter(isObject).map((c) => c.entity ?? c) : []);
export const FILE_FILTERS: FilterSpecs = {
  service: { type: 'int', ops: EQ, values: get('appId') },
  instance: { type: 'int', ops: EQ, values: get('instId') },
  fileType: { type: 'int', ops: EQ, values: get('ftype') },
  // allowDeleted is applied as a whole-query switch in listFiles.
  allowDeleted: { type: 'bool', ops: ['eq'], values: () => [true, false] },
  policy: { type: 'string', ops: ['cabinetmatchedrulesequals', 'neq', ...SET], values: get('policies') },
  filename: { type: 'string', ops: ['eq'], values: get('name') },
  modifiedDate: { type: 'date', ops: DATE_OPS, values: get('modifiedDate') },
  createdDate: { type: 'date', ops: ['lte', 'gte', 'range'], values: get('createdDate') },
  'collaborators.entity': { type: 'pk', ops: EQ, values: collaboratorPks },
  'collaborators.domains': { type: 'string', ops: EQ, values: get('domains') },
  'collaborators.groups': { type: 'string', ops: EQ, values: get('groupIds') },
  'collaborators.withDomain': { type: 'string', ops: ['eq', 'neq', 'deq'], values: get('domains') },
  'owner.entity': { type: 'pk', ops: EQ, values: get('ownerEntity') },
  'owner.orgUnit': { type: 'string', ops: EQ, values: get('ownerOrgUnit') },
  sharing: { type: 'int', ops: EQ, values: get('facl') },
  fileId: { type: 'string', ops: EQ, values: (r) => [r._id, r.id] },
  fileLabels: { type: 'string', ops: [...EQ, ...SET], values: get('fileLabels') },
  fileScanLabels: { type: 'string', ops: [...EQ, ...SET], values: get('fileScanLabels') },
  extension: { type: 'string', ops: EQ, values: get('fileExtension') },
  mimeType: { type: 'string', ops: EQ, values: get('mimeType') },
  trashed: { type: 'bool', ops: ['eq'], values: (r) => [r.trashed === true] },
  parentFolder: { type: 'string', ops: EQ, values: get('parentIds') },
  folder: { type: 'bool', ops: ['eq'], values: (r) => [r.isFolder === true] },
  quarantined: { type: 'bool', ops: ['eq'], values: (r) => [r.quarantined === true] },
  snapshotLastModifiedDate: { type: 'date', ops: ['lte', 'gte', 'range'], values: (r) => [Date.parse(String(r.snapshotLastModifiedDate))] },
};

export function listFiles(req: ApiRequest): ApiResult {
  const t = req.tenant;
  const predicate = compileFilters(req.params.filters, FILE_FILTERS, t.now());
  const filters = isObject(req.params.filters) ? req.params.filters : {};
  const allowDeleted = isObject(filters.allowDeleted) && (filters.allowDeleted.eq === true || filters.allowDeleted.eq === 'true');
  // Deleted files are hidden unless allowDeleted (as documented); an explicit `trashed` filter
  // overrides it.
  const visible = (r: JsonObject): boolean => allowDeleted || filters.trashed !== undefined || r.fstat !== 2;
  return ok(listPage(t.files, req.params, (r) => visible(r) && predicate(r), {}));
}

export function fetchFile(req: ApiRequest): ApiResult {
  const file = req.tenant.files.find((f) => f._id === decodeURIComponent(req.match[1]));
  return file ? ok(file) : notFound();
}
