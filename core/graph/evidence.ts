// The user and device a Graph security alert is about, read from its polymorphic `evidence` list
// (docs/graph-security-api.md, "Evidence") and added to every alert the nodes output, so a flow
// reads `evidenceUserPrincipalName` or `evidenceMdeDeviceId` instead of walking the list itself.
// Users come compromised-first from userEvidence, then mailboxEvidence and processEvidence; devices
// from deviceEvidence, then the MDE device ids file and process evidence carry. The single-value
// fields describe the first entry of each list, so a UPN and an object id never mix two users.
import type { OperationOutcome, Page } from '../operations/types';

export interface EvidenceUser {
  userPrincipalName: string | null;
  userObjectId: string | null;
  displayName: string | null;
}

export interface EvidenceDevice {
  mdeDeviceId: string | null;
  deviceDnsName: string | null;
  azureAdDeviceId: string | null;
}

export interface EvidenceFields {
  evidenceUsers: EvidenceUser[];
  evidenceDevices: EvidenceDevice[];
  evidenceUserPrincipalName?: string;
  evidenceUserObjectId?: string;
  evidenceMdeDeviceId?: string;
  evidenceDeviceDnsName?: string;
}

/** The output fields this file adds, for hosts and docs that list them. */
export const EVIDENCE_FIELD_NAMES = ['evidenceUsers', 'evidenceDevices', 'evidenceUserPrincipalName', 'evidenceUserObjectId', 'evidenceMdeDeviceId', 'evidenceDeviceDnsName'] as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
/** `#microsoft.graph.security.userEvidence` → `userevidence`. */
const typeOf = (e: Json): string => String(e['@odata.type'] ?? '').split('.').pop()?.toLowerCase() ?? '';
const same = (a: string | null, b: string | null): boolean => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

function userOf(account: unknown, fallback: Json = {}): EvidenceUser | undefined {
  const a = isObject(account) ? account : {};
  const user = {
    userPrincipalName: text(a.userPrincipalName) ?? text(fallback.upn),
    userObjectId: text(a.azureAdUserId),
    displayName: text(a.displayName) ?? text(fallback.displayName),
  };
  return user.userPrincipalName || user.userObjectId ? user : undefined;
}

const compromised = (e: Json): boolean => Array.isArray(e.roles) && e.roles.some((r) => String(r).toLowerCase() === 'compromised');

function usersOf(evidence: Json[]): EvidenceUser[] {
  const userEvidence = evidence.filter((e) => typeOf(e) === 'userevidence');
  const ordered = [
    ...userEvidence.filter(compromised),
    ...userEvidence.filter((e) => !compromised(e)),
    ...evidence.filter((e) => typeOf(e) === 'mailboxevidence'),
    ...evidence.filter((e) => typeOf(e) === 'processevidence'),
  ];
  const out: EvidenceUser[] = [];
  for (const e of ordered) {
    const user = userOf(e.userAccount, typeOf(e) === 'mailboxevidence' ? e : {});
    if (user) merge(out, user, (a, b) => same(a.userObjectId, b.userObjectId) || same(a.userPrincipalName, b.userPrincipalName));
  }
  return out;
}

function devicesOf(evidence: Json[]): EvidenceDevice[] {
  const ordered = [...evidence.filter((e) => typeOf(e) === 'deviceevidence'), ...evidence.filter((e) => ['fileevidence', 'processevidence'].includes(typeOf(e)))];
  const out: EvidenceDevice[] = [];
  for (const e of ordered) {
    const device = { mdeDeviceId: text(e.mdeDeviceId), deviceDnsName: text(e.deviceDnsName), azureAdDeviceId: text(e.azureAdDeviceId) };
    if (device.mdeDeviceId || device.deviceDnsName || device.azureAdDeviceId) {
      merge(out, device, (a, b) => same(a.mdeDeviceId, b.mdeDeviceId) || same(a.azureAdDeviceId, b.azureAdDeviceId) || same(a.deviceDnsName, b.deviceDnsName));
    }
  }
  return out;
}

/** Adds `entry`, or fills the missing fields of the entry it matches. */
function merge<T extends object>(list: T[], entry: T, matches: (a: T, b: T) => boolean): void {
  const existing = list.find((e) => matches(e, entry));
  if (!existing) {
    list.push(entry);
    return;
  }
  const target = existing as Record<string, unknown>;
  for (const [key, value] of Object.entries(entry)) if (target[key] === null) target[key] = value;
}

/** The evidence fields of one alert. */
export function evidenceFields(alert: unknown): EvidenceFields {
  const evidence = isObject(alert) && Array.isArray(alert.evidence) ? alert.evidence.filter(isObject) : [];
  const users = usersOf(evidence);
  const devices = devicesOf(evidence);
  const [user] = users;
  const [device] = devices;
  const fields: EvidenceFields = { evidenceUsers: users, evidenceDevices: devices };
  if (user?.userPrincipalName) fields.evidenceUserPrincipalName = user.userPrincipalName;
  if (user?.userObjectId) fields.evidenceUserObjectId = user.userObjectId;
  if (device?.mdeDeviceId) fields.evidenceMdeDeviceId = device.mdeDeviceId;
  if (device?.deviceDnsName) fields.evidenceDeviceDnsName = device.deviceDnsName;
  return fields;
}

/** The alert with its evidence fields; anything that is not an alert object is returned as is. */
export function withEvidenceFields(alert: unknown): unknown {
  return isObject(alert) ? { ...alert, ...evidenceFields(alert) } : alert;
}

/** An incident whose expanded alerts carry their evidence fields. */
export function withAlertEvidence(incident: unknown): unknown {
  return isObject(incident) && Array.isArray(incident.alerts) ? { ...incident, alerts: incident.alerts.map(withEvidenceFields) } : incident;
}

/** An outcome whose items (or item) go through `map`. */
export function mapOutcome(outcome: OperationOutcome, map: (item: unknown) => unknown): OperationOutcome {
  if (outcome.kind === 'item') return { kind: 'item', item: map(outcome.item) };
  if (outcome.kind === 'pages') return { kind: 'pages', pages: mapPages(outcome.pages, map) };
  return outcome;
}

async function* mapPages(pages: AsyncIterable<Page>, map: (item: unknown) => unknown): AsyncGenerator<Page> {
  for await (const page of pages) yield { ...page, items: page.items.map(map) };
}

/** The `answer` of an operation that returns one alert. */
export const alertAnswer = (data: unknown): OperationOutcome => ({ kind: 'item', item: withEvidenceFields(data) });
