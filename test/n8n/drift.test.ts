// Drift test over every service: each resource node's operations and fields equal what the
// service's registry defines (core/operations for MDCA, core/xdr for Defender XDR, core/graph for
// Microsoft Graph security, core/mde for Defender for Endpoint, core/entra for Entra ID), the triggers'
// filters are the feeds' filters, and the OAuth2 credential asks for the scopes the runtime uses.
// Fails when someone edits either side (a registry input without an n8n field, or the reverse).
import { CHECK_CONNECTION_OPERATION, CHECK_CONNECTION_OPTION, CHECK_CONNECTION_PROPERTIES } from '../../nodes/adapter/check-connection';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { operationsOf, resourceDefinitions } from '../../core/operations';
import type { OperationInput, OutputKind } from '../../core/operations';
import { validateXdrFeedOptions, xdrOperationsOf, xdrResourceDefinitions } from '../../core/xdr';
import type { XdrResourceName } from '../../core/xdr';
import { GRAPH_ALERT_FEED_KINDS, GRAPH_FEED_KINDS, GRAPH_INCIDENT_FEED_KINDS, graphOperationsOf, graphResourceDefinitions, validateGraphFeedOptions } from '../../core/graph';
import type { GraphResourceName } from '../../core/graph';
import { mdeOperationsOf, mdeResourceDefinitions } from '../../core/mde';
import type { MdeResourceName } from '../../core/mde';
import { entraOperationsOf, entraResourceDefinitions } from '../../core/entra';
import type { EntraResourceName } from '../../core/entra';
import { MicrosoftEntraIdUsers } from '../../nodes/MicrosoftEntraIdUsers/MicrosoftEntraIdUsers.node';
import { MicrosoftEntraIdRiskyUsers } from '../../nodes/MicrosoftEntraIdRiskyUsers/MicrosoftEntraIdRiskyUsers.node';
import { MicrosoftDefenderEndpointMachines } from '../../nodes/MicrosoftDefenderEndpointMachines/MicrosoftDefenderEndpointMachines.node';
import { MicrosoftDefenderEndpointMachineActions } from '../../nodes/MicrosoftDefenderEndpointMachineActions/MicrosoftDefenderEndpointMachineActions.node';
import { XDR_DELEGATED_SCOPES as RUNTIME_XDR_SCOPES } from '../../runtime';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsActivities } from '../../nodes/MicrosoftDefenderCloudAppsActivities/MicrosoftDefenderCloudAppsActivities.node';
import { MicrosoftDefenderCloudAppsEntities } from '../../nodes/MicrosoftDefenderCloudAppsEntities/MicrosoftDefenderCloudAppsEntities.node';
import { MicrosoftDefenderCloudAppsIpRanges } from '../../nodes/MicrosoftDefenderCloudAppsIpRanges/MicrosoftDefenderCloudAppsIpRanges.node';
import { MicrosoftDefenderCloudAppsDiscovery } from '../../nodes/MicrosoftDefenderCloudAppsDiscovery/MicrosoftDefenderCloudAppsDiscovery.node';
import { MicrosoftDefenderCloudAppsFiles } from '../../nodes/MicrosoftDefenderCloudAppsFiles/MicrosoftDefenderCloudAppsFiles.node';
import { MicrosoftDefenderCloudAppsTrigger, feedFilterInputs } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftDefenderXdrAdvancedHunting } from '../../nodes/MicrosoftDefenderXdrAdvancedHunting/MicrosoftDefenderXdrAdvancedHunting.node';
import { MicrosoftDefenderXdrTrigger, xdrFeedFilterInputs } from '../../nodes/MicrosoftDefenderXdrTrigger/MicrosoftDefenderXdrTrigger.node';
import { MicrosoftGraphSecurityAlerts } from '../../nodes/MicrosoftGraphSecurityAlerts/MicrosoftGraphSecurityAlerts.node';
import { MicrosoftGraphSecurityIncidents } from '../../nodes/MicrosoftGraphSecurityIncidents/MicrosoftGraphSecurityIncidents.node';
import { MicrosoftGraphSecurityHunting } from '../../nodes/MicrosoftGraphSecurityHunting/MicrosoftGraphSecurityHunting.node';
import { MicrosoftGraphSecurityTrigger, graphFeedFilterInputs } from '../../nodes/MicrosoftGraphSecurityTrigger/MicrosoftGraphSecurityTrigger.node';
import { MicrosoftDefenderCloudAppsOAuth2Api, OAUTH2_SCOPE } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MicrosoftDefenderCloudAppsAppApi } from '../../credentials/MicrosoftDefenderCloudAppsAppApi.credentials';
import { MicrosoftDefenderCloudAppsUserApi } from '../../credentials/MicrosoftDefenderCloudAppsUserApi.credentials';
import { MicrosoftDefenderCloudAppsTokenApi } from '../../credentials/MicrosoftDefenderCloudAppsTokenApi.credentials';
import { MicrosoftDefenderCloudAppsAzureIdentityApi } from '../../credentials/MicrosoftDefenderCloudAppsAzureIdentityApi.credentials';
import { UNCHANGED_OPTION_NAME } from '../../nodes/adapter/properties';
import * as fs from 'fs';
import * as path from 'path';

