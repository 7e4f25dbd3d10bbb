// The Defender XDR nodes through node-red-node-test-helper against the emulator's XDR listener:
// every XDR registry operation (the registry is the contract), msg.payload overrides, output modes,
// errors through Catch (legacy token, missing permission, bad KQL, 404), the config node's lazy XDR
// client, the registry endpoint with the XDR resources and "Test connection".
import type { RunningEmulator } from '../../emulator';
import { xdrOperations } from '../../core';
import { collector, connection, emulatorAndNodeRedPerFile, helper, load, loadOperationNode, OperationRunResult, xdrConnection } from './helpers';

let emulator: RunningEmulator;
const covered = new Set<string>();
const T = 'contoso';

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), {
  each: () => emulator.control.xdr.clearFaults(T),
  // The XDR registry is the contract too: an operation without a Node-RED test fails here.
  all: () => expect(xdrOperations.map((o) => o.id).filter((id) => !covered.has(id))).toEqual([]),
});

/** Loads config + one XDR node wired to a helper (and a catch node), sends msg, waits for the end. */
async function runNode(type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, opts: { expectError?: boolean; config?: ReturnType<typeof connection> } = {}): Promise<OperationRunResult> {
  covered.add(operation);
  const { n1, statuses, out, caught, ended } = await loadOperationNode(opts.config ?? xdrConnection(emulator), type, operation, node);
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

describe('mdca-xdr-incident', () => {
  test('getAll with a status filter from the editor, maxItems, one message per item', async () => {
    const active = emulator.control.xdr.listIncidents(T).filter((i) => i.status === 'Active');
    const r = await runNode('mdca-xdr-incident', 'incident.getAll', {}, { params: { status: { v: 'Active', t: 'mdca-opt' } }, outputMode: 'item', maxItems: 5 });
    expect(r.out).toHaveLength(Math.min(5, active.length));
    expect(r.out.every((m) => (m.payload as { status: string }).status === 'Active')).toBe(true);
    expect(r.out[0].mdca).toMatchObject({ operation: 'incident.getAll', page: 1, index: 0 });
    // Most recently updated first, like the service.
    expect(r.out.map((m) => (m.payload as { incidentId: number }).incidentId)).toEqual(active.slice(0, 5).map((i) => i.incidentId));
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: `done · ${r.out.length} items` });
  });

  test('getAll finds the incident of an MDCA alert (containsAlertId from msg, time filter from JSONata)', async () => {
    const linked = emulator.control.xdr.listIncidents(T)[2];
    const mdcaAlertId = String((linked.alerts as Record<string, unknown>[])[0].providerAlertId);
    const r = await runNode('mdca-xdr-incident', 'incident.getAll', { alert: { _id: mdcaAlertId } }, {
      params: { containsAlertId: { v: 'alert._id', t: 'msg' }, lastUpdatedAfter: { v: '$millis() - 90*24*3600*1000', t: 'jsonata' } },
    });
    expect((r.out[0].payload as { incidentId: number }[]).map((i) => i.incidentId)).toEqual([linked.incidentId]);
  });

  test('get by msg.payload override; msg.operation overrides the editor operation', async () => {
    const [first] = emulator.control.xdr.listIncidents(T);
    const r = await runNode('mdca-xdr-incident', 'incident.getAll', { operation: 'get', payload: { incidentId: first.incidentId, ignored: 1 } });
    covered.add('incident.get');
    expect(r.out[0].payload).toMatchObject({ incidentId: first.incidentId, incidentName: first.incidentName });
    expect(r.out[0].mdca).toMatchObject({ operation: 'incident.get' });
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: 'done · 1 items' });
  });

  test('update: status, classification + determination, tags and a comment; the emulator incident changed', async () => {
    const target = emulator.control.xdr.listIncidents(T).find((i) => i.status === 'Active')!;
    const r = await runNode('mdca-xdr-incident', 'incident.update', { incident: { id: target.incidentId } }, {
      params: {
        incidentId: { v: 'incident.id', t: 'msg' },
        status: { v: 'Resolved', t: 'mdca-opt' },
        classification: { v: 'InformationalExpectedActivity', t: 'mdca-opt' },
        determination: { v: 'ConfirmedActivity', t: 'mdca-opt' },
        tags: { v: 'node-red,benign', t: 'str' },
        comment: { v: 'Resolved by Node-RED', t: 'str' },
      },
    });
    expect(r.out[0].payload).toMatchObject({ incidentId: target.incidentId, status: 'Resolved' });
    const now = emulator.control.xdr.getIncident(T, target.incidentId as number)!;
    expect(now).toMatchObject({ status: 'Resolved', classification: 'InformationalExpectedActivity', determination: 'ConfirmedActivity', tags: ['node-red', 'benign'] });
    expect((now.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['Resolved by Node-RED']);
  });

  test('addComment: the comment from msg is appended; the output is the updated incident', async () => {
    const target = emulator.control.xdr.listIncidents(T).find((i) => (i.comments as unknown[]).length === 0)!;
    const r = await runNode('mdca-xdr-incident', 'incident.addComment', { incident: { id: target.incidentId }, note: 'Escalated by Node-RED' }, {
      params: { incidentId: { v: 'incident.id', t: 'msg' }, comment: { v: 'note', t: 'msg' } },
    });
    const now = emulator.control.xdr.getIncident(T, target.incidentId as number)!;
    expect(r.out[0].payload).toEqual(now);
    expect(now).toMatchObject({ status: target.status, assignedTo: target.assignedTo, classification: target.classification });
    expect(now.comments).toEqual([{ comment: 'Escalated by Node-RED', createdBy: emulator.tenants[T].credentials.apps.full.clientId, createdTime: now.lastUpdateTime }]);
  });

  test('update with a determination that does not fit the classification: validation error via Catch, nothing sent', async () => {
    const target = emulator.control.xdr.listIncidents(T)[0];
    emulator.control.xdr.resetRequestLog(T);
    const r = await runNode('mdca-xdr-incident', 'incident.update', { payload: { incidentId: target.incidentId, classification: 'FalsePositive', determination: 'Malware' } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'VALIDATION_FAILED', field: 'determination' });
    expect(emulator.control.xdr.requestLog(T).filter((e) => e.method === 'PATCH')).toEqual([]);
  });

  test('an unknown incident: NOT_FOUND via Catch with an XDR hint and a red status', async () => {
    const r = await runNode('mdca-xdr-incident', 'incident.get', { payload: { incidentId: 987654321 } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'NOT_FOUND' });
    expect(String((r.errors[0].mdcaError as { hint: string }).hint)).toMatch(/incident id/);
    expect(String((r.errors[0].error as { message: string }).message)).not.toMatch(/\bMDCA\b/);
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'red', text: 'NOT_FOUND' });
  });

  test('a read-only app: update fails before sending, naming the missing permission', async () => {
    emulator.control.xdr.resetRequestLog(T);
    const target = emulator.control.xdr.listIncidents(T)[0];
    const r = await runNode('mdca-xdr-incident', 'incident.update', { payload: { incidentId: target.incidentId, status: 'InProgress' } }, {}, { expectError: true, config: xdrConnection(emulator, 'appReader') });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'PERMISSION_MISSING', permissions: ['Incident.ReadWrite.All'] });
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'red', text: 'missing permission Incident.ReadWrite.All' });
    expect(emulator.control.xdr.requestLog(T).filter((e) => e.method === 'PATCH')).toEqual([]);
  });

  test('a legacy MDCA API token: a clear configuration error via Catch; MDCA nodes on it still work', async () => {
    const c = connection(emulator, 'apiToken');
    c.node.xdrApiUrl = emulator.tenants[T].xdrApiUrl;
    const r = await runNode('mdca-xdr-incident', 'incident.getAll', {}, {}, { expectError: true, config: c });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID' });
    expect(String((r.errors[0].error as { message: string }).message)).toMatch(/legacy MDCA API token cannot call the Defender XDR API/);
    expect(String((r.errors[0].mdcaError as { hint: string }).hint)).toMatch(/Entra app/);
  });

  test('a wrong Defender XDR API URL (not an allowed host): configuration error naming the field', async () => {
    const c = connection(emulator);
    c.node.xdrApiUrl = 'https://evil.example.com';
    const r = await runNode('mdca-xdr-incident', 'incident.getAll', {}, {}, { expectError: true, config: c });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID', field: 'xdrApiUrl' });
  });
});

