// Cloud Discovery: streams (route E1 in router.ts), categories (E2), upload initiate/finalize
// (E3/E5) and block scripts (E6). The PUT of the log itself goes to blob-server.ts.
import { isObject, JsonObject } from '../jwt';
import { Rng } from '../data/random';
import { ApiRequest, ApiResult, badRequest, ok } from './types';
import { pageWindow } from './paging';

// Union of the 2021 and current source lists of the upload call: the service may accept either.
const SOURCES_2025 = 'BLUECOAT BARRACUDA BARRACUDA_NEXT_GEN_FW BARRACUDA_NEXT_GEN_FW_WEBLOG BARRACUDA_SYSLOG BLUECOAT_SYSLOG CHECKPOINT CHECKPOINT_CEF_SYSLOG CHECKPOINT_SMART_VIEW_TRACKER CHECKPOINT_XML CISCO_ASA CISCO_ASA_FIREPOWER_SYSLOG CISCO_ASA_SYSLOG CISCO_FIREPOWER_V6_SYSLOG CISCO_FWSM CISCO_FWSM_SYSLOG CISCO_IRONPORT_PROXY CISCO_IRONPORT_PROXY_SYSLOG CISCO_IRONPORT_WSA_II CISCO_IRONPORT_WSA_III CISCO_SCAN_SAFE CLAVISTER_SYSLOG CONTENTKEEPER_SYSLOG CORRATA FORCEPOINT FORCEPOINT_LEEF_SYSLOG FORTIGATE FORTIGATE_SYSLOG FORTIOS_SYSLOG GENERIC_CEF GENERIC_CEF_SYSLOG GENERIC_LEEF GENERIC_LEEF_SYSLOG GENERIC_W3C GENERIC_W3C_SYSLOG I_FILTER I_FILTER_SYSLOG IBOSS JUNIPER_SRX_SD_SYSLOG JUNIPER_SRX_SYSLOG JUNIPER_SRX_WELF_SYSLOG JUNIPER_SSG_SYSLOG MACHINE_ZONE_MERAKI MACHINE_ZONE_MERAKI_SYSLOG MCAFEE_SWG MCAFEE_SWG_SYSLOG MENLO_SECURITY_CEF MICROSOFT_ISA_W3C OPEN_SYSTEMS_SECURE_WEB_GATEWAY PALO_ALTO PALO_ALTO_LEEF PALO_ALTO_LEEF_SYSLOG PALO_ALTO_SYSLOG SONICWALL_SYSLOG SOPHOS_CYBEROAM_SYSLOG SOPHOS_SG SOPHOS_SG_SYSLOG SOPHOS_XG SOPHOS_XG_SYSLOG SQUID SQUID_NATIVE SQUID_NATIVE_SYSLOG STORMSHIELD_SYSLOG WANDERA_SYSLOG WATCHGUARD_XTM_SYSLOG WEBSENSE_SIEM_CEF_SYSLOG WEBSENSE_V7_5 ZSCALER ZSCALER_CEF_SYSLOG ZSCALER_QRADAR_SYSLOG ZSCALER_SYSLOG';
const SOURCES_2021_EXTRA = 'CISCO_ASA_FIREPOWER CLAVISTER CUSTOM_PARSER FORCEPOINT_LEEF JUNIPER_SRX JUNIPER_SRX_SD JUNIPER_SRX_WELF JUNIPER_SSG SOPHOS_CYBEROAM STORMSHIELD WEBSENSE_SIEM_CEF ZSCALER_CEF ZSCALER_QRADAR';
export const UPLOAD_SOURCES = new Set([...SOURCES_2025.split(' '), ...SOURCES_2021_EXTRA.split(' ')]);

const CATEGORIES = 'ACCOUNTING_AND_FINANCE ADVERTISING BUSINESS_INTELLIGENCE BUSINESS_MANAGEMENT CLOUD_COMPUTING_PLATFORM CLOUD_STORAGE CODE_HOSTING COLLABORATION COMMUNICATIONS CONSUMER CONTENT_MANAGEMENT CONTENT_SHARING CRM CUSTOMER_SUPPORT DATA_ANALYTICS DEVELOPMENT_TOOLS ECOMMERCE EDUCATION FORUMS HEALTH HOSTING_SERVICES HUMAN_RESOURCE_MANAGEMENT IT_SERVICES MARKETING MEDIA NEWS_AND_ENTERTAINMENT ONLINE_MEETINGS OPERATIONS_MANAGEMENT PERSONAL_INSTANT_MESSAGING PRODUCT_DESIGN PRODUCTIVITY PROJECT_MANAGEMENT SALES SECURITY SOCIAL_NETWORK WEBMAIL'.split(' ');

