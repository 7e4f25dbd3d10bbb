// Every operation in the registry round-trips against the emulator over HTTPS with real msal.
import type { RunningEmulator } from '../../emulator';
import { registryRoundTrips } from '../support/registry-round-trips';
import { MdcaClient, operations } from '../../core';
import { fastClient, items, resultOf } from './helpers';

let emulator: RunningEmulator;
let client: MdcaClient;
// A new operation without a round-trip test fails this file.
const { run } = registryRoundTrips(operations, { tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  client = fastClient(e);
  return client;
});

describe('alerts', () => {
  test('getAll with typed filters and sort', async () => {
    const list = await items(await run('alert.getAll', { severity: [2], openState: 'open', sortField: 'date', sortDirection: 'asc' }, 300));
    expect(list.length).toBeGreaterThan(0);
    for (const a of list) {
      expect(a.severityValue).toBe(2);
      expect([0]).toContain(a.resolutionStatusValue);
    }
    const times = list.map((a) => a.timestamp as number);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  test('get returns the bare alert', async () => {
    const [first] = emulator.control.listAlerts('contoso');
    const outcome = await run('alert.get', { alertId: first._id });
    expect(outcome.kind).toBe('item');
    expect((outcome as { item: { _id: string } }).item._id).toBe(first._id);
  });

  test.each([
    ['alert.closeBenign', 4, { reasonId: 2 }],
    ['alert.closeFalsePositive', 3, { reasonId: 0 }],
    ['alert.closeTruePositive', 5, {}],
  ])('%s by ids gives a per-item report and sets the resolution status', async (id, status, extra) => {
    const open = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue === 0).slice(0, 3);
    const ids = open.map((a) => a._id as string);
    const missing = 'aaaaaaaaaaaaaaaaaaaaaaaa';
    const outcome = await run(id, { alertIds: [...ids, missing], comment: 'automation', ...extra });
    expect(outcome.kind).toBe('perItem');
    const report = outcome as { summary: Record<string, number>; items: { id: string; status: string }[] };
    expect(report.summary).toMatchObject({ requested: 4, closed: 3, notFound: 1, failed: 0 });
    expect(report.items.find((i) => i.id === missing)?.status).toBe('notFound');
    for (const alertId of ids) expect(emulator.control.getAlert('contoso', alertId)?.resolutionStatusValue).toBe(status);
  });

  test('close by filter refuses an empty filter and closes what matches', async () => {
    await expect(client.run('alert.closeBenign', { target: 'filter', filtersJson: '{}' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'filtersJson' } });
    const [target] = emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue === 0);
    const outcome = await client.run('alert.closeBenign', { target: 'filter', filtersJson: { id: { eq: [target._id] } }, reasonId: 6 });
    expect(outcome).toMatchObject({ kind: 'perItem', summary: { closed: 1, byFilter: true } });
    expect(emulator.control.getAlert('contoso', target._id as string)?.resolutionStatusValue).toBe(4);
  });

  test('deprecated dismiss and resolve map onto the current close calls', async () => {
    const [a, b] = emulator.control.listAlerts('contoso').filter((x) => x.resolutionStatusValue === 0);
    await client.run('alert.dismiss', { alertIds: [a._id] });
    await client.run('alert.resolve', { alertIds: [b._id] });
    expect(emulator.control.getAlert('contoso', a._id as string)?.resolutionStatusValue).toBe(3);
    expect(emulator.control.getAlert('contoso', b._id as string)?.resolutionStatusValue).toBe(5);
  });

  test('mark read and unread', async () => {
    const [a] = emulator.control.listAlerts('contoso');
    await run('alert.markRead', { alertId: a._id });
    expect(emulator.control.getAlert('contoso', a._id as string)?.statusValue).toBe(1);
    await run('alert.markUnread', { alertId: a._id });
    expect(emulator.control.getAlert('contoso', a._id as string)?.statusValue).toBe(0);
  });
});

describe('activities', () => {
  test('getAll with filters, skip paging and scan mode', async () => {
    const paged = await items(await run('activity.getAll', { sortDirection: 'desc' }, 250));
    expect(paged).toHaveLength(250);
    expect(new Set(paged.map((a) => a._id)).size).toBe(250);
    const scanned = await items(await client.run('activity.getAll', { scanMode: true, scanPageSize: 500 }, { maxItems: 100_000 }));
    expect(scanned).toHaveLength(emulator.control.activityCount('contoso'));
    expect(new Set(scanned.map((a) => a._id)).size).toBe(scanned.length);
  });

  test('get and feedback', async () => {
    const [first] = emulator.control.listActivities('contoso');
    const got = await run('activity.get', { activityId: first._id });
    expect((got as { item: { _id: string } }).item._id).toBe(first._id);
    const feedback = await run('activity.sendFeedback', { activityId: first._id, feedback: 0, feedbackText: 'irrelevant' });
    expect(feedback.kind).toBe('result');
    expect(emulator.control.getActivityFeedback('contoso').length).toBeGreaterThan(0);
  });
});

