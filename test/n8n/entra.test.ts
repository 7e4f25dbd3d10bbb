// Microsoft Entra ID in n8n: the Users and Risky Users nodes run by n8n-core's engine against the
// emulator's Graph listener over HTTPS: get a user by UPN, revoke sessions once (the record as an
// item), disable an account already disabled (unchanged, nothing sent), a dry run that sends
// nothing, confirm compromised for a list (one item per user); the credential kinds (App, OAuth2
// with the refresh token redeemed for a Graph token, the legacy token refused before anything is
// sent), a missing permission named before sending, the credential test.
import { startEmulator, RunningEmulator } from '../../emulator';
import { MicrosoftEntraIdUsers } from '../../nodes/MicrosoftEntraIdUsers/MicrosoftEntraIdUsers.node';
import { MicrosoftEntraIdRiskyUsers } from '../../nodes/MicrosoftEntraIdRiskyUsers/MicrosoftEntraIdRiskyUsers.node';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';
import { alertUsers } from '../containment/entra-helpers';
import { CRED, credentialData, oauth2CredentialData, signedInTokens } from './credential-fixtures';
import { executeNode as runNode, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
const users = new MicrosoftEntraIdUsers();
const riskyUsers = new MicrosoftEntraIdRiskyUsers();

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  emulator.control.graph.entra.reset('contoso');
  emulator.control.graph.resetRequestLog('contoso');
});

const entra = () => emulator.control.graph.entra;
const entraCredential = (kind: Parameters<typeof credentialData>[1] = 'appSecret') => {
  const base = credentialData(emulator, kind);
  return { type: base.type, data: { ...base.data, graphApiUrl: emulator.tenants.contoso.graphApiUrl } };
};
const run = async (node: INodeType, parameters: INodeParameters, c: { type: string; data: ICredentialDataDecryptedObject } = entraCredential()) =>
  (await runNode(node, { parameters, credentials: { [c.type]: c.data } })).items;
/** Requests the Graph listener saw on the Entra paths (users, Identity Protection). */
const requests = (method?: string) => emulator.control.graph.requestLog('contoso').filter((r) => /^\/v1\.0\/(users|identityProtection)/i.test(r.path) && (!method || r.method === method));
const writes = () => requests().filter((r) => r.method !== 'GET');
const atRisk = () => alertUsers(emulator).filter((u) => entra().getRisk('contoso', u.id)?.riskState === 'atRisk');

