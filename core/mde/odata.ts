// OData `$filter` of the Defender for Endpoint lists: typed clauses from typed inputs, and a raw
// filter checked against the fields each list documents (docs/defender-endpoint-api.md,
// "Machines", "Machine actions") with the shared grammar of core/odata-filter.ts.
import { ODataFilterSpec, odataDate, odataString, validateODataFilter } from '../odata-filter';
import { EXPOSURE_LEVELS, HEALTH_STATUSES, MACHINE_ACTION_STATUSES, MACHINE_ACTION_TYPES, ONBOARDING_STATUSES, RISK_SCORES } from './enums';

const text = (values?: readonly string[]) => ({ kind: 'text' as const, ...(values ? { values, anyCase: true } : {}) });
const time = { kind: 'time' as const };

export const MACHINE_FILTER_SPEC: ODataFilterSpec = {
  fields: {
    computerDnsName: text(),
    id: text(),
    version: text(),
    deviceValue: text(),
    aadDeviceId: text(),
    lastSeen: time,
    exposureLevel: text(EXPOSURE_LEVELS),
    onboardingStatus: text(ONBOARDING_STATUSES),
    lastIpAddress: text(),
    healthStatus: text(HEALTH_STATUSES),
    osPlatform: text(),
    riskScore: text(RISK_SCORES),
    rbacGroupId: text(),
  },
  api: 'the Defender for Endpoint machine list',
  example: "healthStatus eq 'Active' and lastSeen gt 2026-01-31T00:00:00Z",
};

export const MACHINE_ACTION_FILTER_SPEC: ODataFilterSpec = {
  fields: {
    id: text(),
    status: text(MACHINE_ACTION_STATUSES),
    machineId: text(),
    type: text(MACHINE_ACTION_TYPES),
    requestor: text(),
    creationDateTimeUtc: time,
  },
  api: 'the Defender for Endpoint machine action list',
  example: "type eq 'Isolate' and status eq 'Pending'",
};

/** `field eq 'value'` for each of `fields` given as a non-empty string (OData field = input name). */
export function eqClauses(input: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.flatMap((field) => (typeof input[field] === 'string' && input[field] !== '' ? [`${field} eq ${odataString(input[field] as string)}`] : []));
}

/** `startswith(field,'prefix')`: the one function the machine list documents. */
export const startsWithClause = (field: string, prefix: string): string => `startswith(${field},${odataString(prefix)})`;

export const afterClause = (field: string, ms: number | undefined): string[] => (ms === undefined ? [] : [`${field} gt ${odataDate(ms)}`]);

export const validateMachineFilter = (raw: string, field = 'filter'): string => validateODataFilter(raw, MACHINE_FILTER_SPEC, field);
export const validateMachineActionFilter = (raw: string, field = 'filter'): string => validateODataFilter(raw, MACHINE_ACTION_FILTER_SPEC, field);
