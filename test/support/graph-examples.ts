// What the two Microsoft Graph example flows and workflows (examples/node-red/graph-*.json,
// examples/n8n/graph-security/) must do, checked in the emulator's ground truth and request log,
// so the n8n and Node-RED end-to-end suites assert the same behaviour:
//   1. a new Defender for Cloud Apps alert in Graph gets one comment with its user's recent MDCA
//      activities and is resolved as informational / expected activity (confirmedUserActivity);
//   2. the daily hunt comments once on the incident of each hit, one comment per incident.
import type { RunningEmulator } from '../../emulator';

type Json = Record<string, unknown>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MDCA_SOURCE = 'microsoftDefenderForCloudApps';
/** The Graph comment request of an alert or incident (the request log keeps paths only). */
const commentPath = (kind: 'alerts_v2' | 'incidents', id: string): string => `/v1.0/security/${kind}/${encodeURIComponent(id)}/comments`;
const recordPath = (kind: 'alerts_v2' | 'incidents', id: string): string => `/v1.0/security/${kind}/${encodeURIComponent(id)}`;

function userEvidence(upn: string, oid: string): Json {
  const [accountName, domainName] = upn.split('@');
  return {
    '@odata.type': '#microsoft.graph.security.userEvidence',
    createdDateTime: new Date().toISOString(),
    verdict: 'suspicious',
    remediationStatus: 'none',
    roles: ['compromised'],
    tags: [],
    userAccount: { accountName, domainName, userPrincipalName: upn, azureAdUserId: oid, displayName: accountName.replace(/\./g, ' '), userSid: null },
  };
}

const ipEvidence = (ip: string): Json => ({ '@odata.type': '#microsoft.graph.security.ipEvidence', createdDateTime: new Date().toISOString(), verdict: 'suspicious', roles: [], tags: [], ipAddress: ip });

export interface AlertExampleData {
  tenant: string;
  /** Graph alert id → the user and the descriptions of the activities its comment must list. */
  withUser: { alertId: string; upn: string; activities: string[] }[];
  /** Alerts the flow must leave alone: an MDCA alert without a user, another product's alert. */
  untouched: string[];
}

/**
 * Example 1's input: two users with fresh MDCA activities, a new Defender for Cloud Apps alert in
 * Graph about each, one without a user in its evidence and a Defender for Endpoint alert about the
 * first user (not an MDCA alert: the trigger's filter leaves it out).
 */
export function insertAlertExampleData(emulator: RunningEmulator, tenant: string, tag: string): AlertExampleData {
  const domain = `${tenant}.example`;
  const now = Date.now();
  const users = [1, 2].map((n) => ({ upn: `e2e.graph.${tag}.${n}@${domain}`, oid: `00000000-0000-4000-8000-0000000e2e0${n}` }));
  const withUser = users.map((u, n) => {
    const activities = [`${tag} user ${n + 1} downloaded 214 files`, `${tag} user ${n + 1} shared a folder externally`];
    emulator.control.insertActivities(
      tenant,
      activities.map((description, k) => ({ description, timestamp: now - (10 - k) * 60_000, user: { userName: u.upn, userTags: [], orgUnit: null, domain } })),
    );
    return { upn: u.upn, oid: u.oid, activities };
  });
  const mdca = { serviceSource: MDCA_SOURCE, detectionSource: 'cloudAppSecurity', productName: 'Microsoft Defender for Cloud Apps', status: 'new', severity: 'medium', incidentId: null };
  const inserted = emulator.control.graph.insertAlerts(tenant, [
    ...withUser.map((u, n) => ({ ...mdca, id: `ca${tag}e2e0000${n + 1}`, title: `E2E ${tag}: mass download by user ${n + 1}`, evidence: [userEvidence(u.upn, u.oid), ipEvidence('203.0.113.7')] })),
    { ...mdca, id: `ca${tag}e2e00009`, title: `E2E ${tag}: activity from a risky IP, no user`, evidence: [ipEvidence('203.0.113.9')] },
    {
      id: `da${tag}e2e00008`,
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'antivirus',
      productName: 'Microsoft Defender for Endpoint',
      status: 'new',
      incidentId: null,
      title: `E2E ${tag}: hacktool on the first user's device`,
      evidence: [userEvidence(users[0].upn, users[0].oid)],
    },
  ]);
  return {
    tenant,
    withUser: withUser.map((u, n) => ({ alertId: String(inserted[n].id), upn: u.upn, activities: u.activities })),
    untouched: inserted.slice(2).map((a) => String(a.id)),
  };
}

/** Whether every alert with a user is resolved (the condition a test waits for). */
export function alertExampleDone(emulator: RunningEmulator, data: AlertExampleData): boolean {
  return data.withUser.every((a) => emulator.control.graph.getAlert(data.tenant, a.alertId)?.status === 'resolved');
}

/**
 * Example 1's outcome: each alert with a user has exactly one comment, listing its own user's
 * activities and not the other user's, and is resolved with the pair; one comment request and one
 * update per alert; the other alerts are untouched, with no request for them.
 */
