// The emulated Defender for Endpoint listener over HTTPS with tokens from real msal-node: tokens
// and permissions, machines and their OData filters, machine actions (case-sensitive bodies,
// lifecycle over emulated time, duplicates, cancel, investigation package link).
import { startEmulator, RunningEmulator } from '../../emulator';
import { WINDOWS_DEFENDER_ATP_APP_ID } from '../../emulator/mde';
import { CLOUD_HOSTS } from '../../core/service-constants';
import { evidenceDevices, mdeApi, mdeAppToken, mdeUserToken } from '../support/mde-emulator';

let emu: RunningEmulator;
let full: string;
let reader: string;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  full = await mdeAppToken(emu, 'full');
  reader = await mdeAppToken(emu, 'reader');
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.setClockOffsetMs(0);
  emu.control.mde.reset('contoso');
});

const claims = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const machines = () => emu.control.mde.listMachines('contoso');
const target = () => String(evidenceDevices(emu)[0].mdeDeviceId);
/** Moves emulated time to `ms` after now (the emulator clock, not the wall clock). */
const advance = (ms: number) => emu.control.setClockOffsetMs(emu.control.clockOffsetMs() + ms);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('tokens and permissions', () => {
  test('the token endpoint issues MDE tokens: all roles for the full app, Machine.Read.All for the reader', () => {
    expect(claims(full)).toMatchObject({ aud: 'https://api.securitycenter.microsoft.com', tid: emu.tenants.contoso.tenantId });
    expect((claims(full).roles as string[]).sort()).toEqual(['Machine.CollectForensics', 'Machine.Isolate', 'Machine.Read.All', 'Machine.ReadWrite.All', 'Machine.RestrictExecution', 'Machine.Scan']);
    expect(claims(reader).roles).toEqual(['Machine.Read.All']);
  });

  test('WindowsDefenderATP app id and the US Government resources are accepted audiences; a Graph token is not', async () => {
    for (const resource of [WINDOWS_DEFENDER_ATP_APP_ID, CLOUD_HOSTS.gccHigh.mdeTokenResource, CLOUD_HOSTS.gcc.mdeTokenResource]) {
      const token = await mdeAppToken(emu, 'full', 'contoso', resource);
      expect((await mdeApi(emu, token).get('/api/machines?$top=1')).status).toBe(200);
    }
    const graph = await mdeAppToken(emu, 'full', 'contoso', 'https://graph.microsoft.com');
    const refused = await mdeApi(emu, graph).get('/api/machines');
    expect(refused.status).toBe(401);
    expect(refused.data.error).toMatchObject({ code: 'Unauthorized' });
    expect(refused.data.error.target).toMatch(GUID);
    expect((await mdeApi(emu).get('/api/machines')).status).toBe(401);
  });

  test('reader app reads but cannot isolate (403 Forbidden naming the permission)', async () => {
    const api = mdeApi(emu, reader);
    expect((await api.get(`/api/machines/${target()}`)).status).toBe(200);
    const isolate = await api.post(`/api/machines/${target()}/isolate`, { Comment: 'x', IsolationType: 'Full' });
    expect(isolate.status).toBe(403);
    expect(isolate.data.error.code).toBe('Forbidden');
    expect(isolate.data.error.message).toContain('Machine.Isolate');
    expect(emu.control.mde.listActions('contoso')).toHaveLength(0);
  });

  test('delegated: the analyst acts (requestor is the UPN); the reader is bounded by the role whatever the scope', async () => {
    const analyst = await mdeUserToken(emu, 'analyst', ['Machine.Read', 'Machine.Isolate']);
    const created = await mdeApi(emu, analyst).post(`/api/machines/${target()}/isolate`, { Comment: 'by analyst', IsolationType: 'Selective' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ type: 'Isolate', scope: 'Selective', requestor: emu.tenants.contoso.credentials.users.analyst.username, requestorComment: 'by analyst' });
    const readerUser = await mdeUserToken(emu, 'reader', ['Machine.Read']);
    expect((await mdeApi(emu, readerUser).get('/api/machines?$top=1')).status).toBe(200);
    const refused = await mdeApi(emu, readerUser).post(`/api/machines/${target()}/unisolate`, { Comment: 'x' });
    expect(refused.status).toBe(403);
  });
});