describe('Users node', () => {
  it('get by UPN: the user with accountEnabled and the sessions date', async () => {
    const [user] = alertUsers(emulator);
    const [item] = await run(users, { resource: 'user', operation: 'get', user: user.userPrincipalName });
    expect(item.json).toMatchObject({ id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: true, signInSessionsValidFromDateTime: expect.any(String) });
  });

  it('revoke sessions: one POST by object id, the record with who acted and the comment', async () => {
    const [user] = alertUsers(emulator);
    const out = await run(users, { resource: 'user', operation: 'revokeSessions', users: user.userPrincipalName, options: { comment: 'INC-20 n8n' } });
    expect(out.map((i) => i.json)).toEqual([
      expect.objectContaining({
        status: 'done',
        outcome: 'sessionsRevoked',
        target: user.userPrincipalName,
        targetId: user.id,
        comment: 'INC-20 n8n',
        credential: expect.objectContaining({ kind: 'application', appId: emulator.tenants.contoso.credentials.apps.full.clientId }),
        request: { method: 'POST', url: `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${user.id}/revokeSignInSessions` },
      }),
    ]);
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1.0/users/${user.id}/revokeSignInSessions`]);
  });

  it('disable an account already disabled: unchanged "alreadyDisabled", nothing sent', async () => {
    const [user] = alertUsers(emulator);
    entra().updateUser('contoso', user.id, { accountEnabled: false });
    const [item] = await run(users, { resource: 'user', operation: 'disable', users: user.userPrincipalName });
    expect(item.json).toMatchObject({ status: 'unchanged', outcome: 'alreadyDisabled', targetId: user.id });
    expect(item.json.request).toBeUndefined();
    expect(writes()).toEqual([]);
  });

  it('Dry Run: the exact request for each user, no write sent, the accounts unchanged', async () => {
    const [a, b] = alertUsers(emulator);
    const out = await run(users, { resource: 'user', operation: 'disable', users: `${a.userPrincipalName},${b.userPrincipalName}`, options: { dryRun: true } });
    expect(out.map((i) => i.json)).toEqual([
      expect.objectContaining({ status: 'dryRun', outcome: 'wouldSend', targetId: a.id, request: { method: 'PATCH', url: `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${a.id}`, body: { accountEnabled: false } } }),
      expect.objectContaining({ status: 'dryRun', outcome: 'wouldSend', targetId: b.id, request: { method: 'PATCH', url: `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${b.id}`, body: { accountEnabled: false } } }),
    ]);
    expect(writes()).toEqual([]);
    expect(entra().getUser('contoso', a.id)!.accountEnabled).toBe(true);
  });

  it('a missing permission is named before sending; the legacy token is refused before anything is sent', async () => {
    const [user] = alertUsers(emulator);
    const err = await run(users, { resource: 'user', operation: 'revokeSessions', users: user.id }, entraCredential('appReader')).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/User\.RevokeSessions\.All/);
    const legacy = await run(users, { authentication: 'apiToken', resource: 'user', operation: 'get', user: user.id }, entraCredential('apiToken')).catch((e) => e);
    expect(legacy).toBeInstanceOf(NodeOperationError);
    expect(legacy.message).toMatch(/legacy MDCA API token cannot call Microsoft Entra ID/);
    expect(requests()).toEqual([]);
  });

  it('OAuth2: a Graph token is redeemed from the stored refresh token', async () => {
    const [user] = alertUsers(emulator);
    // n8n holds an MDCA token after the sign-in; the node asks for a Graph one with its refresh token.
    const data = { ...oauth2CredentialData(emulator), graphApiUrl: emulator.tenants.contoso.graphApiUrl, oauthTokenData: await signedInTokens(emulator, '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read') };
    const [item] = await run(users, { authentication: 'oAuth2', resource: 'user', operation: 'get', user: user.userPrincipalName }, { type: CRED.oAuth2, data });
    expect(item.json).toMatchObject({ id: user.id });
    const [revoked] = await run(users, { authentication: 'oAuth2', resource: 'user', operation: 'revokeSessions', users: user.id }, { type: CRED.oAuth2, data });
    expect(revoked.json).toMatchObject({ status: 'done', credential: { kind: 'delegated', userPrincipalName: emulator.tenants.contoso.credentials.users.analyst.username } });
  });

  it('credential test: Connected with the Entra permissions; the reader unlocks no response action', async () => {
    const c = entraCredential();
    const ok = await runCredentialTest(users, c.type, c.data);
    expect(ok).toMatchObject({ status: 'OK', message: expect.stringMatching(/Microsoft Entra ID \(Application\).*User\.RevokeSessions\.All.*user\.revokeSessions/) });
    const reader = entraCredential('appReader');
    const r = await runCredentialTest(riskyUsers, reader.type, reader.data);
    expect(r.status).toBe('OK');
    expect(r.message).toMatch(/user\.get/);
    expect(r.message).not.toMatch(/user\.revokeSessions|riskyUser\.confirmCompromised/);
  });
});

describe('Risky Users node', () => {
  it('confirm compromised with a list: one item per user; a user already confirmed is unchanged, nothing sent for it', async () => {
    const [a, b] = atRisk();
    entra().setRisk('contoso', b.id, { riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised' });
    const out = await run(riskyUsers, { resource: 'riskyUser', operation: 'confirmCompromised', users: `${a.userPrincipalName},${b.id}`, options: { comment: 'INC-20' } });
    expect(out.map((i) => i.json)).toEqual([
      expect.objectContaining({ status: 'done', outcome: 'confirmedCompromised', target: a.userPrincipalName, targetId: a.id, comment: 'INC-20', request: expect.objectContaining({ method: 'POST', body: { userIds: [a.id] } }) }),
      expect.objectContaining({ status: 'unchanged', outcome: 'alreadyConfirmedCompromised', target: b.id, targetId: b.id, comment: 'INC-20' }),
    ]);
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/identityProtection/riskyUsers/confirmCompromised']);
    expect(entra().getRisk('contoso', a.id)).toMatchObject({ riskState: 'confirmedCompromised' });
  });
});
