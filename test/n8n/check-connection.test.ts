// The "Check Connection" operation of the n8n resource nodes, run by n8n-core's engine against
// the emulator: identity, cloud, API host, permissions, unlocked and locked operations for each
// credential kind (OAuth2 included), every read operation of the service when asked, and the
// operation list of saved workflows unchanged (a new last option, the default still the first).
import { startEmulator, RunningEmulator } from '../../emulator';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsFiles } from '../../nodes/MicrosoftDefenderCloudAppsFiles/MicrosoftDefenderCloudAppsFiles.node';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftGraphSecurityAlerts } from '../../nodes/MicrosoftGraphSecurityAlerts/MicrosoftGraphSecurityAlerts.node';
import { MicrosoftEntraIdUsers } from '../../nodes/MicrosoftEntraIdUsers/MicrosoftEntraIdUsers.node';
import { MicrosoftEntraIdRiskyUsers } from '../../nodes/MicrosoftEntraIdRiskyUsers/MicrosoftEntraIdRiskyUsers.node';
import { MicrosoftDefenderEndpointMachines } from '../../nodes/MicrosoftDefenderEndpointMachines/MicrosoftDefenderEndpointMachines.node';
import { MicrosoftDefenderEndpointMachineActions } from '../../nodes/MicrosoftDefenderEndpointMachineActions/MicrosoftDefenderEndpointMachineActions.node';
import { notRunReason } from '../../core/connection-check';
import { MDE_SERVICE } from '../../core/services/mde';
import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { clouds } from '../../core/clouds';
import { Workflow, createEmptyRunExecutionData } from 'n8n-workflow';
import { MicrosoftDefenderCloudAppsOAuth2Api } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MDCA_PORTAL_SUFFIXES, NOT_AN_MDCA_HOST } from '../../credentials/oauth2-credential-test';
import { CRED, credentialData, graphCredentialData, graphOAuth2CredentialData, oauth2CredentialData, xdrCredentialData } from './credential-fixtures';
import { executeNode } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({});
  emulator.control.setThrottle('contoso', false);
  emulator.control.xdr.setThrottle('contoso', false);
  emulator.control.graph.setThrottle('contoso', false);
  emulator.control.mde.setThrottle('contoso', false);
});
afterAll(async () => {
  await emulator?.close();
});

async function check(node: ConstructorParameters<typeof Object>[0], c: { type: string; data: ICredentialDataDecryptedObject }, authentication: string, runEveryReadOperation = false) {
  const { items } = await executeNode(node, { parameters: { authentication, operation: 'checkConnection', runEveryReadOperation }, credentials: { [c.type]: c.data } });
  expect(items).toHaveLength(1);
  return items[0].json as Record<string, any>;
}

test('"Check Connection" is the last option of every resource node; the default operation is unchanged', () => {
  for (const node of [new MicrosoftDefenderCloudAppsAlerts(), new MicrosoftDefenderXdrIncidents(), new MicrosoftGraphSecurityAlerts(), new MicrosoftEntraIdUsers(), new MicrosoftEntraIdRiskyUsers(), new MicrosoftDefenderEndpointMachines(), new MicrosoftDefenderEndpointMachineActions()]) {
    const operation = node.description.properties.find((p) => p.name === 'operation') as INodeProperties;
    const values = (operation.options as { value: string }[]).map((o) => o.value);
    expect(values[values.length - 1]).toBe('checkConnection');
    expect(operation.default).toBe(values[0]);
    expect(operation.default).not.toBe('checkConnection');
    expect(node.description.properties.find((p) => p.name === 'runEveryReadOperation')).toMatchObject({ type: 'boolean', default: false });
  }
});

test('MDCA app credential: identity, cloud, API host and grants; with every read operation, each is green', async () => {
  const c = credentialData(emulator, 'appSecret');
  const report = await check(new MicrosoftDefenderCloudAppsAlerts(), c, 'app', true);
  const t = emulator.tenants.contoso;
  expect(report).toMatchObject({ service: 'mdca', cloud: 'commercial', apiHost: new URL(t.apiUrl).host, signedIn: true, identity: { kind: 'application', appId: t.credentials.apps.full.clientId, tenantId: t.tenantId } });
  expect(report.locked).toEqual([]);
  const reads = MDCA_SERVICE.operations.filter((o) => o.access === 'read').map((o) => `${o.id}:ok`);
  expect(report.operations.map((o: { id: string; status: string }) => `${o.id}:${o.status}`)).toEqual(reads);
  expect(report.text).toContain('Read operations:');
  expect(JSON.stringify(report)).not.toContain(String(c.data.clientSecret));
});

