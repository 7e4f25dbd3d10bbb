// The Node-RED editor files are rendered from the operation registries at build time
// (node-red/editor/render-editor-files.ts, run by gulp). These tests fail when dist/node-red holds
// a stale rendering, when a help text leaves out an operation, field or permission the registry
// has, and they show that an operation added to the registry reaches the help and the editor's
// operation list with no other change.
import fs from 'node:fs';
import path from 'node:path';
import type { AnyOperationDefinition, OperationDefinition } from '../../core/operations/types';
import { EDITOR_NODES } from '../../node-red/editor/node-declarations';
import { escapeHtml, operationsOfNode, renderEditorFiles } from '../../node-red/editor/render-editor-files';
import { editorRegistry, REGISTRY, RegistrySource } from '../../node-red/lib/editor-registry';
import { STATUS_TEXTS } from '../../node-red/lib/status';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist', 'node-red');
const nodeTypes = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);
const operationNodes = EDITOR_NODES.filter((n) => n.kind === 'operation');
const rendered = renderEditorFiles();

test('every node type in package.json has its editor file and its help, and nothing else is rendered', () => {
  const expected = nodeTypes.flatMap((t) => [`${t}.html`, `locales/en-US/${t}.html`]).sort();
  expect([...rendered.keys()].sort()).toEqual(expected);
  for (const t of nodeTypes) {
    expect(rendered.get(`${t}.html`)).toContain(`RED.nodes.registerType("${t}"`);
    expect(rendered.get(`${t}.html`)).toContain(`data-template-name="${t}"`);
    expect(rendered.get(`locales/en-US/${t}.html`)).toContain(`data-help-name="${t}"`);
  }
});

// A build that ran before a registry change leaves dist behind the registry; without a build
// there is nothing to compare (scripts/test.js builds before the suites that load dist).
const distBuilt = fs.existsSync(DIST);
(distBuilt ? test : test.skip)('dist/node-red holds exactly what the generator renders (run npm run build after a change)', () => {
  const stale = [...rendered].filter(([rel, text]) => {
    const file = path.join(DIST, rel);
    return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
  });
  expect(stale.map(([rel]) => rel)).toEqual([]);
  const htmlInDist = (dir: string): string[] => fs.readdirSync(path.join(DIST, dir)).filter((f) => f.endsWith('.html')).map((f) => path.posix.join(dir, f));
  expect([...htmlInDist(''), ...htmlInDist('locales/en-US')].sort()).toEqual([...rendered.keys()].sort());
});

function helpItem(help: string, op: AnyOperationDefinition): string {
  const line = help.split('\n').find((l) => l.includes(`<li><code>${op.operation}</code> – `));
  if (!line) throw new Error(`no help entry for ${op.id}`);
  return line;
}

describe.each(operationNodes.map((n) => [n.type, n] as const))('%s', (type, node) => {
  const ops = operationsOfNode(REGISTRY, node);
  const help = rendered.get(`locales/en-US/${type}.html`) as string;

  test('its help lists every operation of its resource, with its fields and permissions, in registry order', () => {
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      const line = helpItem(help, op);
      expect(line).toContain(escapeHtml(op.displayName));
      expect(line).toContain(escapeHtml(op.description));
      for (const input of op.inputs) expect(line).toContain(`<code>${input.name}</code>`);
      expect(line).toContain(`<i>Needs:</i> ${op.permissions.join(' or ')}.`);
    }
    const listed = [...help.matchAll(/<li><code>([^<]+)<\/code> – /g)].map((m) => m[1]);
    expect(listed).toEqual(ops.map((o) => o.operation));
  });

  test('its default operation is the first of its resource in the registry', () => {
    expect(rendered.get(`${type}.html`)).toContain(`operation: { value: "${ops[0].id}", required: true }`);
  });
});

