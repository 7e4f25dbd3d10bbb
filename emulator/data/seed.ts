// Materialised seed data for the small collections (alerts, entities, subnets, streams, files).
// Activities live in generator.ts because they may number in the hundreds of thousands.
import { JsonObject } from '../jwt';
import { ACCOUNT_APPS, ALERT_POLICIES, APPS, appName, COUNTRIES, FIRST_NAMES, LAST_NAMES, TACTICS } from './catalog';
import { SeedContext } from './context';
import { Rng, hash32 } from './random';
import { SPAN_MS } from './context';
import { toStoredSubnet } from '../mdca/cidr';

export const objectId = (seed: number, kind: string, index: number): string => Rng.for(seed, `oid:${kind}`, index).hex(24);

export interface SeedUser {
  oid: string;
  displayName: string;
  email: string;
}

/** Users behind the entities, alerts and activities of a tenant. */
export function seedUsers(ctx: SeedContext, count: number): SeedUser[] {
  const users: SeedUser[] = [];
  for (let i = 0; i < Math.max(1, count); i++) {
    const rng = Rng.for(ctx.seed, 'user', i);
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[(i * 7 + rng.int(3)) % LAST_NAMES.length];
    const local = `${first}.${last}`.toLowerCase().replace(/ü/g, 'ue') + (i >= FIRST_NAMES.length ? String(i) : '');
    users.push({ oid: rng.uuid(), displayName: `${first} ${last}`, email: `${local}@${ctx.tenantName}.example` });
  }
  return users;
}

export const usersForEntities = (entityCount: number): number => Math.max(1, Math.ceil(entityCount / 5));

export function seedEntities(ctx: SeedContext, users: SeedUser[], count: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const isUser = i < users.length;
    const user = users[isUser ? i : (i - users.length) % users.length];
    const accountIndex = isUser ? -1 : Math.floor((i - users.length) / users.length);
    const saas = isUser ? 11161 : ACCOUNT_APPS[accountIndex % ACCOUNT_APPS.length];
    const inst = isUser ? 0 : Math.floor(accountIndex / ACCOUNT_APPS.length);
    const rng = Rng.for(ctx.seed, 'entity', i);
    const pk = { id: user.oid, saas, inst };
    out.push({
      type: isUser ? 2 : 1,
      status: rng.bool(0.9) ? 2 : rng.pick([1, 3, 4]),
      displayName: user.displayName,
      id: user.oid,
      _id: objectId(ctx.seed, 'entity', i),
      userGroups: [{ _id: objectId(ctx.seed, 'group', 0), id: '0000003b0000000000000000', name: 'All Users', description: 'Built-in group', usersCount: users.length }],
      identifiers: [],
      sid: null,
      appData: { appId: saas, name: appName(saas), saas, instance: inst },
      isAdmin: rng.bool(0.1),
      isExternal: rng.bool(0.1),
      email: user.email,
      role: null,
      organization: rng.bool(0.5) ? `${ctx.tenantName} Ltd` : null,
      lastSeen: new Date(ctx.anchorMs - rng.int(SPAN_MS)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      domain: `${ctx.tenantName}.example`,
      scoreTrends: null,
      subApps: [],
      threatScore: rng.bool(0.7) ? rng.int(120) : null,
      threatScoreHistory: [],
      idType: isUser ? 1 : 17,
      isFake: false,
      ii: `${saas}|${inst}|${user.oid}`,
      actions: [],
      username: `{'id': '${pk.id}', 'saas': ${pk.saas}, 'inst': ${pk.inst}}`,
      sctime: null,
    });
  }
  return out;
}

/** Alert timestamps: every fifth alert shares its predecessor's timestamp (ties for paging tests). */
export const alertTimestamp = (ctx: SeedContext, index: number, count: number): number => {
  const step = Math.max(1000, Math.floor(SPAN_MS / Math.max(1, count)));
  return ctx.anchorMs - 60_000 - Math.floor((index * 4) / 5) * step;
};

