// Drift test: each resource node's operations and fields equal what the core registry defines.
// Fails when someone edits either side (a registry input without an n8n field, or the reverse).
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { operationsOf, resourceDefinitions } from '../../core/operations';
import type { OperationInput, ResourceName } from '../../core/operations';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsActivities } from '../../nodes/MicrosoftDefenderCloudAppsActivities/MicrosoftDefenderCloudAppsActivities.node';
import { MicrosoftDefenderCloudAppsEntities } from '../../nodes/MicrosoftDefenderCloudAppsEntities/MicrosoftDefenderCloudAppsEntities.node';
import { MicrosoftDefenderCloudAppsIpRanges } from '../../nodes/MicrosoftDefenderCloudAppsIpRanges/MicrosoftDefenderCloudAppsIpRanges.node';
import { MicrosoftDefenderCloudAppsDiscovery } from '../../nodes/MicrosoftDefenderCloudAppsDiscovery/MicrosoftDefenderCloudAppsDiscovery.node';
import { MicrosoftDefenderCloudAppsFiles } from '../../nodes/MicrosoftDefenderCloudAppsFiles/MicrosoftDefenderCloudAppsFiles.node';
import { MicrosoftDefenderCloudAppsTrigger, feedFilterInputs } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import * as fs from 'fs';
import * as path from 'path';

const NODES: Record<ResourceName, INodeType> = {
  alert: new MicrosoftDefenderCloudAppsAlerts(),
  activity: new MicrosoftDefenderCloudAppsActivities(),
  entity: new MicrosoftDefenderCloudAppsEntities(),
  ipRange: new MicrosoftDefenderCloudAppsIpRanges(),
  discovery: new MicrosoftDefenderCloudAppsDiscovery(),
  file: new MicrosoftDefenderCloudAppsFiles(),
};
const N8N_ONLY_TOP = ['returnAll', 'limit', 'simplify', 'binaryPropertyName'];
const N8N_ONLY_OPTIONS = ['maxItems'];
const COMMON = ['authentication', 'retryNotice', 'operation'];

const expectedType: Record<OperationInput['type'], string[]> = {
  string: ['string', 'resourceLocator'],
  number: ['number'],
  boolean: ['boolean'],
  options: ['options'],
  multiOptions: ['multiOptions'],
  json: ['json'],
  stringList: ['string'],
  binary: ['string'],
  dateTime: ['dateTime'],
};

function shownFor(p: INodeProperties, operation: string): boolean {
  const ops = p.displayOptions?.show?.operation as string[] | undefined;
  return Array.isArray(ops) && ops.includes(operation);
}

