// Find the one Defender for Endpoint machine a flow means: by machine id, by computer DNS name
// (the exact name first, then the full names of that host name: host.contoso.com for host), by Entra device id, or from the devices in
// a Graph alert's evidence (its MDE device id first, then its DNS name, then its Entra device id,
// the fields core/graph/evidence.ts reads). "No such machine" is an answer (found: false), not a
// failure: the machine list answers 404 when nothing matches.
import { MdcaNotFoundError, MdcaValidationError } from '../errors';
import { evidenceFields, EvidenceDevice } from '../graph/evidence';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInputValues, OperationOutcome } from '../operations/types';
import { eqClauses, startsWithClause } from './odata';
import { checkedMachineId, MACHINE_ID } from './inputs';
import { MDE_PERMISSIONS } from './permissions';
import { MACHINES_PATH, MdeOperationImplementation } from './types';

/** Machines read per lookup: enough to see that a name is ambiguous. */
const CANDIDATES = 10;
/** Devices of one alert tried in turn. */
const MAX_EVIDENCE_DEVICES = 5;

type Machine = Record<string, unknown> & { id?: string; computerDnsName?: string; aadDeviceId?: string; lastSeen?: string };
type MatchedBy = 'id' | 'dnsName' | 'dnsNamePrefix' | 'aadDeviceId';

interface Lookup {
  machines: Machine[];
  matchedBy?: MatchedBy;
  /** Machines whose name only starts with the one searched (host2 for host): never a match. */
  nearMatches?: Machine[];
}

const FIND_BY = [
  { name: 'Machine ID', value: 'id', description: 'The 40-character Defender for Endpoint device id' },
  { name: 'DNS Name', value: 'dnsName', description: 'The computer DNS name: the exact name, or the full name of a host name (desktop-7 finds desktop-7.contoso.com, never desktop-71)' },
  { name: 'Entra Device ID', value: 'aadDeviceId', description: 'The Microsoft Entra (Azure AD) device id' },
  { name: 'Graph Alert Evidence', value: 'alertEvidence', description: 'The device of a Microsoft Graph security alert' },
] as const;

async function byId(exec: OperationExecution, id: string): Promise<Lookup> {
  try {
    const machine = (await exec.pipeline.send<Machine>(declaredRequest(findMachine, { machineId: id }, { step: 'byId' }), exec.ctx)).data;
    return { machines: [machine], matchedBy: 'id' };
  } catch (error) {
    if (error instanceof MdcaNotFoundError) return { machines: [] };
    throw error;
  }
}

async function byFilter(exec: OperationExecution, filter: string | undefined): Promise<Machine[]> {
  // A list without a filter would be any machine of the tenant: never a lookup.
  if (!filter) throw new MdcaValidationError('value', 'Nothing to look for: the value is empty.', 'Give the machine id, DNS name or Entra device id.');
  try {
    const data = (await exec.pipeline.send<{ value?: unknown }>(declaredRequest(findMachine, {}, { query: { $filter: filter, $top: CANDIDATES } }), exec.ctx)).data;
    return Array.isArray(data?.value) ? (data.value as Machine[]) : [];
  } catch (error) {
    if (error instanceof MdcaNotFoundError) return [];
    throw error;
  }
}

async function byDnsName(exec: OperationExecution, name: string): Promise<Lookup> {
  const exact = await byFilter(exec, eqClauses({ computerDnsName: name }, ['computerDnsName'])[0]);
  if (exact.length > 0) return { machines: exact, matchedBy: 'dnsName' };
  const started = await byFilter(exec, startsWithClause('computerDnsName', name));
  // "host" is host.contoso.com (its full name), never host2.contoso.com: a machine picked by a
  // mere prefix could be isolated in place of one that left the tenant or was renamed.
  const lower = name.toLowerCase();
  const sameHost = started.filter((m) => String(m.computerDnsName ?? '').toLowerCase().startsWith(`${lower}.`));
  if (sameHost.length > 0) return { machines: sameHost, matchedBy: 'dnsNamePrefix' };
  return { machines: [], nearMatches: started };
}

async function byAadDeviceId(exec: OperationExecution, id: string): Promise<Lookup> {
  const machines = await byFilter(exec, eqClauses({ aadDeviceId: id }, ['aadDeviceId'])[0]);
  return { machines, matchedBy: machines.length > 0 ? 'aadDeviceId' : undefined };
}

/** The devices of a Graph alert, of its evidence list, or of the evidence fields a Graph node added. */
export function evidenceDevicesOf(alert: unknown): EvidenceDevice[] {
  if (Array.isArray(alert)) return evidenceFields({ evidence: alert }).evidenceDevices;
  if (alert === null || typeof alert !== 'object') return [];
  const a = alert as Record<string, unknown>;
  if (Array.isArray(a.evidence)) return evidenceFields(a).evidenceDevices;
  // Fields passed in by a flow are read as text only: a number or object names no device.
  const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const device = (d: Record<string, unknown>): EvidenceDevice => ({ mdeDeviceId: text(d.mdeDeviceId), deviceDnsName: text(d.deviceDnsName), azureAdDeviceId: text(d.azureAdDeviceId) });
  const named = (d: EvidenceDevice): boolean => Boolean(d.mdeDeviceId || d.deviceDnsName || d.azureAdDeviceId);
  if (Array.isArray(a.evidenceDevices)) return a.evidenceDevices.filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object').map(device).filter(named);
  const single = device({ mdeDeviceId: a.evidenceMdeDeviceId, deviceDnsName: a.evidenceDeviceDnsName, azureAdDeviceId: a.evidenceAzureAdDeviceId });
  return named(single) ? [single] : [];
}