describe('mdca-xdr-hunting', () => {
  test('run: KQL from the editor, schema and rows', async () => {
    const r = await runNode('mdca-xdr-hunting', 'advancedHunting.run', {}, { params: { query: { v: 'AlertInfo | take 3', t: 'str' } } });
    const p = r.out[0].payload as { schema: unknown[]; results: unknown[]; rowCount: number; truncated: boolean };
    expect(p.results).toHaveLength(3);
    expect(p.rowCount).toBe(3);
    expect(p.schema.length).toBeGreaterThan(0);
    expect(p.truncated).toBe(false);
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: 'done' });
  });

  test('run: the query from msg.payload; a bad query → badQuery via Catch', async () => {
    const ok = await runNode('mdca-xdr-hunting', 'advancedHunting.run', { payload: { query: 'CloudAppEvents | count' } });
    expect((ok.out[0].payload as { results: unknown[] }).results).toHaveLength(1);
    const bad = await runNode('mdca-xdr-hunting', 'advancedHunting.run', { payload: { query: 'NoSuchTable | take 1' } }, {}, { expectError: true });
    expect(bad.errors[0].mdcaError).toMatchObject({ code: 'REQUEST_REJECTED', reason: 'badQuery' });
    expect(String((bad.errors[0].mdcaError as { hint: string }).hint)).toMatch(/KQL/);
  });

  test('the CPU quota: a typed throttling error, not retried for 15 minutes', async () => {
    emulator.control.xdr.setHunting(T, { fail: { kind: 'cpuQuota', times: 5 } });
    try {
      const r = await runNode('mdca-xdr-hunting', 'advancedHunting.run', { payload: { query: 'AlertInfo | take 1' } }, {}, { expectError: true });
      expect(r.errors[0].mdcaError).toMatchObject({ code: 'THROTTLED', reason: 'cpuQuota' });
    } finally {
      emulator.control.xdr.setHunting(T, { fail: undefined });
    }
  });
});