describe('machines', () => {
  test('at least 60 machines; every Graph evidence device is one, with the same ids and names', async () => {
    const res = await mdeApi(emu, full).get('/api/machines');
    expect(res.status).toBe(200);
    expect(res.data['@odata.context']).toContain('$metadata#Machines');
    expect(res.data.value.length).toBeGreaterThanOrEqual(60);
    expect(res.data['@odata.nextLink']).toBeUndefined();
    const devices = evidenceDevices(emu);
    expect(devices.length).toBeGreaterThan(0);
    for (const d of devices) {
      const m = (res.data.value as Array<Record<string, unknown>>).find((x) => x.id === d.mdeDeviceId);
      expect(m).toMatchObject({ computerDnsName: d.deviceDnsName, aadDeviceId: d.azureAdDeviceId });
    }
    const first = res.data.value[0];
    for (const key of ['osPlatform', 'healthStatus', 'riskScore', 'exposureLevel', 'onboardingStatus', 'lastSeen', 'lastIpAddress', 'machineTags', 'rbacGroupId']) expect(first).toHaveProperty(key);
  });

  test('by id, by computer name, under /api/v1.0; unknown → 404 ResourceNotFound', async () => {
    const d = evidenceDevices(emu)[0];
    const api = mdeApi(emu, full);
    expect((await api.get(`/api/machines/${d.mdeDeviceId}`)).data.computerDnsName).toBe(d.deviceDnsName);
    expect((await api.get(`/api/machines/${d.deviceDnsName}`)).data.id).toBe(d.mdeDeviceId);
    expect((await api.get(`/api/v1.0/machines/${d.mdeDeviceId}`)).status).toBe(200);
    const missing = await api.get(`/api/machines/${'0'.repeat(40)}`);
    expect(missing.status).toBe(404);
    expect(missing.data.error).toMatchObject({ code: 'ResourceNotFound' });
  });

  test('$filter: eq, ne, startswith, and/or, dates, numbers, tags', async () => {
    const api = mdeApi(emu, full);
    const all = machines();
    const count = async (filter: string) => {
      const res = await api.get('/api/machines', { params: { $filter: filter } });
      return res.status === 404 ? 0 : (res.data.value as unknown[]).length;
    };
    const d = evidenceDevices(emu)[0];
    expect(await count(`computerDnsName eq '${d.deviceDnsName}'`)).toBe(1);
    expect(await count(`aadDeviceId eq '${d.azureAdDeviceId}'`)).toBe(1);
    expect(await count(`id eq '${d.mdeDeviceId}'`)).toBe(1);
    const prefix = d.deviceDnsName.slice(0, 4);
    expect(await count(`startswith(computerDnsName,'${prefix}')`)).toBe(all.filter((m) => String(m.computerDnsName).toLowerCase().startsWith(prefix.toLowerCase())).length);
    expect(await count("riskScore eq 'High'")).toBe(all.filter((m) => m.riskScore === 'High').length);
    expect(await count("healthStatus ne 'Active'")).toBe(all.filter((m) => m.healthStatus !== 'Active').length);
    expect(await count("riskScore eq 'High' and healthStatus eq 'Active'")).toBe(all.filter((m) => m.riskScore === 'High' && m.healthStatus === 'Active').length);
    expect(await count("osPlatform eq 'Linux' or osPlatform eq 'macOS'")).toBe(all.filter((m) => m.osPlatform === 'Linux' || m.osPlatform === 'macOS').length);
    const cut = new Date(Date.parse(String(all[0].lastSeen)) - 3600_000).toISOString();
    expect(await count(`lastSeen gt ${cut}`)).toBe(all.filter((m) => Date.parse(String(m.lastSeen)) > Date.parse(cut)).length);
    expect(await count('rbacGroupId eq 141')).toBe(all.filter((m) => m.rbacGroupId === 141).length);
    expect(await count("machineTags/any(tag: tag eq 'Server')")).toBe(all.filter((m) => (m.machineTags as string[]).includes('Server')).length);
    const bad = await api.get('/api/machines', { params: { $filter: "noSuchField eq 'x'" } });
    expect(bad.status).toBe(400);
  });

  test('nothing matches → 404 (documented); $top ≤ 10,000 and $skip page without a nextLink', async () => {
    const api = mdeApi(emu, full);
    const none = await api.get('/api/machines', { params: { $filter: "computerDnsName eq 'no-such-host.example'" } });
    expect(none.status).toBe(404);
    expect(none.data.error.code).toBe('ResourceNotFound');
    const page1 = await api.get('/api/machines?$top=25');
    const page2 = await api.get('/api/machines?$top=25&$skip=25');
    expect(page1.data.value).toHaveLength(25);
    expect(page1.data['@odata.nextLink']).toBeUndefined();
    expect(page2.data.value[0].id).toBe(machines()[25].id);
    expect((await api.get('/api/machines?$top=10001')).status).toBe(400);
    emu.control.mde.setSettings('contoso', { emptyMachineList: '200' });
    expect((await api.get('/api/machines', { params: { $filter: "computerDnsName eq 'none'" } })).data.value).toEqual([]);
  });
});