test('MDCA reader app on the Files node: locked operations with the permission each needs', async () => {
  const report = await check(new MicrosoftDefenderCloudAppsFiles(), credentialData(emulator, 'appReader'), 'app');
  expect(report.permissions).toEqual(['Investigation.read']);
  expect(report.locked).toContainEqual({ id: 'ipRange.create', displayName: 'Create', needs: ['Investigation.manage', 'Settings.manage'] });
  expect(report.operations).toBeUndefined();
});

test('OAuth2 credential: the user and the delegated permissions, through n8n\'s own token', async () => {
  const data = oauth2CredentialData(emulator);
  const report = await check(new MicrosoftDefenderCloudAppsAlerts(), { type: CRED.oAuth2, data }, 'oAuth2', true);
  expect(report).toMatchObject({ signedIn: true, identity: { kind: 'delegated' } });
  expect(report.identity.userPrincipalName).toMatch(/@contoso\.example$/);
  expect(report.operations.every((o: { status: string }) => o.status === 'ok')).toBe(true);
});

test('Defender XDR and Microsoft Graph nodes check their own service; Graph with OAuth2 too', async () => {
  const xdr = await check(new MicrosoftDefenderXdrIncidents(), xdrCredentialData(emulator, 'appSecret'), 'app', true);
  expect(xdr).toMatchObject({ service: 'xdr', apiHost: new URL(emulator.tenants.contoso.xdrApiUrl).host, signedIn: true });
  expect(xdr.operations.map((o: { id: string; status: string }) => `${o.id}:${o.status}`)).toEqual(['incident.getAll:ok', 'incident.get:ok', 'advancedHunting.run:ok']);
  const graph = await check(new MicrosoftGraphSecurityAlerts(), graphCredentialData(emulator, 'appSecret'), 'app');
  expect(graph).toMatchObject({ service: 'graph', signedIn: true });
  const oauth = await check(new MicrosoftGraphSecurityAlerts(), { type: CRED.oAuth2, data: await graphOAuth2CredentialData(emulator) }, 'oAuth2');
  expect(oauth).toMatchObject({ service: 'graph', signedIn: true, identity: { kind: 'delegated' } });
});

test('Defender for Endpoint nodes: the grants, the response actions a reader app cannot run with the WindowsDefenderATP permission each needs; one machine read, never an action', async () => {
  const t = emulator.tenants.contoso;
  const mde = (kind: 'appSecret' | 'appReader') => {
    const base = credentialData(emulator, kind);
    return { type: base.type, data: { ...base.data, mdeApiUrl: t.mdeApiUrl } };
  };
  emulator.control.mde.resetRequestLog('contoso');
  const full = await check(new MicrosoftDefenderEndpointMachines(), mde('appSecret'), 'app', true);
  expect(full).toMatchObject({ service: 'mde', apiHost: new URL(t.mdeApiUrl).host, signedIn: true, locked: [], identity: { kind: 'application', appId: t.credentials.apps.full.clientId } });
  const expected = MDE_SERVICE.operations.filter((o) => o.access === 'read' && Object.values(o.steps ?? {}).every((s) => s.access === 'read')).map((o) => `${o.id}:${notRunReason('mde', o.id) ? 'skipped' : 'ok'}`);
  expect(full.operations.map((o: { id: string; status: string }) => `${o.id}:${o.status}`)).toEqual(expected);
  expect(full.operations.find((o: { id: string }) => o.id === 'machine.getAll')).toMatchObject({ status: 'ok', records: 1 });
  expect(emulator.control.mde.requestLog('contoso').map((e) => `${e.method} ${e.path}`)).toEqual(['GET /api/machines']);

  const reader = await check(new MicrosoftDefenderEndpointMachineActions(), mde('appReader'), 'app');
  expect(reader.permissions).toEqual(['Machine.Read.All']);
  expect(reader.locked).toContainEqual(expect.objectContaining({ id: 'machine.isolate', needs: ['Machine.Isolate'] }));
  expect(reader.locked).toContainEqual(expect.objectContaining({ id: 'machine.collectInvestigationPackage', needs: ['Machine.CollectForensics'] }));
  expect(reader.grantHint).toContain('"WindowsDefenderATP"');
  expect(reader.text).toMatch(/How to grant .*WindowsDefenderATP/);
  expect(reader.operations).toBeUndefined();
  expect(emulator.control.mde.requestLog('contoso')).toHaveLength(1);
});

