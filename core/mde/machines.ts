// Defender for Endpoint machines (docs/defender-endpoint-api.md, "Machines"): get one by id, list
// with typed filters, and find the one machine a flow means (core/mde/machine-find.ts).
import type { OperationInput } from '../operations/types';
import { HEALTH_STATUSES, ONBOARDING_STATUSES, optionsOf, RISK_SCORES } from './enums';
import { machineIdInput, pageSizeInput } from './inputs';
import { rawFilterInput } from '../odata-filter';
import { mdeList } from './list';
import { findMachine } from './machine-find';
import { afterClause, eqClauses, MACHINE_FILTER_SPEC, startsWithClause, validateMachineFilter } from './odata';
import { MDE_PERMISSIONS } from './permissions';
import { MACHINES_PATH, MdeOperationImplementation } from './types';

const READ = MDE_PERMISSIONS.read;

const listInputs: OperationInput[] = [
  { name: 'healthStatus', displayName: 'Health Status', type: 'options', group: 'filters', options: optionsOf(HEALTH_STATUSES), description: 'Only machines with this sensor health.' },
  { name: 'riskScore', displayName: 'Risk Score', type: 'options', group: 'filters', options: optionsOf(RISK_SCORES), description: 'Only machines with this risk score.' },
  { name: 'osPlatform', displayName: 'OS Platform', type: 'string', group: 'filters', maxLength: 100, placeholder: 'Windows11', description: 'Only machines of this platform, as Defender for Endpoint spells it (e.g. Windows10, Windows11, WindowsServer2022, Linux, macOS).' },
  { name: 'onboardingStatus', displayName: 'Onboarding Status', type: 'options', group: 'filters', options: optionsOf(ONBOARDING_STATUSES), description: 'Only machines with this onboarding status.' },
  { name: 'computerDnsNamePrefix', displayName: 'DNS Name Starts With', type: 'string', group: 'filters', maxLength: 255, placeholder: 'desktop-', description: 'Only machines whose computer DNS name starts with this text (startswith(computerDnsName, …)).' },
  { name: 'lastSeenAfter', displayName: 'Last Seen After', type: 'dateTime', group: 'filters', description: 'Only machines whose last full report is after this time (lastSeen gt).' },
  rawFilterInput(MACHINE_FILTER_SPEC.example, Object.keys(MACHINE_FILTER_SPEC.fields)),
  pageSizeInput,
];

const getMachine: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machine',
    operation: 'get',
    id: 'machine.get',
    displayName: 'Get',
    action: 'Get a machine',
    description: 'Fetches one Defender for Endpoint machine by its id (health, risk, exposure, last IP, OS, Entra device id, tags).',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: `${MACHINES_PATH}/{machineId}` },
    paging: 'none',
    output: 'item',
    inputs: [machineIdInput],
  },
};

const listMachines: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machine',
    operation: 'getAll',
    id: 'machine.getAll',
    displayName: 'Get Many',
    action: 'Get many machines',
    description: 'Lists Defender for Endpoint machines with typed filters, paged with $top and $skip. A tenant without recent machines gives an empty list.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: MACHINES_PATH },
    paging: 'skipLimit',
    output: 'items',
    inputs: listInputs,
  },
  run(exec, input) {
    const raw = typeof input.filter === 'string' && input.filter !== '' ? validateMachineFilter(input.filter) : undefined;
    const clauses = [
      ...eqClauses(input, ['healthStatus', 'riskScore', 'osPlatform', 'onboardingStatus']),
      ...(typeof input.computerDnsNamePrefix === 'string' && input.computerDnsNamePrefix !== '' ? [startsWithClause('computerDnsName', input.computerDnsNamePrefix)] : []),
      ...afterClause('lastSeen', input.lastSeenAfter as number | undefined),
    ];
    return mdeList(listMachines, exec, input, clauses, raw);
  },
};

export const machineOperations: MdeOperationImplementation[] = [getMachine, findMachine, listMachines];
