// Public surface of the host-neutral core.
export * from './ports';
export * from './errors';
export * from './clouds';
export * from './permissions';
export * from './pacing';
export * from './retry';
export * from './http';
export * from './filters';
export * from './ip';
export * from './paging';
export * from './validation';
export * from './redact';
export * from './client';
export * from './operations';
export { parseEntityKey, encodeEntityKey } from './operations/entities';
export { ALERT_SEVERITIES, ALERT_RESOLUTION_STATUSES } from './operations/alerts';
export { IP_CATEGORIES } from './operations/ip-ranges';
export { DISCOVERY_LOG_SOURCES, BLOCK_SCRIPT_FORMATS, SINGLE_PUT_LIMIT_BYTES } from './operations/discovery';