test('Entra ID nodes: the grants and the Microsoft Graph permission each locked action needs; no user is read', async () => {
  const t = emulator.tenants.contoso;
  emulator.control.graph.resetRequestLog('contoso');
  const reader = await check(new MicrosoftEntraIdUsers(), graphCredentialData(emulator, 'appReader'), 'app', true);
  expect(reader).toMatchObject({ service: 'entra', apiHost: new URL(t.graphApiUrl).host, signedIn: true });
  expect(reader.unlocked.map((u: { id: string }) => u.id)).toEqual(['user.get', 'riskyUser.get']);
  expect(reader.locked).toContainEqual(expect.objectContaining({ id: 'user.revokeSessions', needs: expect.arrayContaining(['User.RevokeSessions.All']) }));
  expect(reader.grantHint).toContain('"Microsoft Graph"');
  expect(reader.operations.map((o: { id: string; status: string; reason: string }) => `${o.id}:${o.status}:${o.reason}`)).toEqual([
    'user.get:skipped:not run: names a user; the check names none and reads no user',
    'riskyUser.get:skipped:not run: names a user; the check names none and reads no user',
  ]);
  const full = await check(new MicrosoftEntraIdRiskyUsers(), graphCredentialData(emulator, 'appSecret'), 'app');
  expect(full).toMatchObject({ service: 'entra', signedIn: true, locked: [] });
  expect(full.grantHint).toBeUndefined();
  expect(emulator.control.graph.requestLog('contoso')).toEqual([]);
});

describe('the OAuth2 credential\'s own test (n8n would otherwise only check that it holds a token)', () => {
  test('its portal domains are the ones the core accepts', () => {
    expect([...MDCA_PORTAL_SUFFIXES].sort()).toEqual(Object.values(clouds).flatMap((c) => [...c.apiHostSuffixes]).sort());
  });

  test('n8n\'s expression engine sends the token only to an MDCA portal host of the credential', async () => {
    const test = new MicrosoftDefenderCloudAppsOAuth2Api().test;
    expect(test.request).toMatchObject({ url: '/api/v1/alerts/', method: 'POST', body: { limit: 1 } });
    const nodeTypes = { getByName: () => ({ description: { properties: [] } }), getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) } as never;
    const workflow = new Workflow({ nodes: [{ id: '1', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} }], connections: {}, active: false, nodeTypes });
    const expression = workflow.expression as unknown as { acquireIsolate?: () => Promise<void>; getParameterValue: (...args: unknown[]) => unknown };
    await expression.acquireIsolate?.();
    const baseUrl = (apiUrl: unknown) => expression.getParameterValue(test.request.baseURL, createEmptyRunExecutionData(), 0, 0, 'N', [], 'internal', { $credentials: { apiUrl } });
    expect(baseUrl(' https://contoso.eu2.portal.cloudappsecurity.com/ ')).toBe('https://contoso.eu2.portal.cloudappsecurity.com');
    expect(baseUrl('https://contoso.us3.portal.cloudappsecuritygov.com')).toBe('https://contoso.us3.portal.cloudappsecuritygov.com');
    expect(baseUrl('https://contoso.portal.cloudappsecurity.us')).toBe('https://contoso.portal.cloudappsecurity.us');
    for (const bad of ['https://evil.example', 'https://contoso.portal.cloudappsecurity.com.evil.example', 'http://contoso.portal.cloudappsecurity.com', 'https://contoso.portal.cloudappsecurity.com/api', 'https://a.b.c.portal.cloudappsecurity.com', 'https://127.0.0.1:8443', '', undefined]) {
      expect([bad, baseUrl(bad)]).toEqual([bad, NOT_AN_MDCA_HOST]);
    }
  });
});
