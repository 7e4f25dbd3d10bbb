// The parts of an activity record that depend on where it came from (Office 365 audit log, Entra
// ID sign-in log): the vendor record (`rawDataJson`), the objects it touched (`mainInfo`), the
// ingestion bookkeeping, and failed log-ons. Keys and types follow the published recordings in
// emulator/fixtures/recorded-profiles.json; values are synthetic.
import { JsonObject } from '../jwt';
import { COUNTRIES } from './catalog';
import { SeedContext } from './context';
import { Rng } from './random';
import { SeedUser } from './seed';

type Country = (typeof COUNTRIES)[number];
export interface ActivityFacts {
  ctx: SeedContext;
  user: SeedUser;
  appId: number;
  eventValue: string;
  action: string;
  ip: string;
  country: Country;
  timestamp: number;
  created: number;
  /** the user's group tag, as in `user.userTags` */
  userTag: string;
}

/** Cloud-provider IP tag (MDCA's built-in tag id, as in the recordings). */
const CLOUD_PROVIDER_TAG = '000000290000000000000000';
const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const iso = (ms: number): string => new Date(ms).toISOString();

const accountObjects = (f: ActivityFacts, role: number, link: number, extra: JsonObject = {}): JsonObject[] => [
  { objType: 21, role, tags: [], name: f.user.displayName, instanceId: 0, resolved: true, saasId: 11161, id: f.user.email, link, ...extra },
  { objType: 23, role, tags: [f.userTag], name: f.user.displayName, instanceId: 0, resolved: true, saasId: 11161, id: f.user.oid, link, ...extra },
];

function sharePointEvent(f: ActivityFacts, rng: Rng): JsonObject {
  const site = rng.quickUuid();
  const local = f.user.email.replace(/[@.]/g, '_');
  const siteUrl = `https://${f.ctx.tenantName}-my.sharepoint.example/personal/${local}/`;
  const fileName = `report-${rng.int(1000)}.docx`;
  const link = -(rng.int(1_000_000_000) + 1);
  return {
    eventRouting: { scubaUnpacker: false, lograbber: true, auditing: true },
    lograbberService: { o365EventGrabber: true, gediEvent: true },
    collected: { o365: { blobCreated: iso(f.created - 1000), blobId: `${f.created}$${f.created + 1}$audit_sharepoint$Audit_SharePoint$emulator` } },
    eventObjects: [{ objType: 1, role: 3, tags: [], name: siteUrl, id: site, serviceObjectType: 'OneDrive Site Collection' }, ...accountObjects(f, 4, link)],
    rawDataJson: {
      OrganizationId: f.ctx.tenantId,
      CreationTime: iso(f.timestamp),
      RecordType: 6,
      Operation: f.action,
      UserType: 0,
      Workload: f.appId === 15600 ? 'OneDrive' : 'SharePoint',
      ClientIP: f.ip,
      UserKey: `i:0h.f|membership|${f.user.oid}@live.com`,
      Version: 1,
      ObjectId: `${siteUrl}Documents/${fileName}`,
      CorrelationId: rng.quickUuid(),
      UserId: f.user.email,
      ListItemUniqueId: rng.quickUuid(),
      EventSource: 'SharePoint',
      SourceFileExtension: 'docx',
      UserAgent: 'OneDriveMpc-Transform_Thumbnail/1.0',
      SourceRelativeUrl: 'Documents',
      ItemType: 'File',
      SourceFileName: fileName,
      Id: rng.quickUuid(),
      ApplicationId: rng.quickUuid(),
      ListId: rng.quickUuid(),
      WebId: rng.quickUuid(),
      SiteUrl: siteUrl,
      Site: site,
      DoNotDistributeEvent: true,
    },
  };
}

