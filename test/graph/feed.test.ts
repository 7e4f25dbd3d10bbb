// The Graph alert and incident change feeds (core/graph/feed.ts): each new record once, each update
// once, a restart from the stored cursor delivers nothing twice and misses nothing, late updates
// inside the look-back window, the per-poll cap, all-or-nothing polls, and a window larger than one
// read (newest first) delivered oldest first without a miss. The drift scenarios of every feed are
// in test/triggers/.
import { startEmulator, RunningEmulator } from '../../emulator';
import {
  GRAPH_ALERT_FEED_KINDS,
  GRAPH_FEED_KINDS,
  GRAPH_FEED_OPERATION,
  GRAPH_FEED_OWNED_INPUTS,
  GRAPH_INCIDENT_FEED_KINDS,
  GRAPH_INCIDENT_FEED_OPERATION,
  GRAPH_INCIDENT_FEED_OWNED_INPUTS,
  graphFeedFilterInputs,
  graphFeedListDefinition,
  graphFeedOperation,
  GraphFeedCursor,
  GraphFeedOptions,
  pollGraphAlertFeed,
  pollGraphFeed,
} from '../../core';
import { graphClient, GraphTestClient, graphRequests } from './helpers';

let emulator: RunningEmulator;
let client: GraphTestClient;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  client = graphClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
// Serialize like a host would store the cursor.
const stored = (cursor: GraphFeedCursor): GraphFeedCursor => JSON.parse(JSON.stringify(cursor)) as GraphFeedCursor;
const now = () => emulator.control.now();
const poll = (options: GraphFeedOptions, cursor: GraphFeedCursor | undefined, c: GraphTestClient = client) => pollGraphAlertFeed(c, options, cursor, now());
const tick = () => new Promise((r) => setTimeout(r, 5));

test('the exported kinds, list operations, owned inputs, filters and list definitions', () => {
  expect(GRAPH_FEED_KINDS).toEqual(['graphAlertChanges', 'newGraphAlerts', 'graphIncidentChanges', 'newGraphIncidents']);
  expect(GRAPH_ALERT_FEED_KINDS).toEqual(['graphAlertChanges', 'newGraphAlerts']);
  expect(GRAPH_INCIDENT_FEED_KINDS).toEqual(['graphIncidentChanges', 'newGraphIncidents']);
  expect(pollGraphAlertFeed).toBe(pollGraphFeed);
  expect(GRAPH_FEED_OPERATION).toBe('alert.getAll');
  expect(GRAPH_INCIDENT_FEED_OPERATION).toBe('incident.getAll');
  for (const kind of GRAPH_ALERT_FEED_KINDS) expect(graphFeedOperation(kind)).toBe('alert.getAll');
  for (const kind of GRAPH_INCIDENT_FEED_KINDS) expect(graphFeedOperation(kind)).toBe('incident.getAll');
  // Without a kind: the alert feeds' (what the first hosts asked for).
  const filters = graphFeedFilterInputs().map((i) => i.name);
  expect(filters.sort()).toEqual(['assignedTo', 'classification', 'detectionSource', 'filter', 'serviceSource', 'severity', 'status']);
  expect(graphFeedFilterInputs('newGraphAlerts').map((i) => i.name).sort()).toEqual(filters);
  const listed = graphFeedListDefinition()!.inputs.map((i) => i.name);
  expect(graphFeedListDefinition()!.id).toBe('alert.getAll');
  for (const owned of GRAPH_FEED_OWNED_INPUTS) expect(listed).not.toContain(owned);
  expect(listed).toEqual(expect.arrayContaining(filters));
  // The incident feeds: incident.getAll's filters; the time window, the page size and $expand are the feed's.
  const incidentFilters = graphFeedFilterInputs('graphIncidentChanges').map((i) => i.name).sort();
  expect(incidentFilters).toEqual(['assignedTo', 'classification', 'filter', 'severity', 'status']);
  const incidentList = graphFeedListDefinition('newGraphIncidents')!;
  expect(incidentList.id).toBe('incident.getAll');
  expect(GRAPH_INCIDENT_FEED_OWNED_INPUTS).toEqual(expect.arrayContaining(['createdAfter', 'updatedAfter', 'top', 'expandAlerts']));
  for (const owned of GRAPH_INCIDENT_FEED_OWNED_INPUTS) expect(incidentList.inputs.map((i) => i.name)).not.toContain(owned);
  expect(incidentList.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(incidentFilters));
});

