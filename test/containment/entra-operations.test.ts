// Every Microsoft Entra ID operation (users and Identity Protection risky users) round-trips against
// the emulator's Graph listener over HTTPS with real msal, through the one ServiceClient bound to
// ENTRA_SERVICE: the answers, the "already" outcomes (nothing sent), dry runs, the permission named
// before sending, the admin-target rule, delegated tokens bounded by the user's role, the P2 flag.
import type { RunningEmulator } from '../../emulator';
import { entraOperations } from '../../core';
import { registryRoundTrips } from '../support/registry-round-trips';
import { fetchJson } from '../graph/helpers';
import { alertUsers, entraClient, entraClientWithRoles, entraRequests, EntraTestClient, recordsOf } from './entra-helpers';

let emulator: RunningEmulator;
let client: EntraTestClient;
const { run } = registryRoundTrips(entraOperations, { tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  client = entraClient(e);
  return client;
});
const entra = () => emulator.control.graph.entra;
const writes = () => entraRequests(emulator).filter((r) => r.method !== 'GET');
const userNamed = (predicate: (upn: string) => boolean) => entra().listUsers('contoso').find((u) => predicate(u.userPrincipalName))!;

beforeEach(() => {
  entra().reset('contoso');
  emulator.control.graph.resetRequestLog('contoso');
});

