// Defender for Endpoint values, spelled as the machine and machineAction resource pages spell
// them (docs/defender-endpoint-api.md, "Machines" and "Machine actions").
import type { InputOption } from '../operations/types';

export const HEALTH_STATUSES = ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData', 'NoSensorDataImpairedCommunication', 'Unknown'] as const;
export const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'] as const;
export const EXPOSURE_LEVELS = ['None', 'Low', 'Medium', 'High'] as const;
export const ONBOARDING_STATUSES = ['onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'] as const;
export const OS_PLATFORMS = ['Windows10', 'Windows11', 'WindowsServer2012R2', 'WindowsServer2016', 'WindowsServer2019', 'WindowsServer2022', 'WindowsServer2025', 'Linux', 'macOS', 'iOS', 'Android'] as const;

export const MACHINE_ACTION_TYPES = [
  'RunAntiVirusScan', 'Offboard', 'LiveResponse', 'CollectInvestigationPackage', 'Isolate', 'Unisolate', 'StopAndQuarantineFile', 'RestrictCodeExecution', 'UnrestrictCodeExecution',
] as const;
export type MachineActionType = (typeof MACHINE_ACTION_TYPES)[number];

export const MACHINE_ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type MachineActionStatus = (typeof MACHINE_ACTION_STATUSES)[number];

/** Statuses after which an action changes no more. */
export const FINAL_ACTION_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'TimeOut', 'Cancelled']);
/** Statuses of an action the service still runs (the same type cannot be asked for again). */
export const LIVE_ACTION_STATUSES: ReadonlySet<string> = new Set(['Pending', 'InProgress']);

export const ISOLATION_TYPES = ['Full', 'Selective'] as const;
export const SCAN_TYPES = ['Quick', 'Full'] as const;

/** "NoSensorDataImpairedCommunication" → "No Sensor Data Impaired Communication". */
export const optionsOf = (values: readonly string[]): InputOption[] => values.map((value) => ({ name: value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()), value }));