async function byEvidence(exec: OperationExecution, alert: unknown): Promise<Lookup & { device?: EvidenceDevice }> {
  const devices = evidenceDevicesOf(alert);
  if (devices.length === 0) {
    throw new MdcaValidationError(
      'alert',
      'The alert names no device: its evidence has no device (deviceEvidence, or a file or process on a device).',
      'Pass a Microsoft Graph security alert (the whole item of an alert node), its evidence list, or an object with evidenceMdeDeviceId or evidenceDeviceDnsName.',
    );
  }
  for (const device of devices.slice(0, MAX_EVIDENCE_DEVICES)) {
    const attempts: (() => Promise<Lookup>)[] = [];
    // An evidence id that is not a machine id names no machine here; the device's other names may.
    if (device.mdeDeviceId && MACHINE_ID.test(device.mdeDeviceId)) attempts.push(() => byId(exec, device.mdeDeviceId!));
    if (device.deviceDnsName) attempts.push(() => byDnsName(exec, device.deviceDnsName!));
    if (device.azureAdDeviceId) attempts.push(() => byAadDeviceId(exec, device.azureAdDeviceId!));
    for (const attempt of attempts) {
      const found = await attempt();
      if (found.machines.length > 0) return { ...found, device };
    }
  }
  return { machines: [] };
}

function outcome(input: OperationInputValues, lookup: Lookup & { device?: EvidenceDevice }, searched: string): OperationOutcome {
  const { machines, matchedBy } = lookup;
  const result: Record<string, unknown> = { found: machines.length === 1, findBy: input.findBy, searched, matches: machines.length };
  if (lookup.device) result.evidenceDevice = lookup.device;
  if (machines.length === 1) {
    const [machine] = machines;
    Object.assign(result, { matchedBy, machineId: machine.id, computerDnsName: machine.computerDnsName ?? null, aadDeviceId: machine.aadDeviceId ?? null, machine });
  } else if (machines.length > 1) {
    Object.assign(result, {
      matchedBy,
      ambiguous: true,
      candidates: machines.map((m) => ({ id: m.id, computerDnsName: m.computerDnsName ?? null, lastSeen: m.lastSeen ?? null })),
      message: `${machines.length} machines match "${searched}": give the full DNS name or the machine id.`,
    });
  } else if (lookup.nearMatches?.length) {
    result.candidates = lookup.nearMatches.map((m) => ({ id: m.id, computerDnsName: m.computerDnsName ?? null, lastSeen: m.lastSeen ?? null }));
    result.message = `No Defender for Endpoint machine is named ${searched}; ${lookup.nearMatches.length} have names that only start with it (see candidates): give the full DNS name or the machine id.`;
  } else {
    result.message = `No Defender for Endpoint machine matches ${searched}.`;
  }
  return { kind: 'result', result };
}

export const findMachine: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machine',
    operation: 'find',
    id: 'machine.find',
    displayName: 'Find',
    action: 'Find a machine',
    description:
      'Finds the one machine meant: by machine id, by computer DNS name (exact, or the full name of a host name), by Entra device id, or from the device in a Microsoft Graph security alert\'s evidence. Returns found, machineId and the machine; no match is found: false, not an error.',
    permissions: MDE_PERMISSIONS.read,
    access: 'read',
    http: { method: 'GET', path: MACHINES_PATH },
    steps: { byId: { method: 'GET', path: `${MACHINES_PATH}/{machineId}`, access: 'read' } },
    callText: `GET ${MACHINES_PATH}/{id} or GET ${MACHINES_PATH}?$filter=…`,
    paging: 'none',
    output: 'result',
    inputs: [
      { name: 'findBy', displayName: 'Find By', type: 'options', required: true, default: 'dnsName', options: FIND_BY, description: 'What identifies the machine.' },
      {
        name: 'value',
        displayName: 'Value',
        type: 'string',
        required: true,
        maxLength: 255,
        placeholder: 'desktop-7.contoso.com',
        description: 'The machine id, computer DNS name or Entra device id to look for.',
        displayWhen: { input: 'findBy', values: ['id', 'dnsName', 'aadDeviceId'] },
      },
      {
        name: 'alert',
        displayName: 'Alert',
        type: 'json',
        required: true,
        description: 'A Microsoft Graph security alert (the item a Graph alert node outputs), its evidence list, or an object with evidenceMdeDeviceId / evidenceDeviceDnsName.',
        displayWhen: { input: 'findBy', values: ['alertEvidence'] },
      },
    ],
  },
  async run(exec, input) {
    const value = typeof input.value === 'string' ? input.value.trim() : '';
    switch (input.findBy) {
      case 'id':
        return outcome(input, await byId(exec, checkedMachineId(value, 'value')), `machine id ${value}`);
      case 'aadDeviceId':
        return outcome(input, await byAadDeviceId(exec, value), `Entra device id ${value}`);
      case 'alertEvidence':
        return outcome(input, await byEvidence(exec, input.alert), "the alert's evidence devices");
      default:
        return outcome(input, await byDnsName(exec, value), `DNS name ${value}`);
    }
  },
};
