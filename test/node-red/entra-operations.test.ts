// The Microsoft Entra ID nodes (mdca-entra-user, mdca-entra-risky-user) through
// node-red-node-test-helper against the emulator's Graph listener over HTTPS with real msal: a read
// and a response action each, the record as msg.payload (one target) or {summary, items} (a list)
// with a status in plain words, a dry run that sends nothing, the permission named before sending,
// and a lost answer reported as "outcome unknown", never sent again.
import type { RunningEmulator } from '../../emulator';
import { alertUsers, entraRequests } from '../containment/entra-helpers';
import { emulatorAndNodeRedPerFile, responseConnection, runOperationNode } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';
const entra = () => emulator.control.graph.entra;
const writes = () => entraRequests(emulator).filter((r) => r.method !== 'GET');

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), {
  each: () => {
    entra().reset(T);
    emulator.control.graph.clearFaults(T);
    emulator.control.graph.resetRequestLog(T);
  },
});

const last = (statuses: Record<string, unknown>[]) => statuses[statuses.length - 1];
const run = (type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, opts: { expectError?: boolean; kind?: 'appSecret' | 'appReader' } = {}) =>
  runOperationNode(responseConnection(emulator, opts.kind ?? 'appSecret'), type, operation, msg, node, opts);

describe('mdca-entra-user', () => {
  test('get: the user by UPN from msg.payload', async () => {
    const [user] = alertUsers(emulator);
    const r = await run('mdca-entra-user', 'user.get', { payload: { user: user.userPrincipalName } });
    expect(r.out[0].payload).toMatchObject({ id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: true });
    expect(r.out[0].mdca).toEqual({ operation: 'user.get' });
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'done · 1 items' });
  });

  test('revokeSessions on one user: its record is msg.payload, the status says what was done', async () => {
    const [user] = alertUsers(emulator);
    const r = await run('mdca-entra-user', 'user.revokeSessions', { payload: { users: user.userPrincipalName, comment: 'INC-42' } });
    expect(r.out[0].payload).toMatchObject({
      status: 'done',
      outcome: 'sessionsRevoked',
      action: 'user.revokeSessions',
      target: user.userPrincipalName,
      targetId: user.id,
      comment: 'INC-42',
      credential: { kind: 'application', appId: emulator.tenants[T].credentials.apps.full.clientId },
      request: { method: 'POST', url: `${emulator.tenants[T].graphApiUrl}/v1.0/users/${user.id}/revokeSignInSessions` },
    });
    expect(r.out[0].mdca).toMatchObject({ operation: 'user.revokeSessions', summary: { requested: 1, done: 1 } });
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'sessions revoked 1' });
    expect(writes()).toHaveLength(1);
  });

  test('disable a list, one already disabled: {summary, items}, one PATCH, the status counts each outcome', async () => {
    const [a, b] = alertUsers(emulator);
    await run('mdca-entra-user', 'user.disable', { payload: { users: a.id } });
    emulator.control.graph.resetRequestLog(T);
    const r = await run('mdca-entra-user', 'user.disable', {}, { params: { users: { v: JSON.stringify([b.id, a.id]), t: 'json' } } });
    const payload = r.out[0].payload as { summary: Record<string, unknown>; items: Record<string, unknown>[] };
    expect(payload.summary).toMatchObject({ requested: 2, done: 1, unchanged: 1 });
    expect(payload.items.map((i) => [i.target, i.status, i.outcome])).toEqual([
      [b.id, 'done', 'disabled'],
      [a.id, 'unchanged', 'alreadyDisabled'],
    ]);
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'disabled 1, already disabled 1' });
    expect(writes().map((w) => w.method)).toEqual(['PATCH']);
  });

  test('a dry run reports the exact request and sends nothing (count at the emulator)', async () => {
    const [user] = alertUsers(emulator);
    const r = await run('mdca-entra-user', 'user.disable', { payload: { users: user.id } }, { params: { dryRun: { v: 'true', t: 'bool' } } });
    expect(r.out[0].payload).toMatchObject({ status: 'dryRun', outcome: 'wouldSend', request: { method: 'PATCH', url: `${emulator.tenants[T].graphApiUrl}/v1.0/users/${user.id}`, body: { accountEnabled: false } } });
    expect(last(r.statuses)).toMatchObject({ fill: 'grey', text: 'dry run: nothing sent · 1 would be sent' });
    expect(writes()).toEqual([]);
    expect(entra().getUser(T, user.id)!.accountEnabled).toBe(true);
  });

  test('Dry Run set in the editor stays on when the message says dryRun: false (a message can only turn it on)', async () => {
    const [user] = alertUsers(emulator);
    const r = await run('mdca-entra-user', 'user.disable', { payload: { users: user.id, dryRun: false } }, { params: { dryRun: { v: 'true', t: 'bool' } } });
    expect(r.out[0].payload).toMatchObject({ status: 'dryRun', outcome: 'wouldSend', target: user.id });
    expect(writes()).toEqual([]);
    expect(entra().getUser(T, user.id)!.accountEnabled).toBe(true);
  });

  test('a read-only app: the missing permission is named before anything is sent', async () => {
    const [user] = alertUsers(emulator);
    const r = await run('mdca-entra-user', 'user.revokeSessions', { payload: { users: user.id } }, {}, { expectError: true, kind: 'appReader' });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'PERMISSION_MISSING', permissions: expect.arrayContaining(['User.RevokeSessions.All']) });
    expect(last(r.statuses)).toMatchObject({ fill: 'red', text: expect.stringMatching(/^missing permission .*User\.RevokeSessions\.All/) });
    expect(entraRequests(emulator)).toEqual([]);
    expect(r.out).toEqual([]);
  });

  test('a lost answer: one target goes to Catch as OUTCOME_UNKNOWN; in a list its record says so and the status is red; never sent twice', async () => {
    const [a, b] = alertUsers(emulator);
    const lost = { reset: 'after', match: { method: 'POST', pathIncludes: `/users/${a.id}/revokeSignInSessions` } };
    emulator.control.graph.injectFaults(T, [lost as never]);
    const one = await run('mdca-entra-user', 'user.revokeSessions', { payload: { users: a.id } }, {}, { expectError: true });
    expect(one.errors[0].mdcaError).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(last(one.statuses)).toMatchObject({ fill: 'red', text: expect.stringContaining('OUTCOME_UNKNOWN') });
    expect(writes()).toHaveLength(1);

    emulator.control.graph.injectFaults(T, [lost as never]);
    const list = await run('mdca-entra-user', 'user.revokeSessions', { payload: { users: [a.id, b.id] } });
    const payload = list.out[0].payload as { items: Record<string, unknown>[] };
    expect(payload.items.map((i) => [i.target, i.status])).toEqual([
      [a.id, 'outcomeUnknown'],
      [b.id, 'done'],
    ]);
    expect(last(list.statuses)).toMatchObject({ fill: 'red', text: 'outcome unknown: check before retrying · outcome unknown 1, sessions revoked 1' });
    expect(writes().filter((w) => w.path.includes(a.id))).toHaveLength(2);
  });
});