/** What a new alert is about when a test or demo names it: a policy of the catalogue (by title) and a seeded user (by UPN or object id). */
export interface AlertPick {
  policy?: string;
  user?: string;
}

export function buildAlert(ctx: SeedContext, users: SeedUser[], index: number, timestamp: number, id: string, pick: AlertPick = {}): JsonObject {
  const rng = Rng.for(ctx.seed, 'alert', index);
  // Drawn whatever the pick, so the rest of the alert's values stay those of its index.
  const drawnPolicy = ALERT_POLICIES[rng.int(ALERT_POLICIES.length)];
  const drawnUser = users[rng.int(users.length)];
  const policy = pick.policy === undefined ? drawnPolicy : pickPolicy(pick.policy);
  const user = pick.user === undefined ? drawnUser : pickUser(users, pick.user);
  const app = APPS[rng.int(5)];
  const ip = rng.ip();
  const resolution = rng.bool(0.7) ? 0 : rng.pick([3, 4, 5]);
  const policyId = objectId(ctx.seed, 'policy', ALERT_POLICIES.indexOf(policy));
  const alert: JsonObject = {
    _id: id,
    contextId: ctx.tenantId,
    timestamp,
    title: policy.title,
    description: `${policy.title} for user ${user.displayName} from ${ip} in ${app.name}.`,
    isMarkdown: false,
    statusValue: rng.bool(0.5) ? 1 : 0,
    severityValue: rng.pick([0, 1, 1, 2, 3]),
    resolutionStatusValue: resolution,
    stories: [...policy.stories],
    evidence: [],
    intent: [...policy.intent],
    isPreview: false,
    isSystemAlert: policy.policyType === 'ANOMALY_DETECTION',
    idValue: 15_000_000 + (hash32(id) % 1_000_000),
    threatScore: rng.int(101),
    alertType: policy.alertType,
    comment: '',
    handledByUser: resolution === 0 ? null : `admin@${ctx.tenantName}.example`,
    resolveTime: resolution === 0 ? null : new Date(timestamp + 3_600_000).toISOString(),
    URL: `${ctx.portalUrl}/#/alerts/${id}`,
    policy: { id: policyId, label: policy.title, policyType: policy.policyType, type: 'policyRule' },
    entities: [
      { entityRole: 'Source', entityType: 2, id: user.oid, inst: 0, label: user.displayName, pa: user.email, em: user.email, saas: 11161, type: 'account' },
      { id: user.email, label: user.email, type: 'user' },
      { id: ip, label: ip, type: 'ip' },
      { id: app.appId, label: app.name, type: 'service' },
      { id: policyId, label: policy.title, policyType: policy.policyType, type: 'policyRule' },
      ...(policy.policyType === 'FILE' ? [{ id: `${rng.uuid()}|${rng.uuid()}`, label: `report-${index}.xlsx`, type: 'file' }] : []),
    ],
  };
  return completeAlert(ctx, alert, policy, app.name, ip, Rng.for(ctx.seed, 'alert-detail', index));
}

function pickPolicy(title: string): (typeof ALERT_POLICIES)[number] {
  const policy = ALERT_POLICIES.find((p) => p.title.toLowerCase() === title.toLowerCase());
  if (!policy) throw new Error(`no alert policy titled "${title}"; one of: ${ALERT_POLICIES.map((p) => p.title).join(', ')}`);
  return policy;
}

function pickUser(users: readonly SeedUser[], upnOrOid: string): SeedUser {
  const key = upnOrOid.toLowerCase();
  const user = users.find((u) => u.email.toLowerCase() === key || u.oid === key);
  if (!user) throw new Error(`no seeded user ${upnOrOid}`);
  return user;
}

