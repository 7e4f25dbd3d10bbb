// Every registry operation at least once through its n8n node, against the emulator over HTTPS.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { operations } from '../../core/operations';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsActivities } from '../../nodes/MicrosoftDefenderCloudAppsActivities/MicrosoftDefenderCloudAppsActivities.node';
import { MicrosoftDefenderCloudAppsEntities } from '../../nodes/MicrosoftDefenderCloudAppsEntities/MicrosoftDefenderCloudAppsEntities.node';
import { MicrosoftDefenderCloudAppsIpRanges } from '../../nodes/MicrosoftDefenderCloudAppsIpRanges/MicrosoftDefenderCloudAppsIpRanges.node';
import { MicrosoftDefenderCloudAppsDiscovery } from '../../nodes/MicrosoftDefenderCloudAppsDiscovery/MicrosoftDefenderCloudAppsDiscovery.node';
import { MicrosoftDefenderCloudAppsFiles } from '../../nodes/MicrosoftDefenderCloudAppsFiles/MicrosoftDefenderCloudAppsFiles.node';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { credentialData } from './credential-fixtures';
import { executeNode as runNode, listSearch as runListSearch } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let cred: ReturnType<typeof credentialData>;
const covered = new Set<string>();

emulatorPerFile({}, (e) => {
  emulator = e;
  emulator.control.setThrottle('contoso', false);
  cred = credentialData(emulator, 'appSecret');
});

const alerts = new MicrosoftDefenderCloudAppsAlerts();
const activities = new MicrosoftDefenderCloudAppsActivities();
const entities = new MicrosoftDefenderCloudAppsEntities();
const ipRanges = new MicrosoftDefenderCloudAppsIpRanges();
const discovery = new MicrosoftDefenderCloudAppsDiscovery();
const files = new MicrosoftDefenderCloudAppsFiles();

async function run(node: INodeType, resource: string, parameters: INodeParameters, items?: INodeExecutionData[], extra: Partial<Parameters<typeof runNode>[1]> = {}) {
  covered.add(`${resource}.${String(parameters.operation)}`);
  const r = await runNode(node, { parameters, credentials: { [cred.type]: cred.data }, items, ...extra });
  return r.items;
}
const openAlerts = () => emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue === 0);