/** What the drift checks need of one registry operation, whichever service it belongs to. */
interface RegistryOperation {
  operation: string;
  displayName: string;
  action: string;
  output: OutputKind;
  inputs: readonly OperationInput[];
}

/** One service's nodes and the few ways its n8n rendering differs from the others'. */
interface ServiceUnderTest {
  label: string;
  nodes: Record<string, INodeType>;
  registryResources: string[];
  operationsOf(resource: string): RegistryOperation[];
  /** Top-level fields only n8n has (paging and output switches). */
  n8nOnlyTop: string[];
  /** n8n types a registry `string` input may render as (ids with a list search become locators). */
  stringTypes: string[];
  /** Resources whose list operations offer "Simplify". */
  simplifyResources: string[];
  /** Optional top-level choices get an n8n-only "Leave Unchanged" entry (update operations). */
  leaveUnchangedEntry: boolean;
  /** The node's default operation is the registry's first. */
  defaultIsFirst: boolean;
}

const SERVICES: ServiceUnderTest[] = [
  {
    label: 'MDCA',
    nodes: {
      alert: new MicrosoftDefenderCloudAppsAlerts(),
      activity: new MicrosoftDefenderCloudAppsActivities(),
      entity: new MicrosoftDefenderCloudAppsEntities(),
      ipRange: new MicrosoftDefenderCloudAppsIpRanges(),
      discovery: new MicrosoftDefenderCloudAppsDiscovery(),
      file: new MicrosoftDefenderCloudAppsFiles(),
    },
    registryResources: resourceDefinitions.map((r) => r.name),
    operationsOf: (resource) => operationsOf(resource as never),
    n8nOnlyTop: ['returnAll', 'limit', 'simplify', 'binaryPropertyName'],
    stringTypes: ['string', 'resourceLocator'],
    simplifyResources: ['alert', 'activity', 'entity', 'file'],
    leaveUnchangedEntry: false,
    defaultIsFirst: false,
  },
  {
    label: 'Defender XDR',
    nodes: { incident: new MicrosoftDefenderXdrIncidents(), advancedHunting: new MicrosoftDefenderXdrAdvancedHunting() },
    registryResources: xdrResourceDefinitions.map((r) => r.name),
    operationsOf: (resource) => xdrOperationsOf(resource as XdrResourceName),
    n8nOnlyTop: ['returnAll', 'limit'],
    stringTypes: ['string'],
    simplifyResources: [],
    leaveUnchangedEntry: true,
    defaultIsFirst: true,
  },
  {
    label: 'Microsoft Graph security',
    nodes: { alert: new MicrosoftGraphSecurityAlerts(), incident: new MicrosoftGraphSecurityIncidents(), huntingQuery: new MicrosoftGraphSecurityHunting() },
    registryResources: graphResourceDefinitions.map((r) => r.name),
    operationsOf: (resource) => graphOperationsOf(resource as GraphResourceName),
    n8nOnlyTop: ['returnAll', 'limit'],
    stringTypes: ['string'],
    simplifyResources: [],
    leaveUnchangedEntry: true,
    defaultIsFirst: true,
  },
  {
    label: 'Microsoft Defender for Endpoint',
    nodes: { machine: new MicrosoftDefenderEndpointMachines(), machineAction: new MicrosoftDefenderEndpointMachineActions() },
    registryResources: mdeResourceDefinitions.map((r) => r.name),
    operationsOf: (resource) => mdeOperationsOf(resource as MdeResourceName),
    n8nOnlyTop: ['returnAll', 'limit'],
    stringTypes: ['string'],
    simplifyResources: [],
    leaveUnchangedEntry: true,
    defaultIsFirst: true,
  },
  {
    label: 'Microsoft Entra ID',
    nodes: { user: new MicrosoftEntraIdUsers(), riskyUser: new MicrosoftEntraIdRiskyUsers() },
    registryResources: entraResourceDefinitions.map((r) => r.name),
    operationsOf: (resource) => entraOperationsOf(resource as EntraResourceName),
    n8nOnlyTop: ['returnAll', 'limit'],
    stringTypes: ['string'],
    simplifyResources: [],
    leaveUnchangedEntry: true,
    defaultIsFirst: true,
  },
];
const N8N_ONLY_OPTIONS = ['maxItems'];
const COMMON = ['authentication', 'retryNotice', 'operation'];

