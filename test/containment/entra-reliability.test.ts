// Each Entra ID response action under the failures that make a write uncertain or refused: the
// connection dropped after the service acted (emulator fault reset 'after'), a 5xx, and a 429.
// Nothing that may have reached the service is sent twice (counted in the emulator's request
// log), and the record says what is known: outcomeUnknown, or done after a 429 the service
// refused without acting.
import type { RunningEmulator } from '../../emulator';
import type { Fault } from '../../emulator/faults';
import { emulatorPerFile } from '../support/emulator-per-file';
import { alertUsers, entraClient, entraRequests, EntraTestClient, recordsOf } from './entra-helpers';

let emulator: RunningEmulator;
let client: EntraTestClient;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  client = entraClient(e);
});
const entra = () => emulator.control.graph.entra;

beforeEach(() => {
  entra().reset('contoso');
  emulator.control.graph.clearFaults('contoso');
  emulator.control.graph.resetRequestLog('contoso');
});

interface ActionCase {
  id: string;
  /** The write's method and a part of its path, where the fault is placed. */
  method: 'POST' | 'PATCH';
  pathIncludes: string;
  /** A user the action changes (not already in the state asked for). */
  user: () => { id: string; userPrincipalName: string };
  /** Whether the emulator applied the action to the user. */
  applied: (id: string) => boolean;
}

const users = () => alertUsers(emulator);
const atRisk = () => users().find((u) => entra().getRisk('contoso', u.id)?.riskState === 'atRisk')!;
const CASES: ActionCase[] = [
  {
    id: 'user.revokeSessions',
    method: 'POST',
    pathIncludes: '/revokeSignInSessions',
    user: () => users()[0],
    applied: (id) => entra().getUser('contoso', id)!.signInSessionsValidFromDateTime !== users().find((u) => u.id === id)!.createdDateTime,
  },
  { id: 'user.disable', method: 'PATCH', pathIncludes: '/v1.0/users/', user: () => users()[0], applied: (id) => entra().getUser('contoso', id)!.accountEnabled === false },
  {
    id: 'user.enable',
    method: 'PATCH',
    pathIncludes: '/v1.0/users/',
    user: () => {
      const u = users()[1];
      entra().updateUser('contoso', u.id, { accountEnabled: false });
      return u;
    },
    applied: (id) => entra().getUser('contoso', id)!.accountEnabled === true,
  },
  { id: 'riskyUser.confirmCompromised', method: 'POST', pathIncludes: '/confirmCompromised', user: atRisk, applied: (id) => entra().getRisk('contoso', id)?.riskState === 'confirmedCompromised' },
  { id: 'riskyUser.dismiss', method: 'POST', pathIncludes: '/riskyUsers/dismiss', user: atRisk, applied: (id) => entra().getRisk('contoso', id)?.riskState === 'dismissed' },
];

const sentWrites = (c: ActionCase) => entraRequests(emulator).filter((r) => r.method === c.method && r.path.includes(c.pathIncludes));
const fault = (c: ActionCase, f: { reset: 'after' } | { status: number; headers?: Record<string, string> }): void => emulator.control.graph.injectFaults('contoso', [{ ...f, match: { method: c.method, pathIncludes: c.pathIncludes } } as Fault]);

describe.each(CASES)('$id', (c) => {
  test('lost response after the service acted: outcomeUnknown, sent exactly once, the state did change', async () => {
    const user = c.user();
    fault(c, { reset: 'after' });
    const { summary, records } = recordsOf(await client.run(c.id, { users: [user.userPrincipalName, user.id] }));
    // The second entry is the same user by id: it reads the state the lost write left and reports it truthfully.
    expect(records[0]).toMatchObject({ status: 'outcomeUnknown', outcome: 'outcomeUnknown', targetId: user.id, message: expect.stringContaining('not sent again') });
    // Sessions have no "already" state: the second revoke is sent; every other action sees it applied.
    expect(records[1]).toMatchObject({ status: c.id === 'user.revokeSessions' ? 'done' : 'unchanged', targetId: user.id });
    expect(sentWrites(c)).toHaveLength(c.id === 'user.revokeSessions' ? 2 : 1);
    expect(c.applied(user.id)).toBe(true);
    expect(summary.outcomeUnknown).toBe(1);
  });

  test('a 500: outcomeUnknown, never resent', async () => {
    const user = c.user();
    fault(c, { status: 500 });
    await expect(client.run(c.id, { users: user.id })).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(sentWrites(c)).toHaveLength(1);
  });

  test('a 429 (the service did not act): waited for and sent again once, then done', async () => {
    const user = c.user();
    fault(c, { status: 429, headers: { 'retry-after': '0' } });
    const { records } = recordsOf(await client.run(c.id, { users: user.id }));
    expect(records[0]).toMatchObject({ status: 'done', targetId: user.id });
    expect(sentWrites(c).map((r) => r.status)).toEqual([429, c.method === 'PATCH' || c.id.startsWith('riskyUser') ? 204 : 200]);
    expect(c.applied(user.id)).toBe(true);
  });
});