describe('users', () => {
  test('get by UPN and by object id, with accountEnabled and the sessions date', async () => {
    const [user] = alertUsers(emulator);
    const byUpn = await run('user.get', { user: user.userPrincipalName });
    expect(byUpn).toMatchObject({ kind: 'item', item: { id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: true, signInSessionsValidFromDateTime: expect.any(String) } });
    expect(await client.run('user.get', { user: user.id })).toEqual(byUpn);
  });

  test('a UPN starting with $ goes by the key form; a guest UPN has # encoded', async () => {
    const dollar = userNamed((upn) => upn.startsWith('$'));
    const guest = userNamed((upn) => upn.includes('#EXT#'));
    expect(await client.run('user.get', { user: dollar.userPrincipalName })).toMatchObject({ item: { id: dollar.id } });
    expect(await client.run('user.get', { user: guest.userPrincipalName })).toMatchObject({ item: { id: guest.id, userType: 'Guest' } });
    const paths = entraRequests(emulator).map((r) => r.path);
    expect(paths[0]).toBe("/v1.0/users('%24svc%2Ebackup%40contoso%2Eexample')");
    expect(paths[1]).toContain('%23EXT%23');
    // Without the key form the service refuses a $ UPN (user-get page).
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['User.Read.All'] });
    const refused = await fetchJson(emulator, `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${encodeURIComponent(dollar.userPrincipalName)}`, token, 'GET');
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', innerError: { 'request-id': expect.any(String) } } } });
  });

  test("a $ UPN with a quote: the key form's quotes from the template, the inner quote doubled and encoded", async () => {
    const before = entraRequests(emulator).length;
    await expect(client.run('user.get', { user: "$o'svc.backup@contoso.example" })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404 } });
    expect(entraRequests(emulator).slice(before).map((r) => r.path)).toEqual(["/v1.0/users('%24o%27%27svc%2Ebackup%40contoso%2Eexample')"]);
  });

  test('an unknown user is NOT_FOUND; a malformed one names its field and sends nothing', async () => {
    await expect(client.run('user.get', { user: 'nobody@contoso.example' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404 } });
    const before = entraRequests(emulator).length;
    await expect(client.run('user.get', { user: 'two words' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'user' } });
    await expect(client.run('user.disable', { users: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'users' } });
    expect(entraRequests(emulator).length).toBe(before);
  });

  test('revokeSessions: each user read, then one POST by object id; the sessions date moves to now', async () => {
    const [a, b] = alertUsers(emulator);
    const { summary, records } = recordsOf(await run('user.revokeSessions', { users: [a.userPrincipalName, b.id], comment: 'INC-42' }));
    expect(summary).toMatchObject({ requested: 2, done: 2 });
    for (const [record, user] of [[records[0], a], [records[1], b]] as const) {
      expect(record).toMatchObject({ status: 'done', outcome: 'sessionsRevoked', targetId: user.id, targetName: user.userPrincipalName, comment: 'INC-42', credential: { kind: 'application', appId: emulator.tenants.contoso.credentials.apps.full.clientId } });
      expect(record.request).toEqual({ method: 'POST', url: `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${user.id}/revokeSignInSessions` });
      expect(entra().getUser('contoso', user.id)!.signInSessionsValidFromDateTime).not.toBe(user.signInSessionsValidFromDateTime);
    }
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1.0/users/${a.id}/revokeSignInSessions`, `POST /v1.0/users/${b.id}/revokeSignInSessions`]);
    // The 204 answer the known-issues page says it should be is a success too.
    entra().setSettings('contoso', { revokeStatus: 204 });
    expect(recordsOf(await client.run('user.revokeSessions', { users: a.id })).records[0]).toMatchObject({ status: 'done' });
  });

  test('disable, then disable again: alreadyDisabled and nothing sent; enable likewise', async () => {
    const [user] = alertUsers(emulator);
    expect(recordsOf(await run('user.disable', { users: user.userPrincipalName })).records[0]).toMatchObject({ status: 'done', outcome: 'disabled', request: { method: 'PATCH', body: { accountEnabled: false } } });
    expect(entra().getUser('contoso', user.id)!.accountEnabled).toBe(false);
    const again = recordsOf(await client.run('user.disable', { users: user.id })).records[0];
    expect(again).toMatchObject({ status: 'unchanged', outcome: 'alreadyDisabled', targetId: user.id });
    expect(again.request).toBeUndefined();
    expect(writes()).toHaveLength(1);
    expect(recordsOf(await run('user.enable', { users: user.id })).records[0]).toMatchObject({ status: 'done', outcome: 'enabled', request: { body: { accountEnabled: true } } });
    expect(recordsOf(await client.run('user.enable', { users: user.id })).records[0]).toMatchObject({ status: 'unchanged', outcome: 'alreadyEnabled' });
    expect(writes()).toHaveLength(2);
  });

  test('dry run: reads to name each user, sends no write, reports the exact request', async () => {
    const [a, b] = alertUsers(emulator);
    const { summary, records } = recordsOf(await client.run('user.disable', { users: [a.userPrincipalName, b.userPrincipalName], dryRun: true }));
    expect(summary).toMatchObject({ dryRun: true, wouldSend: 2, done: 0 });
    expect(records[1]).toMatchObject({ status: 'dryRun', outcome: 'wouldSend', targetId: b.id, request: { method: 'PATCH', url: `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${b.id}`, body: { accountEnabled: false } } });
    expect(writes()).toHaveLength(0);
    expect(entra().getUser('contoso', a.id)!.accountEnabled).toBe(true);
  });

  test('an admin target needs a privileged caller: 403 for that user only, the others are still done', async () => {
    const admin = userNamed((upn) => upn.startsWith('admin@'));
    const [user] = alertUsers(emulator);
    const { summary, records } = recordsOf(await client.run('user.disable', { users: [admin.userPrincipalName, user.userPrincipalName] }));
    expect(summary).toMatchObject({ failed: 1, done: 1, skipped: 0 });
    expect(records[0]).toMatchObject({ status: 'failed', errorCode: 'PERMISSION_MISSING', targetId: admin.id, message: expect.stringContaining('Insufficient privileges') });
    expect(entra().getUser('contoso', admin.id)!.accountEnabled).toBe(true);
    entra().setSettings('contoso', { privilegedApps: [emulator.tenants.contoso.credentials.apps.full.clientId] });
    expect(recordsOf(await client.run('user.revokeSessions', { users: admin.id })).records[0]).toMatchObject({ status: 'done' });
  });

  test('a missing permission is named before anything is sent', async () => {
    const [user] = alertUsers(emulator);
    const readOnly = entraClientWithRoles(emulator, ['User.Read.All', 'IdentityRiskyUser.Read.All']);
    for (const id of ['user.disable', 'user.revokeSessions', 'riskyUser.dismiss', 'riskyUser.confirmCompromised']) {
      await expect(readOnly.run(id, { users: user.id })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', message: expect.stringContaining('Nothing was sent') });
    }
    await expect(entraClientWithRoles(emulator, ['SecurityAlert.Read.All']).run('user.get', { user: user.id })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', message: expect.stringContaining('User.Read.All') });
    expect(entraRequests(emulator)).toHaveLength(0);
    // The least privileged pair of the user-update page disables; User.EnableDisableAccount.All alone cannot read first.
    const pair = entraClientWithRoles(emulator, ['User.EnableDisableAccount.All', 'User.Read.All']);
    expect(recordsOf(await pair.run('user.disable', { users: user.id })).records[0]).toMatchObject({ status: 'done' });
  });

  test('a delegated token does no more than the signed-in user’s role: the reader cannot revoke', async () => {
    const t = emulator.tenants.contoso;
    const reader = entraClient(emulator, { kind: 'userPassword', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, username: t.credentials.users.reader.username, password: t.credentials.users.reader.password });
    const [user] = alertUsers(emulator);
    expect(await reader.run('user.get', { user: user.id })).toMatchObject({ item: { id: user.id } });
    await expect(reader.run('user.revokeSessions', { users: user.id })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', details: { status: 403 } });
    const analyst = entraClient(emulator, 'userPassword');
    expect(recordsOf(await analyst.run('user.revokeSessions', { users: user.id })).records[0]).toMatchObject({ status: 'done', credential: { kind: 'delegated', userPrincipalName: t.credentials.users.analyst.username } });
  });
});

describe('risky users', () => {
  const atRisk = () => {
    const users = alertUsers(emulator);
    return users.find((u) => entra().getRisk('contoso', u.id)?.riskState === 'atRisk')!;
  };
  const neverRisky = () => alertUsers(emulator).find((u) => entra().getRisk('contoso', u.id) === undefined)!;

  test('get by object id or UPN; a user never at risk is NOT_FOUND', async () => {
    const user = atRisk();
    expect(await run('riskyUser.get', { user: user.id })).toMatchObject({ item: { id: user.id, riskState: 'atRisk', userPrincipalName: user.userPrincipalName } });
    expect(await client.run('riskyUser.get', { user: user.userPrincipalName })).toMatchObject({ item: { id: user.id } });
    await expect(client.run('riskyUser.get', { user: neverRisky().id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('confirmCompromised: UPN resolved to the id, risk high; again: alreadyConfirmedCompromised, nothing sent', async () => {
    const user = atRisk();
    const first = recordsOf(await run('riskyUser.confirmCompromised', { users: user.userPrincipalName })).records[0];
    expect(first).toMatchObject({ status: 'done', outcome: 'confirmedCompromised', targetId: user.id, request: { body: { userIds: [user.id] } } });
    expect(entra().getRisk('contoso', user.id)).toMatchObject({ riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised' });
    const again = recordsOf(await client.run('riskyUser.confirmCompromised', { users: user.id })).records[0];
    expect(again).toMatchObject({ status: 'unchanged', outcome: 'alreadyConfirmedCompromised', riskState: 'confirmedCompromised', targetName: user.userPrincipalName });
    expect(writes()).toHaveLength(1);
  });

  test('dismiss: at risk → dismissed; dismissed or never at risk → alreadyDismissed, nothing sent', async () => {
    const user = atRisk();
    const fresh = neverRisky();
    const { records } = recordsOf(await run('riskyUser.dismiss', { users: [user.id, fresh.id], comment: 'false positive' }));
    expect(records.map((r) => [r.status, r.outcome])).toEqual([['done', 'riskDismissed'], ['unchanged', 'alreadyDismissed']]);
    expect(entra().getRisk('contoso', user.id)).toMatchObject({ riskLevel: 'none', riskState: 'dismissed' });
    expect(recordsOf(await client.run('riskyUser.dismiss', { users: user.id })).records[0]).toMatchObject({ status: 'unchanged', outcome: 'alreadyDismissed' });
    expect(writes()).toHaveLength(1);
  });

  test('without P2 Identity Protection answers 403; the list stops after the first (every user would fail alike)', async () => {
    entra().setSettings('contoso', { p2Licensed: false });
    const [a, b] = alertUsers(emulator);
    await expect(client.run('riskyUser.get', { user: a.id })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', message: expect.stringContaining('P2') });
    await expect(client.run('riskyUser.dismiss', { users: [a.id, b.id] })).rejects.toMatchObject({ code: 'PERMISSION_MISSING' });
    expect(writes()).toHaveLength(0);
  });

  test('the listener: list with $filter, Graph error bodies, at most 60 ids, Identity Protection throttled without Retry-After', async () => {
    const url = `${emulator.tenants.contoso.graphApiUrl}/v1.0/identityProtection/riskyUsers`;
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['IdentityRiskyUser.ReadWrite.All'] });
    const high = await fetchJson(emulator, `${url}?$filter=${encodeURIComponent("riskLevel eq 'high' and riskState eq 'atRisk'")}`, token, 'GET');
    expect(high.status).toBe(200);
    const value = (high.body as { value: { riskLevel: string }[] }).value;
    expect(value.length).toBeGreaterThan(0);
    for (const r of value) expect(r.riskLevel).toBe('high');
    const tooMany = await fetchJson(emulator, `${url}/dismiss`, token, 'POST', { userIds: Array.from({ length: 61 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`) });
    expect(tooMany).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
    const noRole = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['IdentityRiskyUser.Read.All'] });
    expect(await fetchJson(emulator, `${emulator.tenants.contoso.graphApiUrl}/v1.0/users/${alertUsers(emulator)[0].id}`, noRole, 'GET')).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
    entra().setThrottle('contoso', 'identityProtection', { limit: 1, windowMs: 60_000 });
    expect((await fetchJson(emulator, url, token, 'GET')).status).toBe(200);
    const throttled = await fetchJson(emulator, url, token, 'GET');
    expect(throttled).toMatchObject({ status: 429, body: { error: { code: 'activityLimitReached' } } });
    entra().setThrottle('contoso', 'identityProtection', false);
  });
});
