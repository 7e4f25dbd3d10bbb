// Defender XDR in n8n: every XDR registry operation through its node (Incidents, Advanced Hunting)
// against the emulator's XDR listener over HTTPS, the credential kinds (App, User, OAuth2 with the
// refresh token redeemed for XDR, legacy token refused), the XDR credential test, and the
// new/updated incident trigger's polls with workflow static data.
import { startEmulator, RunningEmulator } from '../../emulator';
import { xdrOperations } from '../../core/xdr';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftDefenderXdrAdvancedHunting } from '../../nodes/MicrosoftDefenderXdrAdvancedHunting/MicrosoftDefenderXdrAdvancedHunting.node';
import { MicrosoftDefenderXdrTrigger } from '../../nodes/MicrosoftDefenderXdrTrigger/MicrosoftDefenderXdrTrigger.node';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { emulatorHosts, enableEmulatorHosts } from '../support/emulator-settings';
import { CRED, credentialData, delegatedToken, xdrCredentialData, xdrOAuth2CredentialData } from './credential-fixtures';
import { executeNode as runNode, pollNode as runPoll, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let cred: ReturnType<typeof credentialData>;
const covered = new Set<string>();
const incidents = new MicrosoftDefenderXdrIncidents();
const hunting = new MicrosoftDefenderXdrAdvancedHunting();
const trigger = new MicrosoftDefenderXdrTrigger();

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
  emulator.control.xdr.setThrottle('contoso', false);
  cred = xdrCredentialData(emulator, 'appSecret');
});
afterAll(async () => {
  await emulator?.close();
});

async function run(node: INodeType, resource: string, parameters: INodeParameters, extra: Partial<Parameters<typeof runNode>[1]> = {}, c: { type: string; data: ICredentialDataDecryptedObject } = cred) {
  covered.add(`${resource}.${String(parameters.operation)}`);
  const r = await runNode(node, { parameters, credentials: { [c.type]: c.data }, ...extra });
  return r.items;
}
const xdr = () => emulator.control.xdr;

