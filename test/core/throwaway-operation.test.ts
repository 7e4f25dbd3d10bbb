// An operation that exists only in this test, added to copies of the registries in memory, reaches
// everything CONTRIBUTING.md says is generated from a registry entry, with no other code change:
// the n8n node's properties (nodes/adapter/properties.ts), the Node-RED editor's operation list
// (GET mdca/registry, node-red/lib/editor-registry.ts) and help (node-red/editor/render-editor-files.ts), the
// reference pages (docs/generator/render.ts), and it runs against the emulator over HTTPS through
// the client's execute(). The real registries are left as they are.
import { startEmulator, RunningEmulator } from '../../emulator';
import { INCIDENTS_PATH, XDR_PERMISSIONS, XdrClient, xdrOperations, xdrOperationsOf } from '../../core';
import type { OperationInput, XdrOperationImplementation } from '../../core';
import { operationsProperties } from '../../nodes/adapter/properties';
import { withCheckConnection } from '../../nodes/adapter/description';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { editorRegistry, REGISTRY, RegistrySource } from '../../node-red/lib/editor-registry';
import { renderEditorFiles } from '../../node-red/editor/render-editor-files';
import { renderOperations, renderPermissions } from '../../docs/generator/render';
import { REFERENCE_SOURCE, ReferenceSource, XDR_REFERENCE } from '../../docs/generator/reference-source';
import { xdrClient, xdrRequests } from '../xdr/helpers';

// The incident id exactly as the registry's own incident operations declare it.
const incidentIdInput = xdrOperationsOf('incident').find((o) => o.id === 'incident.get')!.inputs[0];
const newestFirstInput: OperationInput = { name: 'newestFirst', displayName: 'Newest First', type: 'boolean', group: 'options', description: 'List the newest comment first.' };

/** A read on a path the emulator already serves, with an answer of its own. */
const getComments: XdrOperationImplementation = {
  definition: {
    service: 'xdr',
    resource: 'incident',
    operation: 'getComments',
    id: 'incident.getComments',
    displayName: 'Get Comments',
    action: 'Get the comments of an incident',
    description: 'Lists the comments of one incident (a test operation; not in the registry).',
    permissions: XDR_PERMISSIONS.incidentRead,
    access: 'read',
    http: { method: 'GET', path: `${INCIDENTS_PATH}/{incidentId}` },
    paging: 'none',
    output: 'result',
    inputs: [incidentIdInput, newestFirstInput],
  },
  answer: (data, input) => {
    const incident = data as { incidentId: number; comments: unknown[] };
    const comments = input.newestFirst === true ? [...incident.comments].reverse() : incident.comments;
    return { kind: 'result', result: { incidentId: incident.incidentId, comments } };
  },
};
const definition = getComments.definition;
const withThrowaway = [...xdrOperations, definition];

test('the real registry does not hold it', () => {
  expect(xdrOperations.map((o) => o.id)).not.toContain(definition.id);
});

describe('n8n', () => {
  const incidentNode = new MicrosoftDefenderXdrIncidents();

  test('the Incidents node carries exactly what the property generator makes of its registry operations', () => {
    // Authentication and the retry notice come first; everything after is generated (the registry
    // operations, and Check Connection added last).
    expect(incidentNode.description.properties.slice(2)).toEqual(withCheckConnection(operationsProperties(xdrOperationsOf('incident'))));
  });

  test('with the copy the generator adds the operation option and its inputs, and changes nothing else', () => {
    const before = operationsProperties(xdrOperationsOf('incident'));
    const after = operationsProperties(withThrowaway.filter((o) => o.resource === 'incident'));
    const operation = after[0];
    expect(operation.options).toEqual([
      ...(before[0].options ?? []),
      { name: 'Get Comments', value: 'getComments', action: 'Get the comments of an incident', description: definition.description },
    ]);
    const own = after.filter((p) => p.displayOptions?.show?.operation?.includes('getComments'));
    expect(own).toEqual([
      {
        displayName: 'Incident ID',
        name: 'incidentId',
        type: 'number',
        default: 1,
        description: incidentIdInput.description,
        required: true,
        typeOptions: { minValue: 1, maxValue: Number.MAX_SAFE_INTEGER },
        displayOptions: { show: { operation: ['getComments'] } },
      },
      {
        displayName: 'Options',
        name: 'options',
        type: 'collection',
        placeholder: 'Add Option',
        default: {},
        displayOptions: { show: { operation: ['getComments'] } },
        options: [{ displayName: 'Newest First', name: 'newestFirst', type: 'boolean', default: false, description: 'List the newest comment first.' }],
      },
    ]);
    expect(after.slice(1).filter((p) => !own.includes(p))).toEqual(before.slice(1));
  });
});