/**
 * What detections add to an alert, as the recordings show: evidence, the investigation-priority
 * reasoning, and the entities of the detection (countries of a travel alert; devices and the group
 * of a Defender for Identity honeytoken alert). Draws from its own random stream so the base
 * alert's values stay what they were.
 */
function completeAlert(ctx: SeedContext, alert: JsonObject, policy: (typeof ALERT_POLICIES)[number], app: string, ip: string, rng: Rng): JsonObject {
  if (policy.policyType !== 'ANOMALY_DETECTION') return alert;
  const entities = alert.entities as JsonObject[];
  const mitre = (intent: number): JsonObject => ({
    title: { parameters: { mitre: { alternateLink: 'https://go.microsoft.com/fwlink/?linkid=2135034', label: 'MITRE', type: 'link' }, tactic: TACTICS[intent] }, template: 'ALERTS_MITRE_TACTIC' },
  });
  const evidence: JsonObject[] = [
    { title: { parameters: { app }, template: 'ANUBIS_ADMIN_USER_FEATURE' } },
    { title: { parameters: { days: 1 + rng.int(180), resource: ip }, template: 'ANUBIS_LAST_SEEN_FEATURE_IP_ALL_TENANT' } },
    ...policy.intent.map(mitre),
  ];
  if (policy.title === 'Impossible travel activity' || policy.title === 'Activity from infrequent country') {
    const from = COUNTRIES[rng.int(COUNTRIES.length)];
    const to = COUNTRIES[(COUNTRIES.indexOf(from) + 1 + rng.int(COUNTRIES.length - 1)) % COUNTRIES.length];
    const countries = policy.title === 'Impossible travel activity' ? [from, to] : [from];
    entities.push(...countries.map((c) => ({ id: c.code, label: c.code, type: 'country' })));
  }
  if (policy.title === 'Honeytoken activity') {
    entities.push(
      { entityRole: 'Source', id: rng.uuid(), label: `CLIENT${1 + rng.int(9)}`, type: 'device' },
      { entityRole: 'Related', id: rng.uuid(), label: `DC${1 + rng.int(4)}`, type: 'device' },
      { type: 'groupTag', id: objectId(ctx.seed, 'group', 0), label: 'All Users' },
    );
  }
  return {
    ...alert,
    evidence,
    threatScoreReasoning: [{ parameters: { usage: 1 + rng.int(5), userPercent: rng.int(100) }, template: 'UEBA_ALERTS_TENANT_USAGE_EVIDENCE' }],
  };
}


export function seedAlerts(ctx: SeedContext, users: SeedUser[], count: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) out.push(buildAlert(ctx, users, i, alertTimestamp(ctx, i, count), objectId(ctx.seed, 'alert', i)));
  return out;
}

const SUBNET_SEEDS: ReadonlyArray<{ name: string; category: number; cidrs: string[]; organization?: string; country?: string; tag?: string }> = [
  { name: 'Corporate HQ', category: 1, cidrs: ['198.51.100.0/24'], organization: 'Contoso HQ', country: 'US', tag: 'Headquarters' },
  { name: 'Branch offices', category: 1, cidrs: ['203.0.113.0/25', '203.0.113.128/25'] },
  { name: 'Admin jump hosts', category: 2, cidrs: ['192.0.2.16/28'] },
  { name: 'Known bad actors', category: 3, cidrs: ['185.220.101.0/24'] },
  { name: 'Corporate VPN', category: 4, cidrs: ['100.64.0.0/16', '2001:db8:100::/48'], country: 'NL', tag: 'VPN' },
  { name: 'Azure egress', category: 5, cidrs: ['20.50.0.0/16'] },
  { name: 'Guest Wi-Fi', category: 6, cidrs: ['172.16.20.0/22'] },
  { name: 'Datacenter IPv6', category: 1, cidrs: ['2001:db8:42::/64'] },
  { name: 'Partner extranet', category: 6, cidrs: ['198.18.0.0/15'] },
  { name: 'Tor exit nodes', category: 3, cidrs: ['176.10.99.0/24'] },
];

