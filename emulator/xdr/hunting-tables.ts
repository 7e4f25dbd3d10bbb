// The advanced hunting tables of an emulated tenant, built from its MDCA data: CloudAppEvents (the
// first 500 activities), AlertInfo (every alert) and IdentityLogonEvents (a sign-in before each of
// the first 300 activities, every seventh one failed). Columns are the documented ones this
// emulator's KQL subset (kql.ts) queries.
import { JsonObject } from '../jwt';
import { TenantState } from '../tenant-state';
import { alertFromMdca, iso } from './incidents';
import { Column, Table } from './kql';

/** A schema from `{ column: type }`, in the order written. */
const schemaOf = (columns: Record<string, Column['Type']>): Column[] => Object.entries(columns).map(([Name, Type]) => ({ Name, Type }));

const objectAt = (value: unknown): JsonObject => (value ?? {}) as JsonObject;

/** "first.last@contoso.example" → "first last" (null without a user name). */
const displayNameOf = (userName: unknown): string | null => String(userName ?? '').split('@')[0].replace(/\./g, ' ') || null;

const MDCA = 'Microsoft Defender for Cloud Apps';

function cloudAppEvents(activities: JsonObject[]): Table {
  return {
    schema: schemaOf({
      Timestamp: 'DateTime', ActionType: 'String', Application: 'String', ApplicationId: 'Int64', AccountId: 'String', AccountDisplayName: 'String',
      IPAddress: 'String', CountryCode: 'String', City: 'String', IsAdminOperation: 'Boolean', ActivityType: 'String', ReportId: 'String',
    }),
    rows: activities.map((a) => {
      const user = objectAt(a.user);
      const location = objectAt(a.location);
      return {
        Timestamp: iso(Number(a.timestamp)),
        ActionType: a.actionType ?? null,
        Application: a.appName ?? null,
        ApplicationId: a.appId ?? null,
        AccountId: user.userName ?? null,
        AccountDisplayName: displayNameOf(user.userName),
        IPAddress: objectAt(a.device).clientIP ?? null,
        CountryCode: location.countryCode ?? null,
        City: location.city ?? null,
        IsAdminOperation: a.adminEvent === true,
        ActivityType: a.description ?? null,
        ReportId: a._id,
      };
    }),
  };
}

function alertInfo(mdca: TenantState): Table {
  return {
    schema: schemaOf({ Timestamp: 'DateTime', AlertId: 'String', Title: 'String', Category: 'String', Severity: 'String', ServiceSource: 'String', DetectionSource: 'String', AttackTechniques: 'String' }),
    rows: mdca.alerts.map((a) => {
      const x = alertFromMdca(a, 0, mdca.seed);
      return { Timestamp: x.creationTime, AlertId: x.alertId, Title: x.title, Category: x.category, Severity: x.severity, ServiceSource: MDCA, DetectionSource: MDCA, AttackTechniques: '' };
    }),
  };
}

function identityLogonEvents(activities: JsonObject[]): Table {
  return {
    schema: schemaOf({
      Timestamp: 'DateTime', ActionType: 'String', Application: 'String', LogonType: 'String', AccountUpn: 'String', AccountDisplayName: 'String',
      IPAddress: 'String', FailureReason: 'String', ReportId: 'String',
    }),
    rows: activities.slice(0, 300).map((a, i) => {
      const user = objectAt(a.user);
      const failed = i % 7 === 3;
      return {
        Timestamp: iso(Number(a.timestamp) - 1000),
        ActionType: failed ? 'LogonFailed' : 'LogonSuccess',
        Application: 'Active Directory',
        LogonType: i % 3 === 0 ? 'Interactive' : 'Resource access',
        AccountUpn: user.userName ?? null,
        AccountDisplayName: displayNameOf(user.userName),
        IPAddress: objectAt(a.device).clientIP ?? null,
        FailureReason: failed ? 'WrongPassword' : null,
        ReportId: `logon-${i}`,
      };
    }),
  };
}

export function huntingTables(mdca: TenantState): Record<string, Table> {
  const activities: JsonObject[] = [];
  for (let i = 0; i < Math.min(500, mdca.activities.baseCount); i++) activities.push(mdca.activities.build(i));
  return { CloudAppEvents: cloudAppEvents(activities), AlertInfo: alertInfo(mdca), IdentityLogonEvents: identityLogonEvents(activities) };
}
