// The Microsoft Graph security nodes through node-red-node-test-helper against the emulator's Graph
// listener: every Graph registry operation (the registry is the contract), msg.payload overrides,
// output modes, errors through Catch (legacy token, missing permission, pair check, bad KQL, 404,
// a Graph URL that is not allowed), the config node's lazy Graph client, and the registry endpoint
// with the Graph resources beside the MDCA and XDR ones of the same names.
import type { RunningEmulator } from '../../emulator';
import { graphOperations, operations, withEvidenceFields } from '../../core';
import { collector, connection, emulatorAndNodeRedPerFile, graphConnection, helper, load, loadOperationNode, OperationRunResult } from './helpers';

let emulator: RunningEmulator;
const covered = new Set<string>();
const T = 'contoso';
const graph = () => emulator.control.graph;

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }], graph: { incidents: 60 } }, (e) => (emulator = e), {
  each: () => emulator.control.graph.clearFaults(T),
  // The Graph registry is the contract too: an operation without a Node-RED test fails here.
  all: () => expect(graphOperations.map((o) => o.id).filter((id) => !covered.has(id))).toEqual([]),
});

/** Loads config + one Graph node wired to a helper (and a catch node), sends msg, waits for the end. */
async function runNode(type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, opts: { expectError?: boolean; config?: ReturnType<typeof connection> } = {}): Promise<OperationRunResult> {
  covered.add(operation);
  const { n1, statuses, out, caught, ended } = await loadOperationNode(opts.config ?? graphConnection(emulator), type, operation, node);
  n1.receive(msg);
  const end = Date.now() + 30_000;
  while (!ended()) {
    if (Date.now() > end) throw new Error(`no result for ${operation}; statuses ${JSON.stringify(statuses)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 50));
  if (!opts.expectError && caught.messages.length) throw new Error(`unexpected error: ${JSON.stringify(caught.messages[0].mdcaError ?? caught.messages[0].error)}`);
  return { out: out.messages, errors: caught.messages, statuses };
}

const posts = (pathIncludes: string) => graph().requestLog(T).filter((r) => r.method !== 'GET' && r.path.includes(pathIncludes));

describe('mdca-graph-alert', () => {
  test('getAll: Defender for Cloud Apps alerts (Service Source from the editor), maxItems, one message per item', async () => {
    const mdca = graph().listAlerts(T).filter((a) => a.serviceSource === 'microsoftDefenderForCloudApps');
    const r = await runNode('mdca-graph-alert', 'alert.getAll', {}, { params: { serviceSource: { v: 'microsoftDefenderForCloudApps', t: 'mdca-opt' } }, outputMode: 'item', maxItems: 5 });
    expect(r.out.map((m) => (m.payload as { id: string }).id)).toEqual(mdca.slice(0, 5).map((a) => a.id));
    expect(r.out[0].mdca).toMatchObject({ operation: 'alert.getAll', page: 1, index: 0 });
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: 'done · 5 items' });
  });

  test('getAll: one message per page follows @odata.nextLink (Page Size 30)', async () => {
    const all = graph().listAlerts(T);
    const r = await runNode('mdca-graph-alert', 'alert.getAll', {}, { params: { top: { v: '30', t: 'num' } }, outputMode: 'page', maxItems: 70 });
    expect(r.out.map((m) => (m.payload as unknown[]).length)).toEqual([30, 30, 10]);
    expect(r.out.flatMap((m) => (m.payload as { id: string }[]).map((a) => a.id))).toEqual(all.slice(0, 70).map((a) => a.id));
  });

  test('get by msg.payload override; msg.operation overrides the editor operation; the MDCA alert node is not involved', async () => {
    const [first] = graph().listAlerts(T);
    const r = await runNode('mdca-graph-alert', 'alert.getAll', { operation: 'get', payload: { alertId: first.id, ignored: 1 } });
    covered.add('alert.get');
    expect(r.out[0].payload).toEqual({ ...(withEvidenceFields(first) as object), '@odata.context': expect.stringContaining('#security/alerts_v2/$entity') });
    expect(r.out[0].mdca).toMatchObject({ operation: 'alert.get' });
  });

  test('update: status, classification + determination (alert page spelling) and assignee from the editor and msg', async () => {
    const target = graph().listAlerts(T).find((a) => a.status === 'new')!;
    const r = await runNode('mdca-graph-alert', 'alert.update', { alert: { id: target.id } }, {
      params: {
        alertId: { v: 'alert.id', t: 'msg' },
        status: { v: 'resolved', t: 'mdca-opt' },
        classification: { v: 'informationalExpectedActivity', t: 'mdca-opt' },
        determination: { v: 'confirmedActivity', t: 'mdca-opt' },
        assignedTo: { v: 'soc@contoso.example', t: 'str' },
      },
    });
    const expected = { id: target.id, status: 'resolved', classification: 'informationalExpectedActivity', determination: 'confirmedUserActivity', assignedTo: 'soc@contoso.example' };
    expect(r.out[0].payload).toMatchObject(expected);
    expect(graph().getAlert(T, String(target.id))).toMatchObject(expected);
  });

  test('update with a determination that does not fit the classification: validation error via Catch, nothing sent', async () => {
    const [first] = graph().listAlerts(T);
    graph().resetRequestLog(T);
    const r = await runNode('mdca-graph-alert', 'alert.update', { payload: { alertId: first.id, classification: 'falsePositive', determination: 'malware' } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'VALIDATION_FAILED', field: 'determination' });
    expect(graph().requestLog(T)).toEqual([]);
  });

  test('addComment: appended once; the output is the alert id and every comment', async () => {
    const target = graph().listAlerts(T).find((a) => (a.comments as unknown[]).length === 0)!;
    graph().resetRequestLog(T);
    const r = await runNode('mdca-graph-alert', 'alert.addComment', { payload: { alertId: target.id, comment: 'Contained by Node-RED.' } });
    const now = graph().getAlert(T, String(target.id))!;
    expect(now.comments).toEqual([{ comment: 'Contained by Node-RED.', createdByDisplayName: 'MDCA automation (full)', createdDateTime: expect.any(String) }]);
    expect(r.out[0].payload).toEqual({ alertId: target.id, comments: now.comments });
    expect(posts('/comments')).toHaveLength(1);
  });

  test('getByMdcaAlertId: the MDCA alert id from msg.payload; the Graph alert with its evidence fields and incident; not found via Catch', async () => {
    const target = graph().listAlerts(T).find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.incidentId !== null)!;
    const r = await runNode('mdca-graph-alert', 'alert.getByMdcaAlertId', { payload: { mdcaAlertId: target.providerAlertId } });
    expect(r.out[0].payload).toMatchObject({ id: target.id, evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String), incident: { id: target.incidentId } });
    const missing = await runNode('mdca-graph-alert', 'alert.getByMdcaAlertId', { payload: { mdcaAlertId: '0123456789abcdef01234567' } }, {}, { expectError: true });
    expect(missing.errors[0].mdcaError).toMatchObject({ code: 'NOT_FOUND', field: 'mdcaAlertId' });
    expect(missing.statuses[missing.statuses.length - 1]).toMatchObject({ fill: 'red', text: 'NOT_FOUND · mdcaAlertId' });
  });

  test('an unknown alert: NOT_FOUND via Catch, a red status, and no MDCA wording', async () => {
    const r = await runNode('mdca-graph-alert', 'alert.get', { payload: { alertId: 'no-such-alert' } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'NOT_FOUND' });
    expect(String((r.errors[0].error as { message: string }).message)).not.toMatch(/\bMDCA\b|Defender XDR/);
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'red', text: 'NOT_FOUND' });
  });

  test('a read-only app: update fails before sending, naming the missing permission', async () => {
    const [first] = graph().listAlerts(T);
    graph().resetRequestLog(T);
    const r = await runNode('mdca-graph-alert', 'alert.update', { payload: { alertId: first.id, status: 'inProgress' } }, {}, { expectError: true, config: graphConnection(emulator, 'appReader') });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'PERMISSION_MISSING', permissions: ['SecurityAlert.ReadWrite.All'] });
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'red', text: 'missing permission SecurityAlert.ReadWrite.All' });
    expect(graph().requestLog(T)).toEqual([]);
  });

  test('a legacy MDCA API token: a clear configuration error via Catch naming the kinds that work, nothing sent', async () => {
    const c = connection(emulator, 'apiToken');
    c.node.graphApiUrl = emulator.tenants[T].graphApiUrl;
    graph().resetRequestLog(T);
    const r = await runNode('mdca-graph-alert', 'alert.getAll', {}, {}, { expectError: true, config: c });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(String((r.errors[0].error as { message: string }).message)).toMatch(/A legacy MDCA API token cannot call Microsoft Graph\./);
    expect(String((r.errors[0].mdcaError as { hint: string }).hint)).toMatch(/Entra app \(client secret or certificate\) or a user sign-in/);
    expect(graph().requestLog(T)).toEqual([]);
  });

  test('a Microsoft Graph URL that is not an allowed host: configuration error naming the field', async () => {
    const c = graphConnection(emulator);
    c.node.graphApiUrl = 'https://evil.example.com';
    const r = await runNode('mdca-graph-alert', 'alert.getAll', {}, {}, { expectError: true, config: c });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID', field: 'graphApiUrl' });
  });
});

describe('mdca-graph-incident', () => {
  test('getAll: active incidents with their alerts, one message with all items', async () => {
    const active = graph().listIncidents(T).filter((i) => i.status === 'active');
    const r = await runNode('mdca-graph-incident', 'incident.getAll', {}, { params: { status: { v: 'active', t: 'mdca-opt' }, expandAlerts: { v: 'true', t: 'bool' } } });
    const got = r.out[0].payload as { id: string; alerts: { incidentId: string }[] }[];
    expect(got.map((i) => i.id)).toEqual(active.map((i) => i.id));
    for (const i of got) expect(i.alerts.length > 0 && i.alerts.every((a) => a.incidentId === i.id)).toBe(true);
  });

  test('get: the incident id from msg; a non-numeric id names its field', async () => {
    const target = graph().listIncidents(T)[1];
    const r = await runNode('mdca-graph-incident', 'incident.get', { incident: String(target.id) }, { params: { incidentId: { v: 'incident', t: 'msg' } } });
    expect(r.out[0].payload).toMatchObject({ id: target.id, displayName: target.displayName });
    const bad = await runNode('mdca-graph-incident', 'incident.get', { payload: { incidentId: 'abc' } }, {}, { expectError: true });
    expect(bad.errors[0].mdcaError).toMatchObject({ code: 'VALIDATION_FAILED', field: 'incidentId' });
  });

  test('update: status, classification + determination (incident page spelling), custom tags and the resolving comment', async () => {
    const target = graph().listIncidents(T).find((i) => i.status === 'active')!;
    const r = await runNode('mdca-graph-incident', 'incident.update', {
      payload: { incidentId: String(target.id), status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount', customTags: ['node-red', 'contained'], resolvingComment: 'Sessions revoked.' },
    });
    const expected = { id: target.id, status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount', customTags: ['node-red', 'contained'], resolvingComment: 'Sessions revoked.' };
    expect(r.out[0].payload).toMatchObject(expected);
    expect(graph().getIncident(T, String(target.id))).toMatchObject(expected);
  });

  test('addComment: appended once with its author', async () => {
    const target = graph().listIncidents(T).find((i) => (i.comments as unknown[]).length === 0)!;
    graph().resetRequestLog(T);
    const r = await runNode('mdca-graph-incident', 'incident.addComment', { note: 'Escalated by Node-RED' }, { params: { incidentId: { v: String(target.id), t: 'str' }, comment: { v: 'note', t: 'msg' } } });
    const now = graph().getIncident(T, String(target.id))!;
    expect((now.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['Escalated by Node-RED']);
    expect(r.out[0].payload).toMatchObject({ comments: now.comments });
    expect(posts('/comments')).toHaveLength(1);
  });
});

describe('mdca-graph-hunting', () => {
  test('run: KQL and Timespan from the editor; schema and rows', async () => {
    const r = await runNode('mdca-graph-hunting', 'huntingQuery.run', {}, { params: { query: { v: 'CloudAppEvents | project Timestamp, ActionType | take 3', t: 'str' }, timespan: { v: 'P30D', t: 'str' } } });
    expect(r.out[0].payload).toMatchObject({ rowCount: 3, truncated: false, schema: [{ name: 'Timestamp', type: 'DateTime' }, { name: 'ActionType', type: 'String' }] });
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: 'done' });
  });

  test('a bad query: badQuery via Catch; a read-only app lacks ThreatHunting.Read.All', async () => {
    const bad = await runNode('mdca-graph-hunting', 'huntingQuery.run', { payload: { query: 'NoSuchTable | take 1' } }, {}, { expectError: true });
    expect(bad.errors[0].mdcaError).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'badQuery' });
    graph().resetRequestLog(T);
    const denied = await runNode('mdca-graph-hunting', 'huntingQuery.run', { payload: { query: 'CloudAppEvents | take 1' } }, {}, { expectError: true, config: graphConnection(emulator, 'appReader') });
    expect(denied.errors[0].mdcaError).toMatchObject({ code: 'PERMISSION_MISSING', permissions: ['ThreatHunting.Read.All'] });
    expect(graph().requestLog(T)).toEqual([]);
  });
});

describe('config node and the registry endpoint', () => {
  test('the Graph client is created lazily (an MDCA-only flow sends nothing to Graph) and shared', async () => {
    const c = graphConnection(emulator);
    graph().resetRequestLog(T);
    await load([c.node, { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 1, wires: [['out']] }, { id: 'out', type: 'helper' }], c.credentials);
    const out = collector('out');
    helper.getNode('n1').receive({});
    await out.waitFor(1);
    // The MDCA alert node ran the MDCA registry's alert.getAll (MDCA alerts have an _id), not Graph's.
    expect(out.messages[0].mdca).toMatchObject({ operation: 'alert.getAll' });
    expect((out.messages[0].payload as { _id?: string }[])[0]._id).toEqual(expect.any(String));
    expect(graph().requestLog(T)).toEqual([]);
    const cfg = helper.getNode('cfg') as unknown as { getGraphClient(): unknown };
    expect(cfg.getGraphClient()).toBe(cfg.getGraphClient());
  });

  test('GET /mdca/registry serves the Graph resources and operations apart from the MDCA and XDR ones of the same names', async () => {
    const c = graphConnection(emulator);
    await load([c.node], c.credentials);
    const res = await helper.request().get('/mdca/registry').expect(200);
    expect(res.body.nodeTypes).toMatchObject({ alert: 'mdca-alert', incident: 'mdca-xdr-incident' });
    expect(res.body.graphNodeTypes).toEqual({ alert: 'mdca-graph-alert', incident: 'mdca-graph-incident', huntingQuery: 'mdca-graph-hunting' });
    expect(res.body.resources.filter((r: { service: string }) => r.service === 'graph').map((r: { name: string; nodeType: string }) => `${r.name}:${r.nodeType}`)).toEqual([
      'alert:mdca-graph-alert',
      'incident:mdca-graph-incident',
      'huntingQuery:mdca-graph-hunting',
    ]);
    const served = res.body.operations.filter((o: { service: string }) => o.service === 'graph');
    expect(served.map((o: { id: string }) => o.id)).toEqual(graphOperations.map((o) => o.id));
    for (const op of graphOperations) {
      const s = served.find((o: { id: string }) => o.id === op.id);
      expect(s.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual(op.inputs.map((i) => `${i.name}:${i.type}`));
      expect(s.permissions).toEqual([...op.permissions]);
    }
    // The MDCA alert operations are still served as MDCA's.
    expect(res.body.operations.filter((o: { service: string; resource: string }) => o.service === 'mdca' && o.resource === 'alert').map((o: { id: string }) => o.id)).toEqual(
      operations.filter((o) => o.resource === 'alert').map((o) => o.id),
    );
  });
});