function officeEvent(f: ActivityFacts, rng: Rng): JsonObject {
  const workload = f.eventValue.includes('EXCHANGE') ? 'Exchange' : f.eventValue.includes('TEAMS') ? 'MicrosoftTeams' : 'AzureActiveDirectory';
  return {
    eventRouting: { scubaUnpacker: false, lograbber: true, auditing: true },
    lograbberService: { o365EventGrabber: true, gediEvent: true },
    collected: { o365: { blobCreated: iso(f.created - 1000), blobId: `${f.created}$${f.created + 1}$audit_${workload.toLowerCase()}$Audit_${workload}$emulator` } },
    eventObjects: accountObjects(f, 4, -(rng.int(1_000_000_000) + 1)),
    rawDataJson: {
      OrganizationId: f.ctx.tenantId,
      CreationTime: iso(f.timestamp),
      RecordType: 1,
      Operation: f.action,
      UserType: 0,
      Workload: workload,
      ClientIP: f.ip,
      UserKey: f.user.oid,
      Version: 1,
      ObjectId: f.user.email,
      UserId: f.user.email,
      Id: rng.quickUuid(),
    },
  };
}

const FAILURES = [
  [50126, 'Error validating credentials due to invalid username or password.'],
  [50058, 'Session information is not sufficient for single-sign-on.'],
  [16000, 'General failure'],
] as const;

/** An Entra ID log-on: successful, or (failed) with the failure, the unresolved actor of an unknown user. */
function logonEvent(f: ActivityFacts, rng: Rng, failed: boolean): JsonObject {
  const [code, message] = FAILURES[rng.int(FAILURES.length)];
  const unresolved = failed && rng.bool(0.5);
  const upn = unresolved ? `guest${rng.int(1000)}_mail.example#ext#@${f.ctx.tenantName}.example` : f.user.email;
  const requestId = rng.quickUuid();
  const correlationId = rng.quickUuid();
  const link = rng.int(2_000_000_000) - 1_000_000_000;
  const tags = unresolved ? ['000000200000000000000000'] : [f.userTag];
  const cloudIp = failed && rng.bool(0.4);
  const actor = unresolved
    ? { governable: false, id: upn, instanceId: '0', name: upn, objType: '22', resolved: false, role: '2', saasId: '11161', tags }
    : { governable: true, id: f.user.oid, instanceId: '0', name: f.user.displayName, objType: '23', resolved: true, role: '2', saasId: '11161', tags };
  const accounts = unresolved
    ? [{ governable: false, id: upn, instanceId: 0, link, name: upn, objType: 22, resolved: false, role: 5, saasId: 11161, tags }]
    : accountObjects(f, 5, link, { governable: true });
  const out: JsonObject = {
    eventRouting: { auditing: true, dispersed: true, lograbber: true, scubaUnpacker: false },
    lograbberService: { scubaUnpacker: true },
    collected: { aadLogins: { MCAS_Router: false, correlationId, enqueueTime: f.created - 20_000, routingTime: f.created - 19_900 } },
    classifications: ['access'],
    confidenceLevel: 30,
    eventObjects: [
      { id: EXCHANGE_APP_ID, name: 'Office 365 Exchange Online', objType: 6, role: 1, tags: [] },
      { id: requestId, name: 'Request ID', objType: 7, role: 3, tags: [] },
      { name: 'Pass-through authentication', objType: 7, role: 3, tags: [], value: 'false' },
      { id: unresolved ? rng.quickUuid() : f.user.oid, name: upn, objType: 2, resolved: !unresolved, role: 2, tags },
      ...accounts,
    ],
    activityResult: failed ? { isSuccess: false, message } : { isSuccess: true },
    operation: failed ? 'OAuth2:Token' : 'Login:login',
    resolvedActor: actor,
    locationExtra: { carrier: f.country.carrier, postalCode: f.country.postalCode, ...(cloudIp ? { category: 5, categoryValue: 'CLOUD_PROXY_NETWORK_IP', ipTags: [CLOUD_PROVIDER_TAG] } : {}) },
    rawDataJson: {
      ApplicationId: EXCHANGE_APP_ID,
      ApplicationName: 'Office 365 Exchange Online',
      BrowserId: rng.bool(0.5) ? rng.quickUuid() : null,
      Call: failed ? 'OAuth2:Token' : 'Login:login',
      CorrelationId: correlationId,
      DataSource: null,
      DeviceInfo: ';Windows 10;Edge 124.0;',
      DeviceTrustType: '',
      EventType: 'MCASLoginEvent',
      HomeTenantUserObjectId: f.user.oid,
      IpAddress: f.ip,
      IsDeviceCompliantAndManaged: false,
      IsInteractive: null,
      IsInteractiveComputed: true,
      LoginErrorCode: failed ? code : 0,
      LoginStatus: failed ? 'Failure' : 'Success',
      MfaAuthMethod: null,
      MfaMaskedDeviceId: null,
      MfaRequired: false,
      MfaResult: null,
      MfaStatusRaw: null,
      MsodsTenantRegionScope: 'EU',
      RequestId: requestId,
      SasStatus: null,
      TenantId: f.ctx.tenantId,
      TimeStamp: iso(f.timestamp),
      Upn: upn,
      UserIsPassthru: false,
      UserName: '',
      UserPrincipalObjectID: f.user.oid,
      UserTenantId: unresolved ? null : f.ctx.tenantId,
      UserTenantMsodsRegionScope: unresolved ? null : 'EU',
    },
  };
  if (failed) {
    out.failure = {
      eventType: 2293761,
      eventTypeValue: 'EVENT_AAD_LOGIN_FAILED',
      eventTypeName: 'EVENT_CATEGORY_FAILED_LOGIN',
      genericEventType: 'ENUM_ACTIVITY_GENERIC_TYPE_FAILED_LOGIN',
      description: `Failed log on (Failure message: ${message})`,
      description_id: 'EVENT_DESCRIPTION_FAILED_LOGIN',
      description_metadata: { activity_result_message: `(Failure message: ${message})`, colon: '', dash: '', event_category: 'Failed log on' },
      failedUserData: { userName: upn },
      user: { userTags: tags },
    };
    if (unresolved) out.resolvedActorAccount = { governable: false, id: upn, instanceId: '0', name: upn, resolved: false, role: '2', saasId: '11161', tags };
  }
  return out;
}