test('newGraphAlerts: the first poll stores a cursor only; each new alert once, across a restart', async () => {
  const options: GraphFeedOptions = { kind: 'newGraphAlerts' };
  const first = await poll(options, undefined);
  expect(first.items).toEqual([]);
  expect(first.cursor).toMatchObject({ version: 1, kind: 'newGraphAlerts' });
  const made = emulator.control.graph.insertAlerts('contoso', [{ title: 'feed A' }, { title: 'feed B' }]);
  const second = await poll(options, stored(first.cursor));
  expect(second.items.map((i) => i.id).sort()).toEqual(made.map((m) => m.id).sort());
  expect(second.items[0]).toHaveProperty('title');
  expect(await poll(options, stored(second.cursor))).toMatchObject({ items: [] });
  // An update is no new alert.
  await tick();
  await client.run('alert.update', { alertId: made[0].id, status: 'inProgress' });
  expect((await poll(options, stored(second.cursor))).items).toEqual([]);
  // "Restart": a new client, the stored cursor; an alert raised while it was down comes once.
  const [whileDown] = emulator.control.graph.insertAlerts('contoso', [{ title: 'feed while down' }]);
  const restarted = graphClient(emulator);
  const afterRestart = await poll(options, stored(second.cursor), restarted);
  expect(afterRestart.items.map((i) => i.id)).toEqual([whileDown.id]);
  expect((await poll(options, stored(afterRestart.cursor), restarted)).items).toEqual([]);
});

test('graphAlertChanges: a new alert and each update once; a restart delivers nothing twice and misses nothing', async () => {
  const options: GraphFeedOptions = { kind: 'graphAlertChanges', lookBackMs: 10 * 60_000 };
  const first = await poll(options, undefined);
  expect(first.items).toEqual([]);
  const [created] = emulator.control.graph.insertAlerts('contoso', [{ title: 'changes feed' }]);
  const second = await poll(options, stored(first.cursor));
  expect(second.items.map((i) => i.id)).toEqual([created.id]);
  expect((await poll(options, stored(second.cursor))).items).toEqual([]);
  // An update through the API is a new change of the same alert: delivered once.
  await tick();
  await client.run('alert.update', { alertId: created.id, status: 'inProgress' });
  const updated = await poll(options, stored(second.cursor));
  expect(updated.items).toHaveLength(1);
  expect(updated.items[0]).toMatchObject({ id: created.id, status: 'inProgress' });
  expect((await poll(options, stored(updated.cursor))).items).toEqual([]);
  // "Restart" with the stored cursor: nothing twice; a change made while down is delivered once.
  const restarted = graphClient(emulator);
  expect((await poll(options, stored(updated.cursor), restarted)).items).toEqual([]);
  await tick();
  const changed = emulator.control.graph.updateAlert('contoso', String(created.id), { assignedTo: 'secop@contoso.com' })!;
  const afterRestart = await poll(options, stored(updated.cursor), restarted);
  expect(afterRestart.items.map((i) => `${String(i.id)}:${String(i.lastUpdateDateTime)}`)).toEqual([`${String(created.id)}:${String(changed.lastUpdateDateTime)}`]);
  expect((await poll(options, stored(afterRestart.cursor), restarted)).items).toEqual([]);
});

test('graphAlertChanges reads from the cursor minus the look-back window: an older change is outside it', async () => {
  const options: GraphFeedOptions = { kind: 'graphAlertChanges', lookBackMs: 60_000 };
  const { cursor } = await poll(options, undefined);
  const [target] = emulator.control.graph.insertAlerts('contoso', [{ title: 'window edge' }]);
  // Changed "before" the window (lastUpdateDateTime ge watermark - look-back excludes it), then inside it.
  emulator.control.graph.updateAlert('contoso', String(target.id), { lastUpdateDateTime: iso(cursor.watermark - 2 * 60_000) });
  expect((await poll(options, cursor)).items).toEqual([]);
  emulator.control.graph.updateAlert('contoso', String(target.id), { lastUpdateDateTime: iso(cursor.watermark - 30_000), status: 'resolved' });
  const inside = await poll(options, cursor);
  expect(inside.items).toEqual([expect.objectContaining({ id: target.id, status: 'resolved' })]);
});

test('a late update inside the look-back window is still delivered, once', async () => {
  const options: GraphFeedOptions = { kind: 'graphAlertChanges', lookBackMs: 10 * 60_000 };
  let cursor = (await poll(options, undefined)).cursor;
  const before = now();
  const [target] = emulator.control.graph.insertAlerts('contoso', [{ title: 'late target' }]);
  cursor = (await poll(options, cursor)).cursor;
  // Indexed late: its lastUpdateDateTime is 3 minutes older than the watermark.
  emulator.control.graph.updateAlert('contoso', String(target.id), { lastUpdateDateTime: iso(before - 3 * 60_000), status: 'resolved' });
  const late = await poll(options, cursor);
  expect(late.items.map((i) => i.id)).toEqual([target.id]);
  expect((await poll(options, late.cursor)).items).toEqual([]);
});

