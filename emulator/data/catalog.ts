// Fixed vocabularies used by the seed: app ids (MDCA's numeric ids of real apps), event types,
// countries, alert titles.

export interface AppInfo {
  appId: number;
  name: string;
}
export const APPS: readonly AppInfo[] = [
  { appId: 11161, name: 'Office 365' },
  { appId: 20893, name: 'Microsoft Exchange Online' },
  { appId: 20892, name: 'Microsoft SharePoint Online' },
  { appId: 15600, name: 'Microsoft OneDrive for Business' },
  { appId: 28375, name: 'Microsoft Teams' },
  { appId: 11770, name: 'Google Workspace' },
  { appId: 11599, name: 'Amazon Web Services' },
  { appId: 12260, name: 'Microsoft Azure' },
  { appId: 10489, name: 'Box' },
  { appId: 11114, name: 'Salesforce' },
];
export const appName = (appId: number): string => APPS.find((a) => a.appId === appId)?.name ?? `App ${appId}`;

export const ACCOUNT_APPS = [20893, 20892, 15600, 28375];

export const EVENT_TYPES = [
  { value: 'EVENT_O365_ONEDRIVE_GENERIC', code: 233580, description: 'FilePreviewed', action: 'FilePreviewed' },
  { value: 'EVENT_O365_SHAREPOINT_GENERIC', code: 233581, description: 'FileDownloaded', action: 'FileDownloaded' },
  { value: 'EVENT_O365_EXCHANGE_GENERIC', code: 233582, description: 'MailItemsAccessed', action: 'MailItemsAccessed' },
  { value: 'EVENT_AAD_LOGIN', code: 233583, description: 'Log on', action: 'UserLoggedIn' },
  { value: 'EVENT_O365_TEAMS_GENERIC', code: 233584, description: 'MessageSent', action: 'MessageSent' },
  { value: 'EVENT_AZURE_ADMIN', code: 233585, description: 'Create role assignment', action: 'RoleAssignmentCreated' },
] as const;

export const COUNTRIES = [
  { code: 'US', name: 'United States', city: 'Seattle', region: 'Washington', regionCode: 'WA', latitude: 47.6062, longitude: -122.3321, postalCode: '98101', org: 'Microsoft Corporation', carrier: 'microsoft corporation' },
  { code: 'GB', name: 'United Kingdom', city: 'London', region: 'England', regionCode: 'ENG', latitude: 51.5074, longitude: -0.1278, postalCode: 'EC1A', org: 'British Telecommunications', carrier: 'british telecommunications plc' },
  { code: 'DE', name: 'Germany', city: 'Frankfurt', region: 'Hesse', regionCode: 'HE', latitude: 50.1109, longitude: 8.6821, postalCode: '60311', org: 'Deutsche Telekom AG', carrier: 'deutsche telekom ag' },
  { code: 'IL', name: 'Israel', city: 'Tel Aviv', region: 'Tel Aviv', regionCode: 'TA', latitude: 32.0853, longitude: 34.7818, postalCode: '61000', org: 'Cellcom Group', carrier: 'cellcom israel ltd.' },
  { code: 'NL', name: 'Netherlands', city: 'Amsterdam', region: 'North Holland', regionCode: 'NH', latitude: 52.3676, longitude: 4.9041, postalCode: '1012', org: 'KPN B.V.', carrier: 'kpn b.v.' },
  { code: 'JP', name: 'Japan', city: 'Tokyo', region: 'Tokyo', regionCode: '13', latitude: 35.6762, longitude: 139.6503, postalCode: '100-0001', org: 'NTT Communications', carrier: 'ntt communications corporation' },
] as const;

export const ALERT_POLICIES = [
  { title: 'Impossible travel activity', policyType: 'ANOMALY_DETECTION', alertType: 15728641, stories: [0], intent: [2] },
  { title: 'Activity from infrequent country', policyType: 'ANOMALY_DETECTION', alertType: 15728642, stories: [0], intent: [2] },
  { title: 'Mass download by a single user', policyType: 'ANOMALY_DETECTION', alertType: 15728643, stories: [0], intent: [11] },
  { title: 'Suspicious inbox forwarding', policyType: 'ANOMALY_DETECTION', alertType: 15728644, stories: [0], intent: [10, 11] },
  { title: 'File containing PCI detected in the cloud', policyType: 'FILE', alertType: 15728645, stories: [3], intent: [0] },
  { title: 'Honeytoken activity', policyType: 'ANOMALY_DETECTION', alertType: 15728646, stories: [0], intent: [6] },
] as const;

export const FIRST_NAMES = ['Avery', 'Blake', 'Casey', 'Dana', 'Emery', 'Finley', 'Gray', 'Harper', 'Indy', 'Jordan', 'Kai', 'Logan', 'Morgan', 'Noa', 'Oakley', 'Parker', 'Quinn', 'Reese', 'Sage', 'Taylor'];
export const LAST_NAMES = ['Adams', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Müller', 'Novak', 'Okafor', 'Patel'];

/** MITRE tactic names of the alert `intent` values (Microsoft's alert property table). */
export const TACTICS = ['UNKNOWN', 'PREATTACK', 'INITIAL_ACCESS', 'PERSISTENCE', 'PRIVILEGE_ESCALATION', 'DEFENSE_EVASION', 'CREDENTIAL_ACCESS', 'DISCOVERY', 'LATERAL_MOVEMENT', 'EXECUTION', 'COLLECTION', 'EXFILTRATION', 'COMMAND_AND_CONTROL', 'IMPACT'];

export const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0';
