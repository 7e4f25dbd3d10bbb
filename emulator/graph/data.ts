// Seeded Graph security alerts and incidents of one emulated tenant. Every MDCA alert of the tenant
// becomes a Graph alert with serviceSource microsoftDefenderForCloudApps, id "ca" + its MDCA _id
// and providerAlertId the MDCA _id (the link the XDR emulator uses too); a few alerts of other
// products (Defender for Endpoint, Office 365, Sentinel) sit beside them. Each carries the user and
// device evidence of the tenant's users (evidence.ts). Incidents group them by one or two. Times
// carry seven fractional digits, as Graph writes them.
import { Rng } from '../data/random';
import { JsonObject } from '../jwt';
import { endpointEvidence, EvidenceUser, mdcaEvidence } from './evidence';
import { graphStateOf } from './mdca-sync';

export const graphTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '0000Z');

const SEVERITIES = ['low', 'medium', 'high', 'informational'];
const RANK: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4 };
const CATEGORIES = ['InitialAccess', 'CredentialAccess', 'Exfiltration', 'DefenseEvasion', 'Collection'];
const OTHERS = [
  { serviceSource: 'microsoftDefenderForEndpoint', detectionSource: 'antivirus', productName: 'Microsoft Defender for Endpoint', title: "'Mimikatz' hacktool was detected" },
  { serviceSource: 'microsoftDefenderForOffice365', detectionSource: 'microsoftDefenderForOffice365', productName: 'Microsoft Defender for Office 365', title: 'Email messages containing malicious URL removed after delivery' },
  { serviceSource: 'microsoftSentinel', detectionSource: 'customDetection', productName: 'Microsoft Sentinel', title: 'Sentinel analytics rule: rare sign-in location' },
];

