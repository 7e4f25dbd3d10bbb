// Public surface of the Microsoft Defender for Endpoint part of the core.
export * from './permissions';
export * from './types';
export * from './registry';
export * from './client';
export { validateMdeBaseUrl, mdeTokenResource, mdeHostsOf, mdeBudgetKey } from './base-url';
export { MACHINE_ACTION_STATUSES, MACHINE_ACTION_TYPES, HEALTH_STATUSES as MDE_HEALTH_STATUSES, RISK_SCORES as MDE_RISK_SCORES, ISOLATION_TYPES, SCAN_TYPES, FINAL_ACTION_STATUSES } from './enums';
export { MACHINE_FILTER_SPEC, MACHINE_ACTION_FILTER_SPEC } from './odata';
export { MDE_PAGE_SIZE, MDE_MAX_PAGE_SIZE } from './inputs';
export { DEFAULT_WAIT_MINUTES, MAX_WAIT_MINUTES } from './actions';
export { evidenceDevicesOf } from './machine-find';
export { packageUrlOf } from './machine-actions';