describe('mdca-entra-risky-user', () => {
  const atRisk = () => alertUsers(emulator).find((u) => entra().getRisk(T, u.id)?.riskState === 'atRisk')!;

  test('get: the user risk by UPN', async () => {
    const user = atRisk();
    const r = await run('mdca-entra-risky-user', 'riskyUser.get', { payload: { user: user.userPrincipalName } });
    expect(r.out[0].payload).toMatchObject({ id: user.id, riskState: 'atRisk' });
  });

  test('confirmCompromised, then again: confirmed, then alreadyConfirmedCompromised with nothing sent', async () => {
    const user = atRisk();
    const first = await run('mdca-entra-risky-user', 'riskyUser.confirmCompromised', { payload: { users: user.userPrincipalName } });
    expect(first.out[0].payload).toMatchObject({ status: 'done', targetId: user.id, request: { method: 'POST', body: { userIds: [user.id] } } });
    expect(last(first.statuses)).toMatchObject({ fill: 'green' });
    expect(entra().getRisk(T, user.id)).toMatchObject({ riskState: 'confirmedCompromised' });
    const again = await run('mdca-entra-risky-user', 'riskyUser.confirmCompromised', { payload: { users: user.id } });
    expect(again.out[0].payload).toMatchObject({ status: 'unchanged', outcome: 'alreadyConfirmedCompromised' });
    expect(last(again.statuses)).toMatchObject({ fill: 'green', text: 'already confirmed compromised 1' });
    expect(writes()).toHaveLength(1);
  });
});