function alertBase(id: string, tenantId: string, ms: number, rng: Rng): JsonObject {
  return {
    id,
    incidentId: null,
    status: 'new',
    severity: 'medium',
    classification: 'unknown',
    determination: 'unknown',
    detectorId: `${rng.int(1_000_000)}`,
    tenantId,
    category: CATEGORIES[rng.int(CATEGORIES.length)],
    assignedTo: null,
    alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${tenantId}`,
    incidentWebUrl: null,
    actorDisplayName: null,
    threatDisplayName: null,
    threatFamilyName: null,
    mitreTechniques: [],
    recommendedActions: '',
    createdDateTime: graphTime(ms),
    lastUpdateDateTime: graphTime(ms + 60_000),
    resolvedDateTime: null,
    firstActivityDateTime: graphTime(ms - 5 * 60_000),
    lastActivityDateTime: graphTime(ms - 60_000),
    comments: [],
    evidence: [],
    systemTags: [],
    customDetails: {},
    additionalData: {},
    investigationState: 'unsupportedAlertType',
    alertPolicyId: null,
  };
}

/** The Graph alert of one MDCA alert. */
export function alertFromMdca(mdca: JsonObject, tenantId: string, seed: number): JsonObject {
  const id = String(mdca._id);
  const ms = Number(mdca.timestamp);
  const rng = Rng.for(seed, 'graph-alert', Number.parseInt(id.slice(-6), 16) || 0);
  return {
    ...alertBase(`ca${id}`, tenantId, ms, rng),
    providerAlertId: id,
    serviceSource: 'microsoftDefenderForCloudApps',
    detectionSource: 'cloudAppSecurity',
    productName: 'Microsoft Defender for Cloud Apps',
    title: mdca.title ?? 'MDCA alert',
    description: mdca.description ?? '',
    severity: SEVERITIES[Number(mdca.severityValue ?? 1)] ?? 'medium',
    // Status, classification and determination as the MDCA close left them (mdca-sync.ts).
    ...graphStateOf(mdca, graphTime(ms + 3_600_000)),
    evidence: mdcaEvidence(mdca, graphTime(ms), seed),
  };
}

/** Alerts of other products about the tenant's users and their devices, `count` of them spread over the 30 days before `anchorMs`. */
export function otherAlerts(count: number, tenantId: string, seed: number, anchorMs: number, users: readonly EvidenceUser[]): JsonObject[] {
  return Array.from({ length: count }, (_, i) => {
    const rng = Rng.for(seed, 'graph-other', i);
    const kind = OTHERS[i % OTHERS.length];
    const ms = anchorMs - rng.int(30 * 86_400_000);
    const id = `da6375512${String(1_000_000_000 + i * 7919)}_${-rng.int(2_000_000_000)}`;
    const user = users.length > 0 ? users[rng.int(users.length)] : undefined;
    const evidence = user ? endpointEvidence(user, graphTime(ms), seed) : [];
    return { ...alertBase(id, tenantId, ms, rng), providerAlertId: id, ...kind, description: `${kind.title} (emulated).`, severity: SEVERITIES[rng.int(3)], evidence };
  });
}

/** The incident Defender opens for one new alert (`id` numeric text); the alert gets its incidentId. */
export function incidentFor(alert: JsonObject, id: string, tenantId: string, now: string): JsonObject {
  const incidentWebUrl = `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`;
  Object.assign(alert, { incidentId: id, incidentWebUrl });
  return {
    id, tenantId, status: 'active', incidentWebUrl, redirectIncidentId: null, displayName: String(alert.title), createdDateTime: alert.createdDateTime, lastUpdateDateTime: now,
    assignedTo: null, classification: 'unknown', determination: 'unknown', severity: alert.severity, customTags: [], systemTags: [], description: null, lastModifiedBy: null,
    resolvingComment: null, summary: null, priorityScore: null, comments: [],
  };
}

/** The UPN of an alert's first user evidence: alerts about the same user are correlated. */
const userOf = (alert: JsonObject): string | undefined => {
  const user = (alert.evidence as JsonObject[] | undefined)?.find((e) => String(e['@odata.type']).endsWith('userEvidence'));
  return (user?.userAccount as JsonObject | undefined)?.userPrincipalName as string | undefined;
};
/** How far ahead (in alerts, newest first) a second alert of the same user is looked for. */
const CORRELATION_WINDOW = 8;

/**
 * Incidents over alerts sorted newest first: one alert, or two about the same user (so an
 * incident's alerts share user and device evidence); the alerts get their incidentId. An incident
 * is resolved exactly when all of its alerts are.
 */
export function seedIncidents(alerts: JsonObject[], count: number, tenantId: string, seed: number, analyst: string): JsonObject[] {
  const out: JsonObject[] = [];
  const taken = new Set<JsonObject>();
  let cursor = 0;
  for (let i = 0; i < count; i++) {
    while (cursor < alerts.length && taken.has(alerts[cursor])) cursor++;
    if (cursor >= alerts.length) break;
    const rng = Rng.for(seed, 'graph-incident', i);
    const first = alerts[cursor];
    const upn = userOf(first);
    const partner = rng.bool(0.6) && upn ? alerts.slice(cursor + 1, cursor + 1 + CORRELATION_WINDOW).find((a) => !taken.has(a) && userOf(a) === upn) : undefined;
    const members = partner ? [first, partner] : [first];
    for (const m of members) taken.add(m);
    const id = String(200 + (count - i) * 3);
    const created = Math.min(...members.map((a) => Date.parse(String(a.createdDateTime))));
    const updated = Math.max(...members.map((a) => Date.parse(String(a.lastUpdateDateTime))));
    const resolved = members.every((a) => a.status === 'resolved');
    const status = resolved ? 'resolved' : rng.bool(0.8) ? 'active' : 'inProgress';
    const verdict = resolved && members[0].classification !== 'unknown' ? members[0] : { classification: resolved ? 'truePositive' : 'unknown', determination: resolved ? 'other' : 'unknown' };
    for (const a of members) Object.assign(a, { incidentId: id, incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}` });
    out.push({
      id,
      tenantId,
      status,
      incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${tenantId}`,
      redirectIncidentId: null,
      displayName: `${String(members[0].title)}${members.length > 1 ? ' involving one user' : ''}`,
      createdDateTime: graphTime(created),
      lastUpdateDateTime: graphTime(updated),
      assignedTo: status === 'active' && rng.bool(0.7) ? null : analyst,
      classification: verdict.classification,
      determination: verdict.determination,
      severity: members.map((a) => String(a.severity)).sort((a, b) => (RANK[b] ?? 0) - (RANK[a] ?? 0))[0],
      customTags: [],
      systemTags: [],
      description: null,
      lastModifiedBy: null,
      resolvingComment: null,
      summary: null,
      priorityScore: rng.int(101),
      comments: [],
    });
  }
  return out;
}
