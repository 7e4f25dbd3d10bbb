// Every registry operation of every service (MDCA, Defender XDR, Microsoft Graph security, Entra ID) sends
// only the requests its definition declares (method, path template, access), and a declaration
// alone is enough for a new operation to run. Operation ids repeat across services (alert.get,
// incident.update), so a request is matched in the registry of the service that sent it.
import { startEmulator, RunningEmulator } from '../../emulator';
import {
  collect,
  declaredAccess,
  findOperation,
  ENTRA_SERVICE,
  entraOperations,
  GRAPH_SERVICE,
  graphOperations,
  HttpPipeline,
  MdcaClient,
  OperationImplementation,
  OperationOutcome,
  operations,
  RequestSpec,
  MDE_SERVICE,
  mdeOperations,
  templatePattern,
  XdrClient,
  xdrOperations,
} from '../../core';
import type { DeclaredCall } from '../../core';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { XDR_SERVICE } from '../../core/services/xdr';
import { fastClient } from './helpers';
import { xdrClient } from '../xdr/helpers';
import { graphClient, GraphTestClient } from '../graph/helpers';
import { entraClient, EntraTestClient } from '../containment/entra-helpers';
import { emulatedTime, mdeClient, MdeTestClient } from '../containment/mde-helpers';
import { evidenceDevices } from '../support/mde-emulator';

let emulator: RunningEmulator;
let mdca: MdcaClient;
let xdr: XdrClient;
let graph: GraphTestClient;
let entra: EntraTestClient;
let mde: MdeTestClient;
const sent: RequestSpec[] = [];
const originalSend = HttpPipeline.prototype.send;

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], xdr: { incidents: 120 }, graph: { incidents: 40 } });
  mdca = fastClient(emulator);
  xdr = xdrClient(emulator);
  graph = graphClient(emulator);
  entra = entraClient(emulator);
  mde = mdeClient(emulator, 'appSecret', { time: emulatedTime(emulator) });
  // Records what every operation hands the pipeline, then sends it as usual.
  jest.spyOn(HttpPipeline.prototype, 'send').mockImplementation(function (this: HttpPipeline, spec: RequestSpec, ctx) {
    sent.push(spec);
    return originalSend.call(this, spec, ctx) as never;
  });
});
afterAll(async () => {
  jest.restoreAllMocks();
  await emulator.close();
});

type Case = [id: string, input: () => Record<string, unknown>];

async function drain(outcome: OperationOutcome): Promise<unknown[]> {
  return outcome.kind === 'pages' ? collect(outcome.pages) : [];
}

function implementationOf(service: ServiceDescriptor, id: string): OperationImplementation | undefined {
  return service.findOperation(id) as OperationImplementation | undefined;
}

function queryKeys(call: DeclaredCall): string[] {
  const query = call.path.split('?', 2)[1];
  return query ? query.split('&').map((pair) => pair.split('=')[0]) : [];
}

/** Whether a sent request is the main call of its operation, or one of its declared steps. */
function matchesDeclaration(service: ServiceDescriptor, spec: RequestSpec, input: Record<string, unknown>): boolean {
  const impl = implementationOf(service, spec.operation);
  if (!impl) return false;
  const calls = [{ ...impl.definition.http, access: declaredAccess(impl, input) }, ...Object.values(impl.definition.steps ?? {})];
  return calls.some(
    (call) =>
      call.method === spec.method &&
      templatePattern(call).test(spec.path) &&
      call.access === spec.access &&
      queryKeys(call).every((key) => spec.query !== undefined && key in spec.query),
  );
}