export function seedSubnets(ctx: SeedContext, count: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const base = SUBNET_SEEDS[i % SUBNET_SEEDS.length];
    const suffix = i >= SUBNET_SEEDS.length ? ` ${Math.floor(i / SUBNET_SEEDS.length) + 1}` : '';
    const country = COUNTRIES.find((c) => c.code === base.country);
    out.push({
      _id: objectId(ctx.seed, 'subnet', i),
      name: base.name + suffix,
      subnets: base.cidrs.map(toStoredSubnet),
      location: country ? { name: country.name, latitude: country.latitude, longitude: country.longitude, countryCode: country.code, countryName: country.name } : null,
      organization: base.organization ?? null,
      tags: base.tag ? [ipTag(ctx, base.tag)] : [],
      category: base.category,
      builtIn: false,
      lastModified: ctx.anchorMs - i * 3_600_000 + 0.5,
      _tid: ctx.numericTenantId,
    });
  }
  return out;
}

/** An IP range tag as the list answer shows it; custom tags have the tenant's own id. */
export function ipTag(ctx: SeedContext, name: string, id = objectId(ctx.seed, `tag:${name}`, 0)): JsonObject {
  return {
    _id: id,
    id,
    target: 1,
    type: 2,
    name,
    nameTemplate: { template: name },
    description: `IP addresses tagged ${name}`,
    descriptionTemplate: { template: `IP addresses tagged ${name}` },
    visibility: 0,
    status: 0,
    _tid: ctx.numericTenantId,
  };
}

export function seedStreams(ctx: SeedContext, count: number): JsonObject[] {
  const names = ['Global View', 'Firewall-HQ', 'Proxy-Branch', 'Zscaler feed', 'Defender for Endpoint'];
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const created = new Date(ctx.anchorMs - (90 - i) * 86_400_000).toISOString();
    out.push({
      _id: objectId(ctx.seed, 'stream', i),
      displayName: names[i % names.length] + (i >= names.length ? ` ${i}` : ''),
      anonymizeUsers: false,
      logType: [1, 102, 120, 112, 195][i % 5],
      receiverType: i % 2 === 0 ? 'syslog' : 'ftp',
      protocol: 'udp',
      streamType: i === 0 ? 3 : 1,
      isManual: false,
      created,
      lastModified: new Date(ctx.anchorMs - i * 86_400_000).toISOString(),
      logFilesHistoryCount: 2 + i,
      supportedEntityTypes: [1, 2],
      supportedTrafficTypes: [1],
      lastAlertProcessingTime: ctx.anchorMs - 3_600_000,
      lastDataReceived: new Date(ctx.anchorMs - 1_800_000).toISOString(),
      logFilesFailsCount: 0,
      currentServicesCollectionName: 'discovery_services',
      globalAggregated: i === 0,
      readTimeFramesFromSecond: true,
      timeFrames2: {},
      validTimeFrames2: [],
      timeFrames: {},
      validTimeFrames: [7, 30, 90],
      timeWithoutLogs: 0,
      sourceStreams: [],
    });
  }
  return out;
}

