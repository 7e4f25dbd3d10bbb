// One Defender for Cloud Apps alert seen through MDCA and through Graph (emulator/graph/mdca-sync.ts),
// over HTTPS with both real clients: an MDCA close resolves the Graph alert with the matching
// classification, a Graph resolve (of the alert or its incident) closes the MDCA alert, a reopen on
// either side reopens the other, and a new MDCA alert appears in Graph inside an incident.
import { startEmulator, RunningEmulator } from '../../emulator';
import type { MdcaClient, OperationOutcome } from '../../core';
import { fastClient } from '../core/helpers';
import { fetchJson, graphClient, GraphTestClient } from './helpers';

let emulator: RunningEmulator;
let mdca: MdcaClient;
let graph: GraphTestClient;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  mdca = fastClient(emulator);
  graph = graphClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const itemOf = (outcome: OperationOutcome): Json => {
  if (outcome.kind !== 'item') throw new Error(`expected an item, got ${outcome.kind}`);
  return outcome.item as Json;
};
/** Open MDCA alerts, each used by one test only. */
const openIds = (): string[] => emulator.control.listAlerts('contoso').filter((a) => a.resolutionStatusValue === 0).map((a) => String(a._id));
const graphAlertOf = async (mdcaId: string): Promise<Json> => itemOf(await graph.run('alert.getByMdcaAlertId', { mdcaAlertId: mdcaId, includeIncident: false }));
const mdcaAlertOf = async (mdcaId: string): Promise<Json> => itemOf(await mdca.run('alert.get', { alertId: mdcaId }));

test.each([
  ['closeTruePositive', 'truePositive', 5, {}],
  ['closeBenign', 'informationalExpectedActivity', 4, { reasonId: 5 }],
  ['closeFalsePositive', 'falsePositive', 3, { reasonId: 3 }],
] as const)('MDCA %s resolves the Graph alert with classification %s; the MDCA comment is a Graph comment', async (operation, classification, mdcaStatus, extra) => {
  const index = ['closeTruePositive', 'closeBenign', 'closeFalsePositive'].indexOf(operation);
  const id = openIds()[index];
  const before = await graphAlertOf(id);
  expect(before).toMatchObject({ status: 'new', classification: 'unknown' });
  const closed = await mdca.run(`alert.${operation}`, { target: 'ids', alertIds: [id], comment: `Closed by ${operation}.`, ...extra });
  expect(closed).toMatchObject({ kind: 'perItem', items: [{ id, status: 'done' }] });
  const after = await graphAlertOf(id);
  expect(after).toMatchObject({ status: 'resolved', classification, determination: 'other', resolvedDateTime: expect.any(String) });
  expect(after.comments).toEqual([expect.objectContaining({ comment: `Closed by ${operation}.` })]);
  expect(Date.parse(String(after.lastUpdateDateTime))).toBeGreaterThanOrEqual(Date.parse(String(before.lastUpdateDateTime)));
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: mdcaStatus });
});

test('an MDCA close after a Graph resolve of the same classification keeps the Graph determination (the close carries none); another classification resets it', async () => {
  const id = openIds()[7];
  const graphId = String((await graphAlertOf(id)).id);
  await graph.run('alert.update', { alertId: graphId, status: 'resolved', classification: 'truePositive', determination: 'compromisedUser' });
  await mdca.run('alert.closeTruePositive', { target: 'ids', alertIds: [id], comment: 'Contained.' });
  expect(await graphAlertOf(id)).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'compromisedUser' });
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: 5, comment: 'Contained.' });
  await mdca.run('alert.closeBenign', { target: 'ids', alertIds: [id], reasonId: 5 });
  expect(await graphAlertOf(id)).toMatchObject({ status: 'resolved', classification: 'informationalExpectedActivity', determination: 'other' });
});