/**
 * Completes an activity record built from its facts. Draws from its own random stream (`rng`), so
 * the values the base record drew stay what they were.
 */
export function completeActivity(record: JsonObject, f: ActivityFacts, rng: Rng): JsonObject {
  const isLogon = f.eventValue === 'EVENT_AAD_LOGIN';
  const failed = isLogon && rng.bool(0.3);
  const detail = isLogon ? logonEvent(f, rng, failed) : f.appId === 15600 || f.appId === 20892 ? sharePointEvent(f, rng) : officeEvent(f, rng);
  // Filled in place: the large-set generator builds up to tens of thousands of these per query.
  const mainInfo = record.mainInfo as JsonObject;
  const location = record.location as JsonObject;
  record.eventRouting = detail.eventRouting;
  record.lograbberService = detail.lograbberService;
  record.collected = detail.collected;
  location.regionCode = f.country.regionCode;
  location.latitude = f.country.latitude;
  location.longitude = f.country.longitude;
  if (detail.locationExtra) Object.assign(location, detail.locationExtra);
  mainInfo.eventObjects = detail.eventObjects;
  if (detail.activityResult) mainInfo.activityResult = detail.activityResult;
  if (detail.operation) mainInfo.rawOperationName = mainInfo.prettyOperationName = detail.operation;
  if (failed) mainInfo.type = 'failedLogin';
  if (detail.resolvedActor) record.resolvedActor = detail.resolvedActor;
  else (record.resolvedActor as JsonObject).tags = [f.userTag];
  record.rawDataJson = detail.rawDataJson;
  if (detail.classifications) {
    record.classifications = detail.classifications;
    record.confidenceLevel = detail.confidenceLevel;
  }
  if (detail.resolvedActorAccount) record.resolvedActorAccount = detail.resolvedActorAccount;
  if (detail.failure) Object.assign(record, detail.failure);
  return record;
}
