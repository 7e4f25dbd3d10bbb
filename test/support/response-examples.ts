// What the two response examples (examples/n8n/response/, examples/node-red/contain-compromised-user.json
// and isolate-device-from-incident.json) must do, checked in the emulator's ground truth and request
// logs, so the n8n and Node-RED end-to-end suites assert the same behaviour:
//   1. a new high-severity impossible travel MDCA alert → its user's sessions revoked and the user
//      confirmed compromised → the Graph alert of that MDCA alert commented and resolved → the MDCA
//      alert closed as a true positive;
//   2. a new incident with an MDCA alert and a device → the machine isolated (Selective) once, the
//      wait carried from Pending through InProgress to Succeeded by the emulator's clock (never the
//      wall clock) → the incident commented with the machine action id.
// The data comes from the seed: the alert is raised for a seeded user (Entra ID user and risky user
// from the tenant's seed) and policy; its Graph alert, incident and device (an MDE machine) follow
// from the emulator's MDCA → Graph → MDE links.
import type { RunningEmulator } from '../../emulator';
import { pollUntil } from './poll-until';

type Json = Record<string, unknown>;

const IMPOSSIBLE_TRAVEL = 'Impossible travel activity';
const HIGH = 2;
const MEDIUM = 1;
/** Lifecycle of the example's machine action: far longer than any test, so only the test's clock moves it. */
const PHASE_MS = 10 * 60_000;

export interface ContainUserData {
  tenant: string;
  /** The new high-severity impossible travel alert and its user. */
  alertId: string;
  upn: string;
  userId: string;
  sessionsValidFrom: string;
  /** A new medium-severity alert of another user at risk: the trigger's filter leaves it alone. */
  decoy: { alertId: string; userId: string; sessionsValidFrom: string };
}

/** Seeded users (of the tenant's MDCA data) whose Identity Protection risk is still atRisk. */
function usersAtRisk(emulator: RunningEmulator, tenant: string): { id: string; upn: string }[] {
  const seeded = new Set(emulator.control.listEntities(tenant).map((e) => String(e.email).toLowerCase()));
  const entra = emulator.control.graph.entra;
  return entra
    .listUsers(tenant)
    .filter((u) => seeded.has(u.userPrincipalName.toLowerCase()) && entra.getRisk(tenant, u.id)?.riskState === 'atRisk')
    .map((u) => ({ id: u.id, upn: u.userPrincipalName }));
}

/** Example 1's input: a new high-severity impossible travel alert of a seeded user at risk, and a medium one of another. */
export function insertContainUserData(emulator: RunningEmulator, tenant: string): ContainUserData {
  const [user, other] = usersAtRisk(emulator, tenant);
  if (!other) throw new Error(`the tenant ${tenant} has fewer than two seeded users at risk`);
  const entra = emulator.control.graph.entra;
  const [alert] = emulator.control.insertAlerts(tenant, [{ severityValue: HIGH, resolutionStatusValue: 0, statusValue: 0 }], { policy: IMPOSSIBLE_TRAVEL, user: user.upn });
  const [decoy] = emulator.control.insertAlerts(tenant, [{ severityValue: MEDIUM, resolutionStatusValue: 0, statusValue: 0 }], { policy: IMPOSSIBLE_TRAVEL, user: other.upn });
  return {
    tenant,
    alertId: String(alert._id),
    upn: user.upn,
    userId: user.id,
    sessionsValidFrom: entra.getUser(tenant, user.id)!.signInSessionsValidFromDateTime,
    decoy: { alertId: String(decoy._id), userId: other.id, sessionsValidFrom: entra.getUser(tenant, other.id)!.signInSessionsValidFromDateTime },
  };
}

/** The MDCA alert is closed (the condition a test waits for: the example's last step). */
export function containUserDone(emulator: RunningEmulator, data: ContainUserData): boolean {
  return mdcaCloseRequests(emulator, data.tenant).length > 0;
}