describe('Node-RED', () => {
  const registry: RegistrySource = { ...REGISTRY, xdrOperations: withThrowaway };

  test('GET mdca/registry serves it to the edit dialog with its inputs', () => {
    const served = editorRegistry(registry).operations as { id: string; service: string; resource: string; inputs: { name: string; required: boolean; group?: string }[] }[];
    expect(served.find((o) => o.id === definition.id)).toMatchObject({
      service: 'xdr',
      resource: 'incident',
      operation: 'getComments',
      displayName: 'Get Comments',
      permissions: [...XDR_PERMISSIONS.incidentRead],
      output: 'result',
      inputs: [expect.objectContaining({ name: 'incidentId', type: 'number', required: true }), expect.objectContaining({ name: 'newestFirst', type: 'boolean', required: false, group: 'options' })],
    });
    expect((editorRegistry().operations as { id: string }[]).map((o) => o.id)).not.toContain(definition.id);
  });

  test('the help of mdca-xdr-incident lists it with its fields and permissions; no other editor file changes', () => {
    const original = renderEditorFiles();
    const files = renderEditorFiles({ registry });
    const help = files.get('locales/en-US/mdca-xdr-incident.html') as string;
    expect(help).toContain(
      '        <li><code>getComments</code> – Get Comments: Lists the comments of one incident (a test operation; not in the registry). <i>Fields:</i> <code>incidentId</code>, <code>newestFirst</code>. <i>Needs:</i> Incident.Read.All or Incident.ReadWrite.All or Incident.Read or Incident.ReadWrite.</li>',
    );
    expect(original.get('locales/en-US/mdca-xdr-incident.html')).not.toContain('getComments');
    for (const [rel, text] of files) if (rel !== 'locales/en-US/mdca-xdr-incident.html') expect({ rel, text }).toEqual({ rel, text: original.get(rel) });
  });
});

describe('reference pages', () => {
  // Every service, the XDR one with the throwaway operation added.
  const source: ReferenceSource = { services: REFERENCE_SOURCE.services.map((s) => (s === XDR_REFERENCE ? { ...XDR_REFERENCE, operations: withThrowaway } : s)) };

  /** The page without the section under `heading` (up to the next heading of any level). */
  function withoutSection(page: string, heading: string): string {
    const lines = page.split('\n');
    const start = lines.indexOf(heading);
    expect(start).toBeGreaterThan(0);
    const length = lines.slice(start + 1).findIndex((l) => l.startsWith('#')) + 1;
    return [...lines.slice(0, start), ...lines.slice(start + length)].join('\n');
  }

  test('the operations page gains its section, and only that', () => {
    const page = renderOperations(source);
    const heading = '### Get Comments (`incident.getComments`)';
    const section = page.slice(page.indexOf(heading), page.indexOf('## Defender XDR Advanced Hunting'));
    expect(section).toBe(
      [
        heading,
        '',
        'Lists the comments of one incident (a test operation; not in the registry).',
        '',
        '- Call: `GET /api/incidents/{incidentId}`',
        '- Permission: `Incident.Read.All` or `Incident.ReadWrite.All` or `Incident.Read` or `Incident.ReadWrite`',
        '- Paging: none',
        '- Output: A result object.',
        '',
        '| Field | Name | Type | Required | Default | Description |',
        '| --- | --- | --- | --- | --- | --- |',
        `| Incident ID | \`incidentId\` | number | yes |  | ${incidentIdInput.description} Range: 1 to ${Number.MAX_SAFE_INTEGER}. |`,
        '| Newest First | `newestFirst` | boolean | no |  | List the newest comment first. |',
        '',
        '',
      ].join('\n'),
    );
    expect(withoutSection(page, heading)).toBe(renderOperations());
  });

  test('the permissions page lists it under every permission that unlocks it', () => {
    const page = renderPermissions(source);
    expect(page).toContain('| `Incident.Read.All` | `incident.getAll`, `incident.get`, `incident.getComments` |');
    expect(page).toContain('| `Incident.ReadWrite` | `incident.getAll`, `incident.get`, `incident.update`, `incident.addComment`, `incident.getComments` |');
    expect(page).toContain('| `incident.getComments` (Get Comments) | `Incident.Read.All`, `Incident.ReadWrite.All`, `Incident.Read`, `Incident.ReadWrite` |');
    expect(page).not.toContain('AdvancedHunting.Read` | `advancedHunting.run`, `incident.getComments`');
    expect(renderPermissions()).not.toContain('getComments');
  });
});

describe('the client', () => {
  let emulator: RunningEmulator;
  let client: XdrClient;

  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], xdr: { incidents: 10 } });
    client = xdrClient(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  test('execute() runs it against the emulator over HTTPS; run() does not know it', async () => {
    const id = Number(emulator.control.xdr.listIncidents('contoso')[0].incidentId);
    await client.run('incident.addComment', { incidentId: id, comment: 'first' });
    await client.run('incident.addComment', { incidentId: id, comment: 'second' });
    const comments = emulator.control.xdr.getIncident('contoso', id)!.comments as { comment: string }[];
    emulator.control.xdr.resetRequestLog('contoso');

    expect(await client.execute(getComments, { incidentId: id })).toEqual({ kind: 'result', result: { incidentId: id, comments } });
    expect(await client.execute(getComments, { incidentId: String(id), newestFirst: true })).toEqual({ kind: 'result', result: { incidentId: id, comments: [...comments].reverse() } });
    expect(comments.map((c) => c.comment)).toEqual(['first', 'second']);
    expect(xdrRequests(emulator).map((r) => [r.method, r.path, r.authKind, r.status])).toEqual([
      ['GET', `/api/incidents/${id}`, 'bearer', 200],
      ['GET', `/api/incidents/${id}`, 'bearer', 200],
    ]);

    await expect(client.run(definition.id, { incidentId: id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'operation' } });
  });

  test('its inputs are validated from the declaration, naming the field, before anything is sent', async () => {
    emulator.control.xdr.resetRequestLog('contoso');
    await expect(client.execute(getComments, { incidentId: 'abc' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'incidentId' } });
    await expect(client.execute(getComments, {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'incidentId' } });
    await expect(client.execute(getComments, { incidentId: 1, comment: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'comment' } });
    expect(xdrRequests(emulator)).toEqual([]);
  });
});
