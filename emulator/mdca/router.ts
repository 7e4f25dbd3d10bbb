// The MDCA path table. Paths are matched after removing the `/cas` prefix and a trailing slash
// (the docs and clients use both forms), so every endpoint answers under both prefixes, with and
// without the slash.
import { activityFeedback, fetchActivity, listActivities } from './activities';
import { closeAlerts, dismissOne, fetchAlert, listAlerts, markAlert, reopenAlerts } from './alerts';
import { REQUIRED } from './auth';
import { blockScript, finalizeUpload, initiateUpload, listCategories, listStreams } from './discovery';
import { fetchEntity, fetchEntityTree, listEntities } from './entities';
import { fetchFile, listFiles } from './files';
import { createSubnet, deleteSubnet, fetchSubnet, listSubnets, updateSubnet } from './subnets';
import { ApiRequest, ApiResult } from './types';

export interface RouteContext {
  identityUrl: string;
}
export interface Route {
  id: string;
  methods: readonly string[];
  pattern: RegExp;
  permission: readonly string[];
  handle: (req: ApiRequest, ctx: RouteContext) => ApiResult;
}

const LIST = ['GET', 'POST'];
// Older docs show fetches with -XPOST; accept it.
const FETCH = ['GET', 'POST'];
const POST = ['POST'];
const SEG = '([^/]+)';

export const ROUTES: Route[] = [
  { id: 'A1', methods: LIST, pattern: /^\/api\/v1\/activities$/, permission: REQUIRED.activities, handle: listActivities },
  { id: 'A3', methods: POST, pattern: new RegExp(`^/api/v1/activities/${SEG}/feedback$`), permission: REQUIRED.activities, handle: activityFeedback },
  { id: 'A2', methods: FETCH, pattern: new RegExp(`^/api/v1/activities/${SEG}$`), permission: REQUIRED.activities, handle: fetchActivity },
  { id: 'B1', methods: LIST, pattern: /^\/api\/v1\/alerts$/, permission: REQUIRED.alertsRead, handle: listAlerts },
  { id: 'B3', methods: POST, pattern: /^\/api\/v1\/alerts\/close_benign$/, permission: REQUIRED.alertsClose, handle: (r) => closeAlerts(r, 'benign') },
  { id: 'B4', methods: POST, pattern: /^\/api\/v1\/alerts\/close_false_positive$/, permission: REQUIRED.alertsClose, handle: (r) => closeAlerts(r, 'false_positive') },
  { id: 'B5', methods: POST, pattern: /^\/api\/v1\/alerts\/close_true_positive$/, permission: REQUIRED.alertsClose, handle: (r) => closeAlerts(r, 'true_positive') },
  { id: 'B8', methods: POST, pattern: /^\/api\/v1\/alerts\/dismiss_bulk$/, permission: REQUIRED.alertsClose, handle: (r) => closeAlerts(r, 'false_positive', 'dismissed') },
  { id: 'B9', methods: POST, pattern: /^\/api\/v1\/alerts\/resolve$/, permission: REQUIRED.alertsClose, handle: (r) => closeAlerts(r, 'true_positive', 'resolved') },
  { id: 'reopen', methods: POST, pattern: /^\/api\/v1\/alerts\/reopen$/, permission: REQUIRED.alertsClose, handle: reopenAlerts },
  { id: 'B6', methods: POST, pattern: new RegExp(`^/api/v1/alerts/${SEG}/read$`), permission: REQUIRED.alertsRead, handle: (r) => markAlert(r, true) },
  { id: 'B7', methods: POST, pattern: new RegExp(`^/api/v1/alerts/${SEG}/unread$`), permission: REQUIRED.alertsRead, handle: (r) => markAlert(r, false) },
  { id: 'B10', methods: POST, pattern: new RegExp(`^/api/v1/alerts/${SEG}/dismiss$`), permission: REQUIRED.alertsClose, handle: dismissOne },
  { id: 'B2', methods: FETCH, pattern: new RegExp(`^/api/v1/alerts/${SEG}$`), permission: REQUIRED.alertsRead, handle: fetchAlert },
  { id: 'C1', methods: LIST, pattern: /^\/api\/v1\/entities$/, permission: REQUIRED.entities, handle: listEntities },
  // Standard base64 pks may contain `/`, so the pk is everything up to the suffix.
  { id: 'C3', methods: FETCH, pattern: /^\/api\/v1\/entities\/(.+)\/retrieve_tree$/, permission: REQUIRED.entities, handle: fetchEntityTree },
  { id: 'C2', methods: FETCH, pattern: /^\/api\/v1\/entities\/(.+)$/, permission: REQUIRED.entities, handle: fetchEntity },
  // The `/api/subnet/` alias shown in the API introduction's table.
  { id: 'D1', methods: LIST, pattern: /^\/api(?:\/v1)?\/subnet$/, permission: REQUIRED.subnetRead, handle: listSubnets },
  { id: 'D2', methods: POST, pattern: /^\/api(?:\/v1)?\/subnet\/create_rule$/, permission: REQUIRED.subnetWrite, handle: createSubnet },
  { id: 'D3', methods: POST, pattern: new RegExp(`^/api(?:/v1)?/subnet/${SEG}/update_rule$`), permission: REQUIRED.subnetWrite, handle: updateSubnet },
  { id: 'D4', methods: ['DELETE'], pattern: new RegExp(`^/api(?:/v1)?/subnet/${SEG}$`), permission: REQUIRED.subnetWrite, handle: deleteSubnet },
  { id: 'D-fetch', methods: ['GET'], pattern: new RegExp(`^/api(?:/v1)?/subnet/${SEG}$`), permission: REQUIRED.subnetRead, handle: fetchSubnet },
  // Streams and block scripts are documented without `v1`.
  { id: 'E1', methods: LIST, pattern: /^\/api(?:\/v1)?\/discovery\/streams$/, permission: REQUIRED.discoveryRead, handle: listStreams },
  { id: 'E2', methods: LIST, pattern: /^\/api\/v1\/discovery\/discovered_apps\/categories$/, permission: REQUIRED.discoveryRead, handle: listCategories },
  { id: 'E3', methods: ['GET'], pattern: /^\/api\/v1\/discovery\/upload_url$/, permission: REQUIRED.discoveryManage, handle: (r, c) => initiateUpload(r, c.identityUrl) },
  { id: 'E5', methods: POST, pattern: /^\/api\/v1\/discovery\/done_upload$/, permission: REQUIRED.discoveryManage, handle: finalizeUpload },
  { id: 'E6', methods: ['GET'], pattern: /^\/api\/(?:discovery\/)?discovery_block_scripts$/, permission: REQUIRED.discoveryManage, handle: blockScript },
  { id: 'F1', methods: LIST, pattern: /^\/api\/v1\/files$/, permission: REQUIRED.files, handle: listFiles },
  { id: 'F2', methods: FETCH, pattern: new RegExp(`^/api/v1/files/${SEG}$`), permission: REQUIRED.files, handle: fetchFile },
];

export function normalizePath(pathname: string): string {
  let p = pathname.replace(/\/{2,}/g, '/');
  if (p.startsWith('/cas/api/') || p === '/cas/api') p = p.slice(4);
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p;
}

export type RouteMatch = { route: Route; match: RegExpExecArray } | { methodNotAllowed: true } | undefined;

export function findRoute(method: string, path: string): RouteMatch {
  let pathKnown = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.methods.includes(method)) return { route, match };
    pathKnown = true;
  }
  return pathKnown ? { methodNotAllowed: true } : undefined;
}
