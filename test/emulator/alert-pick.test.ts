// A new MDCA alert built as the seed builds one, for a named policy and seeded user (the data the
// response examples raise): its entities name that user, its Graph alert (in a new incident) has
// the user's and device's evidence, Entra ID knows the user and MDE the device. Also over the
// control API; a policy or user the seed does not have is refused, naming the choices.
import { startEmulator, RunningEmulator } from '../../emulator';
import { rawClient } from '../support/emulator-client';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterAll(() => emu.close());

type Json = Record<string, unknown>;
const seededUser = () => emu.control.listEntities('contoso').find((e) => e.type === 2)!;

test('an impossible travel alert of a seeded user: entities, countries, Graph evidence, incident, Entra user, MDE machine', () => {
  const user = seededUser();
  const [alert] = emu.control.insertAlerts('contoso', [{ severityValue: 2 }], { policy: 'impossible travel activity', user: String(user.email).toUpperCase() });
  expect(alert).toMatchObject({ title: 'Impossible travel activity', severityValue: 2, policy: { label: 'Impossible travel activity' } });
  const entities = alert.entities as Json[];
  expect(entities.find((e) => e.type === 'account')).toMatchObject({ id: user.id, pa: user.email });
  expect(entities.filter((e) => e.type === 'country')).toHaveLength(2);

  const graph = emu.control.graph.getAlert('contoso', `ca${String(alert._id)}`)!;
  expect(graph).toMatchObject({ severity: 'high', serviceSource: 'microsoftDefenderForCloudApps', incidentId: expect.any(String) });
  expect(emu.control.graph.getIncident('contoso', String(graph.incidentId))).toBeDefined();
  const evidence = graph.evidence as Json[];
  const userEvidence = evidence.find((e) => String(e['@odata.type']).endsWith('userEvidence'))!;
  expect(userEvidence.userAccount).toMatchObject({ userPrincipalName: user.email, azureAdUserId: user.id });
  const device = evidence.find((e) => String(e['@odata.type']).endsWith('deviceEvidence'))!;
  expect(emu.control.graph.entra.getUser('contoso', String(user.id))).toMatchObject({ userPrincipalName: user.email });
  expect(emu.control.mde.getMachine('contoso', String(device.mdeDeviceId))).toMatchObject({ computerDnsName: device.deviceDnsName });
});

test('the same over the control API; an unknown policy or user is refused with the choices', async () => {
  const control = rawClient(emu, emu.identityUrl);
  const user = seededUser();
  const ok = await control.post('/_emulator/tenants/contoso/alerts', { alerts: [{ severityValue: 1 }], policy: 'Impossible travel activity', user: user.id });
  expect(ok.status).toBe(200);
  expect((ok.data as Json[])[0]).toMatchObject({ title: 'Impossible travel activity', severityValue: 1 });
  expect(() => emu.control.insertAlerts('contoso', [{}], { policy: 'No such policy' })).toThrow(/no alert policy titled "No such policy"; one of: .*Impossible travel activity/);
  expect(() => emu.control.insertAlerts('contoso', [{}], { user: 'nobody@contoso.example' })).toThrow('no seeded user nobody@contoso.example');
});
