// Evidence of the emulated Graph alerts, in the shapes of Graph's evidence pages: the user of an
// alert (the MDCA alert's account, so Graph and MDCA name the same user), the user's device (one
// per user, as MDE onboards it: a 40-hex MDE id, an Entra device id and a DNS name), the IP and the
// cloud app. The same user always has the same device, whichever alert shows it.
import { Rng, hash32 } from '../data/random';
import { JsonObject } from '../jwt';

export interface EvidenceUser {
  oid: string | null;
  upn: string;
  displayName?: string | null;
}

export interface EvidenceDevice {
  mdeDeviceId: string;
  azureAdDeviceId: string;
  deviceDnsName: string;
  hostName: string;
}

const TYPE = '#microsoft.graph.security.';

function base(createdDateTime: string, roles: string[]): JsonObject {
  return { createdDateTime, verdict: 'suspicious', remediationStatus: 'none', remediationStatusDetails: null, roles, detailedRoles: [], tags: [] };
}

/** The device MDE knows for this user. */
export function deviceOf(user: EvidenceUser, seed: number): EvidenceDevice {
  const rng = Rng.for(seed, 'graph-device', hash32(user.oid ?? user.upn));
  const [local, domain] = user.upn.split('@');
  const hostName = `${local.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-pc`.slice(0, 15);
  return { mdeDeviceId: rng.hex(40), azureAdDeviceId: rng.uuid(), hostName, deviceDnsName: domain ? `${hostName}.${domain}` : hostName };
}

export function userEvidence(user: EvidenceUser, createdDateTime: string): JsonObject {
  const [accountName, domainName] = user.upn.split('@');
  return {
    '@odata.type': `${TYPE}userEvidence`,
    ...base(createdDateTime, ['compromised']),
    userAccount: { accountName, domainName: domainName ?? null, userPrincipalName: user.upn, azureAdUserId: user.oid, displayName: user.displayName ?? accountName.replace(/\./g, ' '), userSid: null },
  };
}

export function deviceEvidence(device: EvidenceDevice, user: EvidenceUser, createdDateTime: string, ip?: string): JsonObject {
  const [accountName, domainName] = user.upn.split('@');
  return {
    '@odata.type': `${TYPE}deviceEvidence`,
    ...base(createdDateTime, []),
    firstSeenDateTime: createdDateTime,
    mdeDeviceId: device.mdeDeviceId,
    azureAdDeviceId: device.azureAdDeviceId,
    deviceDnsName: device.deviceDnsName,
    hostName: device.hostName,
    ntDomain: null,
    dnsDomain: domainName ?? null,
    osPlatform: 'Windows11',
    osBuild: 22631,
    version: '23H2',
    healthStatus: 'active',
    riskScore: 'medium',
    rbacGroupId: 0,
    rbacGroupName: null,
    onboardingStatus: 'onboarded',
    defenderAvStatus: 'updated',
    ipInterfaces: ip ? [ip] : [],
    loggedOnUsers: [{ '@odata.type': '#microsoft.graph.security.loggedOnUser', accountName, domainName: domainName ?? null }],
    vmMetadata: null,
  };
}

export function ipEvidence(ip: string, createdDateTime: string): JsonObject {
  return { '@odata.type': `${TYPE}ipEvidence`, ...base(createdDateTime, []), ipAddress: ip, countryLetterCode: null };
}

export function cloudApplicationEvidence(appId: number, displayName: string, createdDateTime: string): JsonObject {
  return { '@odata.type': `${TYPE}cloudApplicationEvidence`, ...base(createdDateTime, ['contextual']), appId, displayName, instanceId: 0, instanceName: null, saasAppId: appId };
}

/** User, device (where the alert has an IP: the user's device used it), IP and app of one MDCA alert. */
export function mdcaEvidence(mdca: JsonObject, createdDateTime: string, seed: number): JsonObject[] {
  const entities = Array.isArray(mdca.entities) ? (mdca.entities as JsonObject[]) : [];
  const account = entities.find((e) => e.type === 'account');
  const ip = entities.find((e) => e.type === 'ip');
  const app = entities.find((e) => e.type === 'service');
  const upn = typeof account?.pa === 'string' ? account.pa : undefined;
  const out: JsonObject[] = [];
  const user: EvidenceUser | undefined = upn ? { oid: typeof account?.id === 'string' ? account.id : null, upn, displayName: typeof account?.label === 'string' ? account.label : null } : undefined;
  if (user) out.push(userEvidence(user, createdDateTime));
  if (user && ip) out.push(deviceEvidence(deviceOf(user, seed), user, createdDateTime, String(ip.id)));
  if (ip) out.push(ipEvidence(String(ip.id), createdDateTime));
  if (app) out.push(cloudApplicationEvidence(Number(app.id), String(app.label ?? ''), createdDateTime));
  return out;
}

/** User and device evidence of another product's alert about `user`. */
export function endpointEvidence(user: EvidenceUser, createdDateTime: string, seed: number): JsonObject[] {
  return [userEvidence(user, createdDateTime), deviceEvidence(deviceOf(user, seed), user, createdDateTime)];
}