describe('alerts node', () => {
  it('getAll: limit, simplify, filters, pairedItem', async () => {
    const out = await run(alerts, 'alert', { operation: 'getAll', limit: 7, filters: { severity: [2] } });
    expect(out).toHaveLength(7);
    for (const item of out) {
      expect(item.pairedItem).toEqual({ item: 0 });
      expect(item.json).toMatchObject({ severity: 'High', severityValue: 2 });
      expect(item.json.id).toMatch(/^[0-9a-f]{24}$/);
    }
  });

  it('getAll: Return All is capped by Options > Max Items; raw output without Simplify', async () => {
    const out = await run(alerts, 'alert', { operation: 'getAll', returnAll: true, simplify: false, options: { maxItems: 130, sortDirection: 'asc' } });
    expect(out).toHaveLength(130);
    expect(out[0].json).toHaveProperty('_id');
    expect(out[0].json).toHaveProperty('resolutionStatusValue');
  });

  it('get by ID, by URL and from list (listSearch)', async () => {
    const alert = openAlerts()[0];
    const id = String(alert._id);
    const byId = await run(alerts, 'alert', { operation: 'get', alertId: { __rl: true, mode: 'id', value: id } });
    expect(byId[0].json._id).toBe(id);
    const byUrl = await run(alerts, 'alert', { operation: 'get', alertId: { __rl: true, mode: 'url', value: `https://contoso.portal.cloudappsecurity.com/#/alerts/${id}` } });
    expect(byUrl[0].json._id).toBe(id);
    const search = await runListSearch(alerts, 'searchAlerts', { parameters: { operation: 'get' }, credentials: { [cred.type]: cred.data } }, String(alert.title).slice(0, 8));
    expect(search.results.length).toBeGreaterThan(0);
    expect(search.results.every((r) => String(r.name).toLowerCase().includes(String(alert.title).slice(0, 8).toLowerCase()))).toBe(true);
  });

  it('markRead / markUnread change the emulator state', async () => {
    const id = String(openAlerts()[1]._id);
    const read = await run(alerts, 'alert', { operation: 'markRead', alertId: { __rl: true, mode: 'id', value: id } });
    expect(read[0].json).toEqual({ alertId: id, read: true });
    expect(emulator.control.getAlert('contoso', id)?.statusValue).toBe(1);
    await run(alerts, 'alert', { operation: 'markUnread', alertId: { __rl: true, mode: 'id', value: id } });
    expect(emulator.control.getAlert('contoso', id)?.statusValue).toBe(0);
  });

  it('closeBenign / closeFalsePositive / closeTruePositive: one item per id with status and summary', async () => {
    const [a, b, c, d] = openAlerts().map((x) => String(x._id));
    const benign = await run(alerts, 'alert', { operation: 'closeBenign', alertIds: `${a}, 000000000000000000000000`, options: { comment: 'pen test', reasonId: 6 } });
    expect(benign.map((i) => i.json.status)).toEqual(['done', 'notFound']);
    expect(benign[0].json.summary).toMatchObject({ requested: 2, notFound: 1 });
    expect(emulator.control.getAlert('contoso', a)?.resolutionStatusValue).toBe(4);
    const fp = await run(alerts, 'alert', { operation: 'closeFalsePositive', alertIds: b });
    expect(fp[0].json).toMatchObject({ id: b, status: 'done' });
    expect(emulator.control.getAlert('contoso', b)?.resolutionStatusValue).toBe(3);
    const tp = await run(alerts, 'alert', { operation: 'closeTruePositive', alertIds: [c] as never });
    expect(tp[0].json).toMatchObject({ id: c, status: 'done' });
    expect(emulator.control.getAlert('contoso', c)?.resolutionStatusValue).toBe(5);
    const byFilter = await run(alerts, 'alert', { operation: 'closeBenign', target: 'filter', filtersJson: JSON.stringify({ id: { eq: [d] } }) });
    expect(byFilter).toHaveLength(1);
    expect(byFilter[0].json.summary).toMatchObject({ byFilter: true });
    expect(emulator.control.getAlert('contoso', d)?.resolutionStatusValue).toBe(4);
  });

  it('a validation error names the field, as NodeOperationError with itemIndex', async () => {
    // Typed in, n8n's workflow-issue check rejects the run before the node; an expression (evaluated
    // at run time) is how a bad ID reaches the node's own validation.
    const err = await run(alerts, 'alert', { operation: 'get', alertId: { __rl: true, mode: 'id', value: "={{ 'not-an-id' }}" } }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toContain('Alert ID');
    expect(err.context.itemIndex).toBe(0);
    expect(err.description).toBeTruthy();
  });

  it('continueOnFail: an error item per failed input, with pairedItem; good items still run', async () => {
    const id = String(openAlerts()[0]._id);
    const items = [{ json: { id } }, { json: { id: 'bad' } }, { json: { id } }];
    covered.add('alert.get');
    const r = await runNode(alerts, {
      parameters: { operation: 'get', alertId: { __rl: true, mode: 'id', value: id } },
      credentials: { [cred.type]: cred.data },
      items,
      continueOnFail: true,
    });
    expect(r.items).toHaveLength(3);
    // a URL that is not an alert's: typed in, n8n's issue check would stop the run before the node,
    // so it comes from an expression
    const r2 = await runNode(alerts, {
      parameters: { operation: 'get', alertId: { __rl: true, mode: 'url', value: "={{ 'https://example.com/no-alert-here' }}" } },
      credentials: { [cred.type]: cred.data },
      items: [{ json: {} }, { json: {} }],
      continueOnFail: true,
    });
    expect(r2.items).toHaveLength(2);
    r2.items.forEach((item, i) => {
      expect(item.pairedItem).toEqual({ item: i });
      expect(item.json.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'alertId' });
    });
  });

  it('404 on get becomes a NodeApiError with the safe message', async () => {
    const err = await run(alerts, 'alert', { operation: 'get', alertId: { __rl: true, mode: 'id', value: 'aaaaaaaaaaaaaaaaaaaaaaaa' } }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(String(err.httpCode)).toBe('404');
  });

  it('the reader app cannot close alerts: the error names the missing permission, nothing is sent', async () => {
    const reader = credentialData(emulator, 'appReader');
    const id = String(openAlerts()[0]._id);
    const err = await runNode(alerts, { parameters: { operation: 'closeBenign', alertIds: id }, credentials: { [reader.type]: reader.data } }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/Investigation\.manage/);
    expect(String(err.httpCode)).toBe('403');
    expect(emulator.control.getAlert('contoso', id)?.resolutionStatusValue).toBe(0);
  });

  it('cancellation: an aborted execution stops with CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await run(alerts, 'alert', { operation: 'getAll', returnAll: true }, undefined, { signal: controller.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/cancel/i);
  });
});

