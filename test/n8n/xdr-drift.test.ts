// Drift test for the Defender XDR nodes: each node's operations and fields equal what the XDR
// registry (core/xdr/registry.ts) defines, the trigger's filters are the feed's filters, and the
// OAuth2 credential asks for the scopes the runtime uses for XDR.
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { validateXdrFeedOptions, xdrOperationsOf, xdrResourceDefinitions } from '../../core/xdr';
import type { XdrOperationDefinition, XdrResourceName } from '../../core/xdr';
import type { OperationInput } from '../../core/operations';
import { XDR_DELEGATED_SCOPES as RUNTIME_XDR_SCOPES } from '../../runtime';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftDefenderXdrAdvancedHunting } from '../../nodes/MicrosoftDefenderXdrAdvancedHunting/MicrosoftDefenderXdrAdvancedHunting.node';
import { MicrosoftDefenderXdrTrigger, xdrFeedFilterInputs } from '../../nodes/MicrosoftDefenderXdrTrigger/MicrosoftDefenderXdrTrigger.node';
import { MicrosoftDefenderCloudAppsOAuth2Api, OAUTH2_SCOPE } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MicrosoftDefenderCloudAppsAppApi } from '../../credentials/MicrosoftDefenderCloudAppsAppApi.credentials';
import { MicrosoftDefenderCloudAppsUserApi } from '../../credentials/MicrosoftDefenderCloudAppsUserApi.credentials';
import { MicrosoftDefenderCloudAppsTokenApi } from '../../credentials/MicrosoftDefenderCloudAppsTokenApi.credentials';
import { UNCHANGED_OPTION_NAME } from '../../nodes/shared/properties';
import * as fs from 'fs';
import * as path from 'path';

const NODES: Record<XdrResourceName, INodeType> = {
  incident: new MicrosoftDefenderXdrIncidents(),
  advancedHunting: new MicrosoftDefenderXdrAdvancedHunting(),
};
const N8N_ONLY_TOP = ['returnAll', 'limit'];
const N8N_ONLY_OPTIONS = ['maxItems'];
const COMMON = ['authentication', 'retryNotice', 'operation'];

