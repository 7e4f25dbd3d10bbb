// Every Defender XDR operation round-trips against the emulator over HTTPS with real msal.
import type { RunningEmulator } from '../../emulator';
import { registryRoundTrips } from '../support/registry-round-trips';
import { HUNTING_RETIREMENT_WARNING, XdrClient, xdrOperations, XdrHuntingError } from '../../core';
import { createXdrClient } from '../../runtime';
import { listItems, xdrClient, xdrRequests, xdrSettings } from './helpers';
import { resultOf } from '../core/helpers';

let emulator: RunningEmulator;
let client: XdrClient;
const { run } = registryRoundTrips(xdrOperations, { tenants: [{ name: 'contoso', throttle: false }], xdr: { incidents: 120 } }, (e) => {
  emulator = e;
  client = xdrClient(e);
  return client;
});

describe('incidents', () => {
  test('getAll pages with $top/$skip until a short page, most recently updated first', async () => {
    emulator.control.xdr.resetRequestLog('contoso');
    const list = await listItems(await run('incident.getAll', {}, 1_000));
    expect(list).toHaveLength(120);
    const times = list.map((i) => Date.parse(String(i.lastUpdateTime)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const paths = xdrRequests(emulator, '/api/incidents');
    expect(paths).toHaveLength(2); // 100 + a short page of 20
    expect(list[0]).toMatchObject({ incidentId: expect.any(Number), alerts: expect.any(Array), comments: expect.any(Array) });
  });

  test('maxItems bounds the list and $top', async () => {
    const list = await listItems(await client.run('incident.getAll', {}, { maxItems: 30 }));
    expect(list).toHaveLength(30);
  });

  test('typed filters become one OData $filter', async () => {
    const truth = emulator.control.xdr.listIncidents('contoso');
    const pivot = Date.parse(String(truth[30].lastUpdateTime));
    const active = await listItems(await client.run('incident.getAll', { status: 'Active', lastUpdatedAfter: new Date(pivot).toISOString() }));
    const expected = truth.filter((i) => i.status === 'Active' && Date.parse(String(i.lastUpdateTime)) >= Math.floor(pivot / 1000) * 1000);
    expect(active.map((i) => i.incidentId).sort()).toEqual(expected.map((i) => i.incidentId).sort());
    const assigned = await listItems(await client.run('incident.getAll', { assignedTo: 'analyst@contoso.example', createdBefore: Date.now() }));
    expect(assigned.length).toBeGreaterThan(0);
    for (const i of assigned) expect(i.assignedTo).toBe('analyst@contoso.example');
  });

  test('a raw filter is validated before sending and combined with typed ones', async () => {
    const before = xdrRequests(emulator).length;
    await expect(client.run('incident.getAll', { filter: "severity eq 'High'" })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'filter' } });
    await expect(client.run('incident.getAll', { filter: 'lastUpdateTime ge yesterday' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(client.run('incident.getAll', { filter: "status eq 'Open'" })).rejects.toThrow(/Active, Resolved/);
    expect(xdrRequests(emulator).length).toBe(before);
    const list = await listItems(await client.run('incident.getAll', { filter: "status eq 'Resolved' or status eq 'InProgress'", assignedTo: 'analyst@contoso.example' }));
    expect(list.length).toBeGreaterThan(0);
    for (const i of list) {
      expect(['Resolved', 'InProgress']).toContain(i.status);
      expect(i.assignedTo).toBe('analyst@contoso.example');
    }
  });

  test('get returns one incident; an unknown id is NOT_FOUND with the XDR message', async () => {
    const [first] = emulator.control.xdr.listIncidents('contoso');
    const outcome = await run('incident.get', { incidentId: String(first.incidentId) });
    expect(outcome).toMatchObject({ kind: 'item', item: { incidentId: first.incidentId } });
    await expect(client.run('incident.get', { incidentId: 9 })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404, serviceMessage: expect.stringContaining('Incident 9') } });
    await expect(client.run('incident.get', { incidentId: 'abc' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'incidentId' } });
  });

  test('update changes the given fields, appends the comment, and is idempotent', async () => {
    const target = emulator.control.xdr.listIncidents('contoso').find((i) => i.status === 'Active')!;
    const id = target.incidentId as number;
    const outcome = await run('incident.update', { incidentId: id, status: 'Resolved', assignedTo: 'soc@contoso.example', classification: 'TruePositive', determination: 'CompromisedAccount', tags: ['mdca', 'playbook'], comment: 'closed by playbook' });
    expect(outcome).toMatchObject({ kind: 'item', item: { incidentId: id, status: 'Resolved', classification: 'TruePositive', determination: 'CompromisedAccount', tags: ['mdca', 'playbook'] } });
    const after = emulator.control.xdr.getIncident('contoso', id)!;
    expect(after.comments).toEqual([expect.objectContaining({ comment: 'closed by playbook', createdTime: expect.any(String) })]);
    // Same PATCH without a comment: nothing changes, lastUpdateTime stays.
    await client.run('incident.update', { incidentId: id, status: 'Resolved', classification: 'TruePositive', determination: 'CompromisedAccount' });
    expect(emulator.control.xdr.getIncident('contoso', id)!.lastUpdateTime).toBe(after.lastUpdateTime);
    // The incident resource page's determination names are accepted too (the two docs pages differ).
    await client.run('incident.update', { incidentId: id, classification: 'FalsePositive', determination: 'InsufficientData' });
    await client.run('incident.update', { incidentId: id, classification: 'InformationalExpectedActivity', determination: 'ConfirmedUserActivity', clearTags: true });
    expect(emulator.control.xdr.getIncident('contoso', id)).toMatchObject({ classification: 'InformationalExpectedActivity', determination: 'ConfirmedUserActivity', tags: [] });
  });

  test('classification/determination pairs are validated, naming the field; nothing is sent', async () => {
    const [first] = emulator.control.xdr.listIncidents('contoso');
    const before = xdrRequests(emulator).length;
    await expect(client.run('incident.update', { incidentId: first.incidentId, classification: 'FalsePositive', determination: 'Malware' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'determination' },
      hint: expect.stringContaining('Clean'),
    });
    await expect(client.run('incident.update', { incidentId: first.incidentId, determination: 'Malware' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'determination' } });
    await expect(client.run('incident.update', { incidentId: first.incidentId, determination: 'Apt' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'determination' } });
    await expect(client.run('incident.update', { incidentId: first.incidentId })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(client.run('incident.update', { incidentId: first.incidentId, status: 'Closed' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
    expect(xdrRequests(emulator).length).toBe(before);
  });

  test('the emulator itself rejects a bad pair with the XDR error shape', async () => {
    const [first] = emulator.control.xdr.listIncidents('contoso');
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://api.security.microsoft.com', roles: ['Incident.ReadWrite.All'] });
    const response = await fetchJson(`${emulator.tenants.contoso.xdrApiUrl}/api/incidents/${first.incidentId}`, token, 'PATCH', { classification: 'FalsePositive', determination: 'Phishing' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'InvalidInput', message: expect.stringContaining('determination'), target: expect.any(String) } });
    const top = await fetchJson(`${emulator.tenants.contoso.xdrApiUrl}/api/incidents?$top=500`, token, 'GET');
    expect(top.status).toBe(400);
    expect((top.body as { error: { code: string } }).error.code).toBe('ODataError');
  });

  test('addComment appends one comment with its author and time, answers with the incident and changes nothing else', async () => {
    const target = emulator.control.xdr.listIncidents('contoso').find((i) => i.status === 'Active' && (i.comments as unknown[]).length === 0)!;
    const id = target.incidentId as number;
    const unchanged = { status: target.status, assignedTo: target.assignedTo, classification: target.classification, determination: target.determination, tags: target.tags };
    emulator.control.xdr.resetRequestLog('contoso');
    const outcome = await run('incident.addComment', { incidentId: id, comment: 'Contained by playbook: sessions revoked.' });
    const after = emulator.control.xdr.getIncident('contoso', id)!;
    const comments = [{ comment: 'Contained by playbook: sessions revoked.', createdBy: emulator.tenants.contoso.credentials.apps.full.clientId, createdTime: after.lastUpdateTime }];
    expect(outcome).toEqual({ kind: 'item', item: after });
    expect(after).toMatchObject({ ...unchanged, comments });
    expect(Date.parse(String(after.lastUpdateTime))).toBeGreaterThan(Date.parse(String(target.lastUpdateTime)));
    expect(xdrRequests(emulator).map((r) => [r.method, r.path])).toEqual([['PATCH', `/api/incidents/${id}`]]);
    // A second comment is appended after the first, not in its place.
    await client.run('incident.addComment', { incidentId: id, comment: 'Closed.' });
    expect((emulator.control.xdr.getIncident('contoso', id)!.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['Contained by playbook: sessions revoked.', 'Closed.']);
  });

  test('addComment: a missing, blank or too long comment, a bad id or another field fails naming it, before anything is sent', async () => {
    const [first] = emulator.control.xdr.listIncidents('contoso');
    const before = xdrRequests(emulator).length;
    for (const comment of [undefined, '', '   ', 'x'.repeat(4_001)]) {
      await expect(client.run('incident.addComment', { incidentId: first.incidentId, comment })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'comment' } });
    }
    await expect(client.run('incident.addComment', { incidentId: 'abc', comment: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'incidentId' } });
    await expect(client.run('incident.addComment', { incidentId: first.incidentId, comment: 'x', status: 'Resolved' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'status' } });
    expect(xdrRequests(emulator).length).toBe(before);
    await expect(client.run('incident.addComment', { incidentId: 9, comment: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { status: 404, serviceMessage: expect.stringContaining('Incident 9') } });
  });

  test('addComment is sent once: after a 500 or a lost answer the outcome is unknown and the comment is not resent', async () => {
    const target = emulator.control.xdr.listIncidents('contoso').find((i) => (i.comments as unknown[]).length === 0)!;
    const id = target.incidentId as number;
    const path = `/api/incidents/${id}`;
    emulator.control.xdr.clearFaults('contoso');
    emulator.control.xdr.resetRequestLog('contoso');
    emulator.control.xdr.injectFaults('contoso', [{ status: 500, match: { method: 'PATCH', pathIncludes: path } }]);
    await expect(client.run('incident.addComment', { incidentId: id, comment: 'after a 500' })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(xdrRequests(emulator, path)).toHaveLength(1);
    // Applied by the service, then the connection drops before the answer.
    emulator.control.xdr.injectFaults('contoso', [{ reset: 'after', match: { method: 'PATCH', pathIncludes: path } }]);
    await expect(client.run('incident.addComment', { incidentId: id, comment: 'after a lost answer' })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(xdrRequests(emulator, path)).toHaveLength(2);
    expect((emulator.control.xdr.getIncident('contoso', id)!.comments as { comment: string }[]).map((c) => c.comment)).toEqual(['after a lost answer']);
  });

  test('a 429 from the XDR listener is waited out and retried', async () => {
    emulator.control.xdr.injectFaults('contoso', [{ status: 429, headers: { 'retry-after': '1' }, match: { pathIncludes: '/api/incidents' } }]);
    const [first] = emulator.control.xdr.listIncidents('contoso');
    const events: string[] = [];
    const outcome = await client.run('incident.get', { incidentId: first.incidentId }, { onEvent: (e) => events.push(e.type) });
    expect(outcome.kind).toBe('item');
    expect(events).toContain('throttled');
  });

  test('errors speak of Defender XDR, not MDCA', async () => {
    emulator.control.xdr.injectFaults('contoso', [{ status: 500, times: 4 }]);
    const error = await client.run('incident.get', { incidentId: 1 }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'SERVER_ERROR' });
    expect((error as Error).message).toMatch(/Defender XDR/);
    expect((error as Error).message).not.toMatch(/MDCA/);
  });
});

describe('advanced hunting', () => {
  test('run returns schema, rows and stats', async () => {
    const outcome = await run('advancedHunting.run', { query: 'CloudAppEvents | where Timestamp > ago(30d) and IsAdminOperation == false | project Timestamp, ActionType, AccountId | order by Timestamp desc | take 5' });
    expect(outcome.kind).toBe('result');
    const result = resultOf<{ schema: { Name: string }[]; results: Record<string, unknown>[]; rowCount: number; stats: unknown; truncated: boolean }>(outcome);
    expect(result.schema.map((c) => c.Name)).toEqual(['Timestamp', 'ActionType', 'AccountId']);
    expect(result.rowCount).toBe(5);
    expect(result.truncated).toBe(false);
    expect(result.stats).toBeTruthy();
    const times = result.results.map((r) => Date.parse(String(r.Timestamp)));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const summary = await client.run('advancedHunting.run', { query: 'AlertInfo | where ServiceSource contains "cloud apps" | summarize count() by Severity' });
    expect(resultOf<{ schema: { Name: string }[] }>(summary).schema.map((c) => c.Name)).toEqual(['Severity', 'count_']);
    const logons = await client.run('advancedHunting.run', { query: 'IdentityLogonEvents | where ActionType == "LogonFailed" | count' });
    expect(resultOf<{ results: { Count: number }[] }>(logons).results[0].Count).toBeGreaterThan(0);
  });

  test('run is deprecated: its description says so and each use warns (through the execution) to switch to Graph hunting; the result is unchanged', async () => {
    const definition = xdrOperations.find((o) => o.id === 'advancedHunting.run')!;
    expect(definition.description).toMatch(/Deprecated: Microsoft is retiring \/api\/advancedhunting\/run; use Microsoft Graph Security Hunting/);
    expect(HUNTING_RETIREMENT_WARNING).toMatch(/retiring .*\/api\/advancedhunting\/run.*Microsoft Graph Security Hunting/);
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (message: string) => void warnings.push(message) };
    const warned = createXdrClient(xdrSettings(emulator), { logger });
    const outcome = await warned.run('advancedHunting.run', { query: 'CloudAppEvents | take 3' });
    expect(resultOf<{ rowCount: number; truncated: boolean }>(outcome)).toMatchObject({ rowCount: 3, truncated: false });
    expect(warnings).toEqual([HUNTING_RETIREMENT_WARNING]);
  });

  test('a bad query is a typed error with the service message', async () => {
    const error = await client.run('advancedHunting.run', { query: 'NoSuchTable | take 1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XdrHuntingError);
    expect(error).toMatchObject({ reason: 'badQuery', code: 'REQUEST_REJECTED', details: { status: 400, serviceMessage: expect.stringContaining('NoSuchTable') } });
    await expect(client.run('advancedHunting.run', { query: 'CloudAppEvents | where Nope == 1' })).rejects.toMatchObject({ reason: 'badQuery' });
  });

  test('the row limit, the 3-minute timeout and the CPU quota map to clear reasons', async () => {
    emulator.control.xdr.setHunting('contoso', { maxRows: 10 });
    await expect(client.run('advancedHunting.run', { query: 'CloudAppEvents | take 50' })).rejects.toMatchObject({ reason: 'tooManyRows', hint: expect.stringContaining('take') });
    emulator.control.xdr.setHunting('contoso', { maxRows: 100_000, fail: { kind: 'timeout', times: 1 } });
    await expect(client.run('advancedHunting.run', { query: 'CloudAppEvents | take 1' })).rejects.toMatchObject({ reason: 'timeout', code: 'SERVER_ERROR', hint: expect.stringContaining('3 minutes') });
    emulator.control.xdr.setHunting('contoso', { fail: { kind: 'cpuQuota', times: 1 } });
    const started = Date.now();
    const error = await client.run('advancedHunting.run', { query: 'CloudAppEvents | take 1' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'cpuQuota', code: 'THROTTLED', details: { retryAfterMs: 900_000 } });
    expect((error as XdrHuntingError).toSummary()).toMatchObject({ reason: 'cpuQuota' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a calls-per-minute 429 is retried; when it persists it is a typed quota error', async () => {
    emulator.control.xdr.setHunting('contoso', { fail: { kind: 'callQuota', times: 1, retryAfterSeconds: 1 } });
    const ok = await client.run('advancedHunting.run', { query: 'CloudAppEvents | take 1' });
    expect(ok.kind).toBe('result');
    const impatient = xdrClient(emulator, 'appSecret', 'contoso', { retry: { baseDelayMs: 20, maxDelayMs: 200, maxThrottleWaits: 1 } });
    emulator.control.xdr.setHunting('contoso', { fail: { kind: 'callQuota', times: 3, retryAfterSeconds: 1 } });
    await expect(impatient.run('advancedHunting.run', { query: 'CloudAppEvents | take 1' })).rejects.toMatchObject({ reason: 'callQuota', code: 'THROTTLED' });
    emulator.control.xdr.setHunting('contoso', { fail: undefined });
  });

  test('the property name Query is case-sensitive at the emulator', async () => {
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://api.security.microsoft.com', roles: ['AdvancedHunting.Read.All'] });
    const response = await fetchJson(`${emulator.tenants.contoso.xdrApiUrl}/api/advancedhunting/run`, token, 'POST', { query: 'CloudAppEvents | take 1' });
    expect(response.status).toBe(400);
    expect((response.body as { error: { code: string } }).error.code).toBe('MissingRequiredParameter');
  });
});

async function fetchJson(url: string, token: string, method: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const https = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: emulator.caPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
