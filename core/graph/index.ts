// Public surface of the Microsoft Graph security part of the core. Names that Defender XDR also
// uses (incident lists, hunting) carry a Graph prefix here, so both can be exported from core/.
export * from './permissions';
export * from './types';
export {
  ALERT_STATUSES, ALERT_WRITABLE_STATUSES, SEVERITIES as GRAPH_SEVERITIES, CLASSIFICATIONS as GRAPH_CLASSIFICATIONS, WRITABLE_CLASSIFICATIONS as GRAPH_WRITABLE_CLASSIFICATIONS,
  DETERMINATIONS as GRAPH_DETERMINATIONS, DETERMINATION_SYNONYMS, DETERMINATION_PAIRS as GRAPH_DETERMINATION_PAIRS, SERVICE_SOURCES, DETECTION_SOURCES,
  GRAPH_INCIDENT_STATUSES, GRAPH_INCIDENT_WRITABLE_STATUSES, determinationFor,
} from './enums';
export { ALERT_FILTER_SPEC, INCIDENT_FILTER_SPEC as GRAPH_INCIDENT_FILTER_SPEC, typedGraphClauses, validateAlertFilter, validateGraphIncidentFilter } from './odata';
export { GRAPH_PAGE_SIZE, GRAPH_MAX_PAGE_SIZE } from './list';
export { ALERTS_PATH, COMMENT_ODATA_TYPE } from './alerts';
export { GRAPH_INCIDENTS_PATH } from './incidents';
export { GRAPH_HUNTING_PATH, GRAPH_HUNTING_MAX_ROWS, GraphHuntingError, validateTimespan } from './hunting';
export * from './registry';
export * from './client';
export { validateGraphBaseUrl, graphTokenResource, graphRootsOf } from './base-url';
export * from './feed';
export { evidenceFields, withEvidenceFields, EVIDENCE_FIELD_NAMES } from './evidence';
export type { EvidenceFields, EvidenceUser, EvidenceDevice } from './evidence';
export { MDCA_GRAPH_ID_PREFIX } from './mdca-link';