const expectedType: Record<OperationInput['type'], string[]> = {
  string: ['string'],
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

function fieldOf(p: INodeProperties, group?: string) {
  const show = { ...(p.displayOptions?.show ?? {}) } as Record<string, unknown>;
  delete show.operation;
  return {
    name: p.name,
    group,
    type: p.type,
    required: group ? undefined : Boolean(p.required) || undefined,
    // The "Leave Unchanged" entry of optional top-level choices is n8n-only.
    options: (p.options as Array<{ name: string; value: unknown }> | undefined)?.filter((o) => !(o.value === '' && o.name === UNCHANGED_OPTION_NAME)).map((o) => [o.name, o.value]),
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

describe('drift: Defender XDR nodes vs the XDR registry', () => {
  it('there is one node per XDR registry resource', () => {
    expect(Object.keys(NODES).sort()).toEqual(xdrResourceDefinitions.map((r) => r.name).sort());
  });

  describe.each(Object.keys(NODES) as XdrResourceName[])('%s node', (resource) => {
    const node = NODES[resource];
    const props = node.description.properties;
    const ops: XdrOperationDefinition[] = xdrOperationsOf(resource);

    it('operation options equal the registry (value, name, action)', () => {
      const op = props.find((p) => p.name === 'operation')!;
      const actual = (op.options as Array<{ value: string; name: string; action: string }>).map((o) => [o.value, o.name, o.action]);
      expect(actual).toEqual(ops.map((o) => [o.operation, o.displayName, o.action]));
      expect(op.default).toBe(ops[0].operation);
    });

    it.each(ops.map((o) => [o.operation, o] as const))('%s: fields equal the registry inputs', (_name, op) => {
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
      expect(actual.map(({ type: _t, ...rest }) => rest).sort(byName)).toEqual(op.inputs.map(fieldOfInput).sort(byName));
      for (const input of op.inputs) {
        const a = actual.find((x) => x.name === input.name && x.group === input.group)!;
        expect(expectedType[input.type]).toContain(a.type);
      }
      const top = shown.map((p) => p.name);
      expect(top.includes('returnAll')).toBe(op.output === 'items');
      expect(top.includes('limit')).toBe(op.output === 'items');
      expect(top.includes('simplify')).toBe(false);
      // Optional choices outside a collection start empty: nothing is sent unless picked.
      for (const p of shown.filter((x) => x.type === 'options' && !x.required)) {
        const input = op.inputs.find((i) => i.name === p.name && !i.group);
        if (input && input.default === undefined) expect(p.default).toBe('');
      }
    });

    it('has no property that belongs to no operation', () => {
      const stray = props.filter((p) => !COMMON.includes(p.name) && !ops.some((o) => shownFor(p, o.operation)));
      expect(stray.map((p) => p.name)).toEqual([]);
    });

    it('offers App, OAuth2 and User credentials (not the legacy token), tested by the XDR test; tool, icons, codex', () => {
      const auth = props.find((p) => p.name === 'authentication')!;
      expect((auth.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['app', 'oAuth2', 'user']);
      expect(node.description.credentials!.map((c) => [c.name, c.testedBy])).toEqual([
        ['microsoftDefenderCloudAppsAppApi', 'xdrCredentialTest'],
        ['microsoftDefenderCloudAppsOAuth2Api', 'xdrCredentialTest'],
        ['microsoftDefenderCloudAppsUserApi', 'xdrCredentialTest'],
      ]);
      expect(typeof node.methods?.credentialTest?.xdrCredentialTest).toBe('function');
      expect(node.description.usableAsTool).toBe(true);
      expect(node.description.icon).toEqual({ light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' });
      const dir = path.join(__dirname, '..', '..', 'nodes');
      const folder = fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, `${d}.node.ts`)) && fs.readFileSync(path.join(dir, d, `${d}.node.ts`), 'utf8').includes(`'${node.description.name}'`));
      expect(folder).toBeDefined();
      const codex = JSON.parse(fs.readFileSync(path.join(dir, folder!, `${folder}.node.json`), 'utf8'));
      expect(codex.node).toBe(`@mdca-lowcode/n8n-nodes-defender-cloud-apps.${node.description.name}`);
    });
  });

  it('trigger: filters are the incident list filters the feed accepts (the feed owns the time window)', () => {
    const trigger = new MicrosoftDefenderXdrTrigger();
    const coll = trigger.description.properties.find((p) => p.name === 'filters')!;
    const names = (coll.options as INodeProperties[]).map((p) => p.name).sort();
    expect(names).toEqual(xdrFeedFilterInputs().map((i) => i.name).sort());
    expect(names).toEqual(['assignedTo', 'containsAlertId', 'filter', 'status']);
    // Every one of them is accepted by the core feed.
    expect(() => validateXdrFeedOptions({ kind: 'incidentChanges', filters: Object.fromEntries(names.map((n) => [n, 'x'])) })).not.toThrow();
    const events = (trigger.description.properties.find((p) => p.name === 'event')!.options as Array<{ value: string }>).map((o) => o.value).sort();
    expect(events).toEqual(['incidentChanges', 'newIncidents']);
    expect(trigger.description.polling).toBe(true);
    expect(trigger.description.credentials!.map((c) => c.name)).not.toContain('microsoftDefenderCloudAppsTokenApi');
  });

  it('credentials: the OAuth2 scope holds the runtime XDR delegated scopes; the XDR URL field is in the emulator section only, not on the legacy token', () => {
    for (const s of RUNTIME_XDR_SCOPES) expect(OAUTH2_SCOPE.split(' ')).toContain(s);
    for (const C of [MicrosoftDefenderCloudAppsAppApi, MicrosoftDefenderCloudAppsUserApi, MicrosoftDefenderCloudAppsOAuth2Api]) {
      const field = new C().properties.find((p) => p.name === 'xdrApiUrl');
      expect(field).toBeDefined();
      expect(field!.required).toBeFalsy();
      expect(field!.displayOptions).toEqual({ show: { useTestingEndpoints: [true] } });
    }
    expect(new MicrosoftDefenderCloudAppsTokenApi().properties.find((p) => p.name === 'xdrApiUrl')).toBeUndefined();
  });
});
