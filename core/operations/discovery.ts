// Cloud Discovery: continuous reports (streams), report categories, the
// three-step log upload (initiate, PUT to storage, finalize) and block scripts.
import { MdcaProtocolError, MdcaValidationError } from '../errors';
import { API } from './common';
import { declaredRequest } from './declared-request';
import type { OperationExecution, OperationImplementation, OperationInput, OperationInputValues, OperationOutcome } from './types';

const DISCOVERY_READ = ['Discovery.read', 'Discovery.manage'] as const;
const DISCOVERY_MANAGE = ['Discovery.manage'] as const;

/** The union of the 2021 and current `source` lists of the upload call: the service may accept either. */
export const DISCOVERY_LOG_SOURCES = [
  'BARRACUDA', 'BARRACUDA_NEXT_GEN_FW', 'BARRACUDA_NEXT_GEN_FW_WEBLOG', 'BARRACUDA_SYSLOG', 'BLUECOAT', 'BLUECOAT_SYSLOG',
  'CHECKPOINT', 'CHECKPOINT_CEF_SYSLOG', 'CHECKPOINT_SMART_VIEW_TRACKER', 'CHECKPOINT_XML', 'CISCO_ASA', 'CISCO_ASA_FIREPOWER',
  'CISCO_ASA_FIREPOWER_SYSLOG', 'CISCO_ASA_SYSLOG', 'CISCO_FIREPOWER_V6_SYSLOG', 'CISCO_FWSM', 'CISCO_FWSM_SYSLOG',
  'CISCO_IRONPORT_PROXY', 'CISCO_IRONPORT_PROXY_SYSLOG', 'CISCO_IRONPORT_WSA_II', 'CISCO_IRONPORT_WSA_III', 'CISCO_SCAN_SAFE',
  'CLAVISTER', 'CLAVISTER_SYSLOG', 'CONTENTKEEPER_SYSLOG', 'CORRATA', 'CUSTOM_PARSER', 'FORCEPOINT', 'FORCEPOINT_LEEF',
  'FORCEPOINT_LEEF_SYSLOG', 'FORTIGATE', 'FORTIGATE_SYSLOG', 'FORTIOS_SYSLOG', 'GENERIC_CEF', 'GENERIC_CEF_SYSLOG', 'GENERIC_LEEF',
  'GENERIC_LEEF_SYSLOG', 'GENERIC_W3C', 'GENERIC_W3C_SYSLOG', 'I_FILTER', 'I_FILTER_SYSLOG', 'IBOSS', 'JUNIPER_SRX', 'JUNIPER_SRX_SD',
  'JUNIPER_SRX_SD_SYSLOG', 'JUNIPER_SRX_SYSLOG', 'JUNIPER_SRX_WELF', 'JUNIPER_SRX_WELF_SYSLOG', 'JUNIPER_SSG', 'JUNIPER_SSG_SYSLOG',
  'MACHINE_ZONE_MERAKI', 'MACHINE_ZONE_MERAKI_SYSLOG', 'MCAFEE_SWG', 'MCAFEE_SWG_SYSLOG', 'MENLO_SECURITY_CEF', 'MICROSOFT_ISA_W3C',
  'OPEN_SYSTEMS_SECURE_WEB_GATEWAY', 'PALO_ALTO', 'PALO_ALTO_LEEF', 'PALO_ALTO_LEEF_SYSLOG', 'PALO_ALTO_SYSLOG', 'SONICWALL_SYSLOG',
  'SOPHOS_CYBEROAM', 'SOPHOS_CYBEROAM_SYSLOG', 'SOPHOS_SG', 'SOPHOS_SG_SYSLOG', 'SOPHOS_XG', 'SOPHOS_XG_SYSLOG', 'SQUID',
  'SQUID_NATIVE', 'SQUID_NATIVE_SYSLOG', 'STORMSHIELD', 'STORMSHIELD_SYSLOG', 'WANDERA_SYSLOG', 'WATCHGUARD_XTM_SYSLOG',
  'WEBSENSE_SIEM_CEF', 'WEBSENSE_SIEM_CEF_SYSLOG', 'WEBSENSE_V7_5', 'ZSCALER', 'ZSCALER_CEF', 'ZSCALER_CEF_SYSLOG', 'ZSCALER_QRADAR',
  'ZSCALER_QRADAR_SYSLOG', 'ZSCALER_SYSLOG',
] as const;

export const BLOCK_SCRIPT_FORMATS = [
  { name: 'Blue Coat ProxySG', value: 102 },
  { name: 'Cisco ASA', value: 104 },
  { name: 'Fortinet FortiGate', value: 108 },
  { name: 'Juniper SRX', value: 129 },
  { name: 'Palo Alto', value: 112 },
  { name: 'Websense', value: 135 },
  { name: 'Zscaler', value: 120 },
] as const;