export function listStreams(req: ApiRequest): ApiResult {
  // The doc example is one object; Microsoft's module reads `streams`.
  return ok({ streams: req.tenant.streams });
}

export function listCategories(req: ApiRequest): ApiResult {
  const p = req.params;
  const streamId = typeof p.streamId === 'string' ? p.streamId : undefined;
  if (!streamId) return badRequest('streamId is required');
  if (!req.tenant.streams.some((s) => s._id === streamId)) return badRequest(`streamId ${streamId.slice(0, 40)} is not valid`);
  const rng = new Rng(`${req.tenant.ctx.seed}:categories:${streamId}:${String(p.timeFrame ?? '')}`);
  let rows: JsonObject[] = CATEGORIES.map((c) => ({ id: `SAASDB_CATEGORY_${c}`, total: rng.int(40) }));
  const filters = isObject(p.filters) ? p.filters : {};
  const wanted = Object.values(filters).flatMap((f) => (isObject(f) && f.eq !== undefined ? (Array.isArray(f.eq) ? f.eq : [f.eq]) : [])).map(String);
  if (wanted.length > 0) rows = rows.filter((r) => wanted.includes(String(r.id)));
  if (p.sortField === 'score') {
    const dir = String(p.sortDirection ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
    rows.sort((a, b) => (Number(a.total) - Number(b.total)) * dir);
  }
  const w = pageWindow(p, 1000, 1000);
  // Categories come as a bare array, not the usual list envelope.
  return ok(rows.slice(w.skip, w.skip + w.limit));
}

export function initiateUpload(req: ApiRequest, identityUrl: string): ApiResult {
  const filename = req.query.get('filename') ?? (typeof req.params.filename === 'string' ? req.params.filename : '');
  const source = req.query.get('source') ?? (typeof req.params.source === 'string' ? req.params.source : '');
  if (!filename || /[\\/]/.test(filename) || filename.length > 255) return badRequest('filename is not valid');
  if (!UPLOAD_SOURCES.has(source.toUpperCase())) return badRequest(`source ${source.slice(0, 60)} is not valid`);
  const record = req.tenant.blobs.issue(identityUrl, req.tenant.name, filename, source.toUpperCase(), req.tenant.now());
  return ok({ url: record.url, provider: 'azure' });
}

export function finalizeUpload(req: ApiRequest): ApiResult {
  const p = req.params;
  const uploadUrl = typeof p.uploadUrl === 'string' ? p.uploadUrl : '';
  if (!uploadUrl) return badRequest('uploadUrl is required');
  const record = req.tenant.blobs.findByUrl(uploadUrl);
  if (!record || record.tenantName !== req.tenant.name) return badRequest('uploadUrl was not issued for this tenant');
  if (!record.committed) return badRequest('The uploaded file was not found');
  if (record.finalized) return badRequest('This upload was already finalized');
  record.finalized = true;
  record.inputStreamName = typeof p.inputStreamName === 'string' ? p.inputStreamName : undefined;
  record.uploadAsSnapshot = p.uploadAsSnapshot === true || p.uploadAsSnapshot === 'true';
  return ok({ success: true, uploadId: record.name.split('/')[0], size: record.size });
}

const BANNED_DOMAINS = ['dropbox-clone.example', 'filesharing.example', 'anonymous-proxy.example', 'torrent-tracker.example', 'pastebin-like.example'];

/** Block script formats; 102 and 135 follow the documented examples, the rest are plausible rule lines. */
const BLOCK_FORMATS: Record<number, (d: string, i: number) => string> = {
  102: (d) => `url.domain=${d} deny`,
  104: (d, i) => `access-list MDCA_BLOCK extended deny ip any host ${d} ! rule ${i + 1}`,
  108: (d, i) => `edit ${i + 1}\n  set url "${d}"\n  set action block\nnext`,
  112: (d) => `*.${d}\n${d}`,
  120: (d) => `${d}`,
  129: (d, i) => `set security policies from-zone trust to-zone untrust policy mdca-block-${i + 1} match destination-address ${d} then deny`,
  135: (d) => `dest_host=${d} action=deny`,
};

export function blockScript(req: ApiRequest): ApiResult {
  const format = Number(req.query.get('format') ?? req.params.format);
  const type = req.query.get('type') ?? (typeof req.params.type === 'string' ? req.params.type : 'banned');
  const render = BLOCK_FORMATS[format];
  if (!Number.isInteger(format) || !render) return badRequest(`format ${String(req.query.get('format') ?? '').slice(0, 20)} is not valid`);
  if (type !== 'banned') return badRequest(`type ${type.slice(0, 20)} is not valid`);
  return { status: 200, text: BANNED_DOMAINS.map(render).join('\n') + '\n', contentType: 'text/plain; charset=utf-8' };
}
