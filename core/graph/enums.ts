// The Graph security enumerations the operations send and filter on (docs/graph-security-api.md,
// "Enumerations"). Graph answers in camelCase and reads enum values without regard to case.
// Members after unknownFutureValue are "evolvable": Graph returns them only to a caller that
// sends `Prefer: include-unknown-enum-members`, which this client always does.

export const ALERT_STATUSES = ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'] as const;
/** What alert.update may set. */
export const ALERT_WRITABLE_STATUSES = ['new', 'inProgress', 'resolved'] as const;

export const SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'] as const;

export const CLASSIFICATIONS = ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'] as const;
/** The classifications an update may set: the three a determination can go with. */
export const WRITABLE_CLASSIFICATIONS = ['truePositive', 'informationalExpectedActivity', 'falsePositive'] as const;
export type WritableClassification = (typeof WRITABLE_CLASSIFICATIONS)[number];

/** Determination names of the alert update page. */
export const DETERMINATIONS = [
  'unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'other', 'multiStagedAttack', 'compromisedUser',
  'phishing', 'maliciousUserActivity', 'clean', 'insufficientData', 'confirmedUserActivity', 'lineOfBusinessApplication', 'unknownFutureValue',
] as const;

/**
 * The same four determinations under the other spelling some pages use (the incident update page
 * among them): alert-page name → incident-page name.
 */
export const DETERMINATION_SYNONYMS: Readonly<Record<string, string>> = {
  compromisedUser: 'compromisedAccount',
  clean: 'notMalicious',
  insufficientData: 'notEnoughDataToValidate',
  confirmedUserActivity: 'confirmedActivity',
};
const SYNONYM_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DETERMINATION_SYNONYMS).map(([a, b]) => [b, a]));

/** Every determination either page spells, for filters and inputs. */
export const ALL_DETERMINATIONS: readonly string[] = [...DETERMINATIONS, ...Object.values(DETERMINATION_SYNONYMS)];

/**
 * Which determination goes with which classification (the Graph pages do not say; this is the
 * pairing of the Defender pages, in Graph's names). apt and securityPersonnel are deprecated and
 * go with none.
 */
export const DETERMINATION_PAIRS: Readonly<Record<WritableClassification, readonly string[]>> = {
  truePositive: ['multiStagedAttack', 'maliciousUserActivity', 'compromisedUser', 'malware', 'phishing', 'unwantedSoftware', 'other'],
  informationalExpectedActivity: ['securityTesting', 'lineOfBusinessApplication', 'confirmedUserActivity', 'other'],
  falsePositive: ['clean', 'insufficientData', 'other'],
};

/** A determination in the spelling of one page: 'alert' (update alert) or 'incident' (update incident). */
export function determinationFor(value: string, page: 'alert' | 'incident'): string {
  const alertName = SYNONYM_OF[value] ?? value;
  return page === 'alert' ? alertName : (DETERMINATION_SYNONYMS[alertName] ?? alertName);
}

/** Whether the determination (either spelling) goes with the classification. */
export function pairAllowed(classification: WritableClassification, determination: string): boolean {
  return DETERMINATION_PAIRS[classification].includes(determinationFor(determination, 'alert'));
}

/** Microsoft Defender for Cloud Apps first: this package is built around it. */
export const SERVICE_SOURCES = [
  'microsoftDefenderForCloudApps', 'microsoftDefenderForEndpoint', 'microsoftDefenderForIdentity', 'microsoftDefenderForOffice365', 'microsoft365Defender',
  'azureAdIdentityProtection', 'microsoftAppGovernance', 'dataLossPrevention', 'microsoftDefenderForCloud', 'microsoftSentinel', 'microsoftThreatIntelligence',
  'microsoftSecurityForAI', 'unknown', 'unknownFutureValue',
] as const;

/** Defender for Cloud Apps detections first. */
export const DETECTION_SOURCES = [
  'cloudAppSecurity', 'microsoftDefenderForEndpoint', 'antivirus', 'smartScreen', 'customTi', 'microsoftDefenderForOffice365', 'automatedInvestigation',
  'microsoftThreatExperts', 'customDetection', 'microsoftDefenderForIdentity', 'microsoft365Defender', 'azureAdIdentityProtection', 'manual',
  'microsoftDataLossPrevention', 'appGovernancePolicy', 'appGovernanceDetection', 'microsoftDefenderForCloud', 'microsoftDefenderForIoT',
  'microsoftDefenderForServers', 'microsoftDefenderForStorage', 'microsoftDefenderForDNS', 'microsoftDefenderForDatabases', 'microsoftDefenderForContainers',
  'microsoftDefenderForNetwork', 'microsoftDefenderForAppService', 'microsoftDefenderForKeyVault', 'microsoftDefenderForResourceManager',
  'microsoftDefenderForApiManagement', 'unknown', 'unknownFutureValue',
] as const;

export const GRAPH_INCIDENT_STATUSES = ['active', 'resolved', 'inProgress', 'redirected', 'awaitingAction', 'unknownFutureValue'] as const;
/** What the incident update page lets a client set (awaitingAction is Defender Experts' own). */
export const GRAPH_INCIDENT_WRITABLE_STATUSES = ['active', 'resolved', 'redirected'] as const;

/** "inProgress" → "In Progress", for option names. */
export const label = (value: string): string => value.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
export const optionsOf = (values: readonly string[]): { name: string; value: string }[] => values.map((value) => ({ name: label(value), value }));