test('an operation added to a copy of the registry appears in the help and in the editor operation list, with no other change', () => {
  const template = REGISTRY.operations.find((o) => o.id === 'alert.get') as OperationDefinition;
  const throwaway: OperationDefinition = {
    ...template,
    operation: 'snooze',
    id: 'alert.snooze',
    displayName: 'Snooze',
    description: 'Hides an alert for a while (a test operation; not in the registry).',
    permissions: ['Investigation.manage'],
    inputs: [...template.inputs, { name: 'snoozeMinutes', displayName: 'Minutes', type: 'number', description: 'How long.' }],
  };
  const registry: RegistrySource = { ...REGISTRY, operations: [...REGISTRY.operations, throwaway] };
  const files = renderEditorFiles({ registry });

  const help = files.get('locales/en-US/mdca-alert.html') as string;
  expect(helpItem(help, throwaway)).toBe(
    '        <li><code>snooze</code> – Snooze: Hides an alert for a while (a test operation; not in the registry). <i>Fields:</i> <code>alertId</code>, <code>snoozeMinutes</code>. <i>Needs:</i> Investigation.manage.</li>',
  );
  expect(rendered.get('locales/en-US/mdca-alert.html')).not.toContain('snooze');
  // Only the help of the node whose resource gained an operation changes.
  for (const [rel, text] of files) if (rel !== 'locales/en-US/mdca-alert.html') expect(text).toBe(rendered.get(rel));

  // The edit dialog fills its operation select from GET mdca/registry (MdcaEditor.prepare).
  const editorOps = (editorRegistry(registry).operations as { id: string; resource: string; displayName: string; inputs: { name: string }[] }[]).filter((o) => o.resource === 'alert');
  expect(editorOps.map((o) => o.id)).toContain('alert.snooze');
  expect(editorOps.find((o) => o.id === 'alert.snooze')?.inputs.map((i) => i.name)).toEqual(['alertId', 'snoozeMinutes']);
  expect((editorRegistry().operations as { id: string }[]).map((o) => o.id)).not.toContain('alert.snooze');
});

test('a node whose resource has no operation in the registry is not rendered', () => {
  const registry: RegistrySource = { ...REGISTRY, xdrOperations: REGISTRY.xdrOperations.filter((o) => o.resource !== 'advancedHunting') };
  expect(() => renderEditorFiles({ registry })).toThrow(/mdca-xdr-hunting/);
});

test('the watch nodes offer exactly the feeds of their service', () => {
  expect(rendered.get('mdca-watch.html')?.match(/data-i18n="mdca-watch\.event\.(\w+)"/g)).toEqual([
    'data-i18n="mdca-watch.event.newAlerts"',
    'data-i18n="mdca-watch.event.changedAlerts"',
    'data-i18n="mdca-watch.event.newActivities"',
  ]);
  expect(rendered.get('mdca-xdr-watch.html')?.match(/data-i18n="mdca-xdr-watch\.event\.(\w+)"/g)).toEqual([
    'data-i18n="mdca-xdr-watch.event.incidentChanges"',
    'data-i18n="mdca-xdr-watch.event.newIncidents"',
  ]);
  expect(rendered.get('mdca-graph-watch.html')?.match(/data-i18n="mdca-graph-watch\.event\.(\w+)"/g)).toEqual([
    'data-i18n="mdca-graph-watch.event.graphAlertChanges"',
    'data-i18n="mdca-graph-watch.event.newGraphAlerts"',
    'data-i18n="mdca-graph-watch.event.graphIncidentChanges"',
    'data-i18n="mdca-graph-watch.event.newGraphIncidents"',
  ]);
  // The feeds own the time window, the page size and (incidents) $expand: the editor does not offer them as filters.
  expect(rendered.get('mdca-graph-watch.html')).toContain('skip: ["createdAfter","createdBefore","updatedAfter","updatedBefore","top","expandAlerts"]');
  // The default event saved flows hold is unchanged.
  expect(rendered.get('mdca-graph-watch.html')).toContain('event: { value: "graphAlertChanges", required: true }');
});

test('the locale catalogs say what lib/status.ts says; the response nodes\' have every status text, their response and waiting ones included', () => {
  const responseNodes = EDITOR_NODES.filter((n) => n.kind === 'operation' && (n.service === 'entra' || n.service === 'mde')).map((n) => n.type);
  expect(responseNodes).toEqual(['mdca-entra-user', 'mdca-entra-risky-user', 'mdca-mde-machine', 'mdca-mde-machine-action']);
  for (const t of nodeTypes.filter((type) => type !== 'mdca-config')) {
    const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'node-red', 'locales', 'en-US', `${t}.json`), 'utf8')) as Record<string, { status: Record<string, string> }>;
    const status = catalog[t].status;
    expect({ t, status }).toEqual({ t, status: Object.fromEntries(Object.keys(status).map((k) => [k, STATUS_TEXTS[k]])) });
    if (responseNodes.includes(t)) expect(Object.keys(status).sort()).toEqual(Object.keys(STATUS_TEXTS).sort());
  }
});