describe('every registry operation sends what its definition declares', () => {
  const state: { mdeMachineId?: string; mdeActionId?: string; mdePackageActionId?: string; alerts: Record<string, unknown>[]; rangeId?: string; streamId?: string; fileId?: string; incidentId?: number; graphAlertId?: string; graphIncidentId?: string; mdcaAlertId?: string } = { alerts: [] };
  const alertId = (i: number) => String(state.alerts[i]._id);
  const entity = () => emulator.control.listEntities('contoso')[0] as { id: string; appData?: { saas?: number; instance?: number } };
  const entityKey = () => ({ id: entity().id, saas: entity().appData?.saas ?? 11161, inst: entity().appData?.instance ?? 0 });
  const mdcaCases: Case[] = [
    ['alert.getAll', () => ({ sortField: 'date' })],
    ['alert.get', () => ({ alertId: alertId(0) })],
    ['alert.closeBenign', () => ({ alertIds: [alertId(1), 'aaaaaaaaaaaaaaaaaaaaaaaa'], comment: 'declared' })],
    ['alert.closeFalsePositive', () => ({ target: 'filter', filtersJson: { id: { eq: [alertId(2)] } } })],
    ['alert.closeTruePositive', () => ({ alertIds: [alertId(3)] })],
    ['alert.markRead', () => ({ alertId: alertId(0) })],
    ['alert.markUnread', () => ({ alertId: alertId(0) })],
    ['activity.getAll', () => ({ scanMode: true, scanPageSize: 500 })],
    ['activity.get', () => ({ activityId: emulator.control.listActivities('contoso')[0]._id })],
    ['activity.sendFeedback', () => ({ activityId: emulator.control.listActivities('contoso')[0]._id, feedback: 1 })],
    ['entity.getAll', () => ({ entityType: 2 })],
    ['entity.get', () => ({ entityKey: JSON.stringify(entityKey()) })],
    ['entity.getTree', () => ({ entityKey: entityKey() })],
    ['ipRange.create', () => ({ name: 'Declared office', category: 1, subnets: ['10.40.0.0/16'] })],
    ['ipRange.getAll', () => ({ category: [1] })],
    ['ipRange.get', () => ({ rangeId: state.rangeId })],
    ['ipRange.update', () => ({ rangeId: state.rangeId, name: 'Declared office', category: 4, subnets: ['10.40.0.0/16'] })],
    ['ipRange.addAddresses', () => ({ rangeId: state.rangeId, addresses: ['10.41.0.0/16'] })],
    ['ipRange.removeAddresses', () => ({ rangeId: state.rangeId, addresses: ['10.41.0.0/16'] })],
    ['ipRange.delete', () => ({ rangeId: state.rangeId })],
    ['discovery.listStreams', () => ({})],
    ['discovery.listCategories', () => ({ streamId: state.streamId })],
    ['discovery.uploadLog', () => ({ content: new TextEncoder().encode('line\n'), fileName: 'declared.log', source: 'SQUID', inputStreamName: 'Proxy A' })],
    ['discovery.generateBlockScript', () => ({ format: 102 })],
    ['file.getAll', () => ({ fileType: [1] })],
    ['file.get', () => ({ fileId: state.fileId })],
  ];
  const xdrCases: Case[] = [
    ['incident.getAll', () => ({})],
    ['incident.get', () => ({ incidentId: state.incidentId })],
    ['incident.update', () => ({ incidentId: state.incidentId, status: 'InProgress' })],
    ['incident.update', () => ({ incidentId: state.incidentId, comment: 'appended, so never resent blindly' })],
    ['incident.addComment', () => ({ incidentId: state.incidentId, comment: 'a comment alone, never resent' })],
    ['advancedHunting.run', () => ({ query: 'CloudAppEvents | take 3' })],
  ];
  const graphCases: Case[] = [
    ['alert.getAll', () => ({ serviceSource: 'microsoftDefenderForCloudApps', top: 50 })],
    ['alert.get', () => ({ alertId: state.graphAlertId })],
    ['alert.getByMdcaAlertId', () => ({ mdcaAlertId: state.mdcaAlertId })],
    ['alert.update', () => ({ alertId: state.graphAlertId, status: 'inProgress' })],
    ['alert.addComment', () => ({ alertId: state.graphAlertId, comment: 'a comment, never resent' })],
    ['incident.getAll', () => ({ expandAlerts: true })],
    ['incident.get', () => ({ incidentId: state.graphIncidentId })],
    ['incident.update', () => ({ incidentId: state.graphIncidentId, status: 'active', assignedTo: 'soc@contoso.com' })],
    ['incident.addComment', () => ({ incidentId: state.graphIncidentId, comment: 'a comment, never resent' })],
    ['huntingQuery.run', () => ({ query: 'AlertInfo | take 3', timespan: 'P7D' })],
  ];
  const entraUser = (upnStart: string) => emulator.control.graph.entra.listUsers('contoso').find((u) => u.userPrincipalName.startsWith(upnStart))!;
  const atRisk = () => emulator.control.graph.entra.listUsers('contoso').find((u) => emulator.control.graph.entra.getRisk('contoso', u.id)?.riskState === 'atRisk')!;
  const entraCases: Case[] = [
    ['user.get', () => ({ user: entraUser('analyst@').userPrincipalName })],
    ['user.get', () => ({ user: entraUser('$').userPrincipalName })],
    ['user.revokeSessions', () => ({ users: [entraUser('reader@').userPrincipalName, entraUser('$').userPrincipalName] })],
    ['user.disable', () => ({ users: [entraUser('reader@').id] })],
    ['user.enable', () => ({ users: [entraUser('reader@').id] })],
    ['riskyUser.get', () => ({ user: atRisk().userPrincipalName })],
    ['riskyUser.confirmCompromised', () => ({ users: [atRisk().userPrincipalName] })],
    ['riskyUser.dismiss', () => ({ users: [atRisk().id] })],
  ];

  const mdeCases: Case[] = [
    ['machine.get', () => ({ machineId: state.mdeMachineId })],
    ['machine.find', () => ({ findBy: 'dnsName', value: 'no-such-host' })],
    ['machine.find', () => ({ findBy: 'id', value: state.mdeMachineId })],
    ['machine.getAll', () => ({ healthStatus: 'Active', top: 20 })],
    ['machine.isolate', () => ({ machineIds: state.mdeMachineId, comment: 'declared', waitForCompletion: true })],
    ['machine.release', () => ({ machineIds: state.mdeMachineId, comment: 'declared' })],
    ['machine.runAntivirusScan', () => ({ machineIds: state.mdeMachineId, comment: 'declared', scanType: 'Quick' })],
    ['machine.collectInvestigationPackage', () => ({ machineIds: state.mdeMachineId, comment: 'declared', waitForCompletion: true })],
    ['machine.restrictAppExecution', () => ({ machineIds: state.mdeMachineId, comment: 'declared' })],
    ['machine.unrestrictAppExecution', () => ({ machineIds: state.mdeMachineId, comment: 'declared' })],
    ['machineAction.getAll', () => ({ machineId: state.mdeMachineId, type: 'Isolate' })],
    ['machineAction.get', () => ({ actionId: state.mdeActionId })],
    ['machineAction.waitForCompletion', () => ({ actionId: state.mdeActionId, waitTimeoutMinutes: 1 })],
    ['machineAction.getPackageUri', () => ({ actionId: state.mdePackageActionId })],
  ];

  async function check(client: MdcaClient | XdrClient | GraphTestClient | EntraTestClient | MdeTestClient, service: ServiceDescriptor, [id, input]: Case): Promise<{ outcome: OperationOutcome; items: unknown[] }> {
    sent.length = 0;
    const values = input();
    const outcome = await client.run(id, values, { maxItems: 600 });
    const items = await drain(outcome);
    expect(sent.length).toBeGreaterThan(0);
    for (const spec of sent) expect({ spec, declared: matchesDeclaration(service, spec, values) }).toEqual({ spec, declared: true });
    return { outcome, items };
  }

  test('MDCA', async () => {
    state.alerts = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue === 0);
    for (const c of mdcaCases) {
      const { outcome, items } = await check(mdca, MDCA_SERVICE, c);
      if (c[0] === 'discovery.listStreams') state.streamId = String((items[0] as { _id: string })._id);
      if (c[0] === 'file.getAll') state.fileId = String((items[0] as { _id: string })._id);
      if (outcome.kind === 'result' && c[0] === 'ipRange.create') state.rangeId = String(outcome.result.rangeId);
    }
    expect(operations.map((o) => o.id).filter((id) => !mdcaCases.some(([c]) => c === id))).toEqual([]);
  });

  test('Defender XDR', async () => {
    state.incidentId = Number(emulator.control.xdr.listIncidents('contoso')[0].incidentId);
    for (const c of xdrCases) await check(xdr, XDR_SERVICE, c);
    expect(xdrOperations.map((o) => o.id).filter((id) => !xdrCases.some(([c]) => c === id))).toEqual([]);
  });

  test('Microsoft Graph security', async () => {
    const alerts = emulator.control.graph.listAlerts('contoso');
    const linked = alerts.find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.incidentId && a.status !== 'resolved')!;
    state.graphAlertId = String(linked.id);
    state.mdcaAlertId = String(linked.providerAlertId);
    state.graphIncidentId = String(linked.incidentId);
    for (const c of graphCases) await check(graph, GRAPH_SERVICE, c);
    expect(graphOperations.map((o) => o.id).filter((id) => !graphCases.some(([c]) => c === id))).toEqual([]);
  });

  test('Microsoft Entra ID', async () => {
    for (const c of entraCases) await check(entra, ENTRA_SERVICE, c);
    expect(entraOperations.map((o) => o.id).filter((id) => !entraCases.some(([c]) => c === id))).toEqual([]);
  });

  test('Microsoft Defender for Endpoint', async () => {
    state.mdeMachineId = evidenceDevices(emulator)[0].mdeDeviceId;
    for (const c of mdeCases) {
      const { outcome } = await check(mde, MDE_SERVICE, c);
      const actionId = outcome.kind === 'perItem' ? (outcome.items[0] as { actionId?: string }).actionId : undefined;
      if (c[0] === 'machine.isolate') state.mdeActionId = actionId;
      if (c[0] === 'machine.collectInvestigationPackage') state.mdePackageActionId = actionId;
    }
    expect(mdeOperations.map((o) => o.id).filter((id) => !mdeCases.some(([c]) => c === id))).toEqual([]);
  });
});

