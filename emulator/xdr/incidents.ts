// Seeded Defender XDR incidents built from the tenant's MDCA alerts, so a playbook can go from an
// MDCA alert to its incident. Link choice: an XDR alert for an MDCA alert has
// `alertId: "ca" + <MDCA alert _id>` (the prefix MDCA alerts carry in the Defender portal) and
// `providerAlertId: <MDCA alert _id>` (the Graph security alerts_v2 field name; the XDR incidents
// API docs do not list the field), with serviceSource "MicrosoftCloudAppSecurity" and
// detectionSource "MCAS".
import { Rng } from '../data/random';
import { JsonObject } from '../jwt';

export const ENTITY_PROPERTIES = [
  'sha1', 'sha256', 'fileName', 'filePath', 'processId', 'processCommandLine', 'processCreationTime', 'parentProcessId', 'parentProcessCreationTime',
  'ipAddress', 'url', 'accountName', 'domainName', 'userSid', 'aadUserId', 'userPrincipalName', 'mailboxDisplayName', 'mailboxAddress', 'clusterBy',
  'sender', 'recipient', 'subject', 'deliveryAction', 'securityGroupId', 'securityGroupName', 'registryHive', 'registryKey', 'registryValueType',
  'registryValue', 'deviceId',
] as const;

/** An entity with every property present and null when unused (as in the docs' examples). */
export function xdrEntity(entityType: string, values: JsonObject): JsonObject {
  const out: JsonObject = { entityType };
  for (const p of ENTITY_PROPERTIES) out[p] = values[p] ?? null;
  return out;
}

const SEVERITIES = ['Low', 'Medium', 'High', 'Informational'];
const SEVERITY_RANK: Record<string, number> = { UnSpecified: 0, Informational: 1, Low: 2, Medium: 3, High: 4 };
const CATEGORIES = ['InitialAccess', 'CredentialAccess', 'Exfiltration', 'SuspiciousActivity', 'Collection'];

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The XDR alert of one MDCA alert. */
export function alertFromMdca(mdca: JsonObject, incidentId: number, seed: number): JsonObject {
  const id = String(mdca._id);
  const ts = Number(mdca.timestamp);
  const rng = Rng.for(seed, 'xdr-alert', Number.parseInt(id.slice(-6), 16) || 0);
  const entities = Array.isArray(mdca.entities) ? (mdca.entities as JsonObject[]) : [];
  const account = entities.find((e) => e.type === 'account');
  const ip = entities.find((e) => e.type === 'ip');
  const upn = typeof account?.pa === 'string' ? account.pa : undefined;
  const resolved = Number(mdca.resolutionStatusValue ?? 0) !== 0;
  return {
    alertId: `ca${id}`,
    providerAlertId: id,
    incidentId,
    serviceSource: 'MicrosoftCloudAppSecurity',
    creationTime: iso(ts),
    lastUpdatedTime: iso(ts + 60_000),
    resolvedTime: resolved && typeof mdca.resolveTime === 'string' ? mdca.resolveTime : null,
    firstActivity: iso(ts - 5 * 60_000),
    lastActivity: iso(ts - 60_000),
    title: mdca.title ?? 'MDCA alert',
    description: mdca.description ?? '',
    category: CATEGORIES[rng.int(CATEGORIES.length)],
    status: resolved ? 'Resolved' : 'New',
    severity: SEVERITIES[Number(mdca.severityValue ?? 1)] ?? 'Medium',
    investigationId: null,
    investigationState: 'UnsupportedAlertType',
    classification: null,
    determination: null,
    detectionSource: 'MCAS',
    assignedTo: null,
    actorName: null,
    threatFamilyName: null,
    mitreTechniques: [],
    devices: [],
    entities: [
      ...(upn ? [xdrEntity('User', { accountName: upn.split('@')[0], domainName: upn.split('@')[1] ?? null, userPrincipalName: upn, aadUserId: account?.id ?? null })] : []),
      ...(ip ? [xdrEntity('Ip', { ipAddress: ip.id })] : []),
    ],
  };
}

export function maxSeverity(alerts: JsonObject[]): string {
  let best = 'UnSpecified';
  for (const a of alerts) if ((SEVERITY_RANK[String(a.severity)] ?? 0) > SEVERITY_RANK[best]) best = String(a.severity);
  return best;
}

/** Incident number i (0 = newest) from two consecutive MDCA alerts (sometimes one). */
export function seedIncidents(mdcaAlerts: JsonObject[], count: number, seed: number, anchorMs: number, analyst: string): JsonObject[] {
  const out: JsonObject[] = [];
  let cursor = 0;
  for (let i = 0; i < count && cursor < mdcaAlerts.length; i++) {
    const rng = Rng.for(seed, 'incident', i);
    const take = rng.bool(0.6) ? 2 : 1;
    const members = mdcaAlerts.slice(cursor, cursor + take);
    cursor += take;
    const incidentId = 100_000 + (count - i) * 3;
    const alerts = members.map((m) => alertFromMdca(m, incidentId, seed));
    const created = Math.min(...members.map((m) => Number(m.timestamp)));
    const updated = Math.min(anchorMs - 1000, Math.max(...members.map((m) => Number(m.timestamp))) + rng.int(6 * 3_600_000));
    const roll = rng.next();
    const status = roll < 0.6 ? 'Active' : roll < 0.75 ? 'InProgress' : 'Resolved';
    out.push({
      incidentId,
      redirectIncidentId: null,
      incidentName: `${String(alerts[0].title)}${alerts.length > 1 ? ' involving one user' : ''}`,
      createdTime: iso(created),
      lastUpdateTime: iso(Math.max(created, updated)),
      assignedTo: status === 'Active' && rng.bool(0.7) ? null : analyst,
      classification: status === 'Resolved' ? 'TruePositive' : 'Unknown',
      determination: status === 'Resolved' ? 'Other' : 'NotAvailable',
      detectionSource: 'MCAS',
      status,
      severity: maxSeverity(alerts),
      tags: [],
      comments: [],
      alerts,
    });
  }
  return out;
}