function expectedTypes(service: ServiceUnderTest, type: OperationInput['type']): string[] {
  const family: Record<OperationInput['type'], string[]> = {
    string: service.stringTypes,
    number: ['number'],
    boolean: ['boolean'],
    options: ['options'],
    multiOptions: ['multiOptions'],
    json: ['json'],
    stringList: ['string'],
    binary: ['string'],
    dateTime: ['dateTime'],
  };
  return family[type];
}

function shownFor(p: INodeProperties, operation: string): boolean {
  const ops = p.displayOptions?.show?.operation as string[] | undefined;
  return Array.isArray(ops) && ops.includes(operation);
}

/** A comparable description of one field (names, type family, required, options, displayWhen). */
function fieldOf(service: ServiceUnderTest, p: INodeProperties, group?: string) {
  const show = { ...(p.displayOptions?.show ?? {}) } as Record<string, unknown>;
  delete show.operation;
  const options = p.options as Array<{ name: string; value: unknown }> | undefined;
  return {
    name: p.name,
    group,
    type: p.type,
    required: group ? undefined : Boolean(p.required) || undefined,
    options: options?.filter((o) => !(service.leaveUnchangedEntry && o.value === '' && o.name === UNCHANGED_OPTION_NAME)).map((o) => [o.name, o.value]),
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

/** The node folder that declares this node type, for its codex file. */
function nodeFolder(node: INodeType): string | undefined {
  const dir = path.join(__dirname, '..', '..', 'nodes');
  return fs.readdirSync(dir).find((d) => fs.existsSync(path.join(dir, d, `${d}.node.ts`)) && fs.readFileSync(path.join(dir, d, `${d}.node.ts`), 'utf8').includes(`'${node.description.name}'`));
}

describe.each(SERVICES.map((s) => [s.label, s] as const))('drift: %s nodes vs its registry', (_label, service) => {
  it('there is one node per registry resource', () => {
    expect(Object.keys(service.nodes).sort()).toEqual([...service.registryResources].sort());
  });

  describe.each(Object.keys(service.nodes))('%s node', (resource) => {
    const node = service.nodes[resource];
    const props = node.description.properties;
    const ops = service.operationsOf(resource);

    it('operation options equal the registry (value, name, action)', () => {
      const op = props.find((p) => p.name === 'operation')!;
      const actual = (op.options as Array<{ value: string; name: string; action: string }>).map((o) => [o.value, o.name, o.action]);
      // The registry's operations, then the connection check every resource node adds (nodes/adapter/check-connection.ts).
      expect(actual).toEqual([...ops.map((o) => [o.operation, o.displayName, o.action]), [CHECK_CONNECTION_OPTION.value, CHECK_CONNECTION_OPTION.name, CHECK_CONNECTION_OPTION.action]]);
      if (service.defaultIsFirst) expect(op.default).toBe(ops[0].operation);
    });

    it.each(ops.map((o) => [o.operation, o] as const))('%s: fields equal the registry inputs', (_name, op) => {
      const shown = props.filter((p) => shownFor(p, op.operation));
      const actual: ReturnType<typeof fieldOf>[] = [];
      for (const p of shown) {
        if (p.type === 'collection' && (p.name === 'filters' || p.name === 'options')) {
          for (const child of p.options as INodeProperties[]) {
            if (p.name === 'options' && N8N_ONLY_OPTIONS.includes(child.name)) continue;
            actual.push(fieldOf(service, child, p.name));
          }
        } else if (!service.n8nOnlyTop.includes(p.name)) {
          actual.push(fieldOf(service, p));
        }
      }
      expect(actual.map(({ type: _t, ...rest }) => rest).sort(byName)).toEqual(op.inputs.map(fieldOfInput).sort(byName));
      // type family
      for (const input of op.inputs) {
        const a = actual.find((x) => x.name === input.name && x.group === input.group)!;
        expect(expectedTypes(service, input.type)).toContain(a.type);
      }
      // n8n-only extras appear exactly where they belong
      const top = shown.map((p) => p.name);
      expect(top.includes('returnAll')).toBe(op.output === 'items');
      expect(top.includes('limit')).toBe(op.output === 'items');
      expect(top.includes('binaryPropertyName')).toBe(op.output === 'text' && service.n8nOnlyTop.includes('binaryPropertyName'));
      expect(top.includes('simplify')).toBe(op.output === 'items' && service.simplifyResources.includes(resource));
      // Optional choices outside a collection start empty: nothing is sent unless picked.
      if (service.leaveUnchangedEntry) {
        for (const p of shown.filter((x) => x.type === 'options' && !x.required)) {
          const input = op.inputs.find((i) => i.name === p.name && !i.group);
          if (input && input.default === undefined) expect(p.default).toBe('');
        }
      }
    });

    it('has no property that belongs to no operation', () => {
      const stray = props.filter((p) => !COMMON.includes(p.name) && !ops.some((o) => shownFor(p, o.operation)) && !shownFor(p, CHECK_CONNECTION_OPERATION));
      expect(stray.map((p) => p.name)).toEqual([]);
      expect(props.filter((p) => shownFor(p, CHECK_CONNECTION_OPERATION)).map((p) => p.name)).toEqual(CHECK_CONNECTION_PROPERTIES.map((p) => p.name));
    });

    it('is usable as a tool, has light/dark icons and a codex file', () => {
      expect(node.description.usableAsTool).toBe(true);
      expect(node.description.icon).toEqual({ light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' });
      const folder = nodeFolder(node);
      expect(folder).toBeDefined();
      const codex = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'nodes', folder!, `${folder}.node.json`), 'utf8'));
      expect(codex.node).toBe(`@mdca-lowcode/n8n-nodes-defender-cloud-apps.${node.description.name}`);
    });
  });
});

describe('drift: the triggers, the credentials and the package', () => {
  it.each([
    ['MDCA', new MicrosoftDefenderCloudAppsTrigger()],
    ['XDR', new MicrosoftDefenderXdrTrigger()],
    ['Graph', new MicrosoftGraphSecurityTrigger()],
  ])('the %s trigger is a polling trigger with light/dark icons and its service credentials', (_, trigger) => {
    const d = trigger.description;
    expect(d.icon).toEqual({ light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' });
    expect({ group: d.group, polling: d.polling, inputs: d.inputs, subtitle: d.subtitle }).toEqual({ group: ['trigger'], polling: true, inputs: [], subtitle: '={{$parameter["event"]}}' });
    expect(d.properties.slice(0, 2).map((p) => p.name)).toEqual(['authentication', 'retryNotice']);
    expect(d.credentials?.length).toBe(d.properties[0].options?.length);
  });
  it('MDCA trigger filters are the registry filter inputs of alert/activity lists (minus the time window)', () => {
    const trigger = new MicrosoftDefenderCloudAppsTrigger();
    for (const [name, opId] of [['alertFilters', 'alert.getAll'], ['activityFilters', 'activity.getAll']] as const) {
      const coll = trigger.description.properties.find((p) => p.name === name)!;
      expect((coll.options as INodeProperties[]).map((p) => p.name).sort()).toEqual(feedFilterInputs(opId).map((i) => i.name).sort());
    }
  });

  it('XDR trigger: filters are the incident list filters the feed accepts (the feed owns the time window)', () => {
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

  it('Graph trigger: per event family, filters are the list filters the feed accepts (the feed owns the time window and the page size)', () => {
    const trigger = new MicrosoftGraphSecurityTrigger();
    const families = [
      // The alert collection keeps its first name, so saved workflows keep their filters.
      { collection: 'filters', events: GRAPH_ALERT_FEED_KINDS, names: ['assignedTo', 'classification', 'detectionSource', 'filter', 'serviceSource', 'severity', 'status'] },
      { collection: 'incidentFilters', events: GRAPH_INCIDENT_FEED_KINDS, names: ['assignedTo', 'classification', 'filter', 'severity', 'status'] },
    ];
    for (const family of families) {
      const coll = trigger.description.properties.find((p) => p.name === family.collection)!;
      expect(coll.displayOptions).toEqual({ show: { event: [...family.events] } });
      const names = (coll.options as INodeProperties[]).map((p) => p.name).sort();
      expect(names).toEqual(family.names);
      for (const event of family.events) {
        expect(names).toEqual(graphFeedFilterInputs(event).map((i) => i.name).sort());
        // Every one of them is accepted by the core feed.
        expect(() => validateGraphFeedOptions({ kind: event, filters: Object.fromEntries(names.map((n) => [n, 'x'])) })).not.toThrow();
        // The same choices as the registry's list filter (status values differ between alerts and incidents).
        for (const child of coll.options as INodeProperties[]) {
          const input = graphFeedFilterInputs(event).find((i) => i.name === child.name)!;
          expect((child.options as Array<{ value: unknown }> | undefined)?.map((o) => String(o.value)).sort()).toEqual(input.options?.map((o) => String(o.value)).sort());
        }
      }
    }
    const event = trigger.description.properties.find((p) => p.name === 'event')!;
    // The default and the first two values are what saved workflows hold.
    expect(event.default).toBe('graphAlertChanges');
    expect((event.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['graphAlertChanges', 'newGraphAlerts', 'graphIncidentChanges', 'newGraphIncidents']);
    expect([...GRAPH_FEED_KINDS].sort()).toEqual((event.options as Array<{ value: string }>).map((o) => o.value).sort());
    expect(trigger.description.credentials!.map((c) => c.name)).not.toContain('microsoftDefenderCloudAppsTokenApi');
    expect(Object.keys(trigger.methods.credentialTest)).toEqual(['graphCredentialTest']);
  });

  it.each(Object.entries(SERVICES[1].nodes))('XDR %s node offers App, Azure Identity, OAuth2 and User credentials (not the legacy token), tested by the XDR test', (_resource, node) => {
    const auth = node.description.properties.find((p) => p.name === 'authentication')!;
    expect((auth.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['app', 'azureIdentity', 'oAuth2', 'user']);
    expect(node.description.credentials!.map((c) => [c.name, c.testedBy])).toEqual([
      ['microsoftDefenderCloudAppsAppApi', 'xdrCredentialTest'],
      ['microsoftDefenderCloudAppsAzureIdentityApi', 'xdrCredentialTest'],
      ['microsoftDefenderCloudAppsOAuth2Api', 'xdrCredentialTest'],
      ['microsoftDefenderCloudAppsUserApi', 'xdrCredentialTest'],
    ]);
    expect(typeof node.methods?.credentialTest?.xdrCredentialTest).toBe('function');
  });

  it.each(Object.entries(SERVICES[2].nodes))('Graph %s node offers App, Azure Identity, OAuth2 and User credentials (not the legacy token), tested by the Graph test', (_resource, node) => {
    const auth = node.description.properties.find((p) => p.name === 'authentication')!;
    expect((auth.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual(['app', 'azureIdentity', 'oAuth2', 'user']);
    expect(node.description.credentials!.map((c) => [c.name, c.testedBy])).toEqual([
      ['microsoftDefenderCloudAppsAppApi', 'graphCredentialTest'],
      ['microsoftDefenderCloudAppsAzureIdentityApi', 'graphCredentialTest'],
      ['microsoftDefenderCloudAppsOAuth2Api', 'graphCredentialTest'],
      ['microsoftDefenderCloudAppsUserApi', 'graphCredentialTest'],
    ]);
    expect(typeof node.methods?.credentialTest?.graphCredentialTest).toBe('function');
  });

  it('credentials: the Graph URL field is in the emulator section only, not on the legacy token', () => {
    for (const C of [MicrosoftDefenderCloudAppsAppApi, MicrosoftDefenderCloudAppsUserApi, MicrosoftDefenderCloudAppsOAuth2Api, MicrosoftDefenderCloudAppsAzureIdentityApi]) {
      const field = new C().properties.find((p) => p.name === 'graphApiUrl');
      expect(field).toBeDefined();
      expect(field!.required).toBeFalsy();
      expect(field!.displayOptions).toEqual({ show: { useTestingEndpoints: [true] } });
    }
    expect(new MicrosoftDefenderCloudAppsTokenApi().properties.find((p) => p.name === 'graphApiUrl')).toBeUndefined();
  });

  it('credentials: the OAuth2 scope holds the runtime XDR delegated scopes; the XDR URL field is in the emulator section only, not on the legacy token', () => {
    for (const s of RUNTIME_XDR_SCOPES) expect(OAUTH2_SCOPE.split(' ')).toContain(s);
    for (const C of [MicrosoftDefenderCloudAppsAppApi, MicrosoftDefenderCloudAppsUserApi, MicrosoftDefenderCloudAppsOAuth2Api, MicrosoftDefenderCloudAppsAzureIdentityApi]) {
      const field = new C().properties.find((p) => p.name === 'xdrApiUrl');
      expect(field).toBeDefined();
      expect(field!.required).toBeFalsy();
      expect(field!.displayOptions).toEqual({ show: { useTestingEndpoints: [true] } });
    }
    expect(new MicrosoftDefenderCloudAppsTokenApi().properties.find((p) => p.name === 'xdrApiUrl')).toBeUndefined();
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