const mdcaCloseRequests = (emulator: RunningEmulator, tenant: string) => emulator.control.requestLog(tenant).filter((e) => e.method === 'POST' && /\/alerts\/close_true_positive\/?$/.test(e.path));

/**
 * Example 1's outcome: sessions revoked and risk confirmed for the alert's user (one request each),
 * the Graph alert commented once and resolved as true positive / compromised user, the MDCA alert
 * closed as a true positive (one close); the decoy alert and its user untouched.
 */
export function expectContainUserOutcome(emulator: RunningEmulator, data: ContainUserData): void {
  const { tenant } = data;
  const graph = emulator.control.graph;
  const entra = graph.entra;
  const log = graph.requestLog(tenant);
  const user = entra.getUser(tenant, data.userId)!;
  expect(Date.parse(user.signInSessionsValidFromDateTime)).toBeGreaterThan(Date.parse(data.sessionsValidFrom));
  expect(log.filter((e) => e.method === 'POST' && e.path === `/v1.0/users/${data.userId}/revokeSignInSessions`)).toHaveLength(1);
  expect(entra.getRisk(tenant, data.userId)).toMatchObject({ riskState: 'confirmedCompromised', riskLevel: 'high' });
  expect(log.filter((e) => e.method === 'POST' && e.path === '/v1.0/identityProtection/riskyUsers/confirmCompromised')).toHaveLength(1);

  const graphAlertId = `ca${data.alertId}`;
  const alert = graph.getAlert(tenant, graphAlertId)!;
  expect(alert).toMatchObject({ status: 'resolved', classification: 'truePositive', determination: 'compromisedUser' });
  const comments = (alert.comments as { comment: string }[]).map((c) => c.comment);
  const ours = comments.filter((c) => c.includes(data.upn) && /sessions revoked/i.test(c));
  expect(ours.length).toBeGreaterThanOrEqual(1);
  expect(log.filter((e) => e.method === 'POST' && e.path === `/v1.0/security/alerts_v2/${graphAlertId}/comments`)).toHaveLength(1);
  expect(log.filter((e) => e.method === 'PATCH' && e.path === `/v1.0/security/alerts_v2/${graphAlertId}`)).toHaveLength(1);

  expect(emulator.control.getAlert(tenant, data.alertId)).toMatchObject({ resolutionStatusValue: 5 });
  expect(mdcaCloseRequests(emulator, tenant)).toHaveLength(1);

  // The decoy (medium severity) and its user: nothing sent.
  expect(emulator.control.getAlert(tenant, data.decoy.alertId)).toMatchObject({ resolutionStatusValue: 0 });
  expect(entra.getUser(tenant, data.decoy.userId)!.signInSessionsValidFromDateTime).toBe(data.decoy.sessionsValidFrom);
  expect(entra.getRisk(tenant, data.decoy.userId)?.riskState).toBe('atRisk');
  expect(log.filter((e) => e.method !== 'GET' && e.path.includes(data.decoy.userId))).toEqual([]);
  expect(graph.getAlert(tenant, `ca${data.decoy.alertId}`)).toMatchObject({ status: 'new' });
}

export interface IsolateDeviceData {
  tenant: string;
  incidentId: string;
  graphAlertId: string;
  machineId: string;
  commentsBefore: number;
}

/**
 * Example 2's input: a new medium-severity MDCA alert (as the seed builds one, about a seeded user
 * from an IP: its Graph alert names the user's device), which Defender puts in a new incident; MDE
 * knows the device. Machine actions of this tenant stay in each phase for PHASE_MS of emulated time.
 */