/** Azure Blob storage accepts a single PUT below 64 MB; larger files go as blocks. */
export const SINGLE_PUT_LIMIT_BYTES = 64 * 1024 * 1024;
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;
const BLOCK_SIZE_BYTES = 8 * 1024 * 1024;

const streamIdInput: OperationInput = {
  name: 'streamId',
  displayName: 'Continuous Report ID',
  type: 'string',
  format: 'objectId',
  required: true,
  description: 'The id of the continuous report (from List Continuous Reports).',
};

function blockId(index: number): string {
  // Azure block ids: base64 of equal-length strings.
  return btoa(`block-${String(index).padStart(6, '0')}`);
}

// A sequence: initiate, storage, finalize.
const uploadLogOperation: OperationImplementation = {
  definition: {
    resource: 'discovery',
    operation: 'uploadLog',
    id: 'discovery.uploadLog',
    displayName: 'Upload Log',
    action: 'Upload a traffic log',
    description: 'Uploads a firewall or proxy log for Cloud Discovery: initiate, upload to storage (in blocks above 64 MB), finalize.',
    permissions: DISCOVERY_MANAGE,
    access: 'nonIdempotentWrite',
    // The finalize call is the write the operation's access describes; initiate only reads.
    http: { method: 'POST', path: `${API}/discovery/done_upload/` },
    steps: { initiate: { method: 'GET', path: `${API}/discovery/upload_url/?filename={fileName}&source={source}`, access: 'read' } },
    callText: 'GET /api/v1/discovery/upload_url/ → PUT storage → POST /api/v1/discovery/done_upload/',
    paging: 'none',
    output: 'result',
    inputs: [
      { name: 'content', displayName: 'Log File', type: 'binary', required: true, description: 'The log file contents (binary property in n8n, a Buffer or string in Node-RED).' },
      { name: 'fileName', displayName: 'File Name', type: 'string', format: 'fileName', required: true, maxLength: 255, description: 'Name of the log file, e.g. proxy-2026-01-31.log.' },
      { name: 'source', displayName: 'Log Format', type: 'options', required: true, options: DISCOVERY_LOG_SOURCES.map((s) => ({ name: s, value: s })), description: 'The appliance log format.' },
      { name: 'inputStreamName', displayName: 'Data Source Name', type: 'string', required: true, maxLength: 256, description: 'The data source as named under Settings > Cloud Apps > Cloud Discovery > Automatic log upload.' },
      { name: 'uploadAsSnapshot', displayName: 'Upload as Snapshot Report', type: 'boolean', default: false, group: 'options', description: 'Create a snapshot report named after the data source instead of feeding the continuous report.' },
    ],
  },
  run: uploadLog,
};

export const discoveryOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'discovery',
      operation: 'listStreams',
      id: 'discovery.listStreams',
      displayName: 'List Continuous Reports',
      action: 'List continuous reports',
      description: 'Lists the tenant\'s Cloud Discovery continuous reports (streams).',
      permissions: DISCOVERY_READ,
      access: 'read',
      http: { method: 'GET', path: '/api/discovery/streams/' },
      paging: 'none',
      output: 'items',
      inputs: [],
    },
    answer(answer, _, exec) {
      const data = answer as { streams?: unknown } | unknown[];
      // Real service: {"streams": [...]}; the doc example shows one bare object.
      const streams = Array.isArray(data) ? data : Array.isArray((data as { streams?: unknown } | null)?.streams) ? ((data as { streams: unknown[] }).streams) : data && typeof data === 'object' ? [data] : [];
      return { kind: 'pages', pages: single(streams.slice(0, exec.maxItems)) };
    },
  },
  {
    definition: {
      resource: 'discovery',
      operation: 'listCategories',
      id: 'discovery.listCategories',
      displayName: 'List Report Categories',
      action: 'List categories of a continuous report',
      description: 'Lists the app categories of a continuous report with the number of apps in each.',
      permissions: DISCOVERY_READ,
      access: 'read',
      http: { method: 'POST', path: `${API}/discovery/discovered_apps/categories/` },
      paging: 'none',
      output: 'items',
      inputs: [
        streamIdInput,
        { name: 'timeFrame', displayName: 'Time Frame (Days)', type: 'options', group: 'options', options: [{ name: '7 Days', value: 7 }, { name: '30 Days', value: 30 }, { name: '90 Days', value: 90 }], description: 'Report window.' },
      ],
    },
    request: { body: categoriesBody },
    answer(data, _, exec) {
      // A bare array (unlike the other lists); tolerate an envelope too.
      const items = Array.isArray(data) ? data : Array.isArray((data as { data?: unknown })?.data) ? (data as { data: unknown[] }).data : undefined;
      if (!items) throw new MdcaProtocolError('MDCA answered List Report Categories without a list.', 'Check the continuous report id.', { operation: 'discovery.listCategories' });
      return { kind: 'pages', pages: single(items.slice(0, exec.maxItems)) };
    },
  },
  uploadLogOperation,
  {
    definition: {
      resource: 'discovery',
      operation: 'generateBlockScript',
      id: 'discovery.generateBlockScript',
      displayName: 'Generate Block Script',
      action: 'Generate a block script',
      description: 'Generates a script that blocks unsanctioned apps on your appliance.',
      permissions: DISCOVERY_MANAGE,
      access: 'read',
      http: { method: 'GET', path: '/api/discovery_block_scripts/?format={format}&type=banned' },
      paging: 'none',
      output: 'text',
      inputs: [{ name: 'format', displayName: 'Appliance', type: 'options', required: true, options: BLOCK_SCRIPT_FORMATS, description: 'The appliance the script is for.' }],
    },
    answer: (data, input) => ({ kind: 'text', text: data as string, fileName: `mdca-block-script-${String(input.format)}.txt`, mimeType: 'text/plain' }),
  },
];

