// Seeded Defender for Endpoint machines of one tenant, in the shape of the machine resource: the
// devices the tenant's Graph alerts show as evidence (same 40-hex id, DNS name and Entra device
// id), each tenant user's device, then generated servers and workstations up to a minimum count.
// Deterministic per tenant seed, like the other seed data.
import { Rng, hash32 } from '../data/random';
import { EvidenceDevice } from '../graph/evidence';
import { JsonObject } from '../jwt';

export const HEALTH_STATUSES = ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'] as const;
export const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'] as const;
export const ONBOARDING_STATUSES = ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'] as const;
export const DEVICE_VALUES = ['Normal', 'Low', 'High'] as const;

const PLATFORMS = [
  { osPlatform: 'Windows11', version: '23H2', osBuild: 22631, server: false },
  { osPlatform: 'Windows11', version: '22H2', osBuild: 22621, server: false },
  { osPlatform: 'Windows10', version: '22H2', osBuild: 19045, server: false },
  { osPlatform: 'WindowsServer2022', version: '21H2', osBuild: 20348, server: true },
  { osPlatform: 'WindowsServer2019', version: '1809', osBuild: 17763, server: true },
  { osPlatform: 'Linux', version: '22.04', osBuild: null, server: true },
  { osPlatform: 'macOS', version: '14.5', osBuild: null, server: false },
] as const;

const RBAC_GROUPS = [
  { rbacGroupId: 0, rbacGroupName: null },
  { rbacGroupId: 140, rbacGroupName: 'Workstations' },
  { rbacGroupId: 141, rbacGroupName: 'Servers' },
] as const;

/** MDE's timestamps carry seven fraction digits. */
export const mdeTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}0000Z`;

/** One machine record; `device` keeps an evidence device's ids and names. */
export function machineRecord(seed: number, key: string, anchorMs: number, device: EvidenceDevice | undefined, domain: string, index: number): JsonObject {
  const rng = Rng.for(seed, 'mde-machine', hash32(key));
  const platform = device ? PLATFORMS[rng.int(3)] : PLATFORMS[rng.int(PLATFORMS.length)];
  const hostName = device?.hostName ?? `${platform.server ? 'srv' : 'ws'}-${String(index + 1).padStart(3, '0')}`;
  const id = device?.mdeDeviceId ?? rng.hex(40);
  const lastSeen = anchorMs - rng.int(6 * 3600_000);
  const firstSeen = lastSeen - (30 + rng.int(300)) * 86400_000;
  const inactive = !device && rng.bool(0.1);
  const onboarded = device !== undefined || rng.bool(0.9);
  const group = platform.server ? RBAC_GROUPS[2] : rng.bool(0.8) ? RBAC_GROUPS[1] : RBAC_GROUPS[0];
  const lastIp = `10.${rng.int(16)}.${rng.int(256)}.${1 + rng.int(254)}`;
  const aadDeviceId = device?.azureAdDeviceId ?? (platform.osPlatform.startsWith('Windows') && rng.bool(0.8) ? rng.uuid() : null);
  const risk = device ? RISK_SCORES[2 + rng.int(3)] : rng.pick(RISK_SCORES);
  return {
    id,
    computerDnsName: device?.deviceDnsName ?? `${hostName}.${domain}`,
    firstSeen: mdeTime(firstSeen),
    lastSeen: mdeTime(lastSeen),
    osPlatform: platform.osPlatform,
    osVersion: null,
    osProcessor: 'x64',
    version: platform.version,
    lastIpAddress: lastIp,
    lastExternalIpAddress: rng.ip(),
    agentVersion: `10.8${rng.int(10)}${rng.int(10)}0.${platform.osBuild ?? 0}.${1000 + rng.int(9000)}`,
    osBuild: platform.osBuild,
    healthStatus: onboarded ? (inactive ? 'Inactive' : 'Active') : 'Unknown',
    deviceValue: platform.server ? 'High' : 'Normal',
    rbacGroupId: group.rbacGroupId,
    rbacGroupName: group.rbacGroupName,
    riskScore: onboarded ? risk : 'None',
    exposureLevel: onboarded ? rng.pick(['Low', 'Medium', 'High']) : 'None',
    isAadJoined: aadDeviceId !== null,
    aadDeviceId,
    machineTags: platform.server ? ['Server', ...(rng.bool(0.3) ? ['Critical'] : [])] : rng.bool(0.3) ? ['VIP'] : [],
    defenderAvStatus: onboarded ? 'Updated' : 'Unknown',
    onboardingStatus: onboarded ? 'Onboarded' : rng.pick(ONBOARDING_STATUSES.slice(1)),
    osArchitecture: '64-bit',
    managedBy: onboarded ? 'MicrosoftDefenderForEndpoint' : 'Unknown',
    managedByStatus: onboarded ? 'Success' : 'Unknown',
    ipAddresses: [{ ipAddress: lastIp, macAddress: rng.hex(12).toUpperCase(), type: 'Ethernet', operationalStatus: 'Up' }],
    vmMetadata: null,
  };
}

/** Evidence devices first (in the order given, each once), then generated machines up to `minimum`. */
export function seedMachines(seed: number, anchorMs: number, devices: EvidenceDevice[], domain: string, minimum: number): JsonObject[] {
  const out: JsonObject[] = [];
  const seen = new Set<string>();
  for (const device of devices) {
    if (seen.has(device.mdeDeviceId)) continue;
    seen.add(device.mdeDeviceId);
    out.push(machineRecord(seed, device.mdeDeviceId, anchorMs, device, domain, out.length));
  }
  for (let i = 0; out.length < minimum; i++) {
    const machine = machineRecord(seed, `generated:${i}`, anchorMs, undefined, domain, i);
    if (seen.has(String(machine.id))) continue;
    seen.add(String(machine.id));
    out.push(machine);
  }
  return out;
}
