// The Graph security enumerations as the emulated listener checks and answers them: camelCase,
// read without regard to case; members after unknownFutureValue ("evolvable") are answered only
// to a caller that sent `Prefer: include-unknown-enum-members`.

export const ALERT_STATUSES = ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'];
export const SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'];
export const CLASSIFICATIONS = ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'];
export const DETERMINATIONS = [
  'unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'other', 'multiStagedAttack', 'compromisedUser', 'phishing',
  'maliciousUserActivity', 'clean', 'insufficientData', 'confirmedUserActivity', 'lineOfBusinessApplication', 'unknownFutureValue',
  // The other spelling of four of them (incident pages): accepted as well.
  'compromisedAccount', 'notMalicious', 'notEnoughDataToValidate', 'confirmedActivity',
];
/** Incident-page spelling → alert-page spelling. */
const SYNONYMS: Record<string, string> = { compromisedAccount: 'compromisedUser', notMalicious: 'clean', notEnoughDataToValidate: 'insufficientData', confirmedActivity: 'confirmedUserActivity' };
export const canonicalDetermination = (value: string): string => SYNONYMS[value] ?? value;

export const INCIDENT_STATUSES = ['active', 'resolved', 'inProgress', 'redirected', 'unknownFutureValue', 'awaitingAction'];

/** Evolvable members per property (after unknownFutureValue in Graph's enum). */
export const EVOLVABLE: Record<string, readonly string[]> = {
  serviceSource: ['microsoftDefenderForCloud', 'microsoftSentinel', 'microsoftThreatIntelligence', 'microsoftSecurityForAI'],
  detectionSource: ['microsoftDefenderForCloud', 'microsoftDefenderForIoT', 'microsoftDefenderForServers', 'microsoftDefenderForStorage', 'microsoftDefenderForDNS'],
  status: ['awaitingAction'],
};

/** Which determinations go with a classification (the emulator's strict mode enforces it). */
export const PAIRS: Record<string, string[]> = {
  truePositive: ['multiStagedAttack', 'maliciousUserActivity', 'compromisedUser', 'malware', 'phishing', 'unwantedSoftware', 'other'],
  informationalExpectedActivity: ['securityTesting', 'lineOfBusinessApplication', 'confirmedUserActivity', 'other'],
  falsePositive: ['clean', 'insufficientData', 'other'],
};

/** The member a value names (any case), or undefined. */
export const member = (values: readonly string[], value: unknown): string | undefined =>
  typeof value === 'string' ? values.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined;