test('the per-poll cap delivers the oldest first and the rest on the next polls', async () => {
  const options: GraphFeedOptions = { kind: 'newGraphAlerts', maxPerPoll: 2 };
  let cursor = (await poll(options, undefined)).cursor;
  const base = now();
  const made = emulator.control.graph.insertAlerts('contoso', [0, 1, 2, 3, 4].map((k) => ({ title: `burst ${k}`, createdDateTime: iso(base + k * 10) })));
  const seen: unknown[] = [];
  for (let round = 0; round < 4; round++) {
    const result = await poll(options, cursor);
    seen.push(...result.items.map((i) => i.id));
    cursor = result.cursor;
    if (round < 2) expect(result.more).toBe(true);
  }
  expect(seen).toEqual(made.map((m) => m.id));
});

test('a failed poll delivers nothing and keeps the cursor; the next poll catches up', async () => {
  const options: GraphFeedOptions = { kind: 'graphAlertChanges' };
  const cursor = (await poll(options, undefined)).cursor;
  const [made] = emulator.control.graph.insertAlerts('contoso', [{ title: 'during outage' }]);
  emulator.control.graph.injectFaults('contoso', [{ status: 503, times: 10 }]);
  const snapshot = JSON.stringify(cursor);
  await expect(poll(options, cursor)).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  expect(JSON.stringify(cursor)).toBe(snapshot);
  emulator.control.graph.clearFaults('contoso');
  const next = await poll(options, cursor);
  expect(next.items.map((i) => `${String(i.id)}:${String(i.lastUpdateDateTime)}`)).toEqual([`${String(made.id)}:${String(made.lastUpdateDateTime)}`]);
});

test('startFrom hoursAgo delivers the backlog oldest first; filters narrow the feed; bad options are named', async () => {
  const result = await pollGraphAlertFeed(client, { kind: 'newGraphAlerts', startFrom: { mode: 'hoursAgo', hours: 24 * 30 }, maxPerPoll: 1000, filters: { severity: 'high' } }, undefined, now());
  expect(result.items.length).toBeGreaterThan(0);
  for (const i of result.items) expect(i.severity).toBe('high');
  const created = result.items.map((i) => Date.parse(String(i.createdDateTime)));
  expect([...created].sort((a, b) => a - b)).toEqual(created);
  const before = graphRequests(emulator).length;
  await expect(poll({ kind: 'graphAlertChanges', filters: { updatedAfter: 0 } }, undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'updatedAfter' } });
  await expect(poll({ kind: 'graphAlertChanges', filters: { top: 5 } }, undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'top' } });
  await expect(poll({ kind: 'nope' as never }, undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'event' } });
  expect(graphRequests(emulator).length).toBe(before);
});