describe('config node and admin endpoints', () => {
  test('the XDR client is created lazily: an MDCA-only flow asks for no XDR token', async () => {
    const c = xdrConnection(emulator);
    emulator.control.xdr.resetRequestLog(T);
    await load([c.node, { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 1, wires: [['out']] }, { id: 'out', type: 'helper' }], c.credentials);
    const out = collector('out');
    helper.getNode('n1').receive({});
    await out.waitFor(1);
    expect(emulator.control.xdr.requestLog(T)).toEqual([]);
    const cfg = helper.getNode('cfg') as unknown as { getXdrClient(): unknown };
    expect(cfg.getXdrClient()).toBe(cfg.getXdrClient());
  });

  test('GET /mdca/registry serves the XDR resources and operations next to the MDCA ones', async () => {
    const c = xdrConnection(emulator);
    await load([c.node], c.credentials);
    const res = await helper.request().get('/mdca/registry').expect(200);
    expect(res.body.nodeTypes).toMatchObject({ incident: 'mdca-xdr-incident', advancedHunting: 'mdca-xdr-hunting', alert: 'mdca-alert' });
    expect(res.body.resources.filter((r: { service: string }) => r.service === 'xdr').map((r: { name: string; nodeType: string }) => `${r.name}:${r.nodeType}`)).toEqual([
      'incident:mdca-xdr-incident',
      'advancedHunting:mdca-xdr-hunting',
    ]);
    const served = res.body.operations.filter((o: { service: string }) => o.service === 'xdr');
    expect(served.map((o: { id: string }) => o.id)).toEqual(xdrOperations.map((o) => o.id));
    for (const op of xdrOperations) {
      const s = served.find((o: { id: string }) => o.id === op.id);
      expect(s.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual(op.inputs.map((i) => `${i.name}:${i.type}`));
      expect(s.permissions).toEqual([...op.permissions]);
    }
    expect(res.body.feeds.filter((f: { service?: string }) => f.service === 'xdr').map((f: { value: string }) => f.value)).toEqual(['incidentChanges', 'newIncidents']);
  });

  test('Test connection shows the Defender XDR permissions of the token (full and reader apps; none for a legacy token)', async () => {
    const full = xdrConnection(emulator);
    await load([full.node], full.credentials);
    const ok = await helper.request().post('/mdca/test-connection').send({ ...full.node, credentials: { clientSecret: '__PWRD__' } }).expect(200);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.xdr.permissions.sort()).toEqual(['AdvancedHunting.Read.All', 'Incident.ReadWrite.All']);
    expect(ok.body.xdr.unlocked.map((u: { id: string }) => u.id)).toEqual(xdrOperations.map((o) => o.id));
    expect(JSON.stringify(ok.body)).not.toContain(full.credentials.cfg.clientSecret);

    const reader = xdrConnection(emulator, 'appReader');
    const r = await helper.request().post('/mdca/test-connection').send({ ...reader.node, credentials: reader.credentials.cfg }).expect(200);
    expect(r.body.xdr.permissions).toEqual(['Incident.Read.All']);
    expect(r.body.xdr.unlocked.map((u: { id: string }) => u.id)).toEqual(['incident.getAll', 'incident.get']);

    const legacy = connection(emulator, 'apiToken');
    const l = await helper.request().post('/mdca/test-connection').send({ ...legacy.node, credentials: legacy.credentials.cfg }).expect(200);
    expect(l.body.ok).toBe(true);
    expect(l.body.xdr).toBeUndefined();
  });
});
