// The incident change feed: new and updated incidents delivered once, across restarts, late
// updates inside the look-back window, the per-poll cap, and all-or-nothing polls.
import { startEmulator, RunningEmulator } from '../../emulator';
import { pollXdrIncidentFeed, XdrClient, XdrFeedCursor, XdrFeedOptions } from '../../core';
import { xdrClient } from './helpers';

let emulator: RunningEmulator;
let client: XdrClient;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  client = xdrClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const ids = (items: Record<string, unknown>[]) => items.map((i) => `${String(i.incidentId)}:${String(i.lastUpdateTime)}`);
// Serialize like a host would store the cursor.
const stored = (cursor: XdrFeedCursor): XdrFeedCursor => JSON.parse(JSON.stringify(cursor)) as XdrFeedCursor;

test('incidentChanges: new and updated incidents once each, across a restart', async () => {
  const options: XdrFeedOptions = { kind: 'incidentChanges', lookBackMs: 10 * 60_000 };
  const first = await pollXdrIncidentFeed(client, options, undefined, emulator.control.now());
  expect(first.items).toEqual([]);
  const [created] = emulator.control.xdr.insertIncidents('contoso', [{ incidentName: 'feed test' }]);
  const second = await pollXdrIncidentFeed(client, options, stored(first.cursor), emulator.control.now());
  expect(second.items.map((i) => i.incidentId)).toEqual([created.incidentId]);
  const again = await pollXdrIncidentFeed(client, options, stored(second.cursor), emulator.control.now());
  expect(again.items).toEqual([]);
  // An update (through the API) is a new change of the same incident.
  await new Promise((r) => setTimeout(r, 5));
  await client.run('incident.update', { incidentId: created.incidentId, status: 'InProgress' });
  const updated = await pollXdrIncidentFeed(client, options, stored(again.cursor), emulator.control.now());
  expect(updated.items).toHaveLength(1);
  expect(updated.items[0]).toMatchObject({ incidentId: created.incidentId, status: 'InProgress' });
  // "Restart": a new client, the stored cursor: nothing twice.
  const restarted = xdrClient(emulator);
  const afterRestart = await pollXdrIncidentFeed(restarted, options, stored(updated.cursor), emulator.control.now());
  expect(afterRestart.items).toEqual([]);
});

test('a late update inside the look-back window is still delivered', async () => {
  const options: XdrFeedOptions = { kind: 'incidentChanges', lookBackMs: 10 * 60_000 };
  let cursor = (await pollXdrIncidentFeed(client, options, undefined, emulator.control.now())).cursor;
  const now = emulator.control.now();
  emulator.control.xdr.insertIncidents('contoso', [{ incidentName: 'fresh' }]);
  cursor = (await pollXdrIncidentFeed(client, options, cursor, emulator.control.now())).cursor;
  // Indexed late: its lastUpdateTime is 3 minutes older than the watermark.
  const [target] = emulator.control.xdr.listIncidents('contoso').filter((i) => i.status === 'Active').slice(-1);
  emulator.control.xdr.updateIncident('contoso', target.incidentId as number, { lastUpdateTime: iso(now - 3 * 60_000), tags: ['late'] });
  const late = await pollXdrIncidentFeed(client, options, cursor, emulator.control.now());
  expect(late.items.map((i) => i.incidentId)).toEqual([target.incidentId]);
  const twice = await pollXdrIncidentFeed(client, options, late.cursor, emulator.control.now());
  expect(twice.items).toEqual([]);
});

test('the per-poll cap delivers the oldest first and the rest on the next polls', async () => {
  const options: XdrFeedOptions = { kind: 'newIncidents', maxPerPoll: 2 };
  let cursor = (await pollXdrIncidentFeed(client, options, undefined, emulator.control.now())).cursor;
  const base = emulator.control.now();
  const made = emulator.control.xdr.insertIncidents('contoso', [0, 1, 2, 3, 4].map((k) => ({ incidentName: `burst ${k}`, createdTime: iso(base + k * 10) })));
  const seen: unknown[] = [];
  for (let poll = 0; poll < 4; poll++) {
    const result = await pollXdrIncidentFeed(client, options, cursor, emulator.control.now());
    seen.push(...result.items.map((i) => i.incidentId));
    cursor = result.cursor;
    if (poll < 2) expect(result.more).toBe(true);
  }
  expect(seen).toEqual(made.map((m) => m.incidentId));
});

test('a failed poll delivers nothing and keeps the cursor; the next poll catches up', async () => {
  const options: XdrFeedOptions = { kind: 'incidentChanges' };
  const cursor = (await pollXdrIncidentFeed(client, options, undefined, emulator.control.now())).cursor;
  const [made] = emulator.control.xdr.insertIncidents('contoso', [{ incidentName: 'during outage' }]);
  emulator.control.xdr.injectFaults('contoso', [{ status: 503, times: 10 }]);
  const snapshot = JSON.stringify(cursor);
  await expect(pollXdrIncidentFeed(client, options, cursor, emulator.control.now())).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  expect(JSON.stringify(cursor)).toBe(snapshot);
  emulator.control.xdr.clearFaults('contoso');
  const next = await pollXdrIncidentFeed(client, options, cursor, emulator.control.now());
  expect(ids(next.items)).toEqual([`${String(made.incidentId)}:${String(made.lastUpdateTime)}`]);
});

test('startFrom hoursAgo delivers the backlog; filters narrow the feed; bad options are named', async () => {
  const result = await pollXdrIncidentFeed(client, { kind: 'newIncidents', startFrom: { mode: 'hoursAgo', hours: 24 * 30 }, maxPerPoll: 500, filters: { status: 'Active' } }, undefined, emulator.control.now());
  expect(result.items.length).toBeGreaterThan(0);
  for (const i of result.items) expect(i.status).toBe('Active');
  const created = result.items.map((i) => Date.parse(String(i.createdTime)));
  expect([...created].sort((a, b) => a - b)).toEqual(created);
  await expect(pollXdrIncidentFeed(client, { kind: 'incidentChanges', filters: { lastUpdatedAfter: 0 } }, undefined, 0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'lastUpdatedAfter' } });
});
