// Every registry operation through the Node-RED nodes (test helper, Node-RED 4) against the
// emulator over HTTPS: editor params and msg.payload overrides, output modes, maxItems,
// per-item reports, block script text, and status updates.
import type { RunningEmulator } from '../../emulator';
import { operations } from '../../core';
import { collector, connection, emulatorAndNodeRedPerFile, Flow, helper, load, loadOperationNode, onCall, OperationRunResult } from './helpers';

let emulator: RunningEmulator;
const covered = new Set<string>();
const T = 'contoso';

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), {
  // The registry is the contract: an operation without a Node-RED test fails here.
  all: () => expect(operations.map((o) => o.id).filter((id) => !covered.has(id))).toEqual([]),
});

/** Loads config + one node wired to a helper (and a catch node), sends msg, waits for done. */
async function runNode(type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, expectError = false): Promise<OperationRunResult> {
  covered.add(operation);
  const { n1, statuses, out, caught, ended } = await loadOperationNode(connection(emulator), type, operation, node);
  const finished = new Promise<void>((resolve) => {
    onCall('n1', 'done', () => resolve());
  });
  const completed = new Promise<void>((resolve) => {
    // node-red emits "node-complete"-style events only to complete nodes; poll for the final status instead.
    const check = setInterval(() => {
      if (ended()) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  n1.receive(msg);
  await Promise.race([finished, completed, new Promise((_, reject) => setTimeout(() => reject(new Error(`no result for ${operation}; statuses ${JSON.stringify(statuses)}`)), 30_000))]);
  await new Promise((r) => setTimeout(r, 50));
  if (!expectError && caught.messages.length) throw new Error(`unexpected error: ${JSON.stringify(caught.messages[0].error)}`);
  return { out: out.messages, errors: caught.messages, statuses };
}

describe('mdca-alert', () => {
  test('getAll with a multi-option filter from the editor, maxItems, status', async () => {
    const r = await runNode('mdca-alert', 'alert.getAll', {}, { params: { severity: { v: '2', t: 'mdca-multi' } }, maxItems: 30 });
    expect(r.out).toHaveLength(1);
    const items = r.out[0].payload as { severityValue: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(30);
    expect(items.every((a) => a.severityValue === 2)).toBe(true);
    expect(r.statuses.some((s) => /^page \d+ · \d+ items$/.test(String(s.text)))).toBe(true);
    expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green', text: `done · ${items.length} items` });
  });

  test('get by msg.payload override; msg.operation overrides the editor operation', async () => {
    const [first] = emulator.control.listAlerts(T);
    const r = await runNode('mdca-alert', 'alert.getAll', { operation: 'get', payload: { alertId: first._id, ignored: 1 } });
    expect((r.out[0].payload as { _id: string })._id).toBe(first._id);
    covered.add('alert.get');
    expect(r.out[0].mdca).toMatchObject({ operation: 'alert.get' });
  });

  test.each([
    ['alert.closeBenign', 4, { reasonId: { v: '2', t: 'mdca-opt' } }],
    ['alert.closeFalsePositive', 3, { reasonId: { v: '0', t: 'mdca-opt' } }],
    ['alert.closeTruePositive', 5, {}],
  ])('%s reports per item', async (operation, status, params) => {
    const open = emulator.control.listAlerts(T).filter((a) => a.resolutionStatusValue === 0).slice(0, 2);
    const ids = open.map((a) => a._id as string);
    const missing = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    const r = await runNode('mdca-alert', operation, { ids: [...ids, missing] }, {
      params: { ...params, alertIds: { v: 'ids', t: 'msg' }, comment: { v: 'closed by Node-RED', t: 'str' } },
    });
    const payload = r.out[0].payload as { summary: Record<string, number>; items: { id: string; status: string }[] };
    expect(payload.summary).toMatchObject({ requested: 3, closed: 2, notFound: 1 });
    expect(payload.items.find((i) => i.id === missing)?.status).toBe('notFound');
    for (const id of ids) expect(emulator.control.getAlert(T, id)?.resolutionStatusValue).toBe(status);
    expect(String(r.statuses[r.statuses.length - 1].text)).toBe('done · 2 of 3');
  });

  test('markRead and markUnread (alert id from JSONata)', async () => {
    const [a] = emulator.control.listAlerts(T);
    await runNode('mdca-alert', 'alert.markRead', { alert: { id: a._id } }, { params: { alertId: { v: 'alert.id', t: 'jsonata' } } });
    expect(emulator.control.getAlert(T, a._id as string)?.statusValue).toBe(1);
    await runNode('mdca-alert', 'alert.markUnread', { alert: { id: a._id } }, { params: { alertId: { v: 'alert.id', t: 'jsonata' } } });
    expect(emulator.control.getAlert(T, a._id as string)?.statusValue).toBe(0);
  });
});

describe('mdca-activity', () => {
  test('getAll one message per page (streaming), maxItems bound', async () => {
    const r = await runNode('mdca-activity', 'activity.getAll', {}, { outputMode: 'page', maxItems: 250 });
    expect(r.out.length).toBeGreaterThanOrEqual(3);
    const total = r.out.reduce((n, m) => n + (m.payload as unknown[]).length, 0);
    expect(total).toBe(250);
    expect(r.out.map((m) => (m.mdca as { page: number }).page)).toEqual(r.out.map((_, i) => i + 1));
  });

  test('getAll one message per item', async () => {
    const r = await runNode('mdca-activity', 'activity.getAll', { topic: 'kept' }, { outputMode: 'item', maxItems: 7 });
    expect(r.out).toHaveLength(7);
    expect(r.out.every((m) => m.topic === 'kept' && typeof m.payload === 'object' && !Array.isArray(m.payload))).toBe(true);
    expect(new Set(r.out.map((m) => (m.payload as { _id: string })._id)).size).toBe(7);
  });

  test('get and sendFeedback', async () => {
    const [first] = emulator.control.listActivities(T);
    const got = await runNode('mdca-activity', 'activity.get', { payload: { activityId: first._id } });
    expect((got.out[0].payload as { _id: string })._id).toBe(first._id);
    const before = emulator.control.getActivityFeedback(T).length;
    await runNode('mdca-activity', 'activity.sendFeedback', { payload: { activityId: first._id, feedback: 0, feedbackText: 'irrelevant' } });
    expect(emulator.control.getActivityFeedback(T).length).toBe(before + 1);
  });
});

describe('mdca-entity', () => {
  test('getAll, get, getTree', async () => {
    const list = await runNode('mdca-entity', 'entity.getAll', {}, { params: { entityType: { v: '2', t: 'mdca-opt' } }, maxItems: 5 });
    expect((list.out[0].payload as unknown[]).length).toBeGreaterThan(0);
    const entity = emulator.control.listEntities(T)[0] as { id: string; appData?: { saas?: number; instance?: number } };
    const key = { id: entity.id, saas: entity.appData?.saas ?? 11161, inst: entity.appData?.instance ?? 0 };
    const got = await runNode('mdca-entity', 'entity.get', { payload: { entityKey: key } });
    expect((got.out[0].payload as { id: string }).id).toBe(entity.id);
    const tree = await runNode('mdca-entity', 'entity.getTree', { key: JSON.stringify(key) }, { params: { entityKey: { v: 'key', t: 'msg' } } });
    expect(tree.out[0].payload).toBeTruthy();
  });
});

describe('mdca-ip-range', () => {
  test('create, get, update, add/remove addresses (per item), getAll, delete', async () => {
    const created = await runNode('mdca-ip-range', 'ipRange.create', {}, {
      params: { name: { v: 'Branch office', t: 'str' }, category: { v: '1', t: 'mdca-opt' }, subnets: { v: '10.20.0.0/16', t: 'str' } },
    });
    const rangeId = (created.out[0].payload as { rangeId: string }).rangeId;
    expect(rangeId).toMatch(/^[0-9a-f]{24}$/);
    const got = await runNode('mdca-ip-range', 'ipRange.get', { payload: { rangeId } });
    expect((got.out[0].payload as { name: string }).name).toBe('Branch office');
    await runNode('mdca-ip-range', 'ipRange.update', { payload: { rangeId, name: 'Branch office', category: 4, subnets: ['10.20.0.0/16', '10.21.0.0/16'] } });
    const added = await runNode('mdca-ip-range', 'ipRange.addAddresses', { payload: { rangeId, addresses: '10.22.0.0/16, 10.20.0.0/16' } });
    expect((added.out[0].payload as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['done', 'unchanged']);
    const removed = await runNode('mdca-ip-range', 'ipRange.removeAddresses', { payload: { rangeId, addresses: ['10.21.0.0/16', '192.0.2.0/24'] } });
    expect((removed.out[0].payload as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['done', 'notFound']);
    const list = await runNode('mdca-ip-range', 'ipRange.getAll', {}, { params: { category: { v: '4', t: 'mdca-multi' } } });
    expect((list.out[0].payload as { _id: string }[]).some((x) => x._id === rangeId)).toBe(true);
    await runNode('mdca-ip-range', 'ipRange.delete', { payload: { rangeId } });
    expect(emulator.control.getSubnets(T).some((s) => s._id === rangeId)).toBe(false);
  });
});

describe('mdca-discovery', () => {
  test('streams and categories', async () => {
    const streams = await runNode('mdca-discovery', 'discovery.listStreams', {});
    const first = (streams.out[0].payload as { _id: string }[])[0];
    const cats = await runNode('mdca-discovery', 'discovery.listCategories', { payload: { streamId: first._id } });
    expect((cats.out[0].payload as unknown[]).length).toBeGreaterThan(0);
  });

  test('upload a log from msg.payload (Buffer)', async () => {
    const content = Buffer.from('2026-01-01 10.0.0.1 GET https://dropbox.com 200\n'.repeat(50));
    const before = emulator.control.getUploads(T).length;
    const r = await runNode('mdca-discovery', 'discovery.uploadLog', { payload: content }, {
      params: { fileName: { v: 'proxy.log', t: 'str' }, source: { v: 'SQUID', t: 'mdca-opt' }, inputStreamName: { v: 'Proxy A', t: 'str' } },
    });
    expect(r.out[0].payload).toMatchObject({ finalized: true, bytes: content.length });
    expect(emulator.control.getUploads(T).length).toBe(before + 1);
  });

  test('block script: text in msg.payload, msg.filename', async () => {
    const r = await runNode('mdca-discovery', 'discovery.generateBlockScript', {}, { params: { format: { v: '102', t: 'mdca-opt' } } });
    expect(typeof r.out[0].payload).toBe('string');
    expect(r.out[0].payload).toMatch(/deny/);
    expect(typeof r.out[0].filename).toBe('string');
  });
});

describe('mdca-file', () => {
  test('getAll and get', async () => {
    const list = await runNode('mdca-file', 'file.getAll', {}, { maxItems: 5 });
    const first = (list.out[0].payload as { _id: string }[])[0];
    const got = await runNode('mdca-file', 'file.get', { payload: { fileId: first._id } });
    expect((got.out[0].payload as { _id: string })._id).toBe(first._id);
  });
});

describe('errors', () => {
  test('a validation error names the field, reaches Catch, nothing is sent', async () => {
    emulator.control.resetRequestLog(T);
    const r = await runNode('mdca-alert', 'alert.get', { payload: { alertId: 'not-an-id' } }, {}, true);
    expect(r.out).toHaveLength(0);
    expect(r.errors).toHaveLength(1);
    const caught = r.errors[0];
    expect((caught.error as { message: string }).message).toMatch(/Alert ID/i);
    expect(caught.mdcaError).toMatchObject({ code: 'VALIDATION_FAILED', field: 'alertId' });
    expect(emulator.control.requestLog(T).filter((e) => e.path.includes('/alerts'))).toHaveLength(0);
    expect(String(r.statuses[r.statuses.length - 1].text)).toMatch(/VALIDATION_FAILED · alertId/);
  });

  test('a reader credential gets a missing-permission error naming the permission', async () => {
    const c = connection(emulator, 'appReader');
    const flow: Flow = [
      c.node,
      { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.closeBenign', params: {}, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    covered.add('alert.closeBenign');
    await load(flow, c.credentials);
    const statuses: Record<string, unknown>[] = [];
    onCall<Record<string, unknown>[]>('n1', 'status', (call) => statuses.push(call.args[0]));
    const caught = collector('caught');
    helper.getNode('n1').receive({ payload: { alertIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'] } });
    const [msg] = await caught.waitFor(1);
    expect(msg.mdcaError).toMatchObject({ code: 'PERMISSION_MISSING' });
    expect((msg.mdcaError as { permissions: string[] }).permissions).toContain('Investigation.manage');
    expect((msg.error as { message: string }).message).toMatch(/Investigation\.manage/);
    expect(statuses.some((s) => /^missing permission Investigation\.manage/.test(String(s.text)))).toBe(true);
  });

  test('an unknown msg.operation is a validation error', async () => {
    const r = await runNode('mdca-file', 'file.getAll', { operation: 'explode' }, {}, true);
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'VALIDATION_FAILED', field: 'operation' });
  });
});