test('a Graph resolve closes the MDCA alert by its classification; a Graph reopen reopens it; nothing bounces back', async () => {
  const id = openIds()[5];
  const graphId = String((await graphAlertOf(id)).id);
  await graph.run('alert.update', { alertId: graphId, status: 'resolved', classification: 'falsePositive', determination: 'clean' });
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: 3, resolveTime: expect.any(String), handledByUser: expect.any(String) });
  // Graph keeps its own determination: the MDCA side has none to send back.
  expect(await graphAlertOf(id)).toMatchObject({ status: 'resolved', classification: 'falsePositive', determination: 'clean' });
  await graph.run('alert.update', { alertId: graphId, classification: 'truePositive', determination: 'compromisedAccount' });
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: 5 });
  await graph.run('alert.update', { alertId: graphId, status: 'inProgress' });
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: 0, resolveTime: null });
  expect(await graphAlertOf(id)).toMatchObject({ status: 'inProgress', classification: 'truePositive' });
  // A status the MDCA side does not know about (inProgress → new) changes nothing there.
  await graph.run('alert.update', { alertId: graphId, status: 'new' });
  expect(await mdcaAlertOf(id)).toMatchObject({ resolutionStatusValue: 0 });
});

test('an MDCA reopen (the MCAS module’s /api/v1/alerts/reopen/) reopens the Graph alert', async () => {
  const id = openIds()[6];
  await mdca.run('alert.closeTruePositive', { target: 'ids', alertIds: [id] });
  expect(await graphAlertOf(id)).toMatchObject({ status: 'resolved' });
  const token = emulator.control.mintAccessToken('contoso');
  const reopened = await fetchJson(emulator, `${emulator.tenants.contoso.apiUrl}/api/v1/alerts/reopen/`, token, 'POST', { filters: { id: { eq: [id] } } });
  expect(reopened).toMatchObject({ status: 200, body: { reopened: 1 } });
  expect(await graphAlertOf(id)).toMatchObject({ status: 'new', classification: 'unknown', resolvedDateTime: null });
});

test('resolving an incident resolves its alerts with its verdict and closes their MDCA alerts', async () => {
  const incident = emulator.control.graph.listIncidents('contoso').find((i) => {
    const alerts = emulator.control.graph.listAlerts('contoso').filter((a) => a.incidentId === i.id);
    return i.status === 'active' && alerts.length === 2 && alerts.every((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.status === 'new');
  })!;
  expect(incident).toBeDefined();
  await graph.run('incident.update', { incidentId: incident.id, status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
  const alerts = emulator.control.graph.listAlerts('contoso').filter((a) => a.incidentId === incident.id);
  for (const alert of alerts) {
    expect(alert).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'compromisedAccount' });
    expect(await mdcaAlertOf(String(alert.providerAlertId))).toMatchObject({ resolutionStatusValue: 5 });
  }
});

test('a new MDCA alert appears in Graph, in a new incident, with its user and device; the Graph feed delivers it', async () => {
  const { pollGraphAlertFeed } = await import('../../core');
  const first = await pollGraphAlertFeed(graph, { kind: 'newGraphAlerts' }, undefined, emulator.control.now());
  const [made] = emulator.control.insertAlerts('contoso', [{ title: 'Impossible travel (new)' }]);
  const found = itemOf(await graph.run('alert.getByMdcaAlertId', { mdcaAlertId: String(made._id) }));
  const account = (made.entities as Json[]).find((e) => e.type === 'account')!;
  expect(found).toMatchObject({ id: `ca${String(made._id)}`, title: 'Impossible travel (new)', status: 'new', evidenceUserPrincipalName: account.pa, evidenceUserObjectId: account.id, evidenceMdeDeviceId: expect.any(String), incident: { status: 'active' } });
  expect((found.incident as Json).id).toBe(found.incidentId);
  const next = await pollGraphAlertFeed(graph, { kind: 'newGraphAlerts' }, first.cursor, emulator.control.now());
  expect(next.items.map((i) => i.id)).toContain(found.id);
});
