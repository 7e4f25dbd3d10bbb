// Every Defender for Endpoint operation against the emulator's MDE listener over HTTPS with real
// msal-node tokens: machines (get, find by id, DNS name, Entra device id and a Graph alert's
// evidence, list with typed filters), machine actions (get, list, wait, package link) and the
// response actions (dry run, sent once, the record), through the one ServiceClient bound to MDE_SERVICE.
import type { RunningEmulator } from '../../emulator';
import { listItems } from '../graph/helpers';
import { evidenceDevices, emulatedTime, mdeClient, mdeRequests, recordsOf, withMdeEmulator } from './mde-helpers';

let emu: RunningEmulator;
withMdeEmulator((started) => (emu = started));

const device = () => evidenceDevices(emu)[0];

describe('machines', () => {
  test('get by id returns the machine', async () => {
    const outcome = await mdeClient(emu).run('machine.get', { machineId: device().mdeDeviceId });
    expect(outcome).toMatchObject({ kind: 'item', item: { id: device().mdeDeviceId, computerDnsName: device().deviceDnsName } });
  });

  test('find by DNS name (exact, then the host name alone), by id, by Entra device id', async () => {
    const client = mdeClient(emu);
    const { mdeDeviceId, deviceDnsName, azureAdDeviceId } = device();
    const exact = await client.run('machine.find', { findBy: 'dnsName', value: deviceDnsName });
    expect(exact).toMatchObject({ kind: 'result', result: { found: true, matchedBy: 'dnsName', machineId: mdeDeviceId } });
    const host = deviceDnsName.split('.')[0];
    const byHost = await client.run('machine.find', { findBy: 'dnsName', value: host });
    expect(byHost).toMatchObject({ kind: 'result', result: { found: true, matchedBy: 'dnsNamePrefix', machineId: mdeDeviceId } });
    expect(await client.run('machine.find', { findBy: 'id', value: mdeDeviceId })).toMatchObject({ result: { found: true, matchedBy: 'id', machineId: mdeDeviceId } });
    expect(await client.run('machine.find', { findBy: 'aadDeviceId', value: azureAdDeviceId })).toMatchObject({ result: { found: true, matchedBy: 'aadDeviceId', machineId: mdeDeviceId } });
  });

  test('find from a Graph alert, its evidence list, or the evidence fields a Graph node adds', async () => {
    const client = mdeClient(emu);
    const alert = emu.control.graph.listAlerts('contoso').find((a) => (a.evidence as Array<Record<string, unknown>>).some((e) => String(e['@odata.type']).endsWith('deviceEvidence')))!;
    const deviceEvidence = (alert.evidence as Array<Record<string, unknown>>).find((e) => String(e['@odata.type']).endsWith('deviceEvidence'))!;
    for (const given of [alert, alert.evidence, { evidenceMdeDeviceId: deviceEvidence.mdeDeviceId }, { evidenceDeviceDnsName: deviceEvidence.deviceDnsName }]) {
      const outcome = await client.run('machine.find', { findBy: 'alertEvidence', alert: given });
      expect(outcome).toMatchObject({ kind: 'result', result: { found: true, machineId: deviceEvidence.mdeDeviceId } });
    }
  });

  test('no match is found: false, not an error; an alert without a device names the field', async () => {
    const client = mdeClient(emu);
    const outcome = await client.run('machine.find', { findBy: 'dnsName', value: 'no-such-host.nowhere.example' });
    expect(outcome).toMatchObject({ kind: 'result', result: { found: false, matches: 0 } });
    expect(await client.run('machine.find', { findBy: 'id', value: 'f'.repeat(40) })).toMatchObject({ result: { found: false } });
    await expect(client.run('machine.find', { findBy: 'alertEvidence', alert: { evidence: [] } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'alert' });
  });

  test('a name that only starts the name of another machine finds nothing: the near matches are candidates, never the machine', async () => {
    const client = mdeClient(emu);
    const { mdeDeviceId, deviceDnsName } = device();
    const partial = deviceDnsName.split('.')[0].slice(0, -1);
    const outcome = await client.run('machine.find', { findBy: 'dnsName', value: partial });
    expect(outcome).toMatchObject({ kind: 'result', result: { found: false, matches: 0 } });
    if (outcome.kind !== 'result') throw new Error(`expected a result, got ${outcome.kind}`);
    expect(outcome.result.machineId).toBeUndefined();
    expect((outcome.result.candidates as { id: string }[]).map((c) => c.id)).toContain(mdeDeviceId);
  });

  test('evidence devices passed in by a flow are read as text only; a lookup never lists machines without a filter', async () => {
    const client = mdeClient(emu);
    const before = mdeRequests(emu, 'GET').length;
    for (const alert of [{ evidenceDevices: [{ deviceDnsName: 42 }] }, { evidenceDevices: [{ azureAdDeviceId: {} }, null] }, { evidenceMdeDeviceId: 7 }]) {
      await expect(client.run('machine.find', { findBy: 'alertEvidence', alert })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'alert' });
    }
    expect(mdeRequests(emu, 'GET').length).toBe(before);
    await expect(client.run('machine.find', { findBy: 'id', value: 'desktop-7' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'value' });
  });

  test('list with typed filters and $top/$skip pages', async () => {
    const client = mdeClient(emu);
    const all = await listItems(await client.run('machine.getAll', { top: 7 }, { maxItems: 100 }));
    expect(all.length).toBeGreaterThanOrEqual(60);
    const paths = mdeRequests(emu, 'GET').filter((r) => r.path === '/api/machines');
    expect(paths.length).toBeGreaterThan(1);
    const active = await listItems(await client.run('machine.getAll', { healthStatus: 'Active', computerDnsNamePrefix: device().deviceDnsName.slice(0, 3) }));
    for (const m of active) expect(m).toMatchObject({ healthStatus: 'Active' });
    await expect(client.run('machine.getAll', { filter: "color eq 'red'" })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'filter' });
  });
});

