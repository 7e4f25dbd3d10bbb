// Microsoft Defender for Endpoint in n8n: the Machines and Machine Actions nodes run by n8n-core's
// engine against the emulator's MDE listener over HTTPS: find a machine, a dry run and a real
// isolate (one request, the record as items), the machine action and its package link; the
// credential kinds (App, OAuth2 with the refresh token redeemed for WindowsDefenderATP, the legacy
// token refused before anything is sent), a missing permission named before sending, the credential test.
import { startEmulator, RunningEmulator } from '../../emulator';
import { MicrosoftDefenderEndpointMachines } from '../../nodes/MicrosoftDefenderEndpointMachines/MicrosoftDefenderEndpointMachines.node';
import { MicrosoftDefenderEndpointMachineActions } from '../../nodes/MicrosoftDefenderEndpointMachineActions/MicrosoftDefenderEndpointMachineActions.node';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';
import { evidenceDevices } from '../support/mde-emulator';
import { CRED, credentialData, oauth2CredentialData, signedInTokens } from './credential-fixtures';
import { executeNode as runNode, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
const machines = new MicrosoftDefenderEndpointMachines();
const actions = new MicrosoftDefenderEndpointMachineActions();

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterAll(async () => {
  await emulator?.close();
});
afterEach(() => emulator.control.mde.reset('contoso'));

const mdeCredential = (kind: Parameters<typeof credentialData>[1] = 'appSecret') => {
  const base = credentialData(emulator, kind);
  return { type: base.type, data: { ...base.data, mdeApiUrl: emulator.tenants.contoso.mdeApiUrl } };
};
const run = async (node: INodeType, parameters: INodeParameters, c: { type: string; data: ICredentialDataDecryptedObject } = mdeCredential()) =>
  (await runNode(node, { parameters, credentials: { [c.type]: c.data } })).items;
const requests = (method?: string) => emulator.control.mde.requestLog('contoso').filter((r) => r.path.startsWith('/api/') && (!method || r.method === method));
const machineId = () => evidenceDevices(emulator)[0].mdeDeviceId;

describe('Machines node', () => {
  it('find by DNS name gives the machine id', async () => {
    const [item] = await run(machines, { resource: 'machine', operation: 'find', findBy: 'dnsName', value: evidenceDevices(emulator)[0].deviceDnsName });
    expect(item.json).toMatchObject({ found: true, machineId: machineId() });
  });

  it('isolate with Dry Run: the exact request, nothing sent', async () => {
    const out = await run(machines, { resource: 'machine', operation: 'isolate', machineIds: machineId(), comment: 'n8n dry run', options: { dryRun: true } });
    expect(out.map((i) => i.json)).toEqual([
      expect.objectContaining({ status: 'dryRun', outcome: 'wouldSend', target: machineId(), request: { method: 'POST', url: `${emulator.tenants.contoso.mdeApiUrl}/api/machines/${machineId()}/isolate`, body: { Comment: 'n8n dry run', IsolationType: 'Full' } } }),
    ]);
    expect(requests()).toHaveLength(0);
  });

  it('isolate: one request, the record with the action id; again: actionAlreadyPending with the same id', async () => {
    const [first] = await run(machines, { resource: 'machine', operation: 'isolate', machineIds: machineId(), comment: 'n8n isolate' });
    expect(first.json).toMatchObject({ status: 'done', outcome: 'isolated', comment: 'n8n isolate', actionId: expect.any(String), credential: { kind: 'application' } });
    const [again] = await run(machines, { resource: 'machine', operation: 'isolate', machineIds: machineId(), comment: 'n8n isolate again' });
    expect(again.json).toMatchObject({ status: 'unchanged', outcome: 'actionAlreadyPending', actionId: first.json.actionId });
    expect(requests('POST')).toHaveLength(1);
  });

  it('a missing permission is named before sending; the legacy token is refused before anything is sent', async () => {
    const err = await run(machines, { resource: 'machine', operation: 'isolate', machineIds: machineId(), comment: 'reader' }, mdeCredential('appReader')).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/Machine\.Isolate/);
    const legacy = await run(machines, { authentication: 'apiToken', resource: 'machine', operation: 'get', machineId: machineId() }, mdeCredential('apiToken')).catch((e) => e);
    expect(legacy).toBeInstanceOf(NodeOperationError);
    expect(legacy.message).toBe('A legacy MDCA API token cannot call Microsoft Defender for Endpoint.');
    expect(requests()).toHaveLength(0);
  });

  it('Retry On Fail on a response action is refused before anything is sent (n8n would resend it after an unknown outcome); reads keep it', async () => {
    const c = mdeCredential();
    const refused = await runNode(machines, { parameters: { resource: 'machine', operation: 'isolate', machineIds: machineId(), comment: 'retry' }, credentials: { [c.type]: c.data }, retryOnFail: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(NodeOperationError);
    expect(refused.message).toMatch(/^Retry On Fail is on/);
    expect(requests()).toHaveLength(0);
    const read = await runNode(machines, { parameters: { resource: 'machine', operation: 'get', machineId: machineId() }, credentials: { [c.type]: c.data }, retryOnFail: true });
    expect(read.items[0].json).toMatchObject({ id: machineId() });
  });

  it('OAuth2: a WindowsDefenderATP token is redeemed from the stored refresh token', async () => {
    const data = { ...oauth2CredentialData(emulator), mdeApiUrl: emulator.tenants.contoso.mdeApiUrl, oauthTokenData: await signedInTokens(emulator, '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read') };
    const [item] = await run(machines, { authentication: 'oAuth2', resource: 'machine', operation: 'get', machineId: machineId() }, { type: CRED.oAuth2, data });
    expect(item.json).toMatchObject({ id: machineId() });
  });

  it('credential test: Connected with the MDE permissions; the reader unlocks no action', async () => {
    const c = mdeCredential();
    const ok = await runCredentialTest(machines, c.type, c.data);
    expect(ok).toMatchObject({ status: 'OK', message: expect.stringMatching(/Microsoft Defender for Endpoint \(Application\).*Machine\.Isolate.*machine\.isolate/) });
    const reader = mdeCredential('appReader');
    const r = await runCredentialTest(actions, reader.type, reader.data);
    expect(r.status).toBe('OK');
    expect(r.message).not.toMatch(/machine\.isolate/);
  });
});

describe('Machine Actions node', () => {
  it('get, then the package link of a finished collection', async () => {
    emulator.control.mde.setLifecycle('contoso', { pendingMs: 0, inProgressMs: 0 });
    const [collected] = await run(machines, { resource: 'machine', operation: 'collectInvestigationPackage', machineIds: machineId(), comment: 'n8n collect' });
    const actionId = String(collected.json.actionId);
    const [action] = await run(actions, { resource: 'machineAction', operation: 'get', actionId });
    expect(action.json).toMatchObject({ id: actionId, type: 'CollectInvestigationPackage', status: 'Succeeded' });
    const [link] = await run(actions, { resource: 'machineAction', operation: 'getPackageUri', actionId });
    expect(link.json).toMatchObject({ actionId, downloadUrl: expect.stringMatching(/^https:\/\/.*sig=/) });
  });
});