const FILE_TYPES: ReadonlyArray<[number, string, string, string]> = [
  [1, 'DOCUMENT', 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  [2, 'SPREADSHEET', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  [3, 'PRESENTATION', 'pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  [4, 'TEXT', 'txt', 'text/plain'],
  [5, 'IMAGE', 'png', 'image/png'],
  [6, 'FOLDER', '', ''],
];
const ACCESS_LEVELS = ['PRIVATE', 'INTERNAL', 'EXTERNAL', 'PUBLIC', 'PUBLIC_INTERNET'];

export function seedFiles(ctx: SeedContext, users: SeedUser[], count: number): JsonObject[] {
  const out: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const rng = Rng.for(ctx.seed, 'file', i);
    const [ftype, typeName, ext, mime] = FILE_TYPES[rng.int(FILE_TYPES.length)];
    const owner = users[rng.int(users.length)];
    const appId = rng.pick([15600, 20892, 11770, 10489]);
    const facl = rng.pick([0, 0, 1, 1, 2, 3, 4]);
    const isFolder = ftype === 6;
    const fileName = isFolder ? `Folder ${i}` : `document-${i}.${ext}`;
    const created = ctx.anchorMs - rng.int(SPAN_MS * 3);
    const modified = Math.min(ctx.anchorMs, created + rng.int(SPAN_MS));
    const id = objectId(ctx.seed, 'file', i);
    const deleted = rng.bool(0.05);
    const trashed = !deleted && rng.bool(0.05);
    const externalDomains = facl >= 2 ? ['fabrikam.example'] : [];
    const file: JsonObject = {
      _id: id,
      _tid: ctx.numericTenantId,
      appId,
      saasId: appId,
      instId: 0,
      id: `${rng.uuid()}|${rng.uuid()}`,
      name: fileName,
      name_l: fileName.toLowerCase(),
      fileExtension: ext,
      mimeType: mime,
      fileSize: isFolder ? 0 : 1000 + rng.int(5_000_000),
      createdDate: created,
      modifiedDate: modified,
      snapshotLastModifiedDate: new Date(modified + 60_000).toISOString(),
      isFolder,
      fileType: [ftype === 6 ? 6 : ftype, typeName],
      ftype,
      fileAccessLevel: [facl, ACCESS_LEVELS[facl]],
      facl,
      fileStatus: deleted ? [2, 'DELETED'] : trashed ? [1, 'TRASHED'] : [0, 'EXISTS'],
      fstat: deleted ? 2 : trashed ? 1 : 0,
      trashed,
      quarantined: rng.bool(0.03),
      ownerAddress: owner.email,
      ownerName: owner.displayName,
      ownerExternal: false,
      ownerEntity: { id: owner.oid, saas: 11161, inst: 0 },
      ownerOrgUnit: null,
      emails: [owner.email],
      domains: [`${ctx.tenantName}.example`, ...externalDomains],
      groupIds: [],
      groups: [],
      collaborators: [],
      display_collaborators: [],
      externalShares: externalDomains,
      driveId: rng.uuid(),
      parentId: isFolder ? null : objectId(ctx.seed, 'folder', i % 7),
      parentIds: [objectId(ctx.seed, 'folder', i % 7)],
      effectiveParents: [],
      alternateLink: `https://${ctx.tenantName}-my.sharepoint.example/personal/${encodeURIComponent(owner.email)}/${fileName}`,
      filePath: `/personal/${owner.email}/Documents/${fileName}`,
      isForeign: false,
      noGovernance: false,
      scanVersion: 4,
      unseenScans: 0,
      lastNrtTimestamp: modified + 120_000,
      dlpScanResults: [],
      fTags: [],
      fileLabels: rng.bool(0.2) ? [objectId(ctx.seed, 'label', rng.int(3))] : [],
      fileScanLabels: [],
      policies: rng.bool(0.2) ? [objectId(ctx.seed, 'policy', 4)] : [],
      enriched: true,
      originalId: id,
      appName: appName(appId),
      fileTypeDisplay: isFolder ? 'Folder' : 'File',
      actions: FILE_ACTIONS.map((a) => fileAction(a, fileName)),
    };
    out.push(appId === 15600 || appId === 20892 ? withSharePointItem(ctx, file, owner, Rng.for(ctx.seed, 'file-detail', i)) : file);
  }
  return out;
}

/** Governance actions offered on a file, with the portal's string keys (as recorded). */
const FILE_ACTIONS: ReadonlyArray<{ task: string; key: string; category: number; described: boolean }> = [
  { task: 'QuarantineTask', key: 'QUARANTINE_FILE_SHARING_PERMISSION', category: 1, described: true },
  { task: 'RescanFileTask', key: 'RESCAN_FILE', category: 0, described: false },
  { task: 'TrashFileTask', key: 'TRASH_FILE', category: 1, described: true },
];

function fileAction(a: (typeof FILE_ACTIONS)[number], fileName: string): JsonObject {
  const key = `TASKS_ADALIBPY_${a.key}`;
  return {
    task_name: a.task,
    display_title: `${key}_DISPLAY_TITLE`,
    type: 'file',
    governance_type: null,
    bulk_support: true,
    has_icon: true,
    display_description: a.described ? { template: `${key}_DISPLAY_DESCRIPTION`, parameters: { fileName } } : null,
    bulk_display_description: a.described ? `${key}_BULK_DISPLAY_DESCRIPTION` : null,
    preview_only: false,
    display_alert_text: a.described ? `${key}_DISPLAY_ALERT_TEXT` : null,
    display_alert_success_text: a.described ? `${key}_DISPLAY_ALERT_SUCCESS_TEXT` : null,
    is_blocking: null,
    confirm_button_style: 'red',
    optional_notify: null,
    uiGovernanceCategory: a.category,
    alert_display_title: null,
    confirmation_button_text: null,
    confirmation_link: null,
  };
}

/**
 * SharePoint and OneDrive files carry the SharePoint list item and the site collection they live
 * in; ids are `<site collection id>|<item id>` as recorded.
 */
function withSharePointItem(ctx: SeedContext, file: JsonObject, owner: SeedUser, rng: Rng): JsonObject {
  const site = rng.uuid();
  const local = owner.email.replace(/[@.]/g, '_');
  const isOneDrive = file.appId === 15600;
  const spDomain = `https://${ctx.tenantName}${isOneDrive ? '-my' : ''}.sharepoint.example`;
  const sitePath = isOneDrive ? `/personal/${local}` : '/sites/Team';
  const name = String(file.name);
  const serverRelativeUrl = `${sitePath}/Documents/${name}`;
  const itemId = rng.uuid();
  const parentItem = rng.uuid();
  const drive = `${site}|${rng.uuid()}`;
  const parent = `${site}|${parentItem}`;
  const modified = Number(file.modifiedDate);
  const toIso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    ...file,
    id: `${site}|${itemId}`,
    driveId: drive,
    parentId: file.isFolder ? null : parent,
    parentIds: [parent],
    effectiveParents: [drive, parent],
    alternateLink: `${spDomain}${encodeURI(serverRelativeUrl)}`,
    filePath: serverRelativeUrl,
    siteCollection: sitePath,
    sitePath,
    spDomain,
    siteCollectionId: site,
    sharepointItem: {
      UniqueId: itemId,
      ServerRelativeUrl: serverRelativeUrl,
      Name: name,
      Length: file.fileSize,
      TimeLastModified: toIso(modified),
      TimeCreated: toIso(Number(file.createdDate)),
      Author: {
        sourceBitmask: 0,
        oneDriveEmail: owner.email,
        trueEmail: owner.email,
        externalUser: false,
        LoginName: `i:0#.f|membership|${owner.email}`,
        name: owner.displayName,
        idInSiteCollection: String(4 + rng.int(20)),
        sipAddress: owner.email,
        Email: owner.email,
        Title: owner.displayName,
      },
      LinkingUrl: '',
      parentUniqueId: parentItem,
      roleAssignments: [],
      hasUniqueRoleAssignments: false,
      urlFromMetadata: null,
      ModifiedBy: { LoginName: `i:0#.f|membership|mdca-service@${ctx.tenantName}.example`, Title: 'Cloud App Security Service Account for SharePoint', Email: '' },
      scopeId: rng.uuid().toUpperCase(),
      isFolder: file.isFolder,
      encodedAbsUrl: `${spDomain}${encodeURI(serverRelativeUrl)}`,
    },
  };
}