describe('entities', () => {
  test('getAll, get by id or key, and tree', async () => {
    const list = await items(await run('entity.getAll', { entityType: 2 }, 20));
    expect(list.length).toBeGreaterThan(0);
    const entity = emulator.control.listEntities('contoso')[0] as { id: string; appData?: { saas?: number; instance?: number } };
    const byKey = await run('entity.get', { entityKey: JSON.stringify({ id: entity.id, saas: entity.appData?.saas ?? 11161, inst: entity.appData?.instance ?? 0 }) });
    expect((byKey as { item: { id: string } }).item.id).toBe(entity.id);
    const tree = await run('entity.getTree', { entityKey: { id: entity.id, saas: entity.appData?.saas ?? 11161, inst: entity.appData?.instance ?? 0 } });
    expect(tree.kind).toBe('item');
  });
});

describe('IP ranges', () => {
  test('create, get, update, add and remove addresses, delete', async () => {
    const created = await run('ipRange.create', { name: 'Branch office', category: 1, subnets: ['10.20.0.0/16'], organization: 'Contoso ISP' });
    const rangeId = resultOf<{ rangeId: string }>(created).rangeId;
    expect(rangeId).toMatch(/^[0-9a-f]{24}$/);
    const got = await run('ipRange.get', { rangeId });
    expect((got as { item: { name: string } }).item.name).toBe('Branch office');
    await run('ipRange.update', { rangeId, name: 'Branch office', category: 4, subnets: ['10.20.0.0/16', '10.21.0.0/16'] });
    const added = await run('ipRange.addAddresses', { rangeId, addresses: ['10.22.0.0/16', '10.20.0.0/16'] });
    expect((added as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['done', 'unchanged']);
    const removed = await run('ipRange.removeAddresses', { rangeId, addresses: ['10.21.0.0/16', '192.0.2.0/24'] });
    expect((removed as { items: { status: string }[] }).items.map((i) => i.status)).toEqual(['done', 'notFound']);
    const stored = emulator.control.getSubnets('contoso').find((s) => s._id === rangeId) as { subnets: { originalString: string }[]; category: number };
    expect(stored.category).toBe(4);
    expect(stored.subnets.map((s) => s.originalString).sort()).toEqual(['10.20.0.0/16', '10.22.0.0/16']);
    const list = await items(await run('ipRange.getAll', { category: [4] }));
    expect(list.some((r) => r._id === rangeId)).toBe(true);
    await run('ipRange.delete', { rangeId });
    expect(emulator.control.getSubnets('contoso').some((s) => s._id === rangeId)).toBe(false);
  });
});

describe('discovery', () => {
  test('streams and categories', async () => {
    const streams = await items(await run('discovery.listStreams', {}));
    expect(streams.length).toBeGreaterThan(0);
    const categories = await items(await run('discovery.listCategories', { streamId: streams[0]._id }));
    expect(categories.length).toBeGreaterThan(0);
    expect(categories[0]).toHaveProperty('id');
  });

  test('upload a log in one PUT', async () => {
    const content = new TextEncoder().encode('2026-01-01 10.0.0.1 GET https://dropbox.com 200\n'.repeat(100));
    const outcome = await run('discovery.uploadLog', { content, fileName: 'proxy.log', source: 'SQUID', inputStreamName: 'Proxy A' });
    expect(outcome).toMatchObject({ kind: 'result', result: { finalized: true, blocks: 0, bytes: content.byteLength } });
    const uploads = emulator.control.getUploads('contoso');
    expect(uploads.some((u) => (u as unknown as { finalized?: boolean }).finalized !== false)).toBe(true);
  });

  test('upload a large log in blocks', async () => {
    const blockClient = fastClient(emulator);
    // Lower the single-PUT limit so a small file exercises Put Block + Put Block List.
    (blockClient as unknown as { config: { uploadSinglePutLimitBytes: number } }).config.uploadSinglePutLimitBytes = 1024;
    const content = new Uint8Array(5000).fill(65);
    const outcome = await blockClient.run('discovery.uploadLog', { content, fileName: 'big.log', source: 'BLUECOAT', inputStreamName: 'Proxy B' });
    expect(resultOf<{ blocks: number }>(outcome).blocks).toBeGreaterThan(1);
  });

  test('block script is plain text', async () => {
    const outcome = await run('discovery.generateBlockScript', { format: 102 });
    expect(outcome.kind).toBe('text');
    expect((outcome as { text: string }).text).toMatch(/deny/);
  });
});

describe('files', () => {
  test('getAll and get', async () => {
    const list = await items(await run('file.getAll', { fileType: [1, 4] }, 30));
    expect(list.length).toBeGreaterThan(0);
    const got = await run('file.get', { fileId: list[0]._id });
    expect((got as { item: { _id: string } }).item._id).toBe(list[0]._id);
  });
});