export function expectAlertExampleOutcome(emulator: RunningEmulator, data: AlertExampleData): void {
  const graph = emulator.control.graph;
  const log = graph.requestLog(data.tenant);
  for (const a of data.withUser) {
    const alert = graph.getAlert(data.tenant, a.alertId)!;
    expect(alert).toMatchObject({ status: 'resolved', classification: 'informationalExpectedActivity', determination: 'confirmedUserActivity' });
    const comments = alert.comments as { comment: string }[];
    expect(comments).toHaveLength(1);
    expect(comments[0].comment).toContain(a.upn);
    for (const description of a.activities) expect(comments[0].comment).toContain(description);
    for (const other of data.withUser.filter((o) => o !== a)) for (const description of other.activities) expect(comments[0].comment).not.toContain(description);
    expect(log.filter((e) => e.method === 'POST' && e.path === commentPath('alerts_v2', a.alertId))).toHaveLength(1);
    expect(log.filter((e) => e.method === 'PATCH' && e.path === recordPath('alerts_v2', a.alertId))).toHaveLength(1);
  }
  for (const id of data.untouched) {
    expect(graph.getAlert(data.tenant, id)).toMatchObject({ status: 'new', comments: [] });
    expect(log.filter((e) => e.method !== 'GET' && e.path.startsWith(recordPath('alerts_v2', id)))).toEqual([]);
  }
}

export interface HuntingExpectation {
  tenant: string;
  /** incident id → the Graph alert ids of its hits. */
  incidents: Map<string, string[]>;
  /** Comments each incident had before the hunt. */
  before: Map<string, number>;
}

/** The MDCA alerts the example's query hits: medium or high severity, in the last day. */
function huntingHitIds(emulator: RunningEmulator, tenant: string, now: number): string[] {
  return emulator.control
    .listAlerts(tenant)
    .filter((mdca) => {
      const severity = Number(mdca.severityValue);
      const ts = Number(mdca.timestamp);
      return (severity === 1 || severity === 2) && ts >= now - DAY && ts <= now;
    })
    .map((mdca) => `ca${String(mdca._id)}`);
}

/**
 * Arranges one incident with two hits, so that the example's grouping (one comment per incident,
 * not per hit) is exercised whatever the seed: when no two hits share an incident, the second
 * hit's Graph alert joins the first one's incident (as Defender correlates alerts).
 */
export function groupTwoHuntingHits(emulator: RunningEmulator, tenant: string): void {
  const graph = emulator.control.graph;
  const withIncident = huntingHitIds(emulator, tenant, Date.now())
    .map((id) => graph.getAlert(tenant, id))
    .filter((a): a is NonNullable<typeof a> => !!a && typeof a.incidentId === 'string');
  const byIncident = new Map<string, number>();
  for (const a of withIncident) byIncident.set(String(a.incidentId), (byIncident.get(String(a.incidentId)) ?? 0) + 1);
  if ([...byIncident.values()].some((n) => n > 1)) return;
  if (withIncident.length < 2) throw new Error(`the tenant ${tenant} has ${withIncident.length} hunting hit(s) with an incident; the example needs two`);
  const [first, second] = withIncident;
  graph.updateAlert(tenant, String(second.id), { incidentId: first.incidentId, incidentWebUrl: first.incidentWebUrl });
}

/**
 * The hits of the example's query (MDCA alerts of medium or high severity in the last day, from
 * the tenant's MDCA alerts as the hunting tables hold them) grouped by the incident of their Graph
 * alert. Computed before the hunt runs; the nearest seeded alert is hours from the day's edge.
 */
export function expectedHuntingHits(emulator: RunningEmulator, tenant: string): HuntingExpectation {
  const now = Date.now();
  const incidents = new Map<string, string[]>();
  for (const id of huntingHitIds(emulator, tenant, now)) {
    const alert = emulator.control.graph.getAlert(tenant, id);
    if (!alert) throw new Error(`the hunting hit ${id} has no Graph alert in the emulator`);
    if (typeof alert.incidentId !== 'string') continue;
    incidents.set(alert.incidentId, [...(incidents.get(alert.incidentId) ?? []), id]);
  }
  const before = new Map(emulator.control.graph.listIncidents(tenant).map((i) => [String(i.id), (i.comments as unknown[]).length]));
  return { tenant, incidents, before };
}

/** How many comment requests the hunt sent so far (the condition a test waits for). */
export function huntingCommentsSent(emulator: RunningEmulator, tenant: string): number {
  return emulator.control.graph.requestLog(tenant).filter((e) => e.method === 'POST' && /^\/v1\.0\/security\/incidents\/[^/]+\/comments$/.test(e.path)).length;
}

/**
 * Example 2's outcome: every incident of a hit got exactly one new comment naming all of its hit
 * alerts, one request each; no other incident got a comment.
 */
export function expectHuntingOutcome(emulator: RunningEmulator, expected: HuntingExpectation): void {
  const graph = emulator.control.graph;
  const log = graph.requestLog(expected.tenant);
  expect(expected.incidents.size).toBeGreaterThan(0);
  // An incident with two hits (groupTwoHuntingHits): the grouping (one comment, not two) is exercised.
  expect([...expected.incidents.values()].some((hits) => hits.length > 1)).toBe(true);
  for (const incident of graph.listIncidents(expected.tenant)) {
    const id = String(incident.id);
    const comments = incident.comments as { comment: string }[];
    const added = comments.slice(expected.before.get(id) ?? 0);
    const hits = expected.incidents.get(id);
    if (!hits) {
      expect({ id, added }).toEqual({ id, added: [] });
      continue;
    }
    expect(added).toHaveLength(1);
    expect(added[0].comment).toContain(`${hits.length} alert(s) of this incident matched`);
    for (const alertId of hits) expect(added[0].comment).toContain(alertId);
    expect(log.filter((e) => e.method === 'POST' && e.path === commentPath('incidents', id))).toHaveLength(1);
  }
  expect(huntingCommentsSent(emulator, expected.tenant)).toBe(expected.incidents.size);
  expect(log.filter((e) => e.method === 'POST' && e.path === '/v1.0/security/runHuntingQuery')).toHaveLength(1);
}
