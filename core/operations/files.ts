// Files. Microsoft's permission table has no row for them; any Investigation permission
// is required, as the emulator and the tenant behaviour reported by integrators suggest.
import type { FilterObject } from '../filters';
import { API, addFilter, filtersJsonInput, idInput } from './common';
import type { OperationImplementation, OperationInputValues } from './types';

const INVESTIGATION = ['Investigation.read', 'Investigation.manage'] as const;

export const FILE_TYPES = [
  { name: 'Other', value: 0 },
  { name: 'Document', value: 1 },
  { name: 'Spreadsheet', value: 2 },
  { name: 'Presentation', value: 3 },
  { name: 'Text', value: 4 },
  { name: 'Image', value: 5 },
  { name: 'Folder', value: 6 },
] as const;

export const FILE_SHARING = [
  { name: 'Private', value: 0 },
  { name: 'Internal', value: 1 },
  { name: 'External', value: 2 },
  { name: 'Public', value: 3 },
  { name: 'Public (Internet)', value: 4 },
] as const;

function fileTypedFilters(input: OperationInputValues): FilterObject {
  const typed: FilterObject = {};
  addFilter(typed, 'service', 'eq', (input.appIds as string[] | undefined)?.map(Number));
  addFilter(typed, 'fileType', 'eq', input.fileType);
  addFilter(typed, 'sharing', 'eq', input.sharing);
  addFilter(typed, 'extension', 'eq', input.extensions);
  addFilter(typed, 'filename', 'eq', input.fileName === undefined ? undefined : [input.fileName]);
  if (input.quarantined === true) addFilter(typed, 'quarantined', 'eq', true);
  addFilter(typed, 'modifiedDate', 'gte', input.modifiedSince);
  return typed;
}

export const fileOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'file',
      operation: 'getAll',
      id: 'file.getAll',
      displayName: 'Get Many',
      action: 'Get many files',
      description: 'Lists files seen by the app connectors. Large collections can time out on the service side: narrow the filters.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'POST', path: `${API}/files/` },
      paging: 'skipLimit',
      output: 'items',
      inputs: [
        { name: 'appIds', displayName: 'App IDs', type: 'stringList', group: 'filters', description: 'Only files in these cloud apps.' },
        { name: 'fileType', displayName: 'File Type', type: 'multiOptions', options: FILE_TYPES, group: 'filters', description: 'Only these file types.' },
        { name: 'sharing', displayName: 'Sharing', type: 'multiOptions', options: FILE_SHARING, group: 'filters', description: 'Only files shared this way.' },
        { name: 'extensions', displayName: 'Extensions', type: 'stringList', group: 'filters', description: 'Only these file extensions, e.g. docx, pdf.' },
        { name: 'fileName', displayName: 'File Name', type: 'string', maxLength: 1_000, group: 'filters', description: 'Only files with exactly this name.' },
        { name: 'quarantined', displayName: 'Quarantined Only', type: 'boolean', group: 'filters', description: 'Only quarantined files.' },
        { name: 'modifiedSince', displayName: 'Modified After', type: 'dateTime', group: 'filters', description: 'Only files modified at or after this time.' },
        filtersJsonInput('{"fileLabels": {"isset": true}}'),
      ],
    },
    list: { filters: fileTypedFilters },
  },
  {
    definition: {
      resource: 'file',
      operation: 'get',
      id: 'file.get',
      displayName: 'Get',
      action: 'Get a file',
      description: 'Fetches one file by id.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'GET', path: `${API}/files/{fileId}/` },
      paging: 'none',
      output: 'item',
      inputs: [idInput('fileId', 'File ID', 'objectId', 'The 24-character file id, from Get Many.')],
    },
  },
];