describe('activities node', () => {
  it('getAll pages past 100 (skip/limit) and get + sendFeedback by id', async () => {
    const out = await run(activities, 'activity', { operation: 'getAll', limit: 250 });
    expect(out).toHaveLength(250);
    expect(new Set(out.map((i) => i.json.id)).size).toBe(250);
    const id = String(out[0].json.id);
    const one = await run(activities, 'activity', { operation: 'get', activityId: id });
    expect(one[0].json._id).toBe(id);
    const fb = await run(activities, 'activity', { operation: 'sendFeedback', activityId: id, feedback: 1, options: { feedbackText: 'looks fine' } });
    expect(fb[0].json).toMatchObject({ activityId: id, feedback: 1 });
    expect(emulator.control.getActivityFeedback('contoso').length).toBeGreaterThan(0);
  });

  it('scan mode (displayWhen option) returns distinct activities', async () => {
    const out = await run(activities, 'activity', { operation: 'getAll', limit: 120, simplify: false, options: { scanMode: true, scanPageSize: 100 } });
    expect(out).toHaveLength(120);
    expect(new Set(out.map((i) => i.json._id)).size).toBe(120);
  });
});

describe('entities node', () => {
  it('getAll, get, getTree', async () => {
    const out = await run(entities, 'entity', { operation: 'getAll', limit: 5, filters: { entityType: 2 } });
    expect(out.length).toBeGreaterThan(0);
    const id = String(out[0].json.id);
    const one = await run(entities, 'entity', { operation: 'get', entityKey: id });
    expect(one[0].json.id ?? one[0].json._id).toBeTruthy();
    const tree = await run(entities, 'entity', { operation: 'getTree', entityKey: JSON.stringify({ id, saas: 11161, inst: 0 }) });
    expect(tree).toHaveLength(1);
  });
});

describe('files node', () => {
  it('getAll and get', async () => {
    const out = await run(files, 'file', { operation: 'getAll', limit: 3 });
    expect(out).toHaveLength(3);
    const one = await run(files, 'file', { operation: 'get', fileId: String(out[0].json.id) });
    expect(one[0].json._id).toBe(out[0].json.id);
  });
});

