// The user and device of a Graph alert as output fields (core/graph/evidence.ts): read from each
// evidence type in the documented order, de-duplicated, and added to every alert the Graph
// operations and the alert feed output; the emulator's alerts name the MDCA records' own users.
import { startEmulator, RunningEmulator } from '../../emulator';
import { collect, evidenceFields, pollGraphAlertFeed, withEvidenceFields } from '../../core';
import { graphClient, GraphTestClient, listItems } from './helpers';

const T = '#microsoft.graph.security.';
const account = (upn: string | null, oid: string | null, displayName: string | null = null) => ({ accountName: upn?.split('@')[0] ?? null, domainName: null, userPrincipalName: upn, azureAdUserId: oid, displayName, userSid: null });

describe('evidenceFields', () => {
  test('a compromised user comes first; mailbox and process users follow; duplicates merge', () => {
    const fields = evidenceFields({
      evidence: [
        { '@odata.type': `${T}userEvidence`, roles: ['contextual'], userAccount: account('ctx@contoso.com', 'oid-ctx', 'Context User') },
        { '@odata.type': `${T}ipEvidence`, ipAddress: '203.0.113.9' },
        { '@odata.type': `${T}userEvidence`, roles: ['Compromised'], userAccount: account('Alex@Contoso.com', null, 'Alex') },
        { '@odata.type': `${T}mailboxEvidence`, upn: 'alex@contoso.com', displayName: 'Alex W', userAccount: account(null, 'oid-alex') },
        { '@odata.type': `${T}mailboxEvidence`, upn: 'box@contoso.com', userAccount: null },
        { '@odata.type': `${T}processEvidence`, userAccount: account(null, null), mdeDeviceId: null },
        { '@odata.type': `${T}userEvidence`, roles: [], userAccount: account(null, null) },
      ],
    });
    expect(fields.evidenceUsers).toEqual([
      // The mailbox names Alex by UPN and brings the object id the user evidence lacked.
      { userPrincipalName: 'Alex@Contoso.com', userObjectId: 'oid-alex', displayName: 'Alex' },
      { userPrincipalName: 'ctx@contoso.com', userObjectId: 'oid-ctx', displayName: 'Context User' },
      { userPrincipalName: 'box@contoso.com', userObjectId: null, displayName: null },
    ]);
    expect(fields).toMatchObject({ evidenceUserPrincipalName: 'Alex@Contoso.com', evidenceUserObjectId: 'oid-alex' });
  });

  test('the single fields describe the first user only, never a mix of two', () => {
    const fields = evidenceFields({
      evidence: [
        { '@odata.type': `${T}userEvidence`, roles: ['compromised'], userAccount: account('onprem@contoso.com', null) },
        { '@odata.type': `${T}userEvidence`, roles: [], userAccount: account('other@contoso.com', 'oid-other') },
      ],
    });
    expect(fields.evidenceUserPrincipalName).toBe('onprem@contoso.com');
    expect(fields).not.toHaveProperty('evidenceUserObjectId');
    expect(fields.evidenceUsers).toHaveLength(2);
  });

  test('a user seen twice is one entry, its missing fields filled from the second sighting', () => {
    const fields = evidenceFields({
      evidence: [
        { '@odata.type': `${T}userEvidence`, roles: ['compromised'], userAccount: account('alex@contoso.com', null) },
        { '@odata.type': `${T}userEvidence`, roles: ['compromised'], userAccount: account('ALEX@contoso.com', 'oid-alex', 'Alex Wilber') },
      ],
    });
    expect(fields.evidenceUsers).toEqual([{ userPrincipalName: 'alex@contoso.com', userObjectId: 'oid-alex', displayName: 'Alex Wilber' }]);
    expect(fields).toMatchObject({ evidenceUserPrincipalName: 'alex@contoso.com', evidenceUserObjectId: 'oid-alex' });
  });

  test('devices: deviceEvidence first, then the MDE ids of file and process evidence; de-duplicated', () => {
    const mde = '73e7e2de709dff64ef64b1d0c30e67fab63279db';
    const fields = evidenceFields({
      evidence: [
        { '@odata.type': `${T}processEvidence`, mdeDeviceId: 'ffffe2de709dff64ef64b1d0c30e67fab63279db', userAccount: null },
        { '@odata.type': `${T}deviceEvidence`, mdeDeviceId: mde, deviceDnsName: 'pc1.contoso.com', azureAdDeviceId: 'aad-1', hostName: 'pc1' },
        { '@odata.type': `${T}fileEvidence`, mdeDeviceId: mde.toUpperCase() },
        { '@odata.type': `${T}deviceEvidence`, mdeDeviceId: null, deviceDnsName: null, azureAdDeviceId: null },
      ],
    });
    expect(fields.evidenceDevices).toEqual([
      { mdeDeviceId: mde, deviceDnsName: 'pc1.contoso.com', azureAdDeviceId: 'aad-1' },
      { mdeDeviceId: 'ffffe2de709dff64ef64b1d0c30e67fab63279db', deviceDnsName: null, azureAdDeviceId: null },
    ]);
    expect(fields).toMatchObject({ evidenceMdeDeviceId: mde, evidenceDeviceDnsName: 'pc1.contoso.com' });
    expect(fields.evidenceUsers).toEqual([]);
    expect(fields).not.toHaveProperty('evidenceUserPrincipalName');
  });

  test('no evidence, odd evidence and non-objects: empty lists, no single fields, nothing thrown', () => {
    for (const alert of [{}, { evidence: null }, { evidence: 'x' }, { evidence: [null, 3, { '@odata.type': 42 }, { userAccount: account('a@b.c', 'o') }] }]) {
      expect(evidenceFields(alert)).toEqual({ evidenceUsers: [], evidenceDevices: [] });
    }
    expect(withEvidenceFields(null)).toBeNull();
    expect(withEvidenceFields('text')).toBe('text');
    expect(withEvidenceFields({ id: 'a', evidence: [] })).toEqual({ id: 'a', evidence: [], evidenceUsers: [], evidenceDevices: [] });
  });
});

