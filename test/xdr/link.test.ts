// From an MDCA alert to its Defender XDR incident: the seeded incidents carry the MDCA alert id
// (providerAlertId, and alertId "ca" + id), so a playbook can find the incident of an alert.
import { startEmulator, RunningEmulator } from '../../emulator';
import { findIncidentsForAlert, incidentHasAlert } from '../../core';
import { createMdcaClient } from '../../runtime';
import { settingsFor } from '../support/emulator-settings';
import { listItems, xdrClient } from './helpers';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterAll(async () => {
  await emulator.close();
});

test('seeded incidents link to MDCA alerts with the documented fields', () => {
  const incidents = emulator.control.xdr.listIncidents('contoso');
  expect(incidents.length).toBe(40);
  const alert = (incidents[0].alerts as Record<string, unknown>[])[0];
  expect(alert).toMatchObject({ serviceSource: 'MicrosoftCloudAppSecurity', detectionSource: 'MCAS', providerAlertId: expect.stringMatching(/^[0-9a-f]{24}$/) });
  expect(alert.alertId).toBe(`ca${String(alert.providerAlertId)}`);
  expect(emulator.control.getAlert('contoso', String(alert.providerAlertId))).toBeDefined();
  const entity = (alert.entities as Record<string, unknown>[])[0];
  expect(entity).toMatchObject({ entityType: 'User', sha1: null, userPrincipalName: expect.stringContaining('@') });
});

test('MDCA alert → incident through both clients', async () => {
  const mdca = createMdcaClient(settingsFor(emulator, 'appSecret', 'contoso', { pacing: { budget: 10_000 } }));
  const xdr = xdrClient(emulator);
  const linked = emulator.control.xdr.listIncidents('contoso')[3];
  const mdcaAlertId = String((linked.alerts as Record<string, unknown>[])[0].providerAlertId);
  const alert = (await mdca.run('alert.get', { alertId: mdcaAlertId })) as { item: { _id: string; timestamp: number } };
  const found = await findIncidentsForAlert(xdr, alert.item._id, alert.item.timestamp - 60_000);
  expect(found.map((i) => i.incidentId)).toEqual([linked.incidentId]);
  const viaOperation = await listItems(await xdr.run('incident.getAll', { containsAlertId: `ca${mdcaAlertId}` }));
  expect(viaOperation.map((i) => i.incidentId)).toEqual([linked.incidentId]);
  expect(incidentHasAlert(linked, mdcaAlertId)).toBe(true);
  expect(emulator.control.xdr.incidentsForMdcaAlert('contoso', mdcaAlertId).map((i) => i.incidentId)).toEqual([linked.incidentId]);
});

test('a new MDCA alert raised into a new incident is found', async () => {
  const [alert] = emulator.control.insertAlerts('contoso', [{ title: 'Impossible travel activity' }]);
  const [incident] = emulator.control.xdr.insertIncidents('contoso', [{ mdcaAlertIds: [alert._id] }]);
  expect(incident.incidentName).toBe('Impossible travel activity');
  const found = await findIncidentsForAlert(xdrClient(emulator), String(alert._id), Date.now() - 60_000);
  expect(found.map((i) => i.incidentId)).toEqual([incident.incidentId]);
  expect(await findIncidentsForAlert(xdrClient(emulator), 'aaaaaaaaaaaaaaaaaaaaaaaa', 0)).toEqual([]);
});