describe('incident feeds', () => {
  const incidents = () => emulator.control.graph;

  test('newGraphIncidents: the first poll stores a cursor only; each new incident once, across a restart; an update is no new incident', async () => {
    const options: GraphFeedOptions = { kind: 'newGraphIncidents' };
    const first = await poll(options, undefined);
    expect(first.items).toEqual([]);
    expect(first.cursor).toMatchObject({ version: 1, kind: 'newGraphIncidents' });
    const made = incidents().insertIncidents('contoso', [{ displayName: 'feed incident A' }, { displayName: 'feed incident B' }]);
    const second = await poll(options, stored(first.cursor));
    expect(second.items.map((i) => i.id).sort()).toEqual(made.map((m) => m.id).sort());
    expect(second.items[0]).toHaveProperty('displayName');
    // The feed owns $expand: incidents come without their alerts.
    expect(second.items[0]).not.toHaveProperty('alerts');
    expect(await poll(options, stored(second.cursor))).toMatchObject({ items: [] });
    await tick();
    await client.run('incident.update', { incidentId: made[0].id, assignedTo: 'secop@contoso.com' });
    expect((await poll(options, stored(second.cursor))).items).toEqual([]);
    const [whileDown] = incidents().insertIncidents('contoso', [{ displayName: 'feed incident while down' }]);
    const restarted = graphClient(emulator);
    const afterRestart = await poll(options, stored(second.cursor), restarted);
    expect(afterRestart.items.map((i) => i.id)).toEqual([whileDown.id]);
    expect((await poll(options, stored(afterRestart.cursor), restarted)).items).toEqual([]);
    // The list requests filtered on createdDateTime, with the largest page and no $expand.
    const lists = graphRequests(emulator, '/security/incidents');
    expect(lists.length).toBeGreaterThan(0);
  });

  test('graphIncidentChanges: a new incident and each update once (the API and a late update inside the look-back window); a restart delivers nothing twice', async () => {
    const options: GraphFeedOptions = { kind: 'graphIncidentChanges', lookBackMs: 10 * 60_000 };
    const first = await poll(options, undefined);
    const [created] = incidents().insertIncidents('contoso', [{ displayName: 'changes feed incident' }]);
    const second = await poll(options, stored(first.cursor));
    expect(second.items.map((i) => i.id)).toEqual([created.id]);
    await tick();
    await client.run('incident.update', { incidentId: created.id, assignedTo: 'secop@contoso.com' });
    const updated = await poll(options, stored(second.cursor));
    expect(updated.items).toEqual([expect.objectContaining({ id: created.id, assignedTo: 'secop@contoso.com' })]);
    const restarted = graphClient(emulator);
    expect((await poll(options, stored(updated.cursor), restarted)).items).toEqual([]);
    // Indexed late: its lastUpdateDateTime is 3 minutes older than the watermark.
    const late = incidents().updateIncident('contoso', String(created.id), { lastUpdateDateTime: iso(updated.cursor.watermark - 3 * 60_000), status: 'resolved' })!;
    const afterRestart = await poll(options, stored(updated.cursor), restarted);
    expect(afterRestart.items.map((i) => `${String(i.id)}:${String(i.lastUpdateDateTime)}`)).toEqual([`${String(created.id)}:${String(late.lastUpdateDateTime)}`]);
    expect((await poll(options, stored(afterRestart.cursor), restarted)).items).toEqual([]);
  });

  test('filters narrow the incident feed; alert-only filters and owned inputs are refused by name before any request', async () => {
    const options: GraphFeedOptions = { kind: 'newGraphIncidents', filters: { severity: 'high' } };
    const { cursor } = await poll(options, undefined);
    const [high, low] = incidents().insertIncidents('contoso', [{ displayName: 'high one', severity: 'high' }, { displayName: 'low one', severity: 'low' }]);
    const next = await poll(options, cursor);
    expect(next.items.map((i) => i.id)).toEqual([high.id]);
    expect(next.items.map((i) => i.id)).not.toContain(low.id);
    const before = graphRequests(emulator).length;
    await expect(poll({ kind: 'graphIncidentChanges', filters: { serviceSource: 'microsoftDefenderForCloudApps' } }, undefined)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'serviceSource' },
      message: expect.stringContaining('Graph incident trigger'),
    });
    await expect(poll({ kind: 'newGraphIncidents', filters: { expandAlerts: true } }, undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'expandAlerts' } });
    await expect(poll({ kind: 'newGraphIncidents', filters: { createdAfter: 0 } }, undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'createdAfter' } });
    expect(graphRequests(emulator).length).toBe(before);
  });
});

test.each([
  ['newGraphIncidents', (n: number, base: number) => emulator.control.graph.insertIncidents('contoso', Array.from({ length: n }, (_, k) => ({ displayName: `read past the limit ${k}`, createdDateTime: iso(base + k * 1_000), lastUpdateDateTime: iso(base + k * 1_000) })), { alerts: false })],
  ['graphAlertChanges', (n: number, base: number) => emulator.control.graph.insertAlerts('contoso', Array.from({ length: n }, (_, k) => ({ title: `read past the limit ${k}`, createdDateTime: iso(base + k * 1_000), lastUpdateDateTime: iso(base + k * 1_000) })))],
] as const)('%s: a window larger than one read (newest first) is read further down; oldest first, no miss, no duplicate', async (kind, insert) => {
  // A read stops at maxScanPerPoll records, the newest ones: the feed reads again below them.
  const options: GraphFeedOptions = { kind, maxScanPerPoll: 4, maxPerPoll: 3, lookBackMs: 0 };
  let cursor = (await poll(options, undefined)).cursor;
  const made = insert(11, now() + 10_000);
  const delivered: unknown[] = [];
  const requestsBefore = graphRequests(emulator).length;
  for (let round = 0; round < 6; round++) {
    const result = await poll(options, cursor);
    expect(result.items.length).toBeLessThanOrEqual(3);
    delivered.push(...result.items.map((i) => i.id));
    cursor = stored(result.cursor);
    if (result.items.length === 0) break;
  }
  expect(delivered).toEqual(made.map((m) => m.id));
  // More than one read per poll while the window is larger than a read.
  expect(graphRequests(emulator).length - requestsBefore).toBeGreaterThan(5);
});