describe('against the emulator', () => {
  let emulator: RunningEmulator;
  let client: GraphTestClient;
  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
    client = graphClient(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });

  const mdcaUserOf = (mdcaAlertId: string) => {
    const mdca = emulator.control.getAlert('contoso', mdcaAlertId)!;
    const accountEntity = (mdca.entities as Record<string, unknown>[]).find((e) => e.type === 'account')!;
    return { upn: String(accountEntity.pa), oid: String(accountEntity.id), displayName: String(accountEntity.label) };
  };

  test('alert.get: an MDCA alert names the MDCA record’s user and that user’s MDE device', async () => {
    const graphAlert = emulator.control.graph.listAlerts('contoso').find((a) => a.serviceSource === 'microsoftDefenderForCloudApps')!;
    const user = mdcaUserOf(String(graphAlert.providerAlertId));
    const outcome = await client.run('alert.get', { alertId: graphAlert.id });
    if (outcome.kind !== 'item') throw new Error(outcome.kind);
    const item = outcome.item as Record<string, unknown>;
    expect(item).toMatchObject({
      id: graphAlert.id,
      evidenceUserPrincipalName: user.upn,
      evidenceUserObjectId: user.oid,
      evidenceUsers: [{ userPrincipalName: user.upn, userObjectId: user.oid, displayName: user.displayName }],
      evidenceMdeDeviceId: expect.stringMatching(/^[0-9a-f]{40}$/),
      evidenceDeviceDnsName: expect.stringMatching(/-pc\.contoso\.example$/),
      evidenceDevices: [{ mdeDeviceId: expect.any(String), deviceDnsName: expect.any(String), azureAdDeviceId: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
    });
    // The raw evidence stays as Graph sent it.
    expect(item.evidence).toEqual(graphAlert.evidence);
  });

  test('the same user has the same device on every alert, MDCA or Defender for Endpoint', async () => {
    const all = await listItems(await client.run('alert.getAll', { top: 1000 }, { maxItems: 100_000 }));
    expect(all.length).toBe(emulator.control.graph.listAlerts('contoso').length);
    const deviceOfUser = new Map<string, string>();
    for (const alert of all) {
      expect(alert.evidenceUsers).toEqual(expect.any(Array));
      expect(alert.evidenceUserPrincipalName).toEqual(expect.any(String));
      expect(alert.evidenceMdeDeviceId).toEqual(expect.any(String));
      const upn = String(alert.evidenceUserPrincipalName);
      expect(deviceOfUser.get(upn) ?? alert.evidenceMdeDeviceId).toBe(alert.evidenceMdeDeviceId);
      deviceOfUser.set(upn, String(alert.evidenceMdeDeviceId));
    }
    const mdeAlert = all.find((a) => a.serviceSource === 'microsoftDefenderForEndpoint')!;
    const users = new Set(emulator.control.listEntities('contoso').map((e) => e.email));
    expect(users.has(mdeAlert.evidenceUserPrincipalName)).toBe(true);
    expect(mdeAlert.evidenceUserObjectId).toBe(emulator.control.listEntities('contoso').find((e) => e.email === mdeAlert.evidenceUserPrincipalName)!.id);
    expect(deviceOfUser.size).toBeGreaterThan(1);
  });

  test('alert.update answers the alert with its evidence fields', async () => {
    const target = emulator.control.graph.listAlerts('contoso').find((a) => a.status === 'new')!;
    const outcome = await client.run('alert.update', { alertId: target.id, assignedTo: 'soc@contoso.example' });
    expect(outcome).toMatchObject({ kind: 'item', item: { id: target.id, assignedTo: 'soc@contoso.example', evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String) } });
  });

  test('incidents with $expand=alerts carry the fields on each alert; without it nothing is added', async () => {
    const [incident] = emulator.control.graph.listIncidents('contoso');
    const got = await client.run('incident.get', { incidentId: incident.id, expandAlerts: true });
    if (got.kind !== 'item') throw new Error(got.kind);
    const alerts = (got.item as { alerts: Record<string, unknown>[] }).alerts;
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a).toMatchObject({ evidenceUsers: expect.any(Array), evidenceUserPrincipalName: expect.any(String) });
    const plain = await client.run('incident.get', { incidentId: incident.id });
    expect(plain).toMatchObject({ kind: 'item' });
    expect((plain as { item: Record<string, unknown> }).item).not.toHaveProperty('evidenceUsers');
    const listed = await listItems(await client.run('incident.getAll', { expandAlerts: true, top: 5 }, { maxItems: 5 }));
    expect(listed).toHaveLength(5);
    for (const i of listed) for (const a of i.alerts as Record<string, unknown>[]) expect(a).toHaveProperty('evidenceDevices');
  });

  test('an incident’s alerts are about one user and device; an incident is resolved exactly when its alerts are', async () => {
    const incidents = await listItems(await client.run('incident.getAll', { expandAlerts: true, top: 100 }, { maxItems: 1_000 }));
    expect(incidents.length).toBe(emulator.control.graph.listIncidents('contoso').length);
    let pairs = 0;
    for (const incident of incidents) {
      const alerts = incident.alerts as Record<string, unknown>[];
      expect(alerts.length).toBeGreaterThan(0);
      expect(new Set(alerts.map((a) => a.evidenceUserPrincipalName)).size).toBe(1);
      expect(new Set(alerts.map((a) => a.evidenceMdeDeviceId)).size).toBe(1);
      expect(incident.status === 'resolved').toBe(alerts.every((a) => a.status === 'resolved'));
      if (alerts.length === 2) pairs++;
    }
    expect(pairs).toBeGreaterThan(0);
  });

  test('the alert feed delivers the fields; its keys are unchanged', async () => {
    const first = await pollGraphAlertFeed(client, { kind: 'newGraphAlerts' }, undefined, emulator.control.now());
    const [made] = emulator.control.graph.insertAlerts('contoso', [{ title: 'evidence feed' }]);
    const next = await pollGraphAlertFeed(client, { kind: 'newGraphAlerts' }, first.cursor, emulator.control.now());
    expect(next.items).toHaveLength(1);
    expect(next.items[0]).toMatchObject({ id: made.id, evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String) });
    expect(JSON.stringify(next.cursor)).not.toContain('evidence');
    expect(await collect(client.pages('alert.getAll', { top: 1 }, { maxItems: 1 }))).toEqual([expect.objectContaining({ evidenceUsers: expect.any(Array) })]);
  });
});
