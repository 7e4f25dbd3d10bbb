// Microsoft Graph security in n8n: every Graph registry operation through its node (Alerts,
// Incidents, Hunting) run by n8n-core's engine against the emulator's Graph listener over HTTPS;
// the credential kinds (App, User, OAuth2 with the refresh token redeemed for Graph, the legacy
// token refused before anything is sent), a missing permission named before sending, and the Graph
// credential test; the Graph alert trigger's polls with workflow static data.
import { startEmulator, RunningEmulator } from '../../emulator';
import { graphOperations, withEvidenceFields } from '../../core/graph';
import { MicrosoftGraphSecurityAlerts } from '../../nodes/MicrosoftGraphSecurityAlerts/MicrosoftGraphSecurityAlerts.node';
import { MicrosoftGraphSecurityIncidents } from '../../nodes/MicrosoftGraphSecurityIncidents/MicrosoftGraphSecurityIncidents.node';
import { MicrosoftGraphSecurityHunting } from '../../nodes/MicrosoftGraphSecurityHunting/MicrosoftGraphSecurityHunting.node';
import { MicrosoftGraphSecurityTrigger } from '../../nodes/MicrosoftGraphSecurityTrigger/MicrosoftGraphSecurityTrigger.node';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { emulatorHosts, enableEmulatorHosts } from '../support/emulator-settings';
import { CRED, delegatedToken, graphCredentialData, graphOAuth2CredentialData } from './credential-fixtures';
import { executeNode as runNode, pollNode as runPoll, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let cred: ReturnType<typeof graphCredentialData>;
const covered = new Set<string>();
const alerts = new MicrosoftGraphSecurityAlerts();
const incidents = new MicrosoftGraphSecurityIncidents();
const hunting = new MicrosoftGraphSecurityHunting();

beforeAll(async () => {
  emulator = await startEmulator({ graph: { incidents: 60 } });
  emulator.control.setThrottle('contoso', false);
  emulator.control.graph.setThrottle('contoso', false);
  cred = graphCredentialData(emulator, 'appSecret');
});
afterAll(async () => {
  await emulator?.close();
});

async function run(node: INodeType, resource: string, parameters: INodeParameters, extra: Partial<Parameters<typeof runNode>[1]> = {}, c: { type: string; data: ICredentialDataDecryptedObject } = cred) {
  covered.add(`${resource}.${String(parameters.operation)}`);
  const r = await runNode(node, { parameters, credentials: { [c.type]: c.data }, ...extra });
  return r.items;
}
const graph = () => emulator.control.graph;
const requests = (pathIncludes = '/v1.0/') => graph().requestLog('contoso').filter((r) => r.path.includes(pathIncludes));

describe('Alerts node', () => {
  it('getAll: limit, pairedItem, the raw Graph alerts newest first with their evidence fields (no MDCA simplification)', async () => {
    const out = await run(alerts, 'alert', { operation: 'getAll', limit: 7 });
    expect(out.map((i) => i.json.id)).toEqual(graph().listAlerts('contoso').slice(0, 7).map((a) => a.id));
    for (const item of out) expect(item.pairedItem).toEqual({ item: 0 });
    expect(out[0].json).toEqual(withEvidenceFields(graph().listAlerts('contoso')[0]));
    expect(out[0].json).toMatchObject({ evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String) });
    expect(alerts.description.properties.find((p) => p.name === 'simplify')).toBeUndefined();
  });

  it('getAll: Return All follows @odata.nextLink by Page Size and stops at Options > Max Items; typed filters', async () => {
    const all = graph().listAlerts('contoso');
    graph().resetRequestLog('contoso');
    const capped = await run(alerts, 'alert', { operation: 'getAll', returnAll: true, options: { top: 40, maxItems: 90 } });
    expect(capped.map((i) => i.json.id)).toEqual(all.slice(0, 90).map((a) => a.id));
    expect(requests('/alerts_v2')).toHaveLength(3);
    const mdca = await run(alerts, 'alert', { operation: 'getAll', returnAll: true, filters: { serviceSource: 'microsoftDefenderForCloudApps', severity: 'high' } });
    const expected = all.filter((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.severity === 'high').map((a) => a.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(mdca.map((i) => i.json.id).sort()).toEqual(expected.sort());
  });

  it('get: one alert by id; an unknown id is a NodeApiError 404', async () => {
    const target = graph().listAlerts('contoso')[3];
    const out = await run(alerts, 'alert', { operation: 'get', alertId: String(target.id) });
    expect(out.map((i) => i.json)).toEqual([{ ...(withEvidenceFields(graph().getAlert('contoso', String(target.id))) as object), '@odata.context': expect.stringContaining('#security/alerts_v2/$entity') }]);
    const err = await run(alerts, 'alert', { operation: 'get', alertId: 'no-such-alert' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.httpCode).toBe('404');
  });

  it('update: status, classification + determination (the alert page spelling) and assignee reach the emulator; only what is set is sent', async () => {
    const target = graph().listAlerts('contoso').find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.status === 'new')!;
    const out = await run(alerts, 'alert', {
      operation: 'update',
      alertId: String(target.id),
      status: 'inProgress',
      classification: 'truePositive',
      determination: 'compromisedAccount',
      assignedTo: 'soc@contoso.example',
    });
    expect(out[0].json).toMatchObject({ id: target.id, status: 'inProgress', classification: 'truePositive', determination: 'compromisedUser', assignedTo: 'soc@contoso.example' });
    expect(graph().getAlert('contoso', String(target.id))).toMatchObject({ status: 'inProgress', classification: 'truePositive', determination: 'compromisedUser', assignedTo: 'soc@contoso.example' });
    graph().resetRequestLog('contoso');
    await run(alerts, 'alert', { operation: 'update', alertId: String(target.id), status: 'resolved' });
    const patch = requests('/alerts_v2').find((r) => r.method === 'PATCH')!;
    expect(patch.bodyBytes).toBe(Buffer.byteLength(JSON.stringify({ status: 'resolved' })));
    expect(graph().getAlert('contoso', String(target.id))).toMatchObject({ status: 'resolved', classification: 'truePositive' });
  });

  it('update: a determination that does not go with the classification is refused before sending; continue on fail gives an error item', async () => {
    const [first] = graph().listAlerts('contoso');
    graph().resetRequestLog('contoso');
    const err = await run(alerts, 'alert', { operation: 'update', alertId: String(first.id), classification: 'falsePositive', determination: 'malware' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/Determination/);
    const items = await run(alerts, 'alert', { operation: 'update', alertId: String(first.id), determination: 'malware' }, { continueOnFail: true });
    expect(items[0].json.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(requests()).toHaveLength(0);
  });

  it('getByMdcaAlertId: from an MDCA alert id to its Graph alert, the user and device fields and the incident; not found is a NodeApiError naming the input', async () => {
    const target = graph().listAlerts('contoso').find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.incidentId !== null)!;
    const out = await run(alerts, 'alert', { operation: 'getByMdcaAlertId', mdcaAlertId: String(target.providerAlertId) });
    expect(out).toHaveLength(1);
    expect(out[0].json).toMatchObject({ id: target.id, providerAlertId: target.providerAlertId, evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String), incident: { id: target.incidentId } });
    const noIncident = await run(alerts, 'alert', { operation: 'getByMdcaAlertId', mdcaAlertId: String(target.providerAlertId), options: { includeIncident: false } });
    expect(noIncident[0].json).not.toHaveProperty('incident');
    const err = await run(alerts, 'alert', { operation: 'getByMdcaAlertId', mdcaAlertId: '0123456789abcdef01234567' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/MDCA Alert ID/);
    graph().resetRequestLog('contoso');
    const bad = await run(alerts, 'alert', { operation: 'getByMdcaAlertId', mdcaAlertId: 'not-an-id' }).catch((e) => e);
    expect(bad).toBeInstanceOf(NodeOperationError);
    expect(bad.message).toMatch(/MDCA Alert ID/);
    expect(requests()).toHaveLength(0);
  });

  it('addComment: one POST, appended with its author; the item is the alert id with all its comments', async () => {
    const target = graph().listAlerts('contoso').find((a) => (a.comments as unknown[]).length === 0)!;
    graph().resetRequestLog('contoso');
    const out = await run(alerts, 'alert', { operation: 'addComment', alertId: String(target.id), comment: 'Contained by n8n.' });
    const truth = graph().getAlert('contoso', String(target.id))!;
    expect(truth.comments).toEqual([{ comment: 'Contained by n8n.', createdByDisplayName: 'MDCA automation (full)', createdDateTime: expect.any(String) }]);
    expect(out.map((i) => i.json)).toEqual([{ alertId: String(target.id), comments: truth.comments }]);
    expect(requests('/comments').map((r) => [r.method, r.path])).toEqual([['POST', `/v1.0/security/alerts_v2/${String(target.id)}/comments`]]);
  });
});

describe('Incidents node', () => {
  it('getAll: a status filter and Include Alerts ($expand=alerts)', async () => {
    const active = graph().listIncidents('contoso').filter((i) => i.status === 'active');
    expect(active.length).toBeGreaterThan(0);
    const out = await run(incidents, 'incident', { operation: 'getAll', returnAll: true, filters: { status: 'active' }, options: { expandAlerts: true } });
    expect(out.map((i) => i.json.id)).toEqual(active.map((i) => i.id));
    for (const item of out) {
      const linked = item.json.alerts as IDataObject[];
      expect(linked.length).toBeGreaterThan(0);
      expect(linked.every((a) => a.incidentId === item.json.id)).toBe(true);
    }
  });

  it('get: one incident by its numeric id; a non-numeric id names its field before sending', async () => {
    const target = graph().listIncidents('contoso')[2];
    const out = await run(incidents, 'incident', { operation: 'get', incidentId: String(target.id) });
    expect(out.map((i) => i.json)).toEqual([{ ...graph().getIncident('contoso', String(target.id)), '@odata.context': expect.stringContaining('#security/incidents/$entity') }]);
    graph().resetRequestLog('contoso');
    const err = await run(incidents, 'incident', { operation: 'get', incidentId: 'abc' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/Incident ID/);
    expect(requests()).toHaveLength(0);
  });

  it('update: status, classification + determination (the incident page spelling), custom tags and the resolving comment', async () => {
    const target = graph().listIncidents('contoso').find((i) => i.status === 'active')!;
    const out = await run(incidents, 'incident', {
      operation: 'update',
      incidentId: String(target.id),
      status: 'resolved',
      classification: 'falsePositive',
      determination: 'clean',
      customTags: 'n8n, benign',
      resolvingComment: 'Benign admin activity.',
    });
    const expected = { id: target.id, status: 'resolved', classification: 'falsePositive', determination: 'notMalicious', customTags: ['n8n', 'benign'], resolvingComment: 'Benign admin activity.' };
    expect(out[0].json).toMatchObject(expected);
    expect(graph().getIncident('contoso', String(target.id))).toMatchObject(expected);
    await run(incidents, 'incident', { operation: 'update', incidentId: String(target.id), options: { clearCustomTags: true } });
    expect(graph().getIncident('contoso', String(target.id))).toMatchObject({ customTags: [] });
  });

  it('addComment: appended once; the item holds every comment', async () => {
    const target = graph().listIncidents('contoso').find((i) => (i.comments as unknown[]).length === 0)!;
    graph().resetRequestLog('contoso');
    const out = await run(incidents, 'incident', { operation: 'addComment', incidentId: String(target.id), comment: 'Sessions revoked by n8n.' });
    const truth = graph().getIncident('contoso', String(target.id))!;
    expect((truth.comments as IDataObject[]).map((c) => c.comment)).toEqual(['Sessions revoked by n8n.']);
    expect((out[0].json.comments as IDataObject[]).map((c) => c.comment)).toEqual(['Sessions revoked by n8n.']);
    expect(requests('/comments').filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('Hunting node', () => {
  it('run: schema, rows and row count as one item', async () => {
    const out = await run(hunting, 'huntingQuery', { operation: 'run', query: 'CloudAppEvents | project Timestamp, ActionType | take 3', timespan: 'P30D' });
    expect(out).toHaveLength(1);
    expect(out[0].json).toMatchObject({ rowCount: 3, truncated: false, schema: [{ name: 'Timestamp', type: 'DateTime' }, { name: 'ActionType', type: 'String' }] });
    expect(out[0].json.results).toHaveLength(3);
  });

  it('a bad query is a NodeApiError; a bad Timespan names its field before sending', async () => {
    const err = await run(hunting, 'huntingQuery', { operation: 'run', query: 'NoSuchTable | take 1' }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    graph().resetRequestLog('contoso');
    const bad = await run(hunting, 'huntingQuery', { operation: 'run', query: 'CloudAppEvents | take 1', timespan: 'last week' }).catch((e) => e);
    expect(bad).toBeInstanceOf(NodeOperationError);
    expect(bad.message).toMatch(/Timespan/);
    expect(requests()).toHaveLength(0);
  });
});

describe('credentials for Microsoft Graph', () => {
  it('User credential (password sign-in) reads alerts', async () => {
    const user = graphCredentialData(emulator, 'userPassword');
    const out = await run(alerts, 'alert', { authentication: 'user', operation: 'getAll', limit: 2 }, {}, user);
    expect(out).toHaveLength(2);
  });

  it('App certificate credential runs a hunting query', async () => {
    const c = graphCredentialData(emulator, 'appCertificate');
    const out = await run(hunting, 'huntingQuery', { operation: 'run', query: 'CloudAppEvents | take 2' }, {}, c);
    expect(out[0].json.rowCount).toBe(2);
  });

  it('OAuth2: the stored MDCA token is not used for Graph; the refresh token is redeemed for a Graph token of the signed-in user', async () => {
    const data = await graphOAuth2CredentialData(emulator);
    const target = graph().listIncidents('contoso').find((i) => (i.comments as unknown[]).length === 0)!;
    const out = await run(incidents, 'incident', { authentication: 'oAuth2', operation: 'addComment', incidentId: String(target.id), comment: 'from oauth2' }, {}, { type: CRED.oAuth2, data });
    expect((out[0].json.comments as IDataObject[]).map((c) => c.comment)).toEqual(['from oauth2']);
    // The comment is by the signed-in user (a delegated Graph token).
    expect(graph().getIncident('contoso', String(target.id))!.comments).toEqual([
      { comment: 'from oauth2', createdByDisplayName: emulator.tenants.contoso.credentials.users.analyst.username, createdDateTime: expect.any(String) },
    ]);
  });

  it('OAuth2: a stored Graph token is used as is and a missing scope is named before sending; without a refresh token a clear error', async () => {
    const base = await graphOAuth2CredentialData(emulator);
    const readOnly = delegatedToken(emulator, 'SecurityAlert.Read.All', 'contoso', { aud: 'https://graph.microsoft.com' });
    const withGraph = { ...base, oauthTokenData: { access_token: readOnly, token_type: 'Bearer' } };
    const out = await run(alerts, 'alert', { authentication: 'oAuth2', operation: 'getAll', limit: 1 }, {}, { type: CRED.oAuth2, data: withGraph });
    expect(out).toHaveLength(1);
    graph().resetRequestLog('contoso');
    const denied = await run(alerts, 'alert', { authentication: 'oAuth2', operation: 'update', alertId: String(out[0].json.id), status: 'resolved' }, {}, { type: CRED.oAuth2, data: withGraph }).catch((e) => e);
    expect(denied).toBeInstanceOf(NodeApiError);
    expect(denied.message).toMatch(/SecurityAlert\.ReadWrite\.All/);
    expect(requests()).toHaveLength(0);

    const noRefresh = { ...base, oauthTokenData: { access_token: String((base.oauthTokenData as IDataObject).access_token), token_type: 'Bearer' } };
    const err = await run(alerts, 'alert', { authentication: 'oAuth2', operation: 'getAll', limit: 1 }, {}, { type: CRED.oAuth2, data: noRefresh }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeApiError);
    expect(err.message).toMatch(/refresh token/);
    expect(err.message).toMatch(/Microsoft Graph/);
  });

  it('the legacy MDCA API token cannot call Graph: a clear configuration error naming the kinds that work, nothing sent', async () => {
    const token = graphCredentialData(emulator, 'apiToken');
    graph().resetRequestLog('contoso');
    const err = await run(alerts, 'alert', { authentication: 'apiToken', operation: 'getAll', limit: 1 }, {}, token).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toBe('A legacy MDCA API token cannot call Microsoft Graph.');
    expect(String(err.description)).toMatch(/Entra app \(client secret or certificate\) or a user sign-in/);
    expect(requests()).toHaveLength(0);
    for (const node of [alerts, incidents, hunting]) {
      const auth = node.description.properties.find((p) => p.name === 'authentication')!;
      expect((auth.options as Array<{ value: string }>).map((o) => o.value)).not.toContain('apiToken');
      expect(node.description.credentials!.map((c) => c.name)).not.toContain(CRED.apiToken);
    }
  });

  it('a missing permission is named before sending (the reader app may neither update nor hunt)', async () => {
    const reader = graphCredentialData(emulator, 'appReader');
    const [first] = graph().listAlerts('contoso');
    graph().resetRequestLog('contoso');
    const update = await run(alerts, 'alert', { operation: 'update', alertId: String(first.id), status: 'resolved' }, {}, reader).catch((e) => e);
    expect(update).toBeInstanceOf(NodeApiError);
    expect(update.message).toMatch(/SecurityAlert\.ReadWrite\.All/);
    const hunt = await run(hunting, 'huntingQuery', { operation: 'run', query: 'CloudAppEvents | take 1' }, {}, reader).catch((e) => e);
    expect(hunt).toBeInstanceOf(NodeApiError);
    expect(hunt.message).toMatch(/ThreatHunting\.Read\.All/);
    expect(requests()).toHaveLength(0);
    // Reading is allowed.
    expect(await run(alerts, 'alert', { operation: 'getAll', limit: 1 }, {}, reader)).toHaveLength(1);
  });

  it('a Graph URL outside the allowed hosts is refused', async () => {
    const c = graphCredentialData(emulator, 'appSecret');
    enableEmulatorHosts(emulator, emulatorHosts(emulator).filter((h) => h !== new URL(String(c.data.graphApiUrl)).host));
    const err = await run(alerts, 'alert', { operation: 'getAll', limit: 1 }, {}, c).catch((e) => e).finally(() => enableEmulatorHosts(emulator));
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toMatch(/not a Microsoft Graph host/);
  });

  it('credential test (Graph): Connected with the Graph permissions; a read-only app unlocks no update; a wrong secret fails', async () => {
    const ok = await runCredentialTest(alerts, cred.type, cred.data);
    expect(ok.status).toBe('OK');
    expect(ok.message).toMatch(/Microsoft Graph security \(Application\)/);
    expect(ok.message).toMatch(/SecurityAlert\.ReadWrite\.All/);
    expect(ok.message).toMatch(/alert\.update/);
    const reader = graphCredentialData(emulator, 'appReader');
    const r = await runCredentialTest(incidents, reader.type, reader.data);
    expect(r.status).toBe('OK');
    expect(r.message).not.toMatch(/alert\.update/);
    expect(r.message).not.toMatch(/huntingQuery\.run/);
    const bad = await runCredentialTest(hunting, cred.type, { ...cred.data, clientSecret: 'wrong-secret-value-000000000000' });
    expect(bad.status).toBe('Error');
    expect(bad.message).not.toContain('wrong-secret-value-000000000000');
  });
});

describe('Microsoft Graph Security trigger', () => {
  const trigger = new MicrosoftGraphSecurityTrigger();
  const poll = (parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') =>
    runPoll(trigger, { parameters, credentials: { [cred.type]: cred.data }, staticData, mode });
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('new or updated alerts: first poll stores a cursor only; a new alert and each later update once, across restarts', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'graphAlertChanges' };
    expect(await poll(params, staticData)).toBeNull();
    expect(staticData.cursor).toMatchObject({ version: 1, kind: 'graphAlertChanges' });

    const [created] = graph().insertAlerts('contoso', [{ title: 'n8n graph trigger alert' }]);
    const first = await poll(params, staticData);
    expect(first?.map((i) => i.json.id)).toEqual([created.id]);
    expect(first?.[0].json).toMatchObject({ title: 'n8n graph trigger alert' });
    expect(await poll(params, staticData)).toBeNull();

    // "Restart": the persisted static data after a JSON round trip, as n8n stores it.
    const restored = JSON.parse(JSON.stringify(staticData));
    expect(await poll(params, restored)).toBeNull();
    await tick();
    await run(alerts, 'alert', { operation: 'update', alertId: String(created.id), status: 'inProgress' });
    const second = await poll(params, restored);
    expect(second).toHaveLength(1);
    expect(second?.[0].json).toMatchObject({ id: created.id, status: 'inProgress' });
    expect(await poll(params, restored)).toBeNull();
  });

  it('new alerts only: an update is not delivered again; filters apply', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newGraphAlerts', filters: { severity: 'high', serviceSource: 'microsoftDefenderForCloudApps' } };
    expect(await poll(params, staticData)).toBeNull();
    const [high, low] = graph().insertAlerts('contoso', [
      { title: 'graph trigger high', severity: 'high', serviceSource: 'microsoftDefenderForCloudApps' },
      { title: 'graph trigger low', severity: 'low', serviceSource: 'microsoftDefenderForCloudApps' },
    ]);
    const out = await poll(params, staticData);
    expect(out?.map((i) => i.json.id)).toEqual([high.id]);
    expect(out?.map((i) => i.json.id)).not.toContain(low.id);
    await tick();
    graph().updateAlert('contoso', String(high.id), { status: 'resolved' });
    expect(await poll(params, staticData)).toBeNull();
  });

  it('start from N hours ago delivers the backlog, capped per poll, oldest first, each once', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newGraphAlerts', options: { startFrom: 'hoursAgo', startHoursAgo: 24, maxPerPoll: 4 } };
    const expected = graph().listAlerts('contoso').filter((a) => Date.parse(String(a.createdDateTime)) >= Date.now() - 24 * 3_600_000).length;
    expect(expected).toBeGreaterThan(4);
    const seen = new Set<string>();
    let last = 0;
    for (let polls = 0; ; polls++) {
      const out = await poll(params, staticData);
      if (!out) break;
      expect(out.length).toBeLessThanOrEqual(4);
      for (const item of out) {
        expect(seen.has(String(item.json.id))).toBe(false);
        seen.add(String(item.json.id));
        const t = Date.parse(String(item.json.createdDateTime));
        expect(t).toBeGreaterThanOrEqual(last);
        last = t;
      }
      if (polls > 100) throw new Error('no end');
    }
    expect(seen.size).toBeGreaterThanOrEqual(expected);
  });

  it('new or updated incidents: the incident filters (not the alert ones) apply; a new incident and each update once, across a restart', async () => {
    const staticData: IDataObject = {};
    // An alert filter left from an earlier event choice is not used for incidents.
    const params = { event: 'graphIncidentChanges', incidentFilters: { status: 'active' }, filters: { serviceSource: 'microsoftDefenderForCloudApps' } };
    expect(await poll(params, staticData)).toBeNull();
    expect(staticData.cursor).toMatchObject({ version: 1, kind: 'graphIncidentChanges' });
    const [active, inProgress] = graph().insertIncidents('contoso', [{ displayName: 'n8n graph trigger incident' }, { displayName: 'n8n other incident', status: 'inProgress' }]);
    const first = await poll(params, staticData);
    expect(first?.map((i) => i.json.id)).toEqual([active.id]);
    expect(first?.map((i) => i.json.id)).not.toContain(inProgress.id);
    expect(await poll(params, staticData)).toBeNull();
    const restored = JSON.parse(JSON.stringify(staticData));
    await tick();
    await run(incidents, 'incident', { operation: 'update', incidentId: String(active.id), assignedTo: 'secop@contoso.com' });
    const second = await poll(params, restored);
    expect(second?.map((i) => i.json)).toEqual([expect.objectContaining({ id: active.id, assignedTo: 'secop@contoso.com' })]);
    expect(await poll(params, restored)).toBeNull();
  });

  it('new incidents: manual mode samples the latest incident; an update is not a new incident', async () => {
    const sample = await poll({ event: 'newGraphIncidents' }, {}, 'manual');
    expect(sample?.[0].json.id).toBe(graph().listIncidents('contoso')[0].id);
    const staticData: IDataObject = {};
    expect(await poll({ event: 'newGraphIncidents' }, staticData)).toBeNull();
    const [made] = graph().insertIncidents('contoso', [{ displayName: 'n8n new incident' }]);
    expect((await poll({ event: 'newGraphIncidents' }, staticData))?.map((i) => i.json.id)).toEqual([made.id]);
    await tick();
    graph().updateIncident('contoso', String(made.id), { status: 'resolved' });
    expect(await poll({ event: 'newGraphIncidents' }, staticData)).toBeNull();
  });

  it('manual mode returns the latest alert as a sample and leaves the cursor alone', async () => {
    const staticData: IDataObject = {};
    const out = await poll({ event: 'graphAlertChanges' }, staticData, 'manual');
    expect(out).toHaveLength(1);
    expect(out?.[0].json.id).toBe(graph().listAlerts('contoso')[0].id);
    expect(staticData.cursor).toBeUndefined();
  });

  it('a failed poll is a NodeApiError and leaves the cursor as it was; the next poll catches up', async () => {
    const staticData: IDataObject = {};
    await poll({ event: 'graphAlertChanges' }, staticData);
    const before = JSON.stringify(staticData);
    graph().insertAlerts('contoso', [{ title: 'graph not lost' }]);
    graph().injectFaults('contoso', [{ status: 400, times: 5 } as never]);
    const err = await poll({ event: 'graphAlertChanges' }, staticData).catch((e) => e);
    graph().clearFaults('contoso');
    expect(err).toBeInstanceOf(NodeApiError);
    expect(JSON.stringify(staticData)).toBe(before);
    const retry = await poll({ event: 'graphAlertChanges' }, staticData);
    expect(retry?.map((i) => i.json.title)).toEqual(['graph not lost']);
  });

  it('the legacy token is refused by the trigger too, before anything is sent', async () => {
    const token = graphCredentialData(emulator, 'apiToken');
    graph().resetRequestLog('contoso');
    const err = await runPoll(trigger, { parameters: { authentication: 'apiToken' }, credentials: { [token.type]: token.data }, staticData: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(NodeOperationError);
    expect(err.message).toBe('A legacy MDCA API token cannot call Microsoft Graph.');
    expect(requests()).toHaveLength(0);
  });
});

test('every Graph registry operation ran through its node', () => {
  expect([...covered].sort()).toEqual(graphOperations.map((o) => o.id).sort());
});
