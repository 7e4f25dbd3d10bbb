// Public surface of the Defender XDR part of the core.
export * from './permissions';
export * from './odata';
export * from './types';
export * from './pacing';
export { INCIDENTS_PATH, INCIDENT_PAGE_SIZE, INCIDENT_CLASSIFICATIONS, INCIDENT_DETERMINATIONS, incidentHasAlert } from './incidents';
export type { IncidentClassification } from './incidents';
export * from './hunting';
export * from './registry';
export * from './client';
export * from './feed';