describe('IP ranges node', () => {
  it('create → get → update → add/remove addresses → getAll → delete, checked in emulator state', async () => {
    const created = await run(ipRanges, 'ipRange', { operation: 'create', name: 'n8n unit range', category: 4, subnets: '203.0.113.0/24', options: { organization: 'Unit ISP' } });
    const rangeId = String(created[0].json.rangeId);
    expect(rangeId).toMatch(/^[0-9a-f]{24}$/);
    const stored = () => emulator.control.getSubnets('contoso').find((s) => s._id === rangeId) as Record<string, unknown> | undefined;
    expect(stored()?.name).toBe('n8n unit range');
    const got = await run(ipRanges, 'ipRange', { operation: 'get', rangeId });
    expect(got[0].json.name).toBe('n8n unit range');
    await run(ipRanges, 'ipRange', { operation: 'update', rangeId, name: 'n8n unit range 2', category: 1, subnets: '203.0.113.0/24, 198.51.100.7' });
    expect(stored()?.name).toBe('n8n unit range 2');
    const added = await run(ipRanges, 'ipRange', { operation: 'addAddresses', rangeId, addresses: '192.0.2.0/28, 203.0.113.0/24' });
    expect(added.map((i) => i.json.status)).toEqual(['done', 'unchanged']);
    const removed = await run(ipRanges, 'ipRange', { operation: 'removeAddresses', rangeId, addresses: '192.0.2.0/28, 10.9.9.9/32' });
    expect(removed.map((i) => i.json.status)).toEqual(['done', 'notFound']);
    const all = await run(ipRanges, 'ipRange', { operation: 'getAll', returnAll: true, filters: { builtIn: 'custom' } });
    expect(all.some((i) => i.json._id === rangeId)).toBe(true);
    const deleted = await run(ipRanges, 'ipRange', { operation: 'delete', rangeId });
    expect(deleted[0].json).toEqual({ rangeId, deleted: true });
    expect(stored()).toBeUndefined();
  });
});

describe('discovery node', () => {
  it('listStreams and listCategories', async () => {
    const streams = await run(discovery, 'discovery', { operation: 'listStreams', returnAll: true });
    expect(streams.length).toBeGreaterThan(0);
    const cats = await run(discovery, 'discovery', { operation: 'listCategories', streamId: String(streams[0].json._id), limit: 5 });
    expect(cats.length).toBeGreaterThan(0);
    expect(cats.length).toBeLessThanOrEqual(5);
  });

  it('uploadLog reads a binary input field (file name from the binary when left empty)', async () => {
    const log = Buffer.from('1700000000 10.0.0.1 GET https://dropbox.com/ 200\n'.repeat(50));
    const items: INodeExecutionData[] = [{ json: {}, binary: { logfile: { data: log.toString('base64'), mimeType: 'text/plain', fileName: 'proxy-2026-01-31.log' } } }];
    // File Name is a required field, so n8n refuses to start with it blank; an expression that
    // evaluates to nothing is how an empty name reaches the node.
    const out = await run(discovery, 'discovery', { operation: 'uploadLog', content: 'logfile', fileName: "={{ '' }}", source: 'SQUID', inputStreamName: 'Proxy' }, items);
    expect(out[0].json).toMatchObject({ fileName: 'proxy-2026-01-31.log', source: 'SQUID', bytes: log.length, finalized: true });
    expect(out[0].pairedItem).toEqual({ item: 0 });
    const uploads = emulator.control.getUploads('contoso');
    expect(uploads.some((u) => u.filename === 'proxy-2026-01-31.log' && u.finalized && u.size === log.length)).toBe(true);
  });

  it('uploadLog without the binary field is a validation error naming the field', async () => {
    const err = await run(discovery, 'discovery', { operation: 'uploadLog', content: 'missing', fileName: 'x.log', source: 'SQUID', inputStreamName: 'Proxy' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toContain('missing');
  });

  it('generateBlockScript returns a binary file', async () => {
    const out = await run(discovery, 'discovery', { operation: 'generateBlockScript', format: 120, binaryPropertyName: 'script' });
    expect(out[0].json).toMatchObject({ mimeType: 'text/plain' });
    const bin = out[0].binary!.script;
    expect(bin.fileName).toMatch(/block-script-120/);
    expect(Buffer.from(bin.data, 'base64').toString('utf8').length).toBeGreaterThan(0);
  });
});

afterAll(() => {
  // Runs after the tests above: every registry operation went through its node.
  const missing = operations.map((o) => o.id).filter((id) => !covered.has(id));
  expect(missing).toEqual([]);
});