function categoriesBody(input: OperationInputValues): Record<string, unknown> {
  const body: Record<string, unknown> = { streamId: input.streamId, skip: 0, limit: 100 };
  if (input.timeFrame !== undefined) body.timeFrame = input.timeFrame;
  return body;
}

/** Initiate (declared step), PUT to storage (one or in blocks), finalize (the declared call). */
async function uploadLog(exec: OperationExecution, input: OperationInputValues): Promise<OperationOutcome> {
  const content = input.content;
  if (!(content instanceof Uint8Array)) throw new MdcaValidationError('content', '"Log File" must be binary data.', 'Pass the file as binary data (n8n binary property, Node-RED Buffer).');
  if (content.byteLength === 0) throw new MdcaValidationError('content', '"Log File" is empty.', 'Upload a log file with data.');
  if (content.byteLength > MAX_UPLOAD_BYTES) throw new MdcaValidationError('content', '"Log File" is larger than the 5 GB MDCA accepts.', 'Split the log.');
  const initiate = await exec.pipeline.send<{ url?: unknown; provider?: unknown }>(declaredRequest(uploadLogOperation, input, { step: 'initiate' }), exec.ctx);
  const url = initiate.data?.url;
  const provider = initiate.data?.provider === 'aws' ? 'aws' : 'azure';
  if (typeof url !== 'string') throw new MdcaProtocolError('MDCA did not return an upload URL.', 'Retry later.', { operation: 'discovery.uploadLog' });
  let blocks = 0;
  const limit = exec.uploadSinglePutLimitBytes ?? SINGLE_PUT_LIMIT_BYTES;
  if (provider === 'azure' && content.byteLength >= limit) {
    const ids: string[] = [];
    const blockSize = Math.min(BLOCK_SIZE_BYTES, Math.max(1, Math.ceil(limit / 2)));
    for (let offset = 0; offset < content.byteLength; offset += blockSize) {
      const id = blockId(ids.length);
      await exec.storage.put(`${url}${url.includes('?') ? '&' : '?'}comp=block&blockid=${encodeURIComponent(id)}`, content.subarray(offset, offset + blockSize), {}, exec.ctx);
      ids.push(id);
    }
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
    await exec.storage.put(`${url}${url.includes('?') ? '&' : '?'}comp=blocklist`, new TextEncoder().encode(list), { 'content-type': 'application/xml' }, exec.ctx);
    blocks = ids.length;
  } else {
    await exec.storage.put(url, content, provider === 'azure' ? { 'x-ms-blob-type': 'BlockBlob' } : {}, exec.ctx);
  }
  const body: Record<string, unknown> = { uploadUrl: url, inputStreamName: input.inputStreamName };
  if (input.uploadAsSnapshot === true) body.uploadAsSnapshot = true;
  const done = await exec.pipeline.send<unknown>(declaredRequest(uploadLogOperation, input, { json: body }), exec.ctx);
  return { kind: 'result', result: { fileName: input.fileName, source: input.source, bytes: content.byteLength, blocks, provider, finalized: true, response: done.data } };
}

async function* single(items: unknown[]) {
  yield { items, index: 1, total: items.length, hasNext: false };
}
