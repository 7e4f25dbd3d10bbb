// Every Microsoft Graph security operation round-trips against the emulator over HTTPS with real
// msal, through the one ServiceClient bound to GRAPH_SERVICE.
import type { RunningEmulator } from '../../emulator';
import { graphOperations, GraphHuntingError } from '../../core';
import { registryRoundTrips } from '../support/registry-round-trips';
import { resultOf } from '../core/helpers';
import { fetchJson, graphClient, GraphTestClient, graphRequests, listItems } from './helpers';

let emulator: RunningEmulator;
let client: GraphTestClient;
const { run } = registryRoundTrips(graphOperations, { tenants: [{ name: 'contoso', throttle: false }], graph: { incidents: 60 } }, (e) => {
  emulator = e;
  client = graphClient(e);
  return client;
});
const truthAlerts = () => emulator.control.graph.listAlerts('contoso');
const truthIncidents = () => emulator.control.graph.listIncidents('contoso');

describe('alerts', () => {
  test('getAll follows @odata.nextLink on the same host, newest first, bounded by maxItems', async () => {
    emulator.control.graph.resetRequestLog('contoso');
    const all = truthAlerts();
    const list = await listItems(await run('alert.getAll', { top: 40 }, 100));
    expect(list.map((a) => a.id)).toEqual(all.slice(0, 100).map((a) => a.id));
    expect(graphRequests(emulator, '/alerts_v2')).toHaveLength(3); // 40 + 40 + 20 of the third page
    const everything = await listItems(await client.run('alert.getAll', { top: 1000 }, { maxItems: 100_000 }));
    expect(everything).toHaveLength(all.length);
  });

  test('typed filters become one $filter; MDCA alerts by serviceSource; detectionSource after listing', async () => {
    const all = truthAlerts();
    const mdca = await listItems(await client.run('alert.getAll', { serviceSource: 'microsoftDefenderForCloudApps', severity: 'high' }, { maxItems: 10_000 }));
    expect(mdca.map((a) => a.id).sort()).toEqual(all.filter((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.severity === 'high').map((a) => a.id).sort());
    const pivot = Date.parse(String(all[20].createdDateTime));
    const recent = await listItems(await client.run('alert.getAll', { createdAfter: new Date(pivot).toISOString(), status: 'new' }, { maxItems: 10_000 }));
    expect(recent.map((a) => a.id).sort()).toEqual(all.filter((a) => a.status === 'new' && Date.parse(String(a.createdDateTime)) >= Math.floor(pivot / 1000) * 1000).map((a) => a.id).sort());
    const antivirus = await listItems(await client.run('alert.getAll', { detectionSource: 'antivirus', top: 5 }, { maxItems: 10_000 }));
    expect(antivirus.length).toBe(all.filter((a) => a.detectionSource === 'antivirus').length);
    expect(antivirus.length).toBeGreaterThan(0);
  });

  test('a raw filter is validated before sending, naming the field; the emulator refuses what Graph does not filter on', async () => {
    const before = graphRequests(emulator).length;
    await expect(client.run('alert.getAll', { filter: "investigationState eq 'running'" })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'filter' } });
    await expect(client.run('alert.getAll', { filter: "detectionSource eq 'antivirus'" })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'filter' } });
    await expect(client.run('alert.getAll', { filter: "severity eq 'critical'" })).rejects.toThrow(/informational, low, medium, high/);
    await expect(client.run('alert.getAll', { top: 1001 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'top' } });
    expect(graphRequests(emulator).length).toBe(before);
    const list = await listItems(await client.run('alert.getAll', { filter: "Severity eq 'HIGH' or severity eq 'medium'", serviceSource: 'microsoftDefenderForCloudApps' }, { maxItems: 10_000 }));
    expect(list.length).toBeGreaterThan(0);
    for (const a of list) expect(['high', 'medium']).toContain(a.severity);
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.Read.All'] });
    const refused = await fetchJson(emulator, `${emulator.tenants.contoso.graphApiUrl}/v1.0/security/alerts_v2?$filter=investigationState eq 'running'`, token, 'GET');
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'BadRequest', innerError: { 'request-id': expect.any(String), date: expect.any(String) } } } });
  });

  test('get returns one alert; an unknown id is NOT_FOUND; a bad id names its field', async () => {
    const [first] = truthAlerts();
    expect(await run('alert.get', { alertId: first.id })).toMatchObject({ kind: 'item', item: { id: first.id, evidence: expect.any(Array) } });
    await expect(client.run('alert.get', { alertId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404 } });
    await expect(client.run('alert.get', { alertId: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'alertId' } });
    await expect(client.run('alert.get', { alertId: '..' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'alertId' } });
  });

  test('an id that reads as an OData function call (delta()) stays one encoded segment: NOT_FOUND, never a function', async () => {
    const before = graphRequests(emulator, '/alerts_v2').length;
    await expect(client.run('alert.get', { alertId: 'delta()' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404 } });
    await expect(client.run('alert.get', { alertId: "x('y')*!" })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404 } });
    expect(graphRequests(emulator, '/alerts_v2').slice(before).map((r) => r.path)).toEqual(['/v1.0/security/alerts_v2/delta%28%29', '/v1.0/security/alerts_v2/x%28%27y%27%29%2A%21']);
  });

  test('update sends only the given fields, in the alert page spelling, and answers the whole alert', async () => {
    const target = truthAlerts().find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.status === 'new')!;
    const outcome = await run('alert.update', { alertId: target.id, status: 'inProgress', classification: 'truePositive', determination: 'compromisedAccount', assignedTo: 'soc@contoso.example' });
    expect(outcome).toMatchObject({ kind: 'item', item: { id: target.id, status: 'inProgress', classification: 'truePositive', determination: 'compromisedUser', assignedTo: 'soc@contoso.example', title: target.title } });
    const after = emulator.control.graph.getAlert('contoso', String(target.id))!;
    // The same PATCH again changes nothing, so lastUpdateDateTime stays.
    await client.run('alert.update', { alertId: target.id, status: 'inProgress' });
    expect(emulator.control.graph.getAlert('contoso', String(target.id))!.lastUpdateDateTime).toBe(after.lastUpdateDateTime);
  });

  test('classification/determination pairs are checked before sending, naming the field; the emulator enforces them too', async () => {
    const [first] = truthAlerts();
    const before = graphRequests(emulator).length;
    await expect(client.run('alert.update', { alertId: first.id, classification: 'falsePositive', determination: 'malware' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'determination' }, hint: expect.stringContaining('clean') });
    await expect(client.run('alert.update', { alertId: first.id, determination: 'malware' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'determination' } });
    await expect(client.run('alert.update', { alertId: first.id, classification: 'truePositive', determination: 'apt' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'determination' } });
    await expect(client.run('alert.update', { alertId: first.id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
    await expect(client.run('alert.update', { alertId: first.id, status: 'closed' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
    expect(graphRequests(emulator).length).toBe(before);
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.ReadWrite.All'] });
    const url = `${emulator.tenants.contoso.graphApiUrl}/v1.0/security/alerts_v2/${first.id}`;
    expect((await fetchJson(emulator, url, token, 'PATCH', { classification: 'FalsePositive', determination: 'Malware' })).status).toBe(400);
    // Enum values are read in any case and answered in camelCase.
    expect(await fetchJson(emulator, url, token, 'PATCH', { classification: 'TruePositive', determination: 'Malware' })).toMatchObject({ status: 200, body: { classification: 'truePositive', determination: 'malware' } });
  });

  test('addComment appends once and answers every comment; after a 500 it is not resent', async () => {
    const [target, other] = truthAlerts().filter((a) => (a.comments as unknown[]).length === 0);
    emulator.control.graph.resetRequestLog('contoso');
    const outcome = await run('alert.addComment', { alertId: target.id, comment: 'Contained by playbook.' });
    const comments = [{ comment: 'Contained by playbook.', createdByDisplayName: expect.any(String), createdDateTime: expect.any(String) }];
    expect(resultOf(outcome)).toEqual({ alertId: target.id, comments });
    await client.run('alert.addComment', { alertId: target.id, comment: 'Closed.' });
    expect((emulator.control.graph.getAlert('contoso', String(target.id))!.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['Contained by playbook.', 'Closed.']);
    const path = `/v1.0/security/alerts_v2/${String(other.id)}/comments`;
    emulator.control.graph.injectFaults('contoso', [{ status: 500, match: { method: 'POST', pathIncludes: path } }]);
    await expect(client.run('alert.addComment', { alertId: other.id, comment: 'after a 500' })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(graphRequests(emulator, path)).toHaveLength(1);
    await expect(client.run('alert.addComment', { alertId: other.id, comment: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'comment' } });
    await expect(client.run('alert.addComment', { alertId: other.id, comment: 'x'.repeat(4_001) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'comment' } });
    expect(graphRequests(emulator, path)).toHaveLength(1);
  });

  test('the Prefer header brings evolvable enum members (Sentinel alerts); without it they read unknownFutureValue', async () => {
    const sentinel = truthAlerts().find((a) => a.serviceSource === 'microsoftSentinel')!;
    expect(await client.run('alert.get', { alertId: sentinel.id })).toMatchObject({ item: { serviceSource: 'microsoftSentinel' } });
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.Read.All'] });
    const plain = await fetchJson(emulator, `${emulator.tenants.contoso.graphApiUrl}/v1.0/security/alerts_v2/${String(sentinel.id)}`, token, 'GET');
    expect(plain.body).toMatchObject({ serviceSource: 'unknownFutureValue' });
  });
});

describe('alert.getByMdcaAlertId', () => {
  const mdcaIds = () => emulator.control.listAlerts('contoso').map((a) => String(a._id));

  test('an MDCA alert id finds its Graph alert by the "ca" id in one call, with evidence fields and the incident', async () => {
    const graphAlert = truthAlerts().find((a) => a.serviceSource === 'microsoftDefenderForCloudApps' && a.incidentId !== null)!;
    const mdcaId = String(graphAlert.providerAlertId);
    expect(mdcaIds()).toContain(mdcaId);
    emulator.control.graph.resetRequestLog('contoso');
    const outcome = await run('alert.getByMdcaAlertId', { mdcaAlertId: ` ${mdcaId} ` });
    const incident = emulator.control.graph.getIncident('contoso', String(graphAlert.incidentId))!;
    expect(outcome).toMatchObject({
      kind: 'item',
      item: { id: graphAlert.id, providerAlertId: mdcaId, serviceSource: 'microsoftDefenderForCloudApps', evidenceUserPrincipalName: expect.any(String), evidenceMdeDeviceId: expect.any(String), incident: { id: incident.id, displayName: incident.displayName } },
    });
    expect(graphRequests(emulator).map((r) => [r.method, r.path])).toEqual([
      ['GET', `/v1.0/security/alerts_v2/ca${mdcaId}`],
      ['GET', `/v1.0/security/incidents/${String(incident.id)}`],
    ]);
    emulator.control.graph.resetRequestLog('contoso');
    const alone = await client.run('alert.getByMdcaAlertId', { mdcaAlertId: mdcaId, includeIncident: false });
    expect((alone as { item: Record<string, unknown> }).item).not.toHaveProperty('incident');
    expect(graphRequests(emulator)).toHaveLength(1);
  });

  test('an alert under another id is found by serviceSource and providerAlertId (the id read in lower case); no incident is null', async () => {
    const mdcaId = 'abcdef0123456789abcdef01';
    const [moved] = emulator.control.graph.insertAlerts('contoso', [{ id: 'da999_moved', providerAlertId: mdcaId, serviceSource: 'microsoftDefenderForCloudApps', detectionSource: 'cloudAppSecurity', incidentId: null }]);
    emulator.control.graph.resetRequestLog('contoso');
    const outcome = await client.run('alert.getByMdcaAlertId', { mdcaAlertId: mdcaId.toUpperCase() });
    expect(outcome).toMatchObject({ kind: 'item', item: { id: moved.id, providerAlertId: mdcaId, incident: null } });
    expect(graphRequests(emulator).map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', `/v1.0/security/alerts_v2/ca${mdcaId}`, 404],
      ['GET', '/v1.0/security/alerts_v2', 200],
    ]);
  });

  test('not found is a typed NOT_FOUND naming the input and what to check; a bad id is refused before sending', async () => {
    emulator.control.graph.resetRequestLog('contoso');
    const missing = '0123456789abcdef01234567';
    const error = await client.run('alert.getByMdcaAlertId', { mdcaAlertId: missing }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND', details: { field: 'mdcaAlertId' }, message: expect.stringContaining(missing), hint: expect.stringMatching(/Defender for Cloud Apps alert.*same tenant/) });
    expect(graphRequests(emulator)).toHaveLength(2);
    emulator.control.graph.resetRequestLog('contoso');
    for (const bad of ['', 'ca0123456789abcdef01234567', '../alerts_v2', 'xyz']) {
      await expect(client.run('alert.getByMdcaAlertId', { mdcaAlertId: bad })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'mdcaAlertId' } });
    }
    expect(graphRequests(emulator)).toHaveLength(0);
  });

  test('the emulator filters on providerAlertId with serviceSource', async () => {
    const graphAlert = truthAlerts().find((a) => a.serviceSource === 'microsoftDefenderForCloudApps')!;
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.Read.All'] });
    const filter = encodeURIComponent(`serviceSource eq 'microsoftDefenderForCloudApps' and providerAlertId eq '${String(graphAlert.providerAlertId)}'`);
    const answer = await fetchJson(emulator, `${emulator.tenants.contoso.graphApiUrl}/v1.0/security/alerts_v2?$filter=${filter}`, token, 'GET');
    expect(answer).toMatchObject({ status: 200, body: { value: [{ id: graphAlert.id }] } });
    expect((answer.body as { value: unknown[] }).value).toHaveLength(1);
  });
});

describe('incidents', () => {
  test('getAll pages by nextLink; $expand=alerts adds each incident’s alerts', async () => {
    const truth = truthIncidents();
    const list = await listItems(await run('incident.getAll', { top: 25 }, 1_000));
    expect(list.map((i) => i.id)).toEqual(truth.map((i) => i.id));
    const expanded = await listItems(await client.run('incident.getAll', { expandAlerts: true, status: 'active' }, { maxItems: 5 }));
    expect(expanded.length).toBeGreaterThan(0);
    for (const i of expanded) {
      expect(i.status).toBe('active');
      expect((i.alerts as { incidentId: string }[]).every((a) => a.incidentId === i.id)).toBe(true);
      expect((i.alerts as unknown[]).length).toBeGreaterThan(0);
    }
    await expect(client.run('incident.getAll', { filter: "status eq 'open'" })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'filter' } });
  });

  test('get, optionally with alerts; a non-numeric id names its field', async () => {
    const [first] = truthIncidents();
    expect(await run('incident.get', { incidentId: first.id })).toMatchObject({ kind: 'item', item: { id: first.id } });
    const withAlerts = await client.run('incident.get', { incidentId: first.id, expandAlerts: true });
    expect((withAlerts as { item: { alerts: unknown[] } }).item.alerts.length).toBeGreaterThan(0);
    await expect(client.run('incident.get', { incidentId: 'abc' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'incidentId' } });
    await expect(client.run('incident.get', { incidentId: '7' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('update sends the incident page spelling, custom tags and the resolving comment', async () => {
    const target = truthIncidents().find((i) => i.status === 'active')!;
    const outcome = await run('incident.update', { incidentId: target.id, status: 'resolved', classification: 'falsePositive', determination: 'clean', customTags: ['mdca', 'playbook'], resolvingComment: 'Benign admin activity.', assignedTo: 'soc@contoso.example' });
    expect(outcome).toMatchObject({ kind: 'item', item: { id: target.id, status: 'resolved', classification: 'falsePositive', determination: 'notMalicious', customTags: ['mdca', 'playbook'], resolvingComment: 'Benign admin activity.' } });
    await client.run('incident.update', { incidentId: target.id, clearCustomTags: true });
    expect(emulator.control.graph.getIncident('contoso', String(target.id))).toMatchObject({ customTags: [] });
    await expect(client.run('incident.update', { incidentId: target.id, status: 'awaitingAction' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
    await expect(client.run('incident.update', { incidentId: target.id, classification: 'informationalExpectedActivity', determination: 'malware' })).rejects.toMatchObject({ details: { field: 'determination' } });
  });

  test('addComment appends once; after a 500 the outcome is unknown and nothing is resent', async () => {
    const [target, other] = truthIncidents().filter((i) => (i.comments as unknown[]).length === 0);
    const outcome = await run('incident.addComment', { incidentId: target.id, comment: 'Sessions revoked.' });
    expect(resultOf<{ comments: { comment: string }[] }>(outcome).comments.map((c) => c.comment)).toEqual(['Sessions revoked.']);
    const path = `/v1.0/security/incidents/${String(other.id)}/comments`;
    emulator.control.graph.resetRequestLog('contoso');
    emulator.control.graph.injectFaults('contoso', [{ status: 500, match: { method: 'POST', pathIncludes: path } }]);
    await expect(client.run('incident.addComment', { incidentId: other.id, comment: 'after a 500' })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    emulator.control.graph.injectFaults('contoso', [{ reset: 'after', match: { method: 'POST', pathIncludes: path } }]);
    await expect(client.run('incident.addComment', { incidentId: other.id, comment: 'after a lost answer' })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(graphRequests(emulator, path)).toHaveLength(2);
    expect((emulator.control.graph.getIncident('contoso', String(other.id))!.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['after a lost answer']);
  });

  test('a 429 is waited out and retried; errors speak of Microsoft Graph', async () => {
    const [first] = truthIncidents();
    emulator.control.graph.injectFaults('contoso', [{ status: 429, headers: { 'retry-after': '1' }, match: { pathIncludes: '/incidents' } }]);
    const events: string[] = [];
    expect((await client.run('incident.get', { incidentId: first.id }, { onEvent: (e: { type: string }) => events.push(e.type) })).kind).toBe('item');
    expect(events).toContain('throttled');
    emulator.control.graph.injectFaults('contoso', [{ status: 500, times: 4 }]);
    const error = (await client.run('incident.get', { incidentId: first.id }).catch((e: Error) => e)) as Error;
    expect(error).toMatchObject({ code: 'SERVER_ERROR' });
    expect(error.message).toMatch(/Microsoft Graph/);
    expect(error.message).not.toMatch(/MDCA|Defender XDR/);
  });
});

describe('hunting', () => {
  test('run sends Query/Timespan and returns schema and rows', async () => {
    const outcome = await run('huntingQuery.run', { query: 'CloudAppEvents | project Timestamp, ActionType | order by Timestamp desc | take 5', timespan: 'P30D' });
    const result = resultOf<{ schema: { name: string; type: string }[]; results: Record<string, unknown>[]; rowCount: number; truncated: boolean }>(outcome);
    expect(result.schema).toEqual([{ name: 'Timestamp', type: 'DateTime' }, { name: 'ActionType', type: 'String' }]);
    expect(result.rowCount).toBe(5);
    emulator.control.graph.setSettings('contoso', { pascalSchema: true });
    const pascal = await client.run('huntingQuery.run', { query: 'CloudAppEvents | project ActionType | take 1' });
    expect(resultOf<{ schema: unknown[] }>(pascal).schema).toEqual([{ name: 'ActionType', type: 'String' }]);
    emulator.control.graph.setSettings('contoso', { pascalSchema: false });
    const none = await client.run('huntingQuery.run', { query: 'CloudAppEvents | take 5', timespan: '2000-01-01T00:00:00Z/2000-01-02T00:00:00Z' });
    expect(resultOf<{ rowCount: number }>(none).rowCount).toBe(0);
  });

  test('a bad Timespan names its field before sending; limits are typed errors', async () => {
    const before = graphRequests(emulator).length;
    await expect(client.run('huntingQuery.run', { query: 'CloudAppEvents | take 1', timespan: 'last week' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'timespan' } });
    await expect(client.run('huntingQuery.run', { query: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'query' } });
    expect(graphRequests(emulator).length).toBe(before);
    const bad = await client.run('huntingQuery.run', { query: 'NoSuchTable | take 1' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(GraphHuntingError);
    expect(bad).toMatchObject({ reason: 'badQuery', code: 'REQUEST_REJECTED', details: { status: 400 } });
    emulator.control.graph.setHunting('contoso', { maxRows: 3 });
    await expect(client.run('huntingQuery.run', { query: 'CloudAppEvents | take 10' })).rejects.toMatchObject({ reason: 'tooManyRows', hint: expect.stringContaining('50 MB') });
    emulator.control.graph.setHunting('contoso', { maxRows: 100_000, fail: { kind: 'timeout', times: 1 } });
    await expect(client.run('huntingQuery.run', { query: 'CloudAppEvents | take 1' })).rejects.toMatchObject({ reason: 'timeout', hint: expect.stringContaining('3 minutes') });
    emulator.control.graph.setHunting('contoso', { fail: { kind: 'cpuQuota', times: 1 } });
    await expect(client.run('huntingQuery.run', { query: 'CloudAppEvents | take 1' })).rejects.toMatchObject({ reason: 'cpuQuota', code: 'THROTTLED' });
  });

  test('the emulator reads the body in either casing', async () => {
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['ThreatHunting.Read.All'] });
    const url = `${emulator.tenants.contoso.graphApiUrl}/v1.0/security/runHuntingQuery`;
    expect((await fetchJson(emulator, url, token, 'POST', { query: 'CloudAppEvents | take 1', timespan: 'P1D' })).status).toBe(200);
    expect((await fetchJson(emulator, url, token, 'POST', { Timespan: 'P1D' })).status).toBe(400);
  });
});