describe('an operation that is only a declaration', () => {
  const alertIdInput = { name: 'alertId', displayName: 'Alert ID', type: 'string' as const, format: 'alertId' as const, required: true, description: 'The alert.' };
  const peek: OperationImplementation = {
    definition: {
      resource: 'alert',
      operation: 'peek',
      id: 'alert.peek',
      displayName: 'Peek',
      action: 'Peek at an alert',
      description: 'Fetches one alert, declared in the test only.',
      permissions: ['Investigation.read'],
      access: 'read',
      http: { method: 'GET', path: '/api/v1/alerts/{alertId}/' },
      paging: 'none',
      output: 'item',
      inputs: [alertIdInput],
    },
  };
  const openAlerts: OperationImplementation = {
    definition: { ...peek.definition, operation: 'open', id: 'alert.open', http: { method: 'POST', path: '/api/v1/alerts/' }, paging: 'skipLimit', output: 'items', inputs: [] },
    list: { filters: () => ({ alertOpen: { eq: true } }) },
  };

  test('is executed from a copy of the registry against the emulator', async () => {
    const registry = new Map<string, OperationImplementation>([...operations.map((o) => [o.id, findOperation(o.id)!] as const), [peek.definition.id, peek], [openAlerts.definition.id, openAlerts]]);
    const [alert] = emulator.control.listAlerts('contoso');
    sent.length = 0;
    const outcome = await mdca.execute(registry.get('alert.peek')!, { alertId: alert._id });
    expect(outcome).toMatchObject({ kind: 'item', item: { _id: alert._id } });
    expect(sent).toEqual([expect.objectContaining({ method: 'GET', path: `/api/v1/alerts/${String(alert._id)}/`, access: 'read', operation: 'alert.peek' })]);

    sent.length = 0;
    const open = await drain(await mdca.execute(registry.get('alert.open')!, {}, { maxItems: 150 }));
    expect(open.length).toBeGreaterThan(0);
    for (const a of open) expect(a).toMatchObject({ resolutionStatusValue: 0 });
    expect(sent.length).toBeGreaterThan(0);
    for (const spec of sent) expect(spec).toMatchObject({ method: 'POST', path: '/api/v1/alerts/', access: 'read', operation: 'alert.open' });
  });
});