/** A comparable description of one field (names, type family, required, options, displayWhen). */
function fieldOf(p: INodeProperties, group?: string) {
  const show = { ...(p.displayOptions?.show ?? {}) } as Record<string, unknown>;
  delete show.operation;
  return {
    name: p.name,
    group,
    type: p.type,
    required: group ? undefined : Boolean(p.required) || undefined,
    options: (p.options as Array<{ name: string; value: unknown }> | undefined)?.map((o) => [o.name, o.value]),
    displayWhen: Object.keys(show).length ? show : undefined,
  };
}
function fieldOfInput(i: OperationInput) {
  return {
    name: i.name,
    group: i.group,
    required: i.group ? undefined : Boolean(i.required) || undefined,
    options: i.options?.map((o) => [o.name, o.value]),
    displayWhen: i.displayWhen ? { [i.displayWhen.input]: [...i.displayWhen.values] } : undefined,
  };
}
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('drift: n8n nodes vs core registry', () => {
  it('there is one node per registry resource', () => {
    expect(Object.keys(NODES).sort()).toEqual(resourceDefinitions.map((r) => r.name).sort());
  });

  describe.each(Object.keys(NODES) as ResourceName[])('%s node', (resource) => {
    const node = NODES[resource];
    const props = node.description.properties;

    it('operation options equal the registry (value, name, action)', () => {
      const op = props.find((p) => p.name === 'operation')!;
      const actual = (op.options as Array<{ value: string; name: string; action: string }>).map((o) => [o.value, o.name, o.action]);
      expect(actual).toEqual(operationsOf(resource).map((o) => [o.operation, o.displayName, o.action]));
    });

    it.each(operationsOf(resource).map((o) => [o.operation, o] as const))('%s: fields equal the registry inputs', (_name, op) => {
      const shown = props.filter((p) => shownFor(p, op.operation));
      const actual: ReturnType<typeof fieldOf>[] = [];
      for (const p of shown) {
        if (p.type === 'collection' && (p.name === 'filters' || p.name === 'options')) {
          for (const child of p.options as INodeProperties[]) {
            if (p.name === 'options' && N8N_ONLY_OPTIONS.includes(child.name)) continue;
            actual.push(fieldOf(child, p.name));
          }
        } else if (!N8N_ONLY_TOP.includes(p.name)) {
          actual.push(fieldOf(p));
        }
      }
      const expected = op.inputs.map(fieldOfInput);
      expect(actual.map(({ type: _t, ...rest }) => rest).sort(byName)).toEqual(expected.sort(byName));
      // type family
      for (const input of op.inputs) {
        const a = actual.find((x) => x.name === input.name && x.group === input.group)!;
        expect(expectedType[input.type]).toContain(a.type);
      }
      // n8n-only extras appear exactly where they belong
      const top = shown.map((p) => p.name);
      expect(top.includes('returnAll')).toBe(op.output === 'items');
      expect(top.includes('limit')).toBe(op.output === 'items');
      expect(top.includes('binaryPropertyName')).toBe(op.output === 'text');
      expect(top.includes('simplify')).toBe(op.output === 'items' && ['alert', 'activity', 'entity', 'file'].includes(resource));
    });

    it('has no property that belongs to no operation', () => {
      const stray = props.filter((p) => !COMMON.includes(p.name) && !operationsOf(resource).some((o) => shownFor(p, o.operation)));
      expect(stray.map((p) => p.name)).toEqual([]);
    });

    it('is usable as a tool, has light/dark icons and a codex file', () => {
      expect(node.description.usableAsTool).toBe(true);
      expect(node.description.icon).toEqual({ light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' });
      const dir = path.join(__dirname, '..', '..', 'nodes');
      const folder = fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, `${d}.node.ts`)) && fs.readFileSync(path.join(dir, d, `${d}.node.ts`), 'utf8').includes(`'${node.description.name}'`));
      expect(folder).toBeDefined();
      const codex = JSON.parse(fs.readFileSync(path.join(dir, folder!, `${folder}.node.json`), 'utf8'));
      expect(codex.node).toBe(`@mdca-lowcode/n8n-nodes-defender-cloud-apps.${node.description.name}`);
    });
  });

  it('trigger filters are the registry filter inputs of alert/activity lists (minus the time window)', () => {
    const trigger = new MicrosoftDefenderCloudAppsTrigger();
    for (const [name, opId] of [['alertFilters', 'alert.getAll'], ['activityFilters', 'activity.getAll']] as const) {
      const coll = trigger.description.properties.find((p) => p.name === name)!;
      expect((coll.options as INodeProperties[]).map((p) => p.name).sort()).toEqual(feedFilterInputs(opId).map((i) => i.name).sort());
    }
  });

  it('package.json lists every node and credential file', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const nodesDir = path.join(__dirname, '..', '..', 'nodes');
    const nodeFiles = fs.readdirSync(nodesDir).filter((d) => fs.existsSync(path.join(nodesDir, d, `${d}.node.ts`))).map((d) => `dist/nodes/${d}/${d}.node.js`);
    expect([...pkg.n8n.nodes].sort()).toEqual(nodeFiles.sort());
    const credDir = path.join(__dirname, '..', '..', 'credentials');
    const credFiles = fs.readdirSync(credDir).filter((f) => f.endsWith('.credentials.ts')).map((f) => `dist/credentials/${f.replace(/\.ts$/, '.js')}`);
    expect([...pkg.n8n.credentials].sort()).toEqual(credFiles.sort());
  });
});