describe('machine actions', () => {
  test('get, list by machine and type, wait for completion', async () => {
    const time = emulatedTime(emu);
    const client = mdeClient(emu, 'appSecret', { time });
    const [isolated] = recordsOf(await client.run('machine.isolate', { machineIds: device().mdeDeviceId, comment: 'contain' }));
    expect(await client.run('machineAction.get', { actionId: isolated.actionId })).toMatchObject({ kind: 'item', item: { id: isolated.actionId, type: 'Isolate', status: 'Pending' } });
    const listed = await listItems(await client.run('machineAction.getAll', { machineId: device().mdeDeviceId, type: 'Isolate', status: 'Pending' }));
    expect(listed.map((a) => a.id)).toEqual([isolated.actionId]);
    const waited = await client.run('machineAction.waitForCompletion', { actionId: isolated.actionId, waitTimeoutMinutes: 5 });
    expect(waited).toMatchObject({ kind: 'result', result: { actionId: isolated.actionId, status: 'Succeeded', final: true, timedOut: false, action: { type: 'Isolate' } } });
    expect(await listItems(await client.run('machineAction.getAll', { status: 'Cancelled' }))).toEqual([]);
  });

  test('the package link once the collection succeeded; before that a not-found that says why', async () => {
    const time = emulatedTime(emu);
    const logged: string[] = [];
    const client = mdeClient(emu, 'appSecret', { time });
    const [collected] = recordsOf(await client.run('machine.collectInvestigationPackage', { machineIds: device().mdeDeviceId, comment: 'forensics' }));
    const early = client.run('machineAction.getPackageUri', { actionId: collected.actionId });
    await expect(early).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('has not Succeeded yet') });
    await client.run('machineAction.waitForCompletion', { actionId: collected.actionId });
    for (const quoted of [false, true]) {
      emu.control.mde.setSettings('contoso', { packageUriQuoted: quoted });
      const outcome = await client.run('machineAction.getPackageUri', { actionId: collected.actionId });
      if (outcome.kind !== 'result') throw new Error(outcome.kind);
      const url = String(outcome.result.downloadUrl);
      // The link the user asked for, intact: its signature is kept in the output.
      expect(url).toMatch(/^https:\/\/.*[?&]sig=[^&]+/);
      expect(outcome.result).toMatchObject({ actionId: collected.actionId, expiresAt: expect.stringMatching(/Z$/) });
      logged.push(url);
    }
    // Service text that carries such a link never shows its signature.
    const { safeServiceMessage } = await import('../../core');
    expect(safeServiceMessage(`see ${logged[0]}`)).not.toContain(new URL(logged[0]).searchParams.get('sig')!);
    expect(safeServiceMessage(`see ${logged[0]}`)).toContain('sig=[redacted]');
  });
});

describe('signed in as a user', () => {
  test('a delegated token acts and the record names the user', async () => {
    const [record] = recordsOf(await mdeClient(emu, 'userPassword').run('machine.runAntivirusScan', { machineIds: device().mdeDeviceId, comment: 'user scan' }));
    expect(record).toMatchObject({ status: 'done', credential: { kind: 'delegated', userPrincipalName: emu.tenants.contoso.credentials.users.analyst.username } });
  });
});