describe('Incidents node', () => {
  it('getAll: limit, pairedItem, raw incidents most recently updated first', async () => {
    const out = await run(incidents, 'incident', { operation: 'getAll', limit: 7 });
    expect(out).toHaveLength(7);
    const truth = xdr().listIncidents('contoso').slice(0, 7);
    expect(out.map((i) => i.json.incidentId)).toEqual(truth.map((i) => i.incidentId));
    for (const item of out) expect(item.pairedItem).toEqual({ item: 0 });
    expect(out[0].json).toHaveProperty('alerts');
  });

  it('getAll: Return All pages past 100 ($skip) and stops at Options > Max Items', async () => {
    xdr().insertIncidents('contoso', Array.from({ length: 80 }, (_, k) => ({ incidentName: `bulk ${k}` })));
    const total = xdr().listIncidents('contoso').length;
    expect(total).toBeGreaterThan(110);
    const all = await run(incidents, 'incident', { operation: 'getAll', returnAll: true });
    expect(all).toHaveLength(total);
    expect(new Set(all.map((i) => i.json.incidentId)).size).toBe(total);
    const capped = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, options: { maxItems: 105 } });
    expect(capped).toHaveLength(105);
  });

  it('getAll: filters (status, assignedTo, time window, raw OData, contains MDCA alert id)', async () => {
    const [target] = xdr().listIncidents('contoso').filter((i) => (i.alerts as unknown[]).length > 0 && i.status === 'Active');
    const mdcaId = String(((target.alerts as IDataObject[])[0]).providerAlertId);
    const byAlert = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, filters: { containsAlertId: mdcaId } });
    expect(byAlert.map((i) => i.json.incidentId)).toEqual(xdr().incidentsForMdcaAlert('contoso', mdcaId).map((i) => i.incidentId));
    expect(byAlert.map((i) => i.json.incidentId)).toContain(target.incidentId);

    const resolved = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, filters: { status: 'Resolved' } });
    expect(resolved.length).toBe(xdr().listIncidents('contoso').filter((i) => i.status === 'Resolved').length);
    expect(resolved.every((i) => i.json.status === 'Resolved')).toBe(true);

    const since = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const recent = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, filters: { lastUpdatedAfter: since, filter: "status eq 'Active'" } });
    expect(recent.every((i) => i.json.status === 'Active' && Date.parse(String(i.json.lastUpdateTime)) >= Date.parse(since))).toBe(true);
    const assignee = String(target.assignedTo ?? '');
    if (assignee) {
      const mine = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, filters: { assignedTo: assignee } });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((i) => i.json.assignedTo === assignee)).toBe(true);
    }
  });

  it('get: one incident by id; an unknown id is a NodeApiError 404 with an XDR hint', async () => {
    const id = Number(xdr().listIncidents('contoso')[3].incidentId);
    const out = await run(incidents, 'incident', { operation: 'get', incidentId: id });
    expect(out).toHaveLength(1);
    expect(out[0].json.incidentId).toBe(id);
    const err = await run(incidents, 'incident', { operation: 'get', incidentId: 99_999_999 }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.httpCode).toBe('404');
    expect(String(err.description)).toMatch(/incident id/i);
  });

  it('update: status, classification + determination, tags and a comment reach the emulator', async () => {
    const id = Number(xdr().listIncidents('contoso').find((i) => i.status === 'Active')!.incidentId);
    const out = await run(incidents, 'incident', {
      operation: 'update',
      incidentId: id,
      status: 'Resolved',
      assignedTo: 'soc@contoso.example',
      classification: 'FalsePositive',
      determination: 'Clean',
      tags: 'n8n, benign',
      comment: 'closed from n8n',
    });
    expect(out[0].json).toMatchObject({ incidentId: id, status: 'Resolved', classification: 'FalsePositive', determination: 'Clean' });
    const truth = xdr().getIncident('contoso', id)!;
    expect(truth).toMatchObject({ status: 'Resolved', assignedTo: 'soc@contoso.example', classification: 'FalsePositive', determination: 'Clean', tags: ['n8n', 'benign'] });
    expect(JSON.stringify(truth.comments)).toContain('closed from n8n');

    // Options > Remove All Tags sends an empty list.
    await run(incidents, 'incident', { operation: 'update', incidentId: id, options: { clearTags: true } });
    expect(xdr().getIncident('contoso', id)!.tags).toEqual([]);
  });

  it('update: only what is set is sent (a comment alone leaves status and classification as they were)', async () => {
    const target = xdr().listIncidents('contoso').find((i) => i.status === 'InProgress' || (i.status === 'Active' && i.classification !== 'TruePositive'))!;
    const id = Number(target.incidentId);
    xdr().resetRequestLog('contoso');
    await run(incidents, 'incident', { operation: 'update', incidentId: id, comment: 'just a note' });
    const after = xdr().getIncident('contoso', id)!;
    expect(after.status).toBe(target.status);
    expect(after.classification).toBe(target.classification);
    const patch = xdr().requestLog('contoso').find((r) => r.method === 'PATCH')!;
    expect(patch.bodyBytes).toBe(Buffer.byteLength(JSON.stringify({ comment: 'just a note' })));
    const status = incidents.description.properties.find((p) => p.name === 'status' && p.displayOptions?.show?.operation?.includes('update'))!;
    expect(status.default).toBe('');
    expect((status.options as Array<{ value: string }>)[0]).toEqual({ name: 'Leave Unchanged', value: '' });
  });

  it('addComment: one PATCH with the comment alone, appended with its author; the item is the updated incident', async () => {
    const target = xdr().listIncidents('contoso').find((i) => i.status === 'Active')!;
    const id = Number(target.incidentId);
    const earlier = (target.comments as unknown[]).length;
    xdr().resetRequestLog('contoso');
    const out = await run(incidents, 'incident', { operation: 'addComment', incidentId: id, comment: 'Isolated by n8n' });
    const truth = xdr().getIncident('contoso', id)!;
    expect(out.map((i) => i.json)).toEqual([truth]);
    expect(truth).toMatchObject({ status: target.status, assignedTo: target.assignedTo, classification: target.classification, determination: target.determination });
    expect((truth.comments as IDataObject[]).slice(earlier)).toEqual([{ comment: 'Isolated by n8n', createdBy: emulator.tenants.contoso.credentials.apps.full.clientId, createdTime: truth.lastUpdateTime }]);
    const patches = xdr().requestLog('contoso').filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([`/api/incidents/${id}`]);
    expect(patches[0].bodyBytes).toBe(Buffer.byteLength(JSON.stringify({ comment: 'Isolated by n8n' })));
    const comment = incidents.description.properties.find((p) => p.name === 'comment' && p.displayOptions?.show?.operation?.includes('addComment'))!;
    expect(comment).toMatchObject({ type: 'string', required: true });
  });

  it('update: a determination without classification is refused before sending (NodeOperationError); continue on fail gives an error item', async () => {
    const id = Number(xdr().listIncidents('contoso')[0].incidentId);
    xdr().resetRequestLog('contoso');
    const err = await run(incidents, 'incident', { operation: 'update', incidentId: id, determination: 'Malware' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/Classification/);
    expect(xdr().requestLog('contoso').filter((r) => r.method === 'PATCH')).toHaveLength(0);
    const items = await run(incidents, 'incident', { operation: 'update', incidentId: id, classification: 'TruePositive', determination: 'Clean' }, { continueOnFail: true });
    expect(items[0].json.error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('Advanced Hunting node', () => {
  it('run: schema, rows and row count as one item', async () => {
    const out = await run(hunting, 'advancedHunting', { operation: 'run', query: 'AlertInfo | take 3' });
    expect(out).toHaveLength(1);
    expect(out[0].json.rowCount).toBe(3);
    expect(out[0].json.results).toHaveLength(3);
    expect(out[0].json.truncated).toBe(false);
    expect((out[0].json.schema as IDataObject[]).length).toBeGreaterThan(0);
  });

  it('a bad query is a NodeApiError with the hunting hint; the CPU quota says so', async () => {
    const err = await run(hunting, 'advancedHunting', { operation: 'run', query: 'NoSuchTable | take 1' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(String(err.description)).toMatch(/KQL/);
    xdr().setHunting('contoso', { fail: { kind: 'cpuQuota', times: 1 } } as never);
    const quota = await run(hunting, 'advancedHunting', { operation: 'run', query: 'AlertInfo | take 1' }).catch((e) => e);
    expect(quota).toBeInstanceOf(NodeApiError);
    expect(quota.message).toMatch(/CPU/);
  });
});

describe('credentials for Defender XDR', () => {
  it('User credential (password sign-in) reads incidents', async () => {
    const user = xdrCredentialData(emulator, 'userPassword');
    const out = await run(incidents, 'incident', { authentication: 'user', operation: 'getAll', limit: 2 }, {}, user);
    expect(out).toHaveLength(2);
  });

  it('App certificate credential runs a hunting query', async () => {
    const c = xdrCredentialData(emulator, 'appCertificate');
    const out = await run(hunting, 'advancedHunting', { operation: 'run', query: 'CloudAppEvents | take 2' }, {}, c);
    expect(out[0].json.rowCount).toBe(2);
  });

  it('OAuth2: the stored MDCA token is not used for XDR; the refresh token is redeemed for an XDR token', async () => {
    const data = await xdrOAuth2CredentialData(emulator);
    const out = await run(incidents, 'incident', { authentication: 'oAuth2', operation: 'getAll', limit: 1 }, {}, { type: CRED.oAuth2, data });
    expect(out).toHaveLength(1);
    const id = Number(out[0].json.incidentId);
    await run(incidents, 'incident', { authentication: 'oAuth2', operation: 'update', incidentId: id, comment: 'from oauth2' }, {}, { type: CRED.oAuth2, data });
    const comments = JSON.stringify(xdr().getIncident('contoso', id)!.comments);
    expect(comments).toContain('from oauth2');
    // The comment is by the signed-in user (a delegated XDR token).
    expect(comments).toContain(emulator.tenants.contoso.credentials.users.analyst.username);
  });

  it('OAuth2: a stored token that is already for XDR is used as is; without one and without a refresh token a clear error', async () => {
    const base = await xdrOAuth2CredentialData(emulator);
    const xdrToken = delegatedToken(emulator, 'Incident.Read AdvancedHunting.Read', 'contoso', { aud: 'https://api.security.microsoft.com' });
    const withXdr = { ...base, oauthTokenData: { access_token: xdrToken, token_type: 'Bearer' } };
    const out = await run(hunting, 'advancedHunting', { authentication: 'oAuth2', operation: 'run', query: 'AlertInfo | take 1' }, {}, { type: CRED.oAuth2, data: withXdr });
    expect(out[0].json.rowCount).toBe(1);
    // Read-only delegated token: the update is refused before sending, naming the missing scope.
    const denied = await run(incidents, 'incident', { authentication: 'oAuth2', operation: 'update', incidentId: 1, status: 'Active' }, {}, { type: CRED.oAuth2, data: withXdr }).catch((e) => e);
    expect(denied).toBeInstanceOf(NodeApiError);
    expect(denied.message).toMatch(/Incident\.ReadWrite/);

    const noRefresh = { ...base, oauthTokenData: { access_token: String((base.oauthTokenData as IDataObject).access_token), token_type: 'Bearer' } };
    const err = await run(incidents, 'incident', { authentication: 'oAuth2', operation: 'getAll', limit: 1 }, {}, { type: CRED.oAuth2, data: noRefresh }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/refresh token/);
  });

  it('the legacy MDCA API token cannot call XDR: a clear error, nothing sent', async () => {
    const token = xdrCredentialData(emulator, 'apiToken');
    xdr().resetRequestLog('contoso');
    const err = await run(incidents, 'incident', { authentication: 'apiToken', operation: 'getAll', limit: 1 }, {}, token).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toBe('A legacy MDCA API token cannot call the Defender XDR API.');
    expect(String(err.description)).toMatch(/Microsoft Threat Protection/);
    expect(xdr().requestLog('contoso')).toHaveLength(0);
    // The node does not offer it.
    const auth = incidents.description.properties.find((p) => p.name === 'authentication')!;
    expect((auth.options as Array<{ value: string }>).map((o) => o.value)).not.toContain('apiToken');
    expect(incidents.description.credentials!.map((c) => c.name)).not.toContain(CRED.apiToken);
  });

  it('an XDR API URL outside the allowed hosts is refused', async () => {
    const c = xdrCredentialData(emulator, 'appSecret');
    // The operator allows every emulator host except the XDR listener.
    enableEmulatorHosts(emulator, emulatorHosts(emulator).filter((h) => h !== new URL(String(c.data.xdrApiUrl)).host));
    const err = await run(incidents, 'incident', { operation: 'getAll', limit: 1 }, {}, c).catch((e) => e).finally(() => enableEmulatorHosts(emulator));
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/not a Defender XDR API host/);
  });

  it('credential test (XDR): Connected with the XDR permissions; a read-only app unlocks no update', async () => {
    const ok = await runCredentialTest(incidents, cred.type, cred.data);
    expect(ok.status).toBe('OK');
    expect(ok.message).toMatch(/Incident\.ReadWrite\.All/);
    expect(ok.message).toMatch(/incident\.update/);
    const reader = xdrCredentialData(emulator, 'appReader');
    const r = await runCredentialTest(incidents, reader.type, reader.data);
    expect(r.status).toBe('OK');
    expect(r.message).not.toMatch(/incident\.update/);
    const bad = await runCredentialTest(incidents, cred.type, { ...cred.data, clientSecret: 'wrong-secret-value-000000000000' });
    expect(bad.status).toBe('Error');
  });
});

describe('Defender XDR trigger', () => {
  const poll = (parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') =>
    runPoll(trigger, { parameters, credentials: { [cred.type]: cred.data }, staticData, mode });

  it('new or updated incidents: first poll stores a cursor only; a new incident and each later update once, across restarts', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'incidentChanges' };
    expect(await poll(params, staticData)).toBeNull();
    expect(staticData.cursor).toMatchObject({ kind: 'incidentChanges' });

    const [created] = xdr().insertIncidents('contoso', [{ incidentName: 'n8n trigger incident' }]);
    const first = await poll(params, staticData);
    expect(first?.map((i) => i.json.incidentId)).toEqual([created.incidentId]);
    expect(await poll(params, staticData)).toBeNull();

    // "Restart": the persisted static data after a JSON round trip, as n8n stores it.
    const restored = JSON.parse(JSON.stringify(staticData));
    await new Promise((r) => setTimeout(r, 5));
    xdr().updateIncident('contoso', Number(created.incidentId), { status: 'InProgress' });
    const second = await poll(params, restored);
    expect(second).toHaveLength(1);
    expect(second?.[0].json).toMatchObject({ incidentId: created.incidentId, status: 'InProgress' });
    expect(await poll(params, restored)).toBeNull();
  });

  it('new incidents only: an update is not delivered again; filters apply (contains MDCA alert id)', async () => {
    const staticData: IDataObject = {};
    const [alert] = emulator.control.insertAlerts('contoso', [{ title: 'xdr trigger alert' }]);
    const params = { event: 'newIncidents', filters: { containsAlertId: String(alert._id) } };
    expect(await poll(params, staticData)).toBeNull();
    const [other] = xdr().insertIncidents('contoso', [{ incidentName: 'unrelated' }]);
    const [linked] = xdr().insertIncidents('contoso', [{ incidentName: 'linked', mdcaAlertIds: [String(alert._id)] }]);
    const out = await poll(params, staticData);
    expect(out?.map((i) => i.json.incidentId)).toEqual([linked.incidentId]);
    expect(out?.map((i) => i.json.incidentId)).not.toContain(other.incidentId);
    xdr().updateIncident('contoso', Number(linked.incidentId), { status: 'InProgress' });
    expect(await poll(params, staticData)).toBeNull();
  });

  it('start from N hours ago delivers the backlog, capped per poll, oldest first, each once', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'incidentChanges', options: { startFrom: 'hoursAgo', startHoursAgo: 24, maxPerPoll: 4 } };
    const expected = xdr().listIncidents('contoso').filter((i) => Date.parse(String(i.lastUpdateTime)) >= Date.now() - 24 * 3_600_000).length;
    expect(expected).toBeGreaterThan(4);
    const seen = new Set<string>();
    let last = 0;
    for (let polls = 0; ; polls++) {
      const out = await poll(params, staticData);
      if (!out) break;
      expect(out.length).toBeLessThanOrEqual(4);
      for (const item of out) {
        const key = `${String(item.json.incidentId)}:${String(item.json.lastUpdateTime)}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        const t = Date.parse(String(item.json.lastUpdateTime));
        expect(t).toBeGreaterThanOrEqual(last);
        last = t;
      }
      if (polls > 100) throw new Error('no end');
    }
    expect(seen.size).toBeGreaterThanOrEqual(expected);
  });

  it('manual mode returns the latest incident as a sample and leaves the cursor alone', async () => {
    const staticData: IDataObject = {};
    const out = await poll({ event: 'incidentChanges' }, staticData, 'manual');
    expect(out).toHaveLength(1);
    expect(out?.[0].json.incidentId).toBe(xdr().listIncidents('contoso')[0].incidentId);
    expect(staticData.cursor).toBeUndefined();
  });

  it('a failed poll is a NodeApiError and leaves the cursor as it was', async () => {
    const staticData: IDataObject = {};
    await poll({ event: 'incidentChanges' }, staticData);
    const before = JSON.stringify(staticData);
    xdr().insertIncidents('contoso', [{ incidentName: 'not lost' }]);
    xdr().injectFaults('contoso', [{ status: 400, times: 5 } as never]);
    const err = await poll({ event: 'incidentChanges' }, staticData).catch((e) => e);
    xdr().clearFaults('contoso');
    expect(err).toBeInstanceOf(NodeApiError);
    expect(JSON.stringify(staticData)).toBe(before);
    const retry = await poll({ event: 'incidentChanges' }, staticData);
    expect(retry?.map((i) => i.json.incidentName)).toContain('not lost');
  });

  it('the legacy token is refused by the trigger too', async () => {
    const token = xdrCredentialData(emulator, 'apiToken');
    const err = await runPoll(trigger, { parameters: { authentication: 'apiToken' }, credentials: { [token.type]: token.data }, staticData: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/legacy MDCA API token/);
  });
});

describe('coverage', () => {
  it('every XDR registry operation ran through its node', () => {
    expect([...covered].sort()).toEqual(xdrOperations.map((o) => o.id).sort());
  });
});
