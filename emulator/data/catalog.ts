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
  { code: 'US', city: 'Seattle', region: 'Washington', org: 'Microsoft Corporation' },
  { code: 'GB', city: 'London', region: 'England', org: 'British Telecommunications' },
  { code: 'DE', city: 'Frankfurt', region: 'Hesse', org: 'Deutsche Telekom AG' },
  { code: 'IL', city: 'Tel Aviv', region: 'Tel Aviv', org: 'Cellcom Group' },
  { code: 'NL', city: 'Amsterdam', region: 'North Holland', org: 'KPN B.V.' },
  { code: 'JP', city: 'Tokyo', region: 'Tokyo', org: 'NTT Communications' },
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

export const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Edg/124.0';