export function insertIsolateDeviceData(emulator: RunningEmulator, tenant: string): IsolateDeviceData {
  emulator.control.mde.setLifecycle(tenant, { pendingMs: PHASE_MS, inProgressMs: PHASE_MS });
  const [mdca] = emulator.control.insertAlerts(tenant, [{ severityValue: MEDIUM, resolutionStatusValue: 0, statusValue: 0 }]);
  const graphAlert = emulator.control.graph.getAlert(tenant, `ca${String(mdca._id)}`);
  if (!graphAlert || typeof graphAlert.incidentId !== 'string') throw new Error(`the new MDCA alert ${String(mdca._id)} has no Graph alert in an incident`);
  const device = (graphAlert.evidence as Json[]).find((e) => String(e['@odata.type']).endsWith('deviceEvidence'));
  if (!device) throw new Error(`the Graph alert ca${String(mdca._id)} names no device`);
  const machineId = String(device.mdeDeviceId);
  if (!emulator.control.mde.getMachine(tenant, machineId)) throw new Error(`MDE does not know the device ${machineId}`);
  const incident = emulator.control.graph.getIncident(tenant, graphAlert.incidentId)!;
  return { tenant, incidentId: graphAlert.incidentId, graphAlertId: String(graphAlert.id), machineId, commentsBefore: (incident.comments as unknown[]).length };
}

const isolateRequests = (emulator: RunningEmulator, data: IsolateDeviceData) =>
  emulator.control.mde.requestLog(data.tenant).filter((e) => e.method === 'POST' && e.path === `/api/machines/${data.machineId}/isolate`);

/**
 * Carries the example's isolation through its lifecycle by the emulator's clock while the host
 * waits for it: once the action exists and the host has read it Pending, the clock moves to
 * InProgress; once the host has read that, to Succeeded. Returns the statuses the host's reads met.
 */
export async function driveIsolation(emulator: RunningEmulator, data: IsolateDeviceData, timeoutMs = 240_000): Promise<string[]> {
  const mde = emulator.control.mde;
  const [posted] = await pollUntil('the isolate request', () => (isolateRequests(emulator, data).length > 0 ? isolateRequests(emulator, data) : undefined), timeoutMs, 200);
  const actionId = String(posted.actionId);
  const reads = () => mde.requestLog(data.tenant).filter((e) => e.method === 'GET' && e.path === `/api/machineactions/${actionId}`).length;
  const seen: string[] = [];
  for (const next of ['InProgress', 'Succeeded']) {
    const before = reads();
    await pollUntil(`the host reading the action (${seen.length + 1})`, () => reads() > before, timeoutMs, 200);
    seen.push(String(mde.getAction(data.tenant, actionId)?.status));
    emulator.control.setClockOffsetMs(emulator.control.clockOffsetMs() + PHASE_MS);
    expect(mde.getAction(data.tenant, actionId)?.status).toBe(next);
  }
  return seen;
}

/** The incident has the example's comment (the condition a test waits for). */
export function isolateDeviceDone(emulator: RunningEmulator, data: IsolateDeviceData): boolean {
  return (emulator.control.graph.getIncident(data.tenant, data.incidentId)?.comments as unknown[] | undefined)?.length !== data.commentsBefore;
}

/**
 * Example 2's outcome: one isolate request (Selective) for the incident's device, its action
 * Succeeded and the machine isolated (Selective); the incident got one comment naming the action id.
 */
export function expectIsolateDeviceOutcome(emulator: RunningEmulator, data: IsolateDeviceData): string {
  const mde = emulator.control.mde;
  const posts = isolateRequests(emulator, data);
  expect(posts).toHaveLength(1);
  expect(posts[0].body).toContain('Selective');
  const actionId = String(posts[0].actionId);
  expect(mde.getAction(data.tenant, actionId)).toMatchObject({ type: 'Isolate', scope: 'Selective', status: 'Succeeded', machineId: data.machineId });
  expect(mde.getMachineState(data.tenant, data.machineId)).toMatchObject({ isolated: true, isolationType: 'Selective' });
  expect(mde.requestLog(data.tenant).filter((e) => e.method === 'POST')).toHaveLength(1);
  const incident = emulator.control.graph.getIncident(data.tenant, data.incidentId)!;
  const added = (incident.comments as { comment: string }[]).slice(data.commentsBefore).map((c) => c.comment);
  expect(added).toHaveLength(1);
  expect(added[0]).toContain(actionId);
  expect(added[0]).toContain('Succeeded');
  return actionId;
}
