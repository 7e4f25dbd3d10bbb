'use strict';
// Turns the example flows in examples/node-red/ into one deployable flow set: one tab per example,
// a single shared "mdca-config" node pointing at the given connection, with its secret supplied
// as credentials (Node-RED stores them encrypted in flows_cred.json). Used by the demo
// (scripts/demo.js) and the end-to-end tests (test/e2e-node-red).
const fs = require('fs');
const path = require('path');

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples', 'node-red');

function exampleFiles(dir = EXAMPLES_DIR) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
}

/**
 * connection: { apiUrl, tenantId, clientId, clientSecret, allowHosts[], authorityHost, caPem, xdrApiUrl?, graphApiUrl?, mdeApiUrl?, requestsPerMinute?, xdrRequestsPerMinute? }
 * (xdrApiUrl, graphApiUrl, mdeApiUrl: the emulator's Defender XDR, Microsoft Graph (with Entra ID) and
 * Defender for Endpoint listeners, used by the XDR, Graph and response examples; their hosts must be
 * in allowHosts).
 * allowHosts, authorityHost and caPem are not part of the flow: a connection cannot allow a host.
 * They go into Node-RED's settings.js (operatorSettings below), which only the operator edits.
 * Returns the flows array for POST /flows.
 */
function buildDemoFlows(connection, dir = EXAMPLES_DIR) {
  const flows = [];
  let config;
  for (const file of exampleFiles(dir)) {
    const nodes = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const tabId = `tab-${path.basename(file, '.json')}`;
    flows.push({ id: tabId, type: 'tab', label: path.basename(file, '.json').replace(/-/g, ' '), disabled: false, info: '' });
    for (const node of nodes) {
      if (node.type === 'mdca-config') {
        if (!config) config = { ...node };
        continue;
      }
      flows.push({ ...node, z: tabId });
    }
  }
  if (!config) throw new Error('no mdca-config node in the examples');
  flows.push({
    ...config,
    name: 'MDCA emulator (contoso)',
    apiUrl: connection.apiUrl,
    authKind: 'appSecret',
    tenantId: connection.tenantId,
    clientId: connection.clientId,
    xdrApiUrl: connection.xdrApiUrl || '',
    graphApiUrl: connection.graphApiUrl || '',
    mdeApiUrl: connection.mdeApiUrl || '',
    xdrRequestsPerMinute: connection.xdrRequestsPerMinute === undefined ? '' : String(connection.xdrRequestsPerMinute),
    requestsPerMinute: connection.requestsPerMinute === undefined ? '' : String(connection.requestsPerMinute),
    credentials: { clientSecret: connection.clientSecret },
  });
  return flows;
}

/** The connection for tenant `contoso` of a running emulator (in-process object or CLI state file JSON). */
function emulatorConnection(state, caPem, tenant = 'contoso') {
  const t = state.tenants[tenant];
  return {
    apiUrl: t.apiUrl,
    tenantId: t.tenantId,
    clientId: t.credentials.apps.full.clientId,
    clientSecret: t.credentials.apps.full.clientSecret,
    allowHosts: [new URL(t.apiUrl).host, state.identityHost, ...[t.xdrApiUrl, t.graphApiUrl, t.mdeApiUrl].filter(Boolean).map((u) => new URL(u).host)],
    authorityHost: state.identityUrl,
    caPem,
    xdrApiUrl: t.xdrApiUrl || '',
    graphApiUrl: t.graphApiUrl || '',
    mdeApiUrl: t.mdeApiUrl || '',
  };
}

/**
 * The settings.js entry that lets this Node-RED reach the emulator: the operator's switch, because
 * no flow or credential field may choose where a secret goes (threat model in docs/reliability.md).
 */
function operatorSettings(connection) {
  return { mdcaLowcode: { allowTestHosts: (connection.allowHosts || []).join(','), testAuthorityHost: connection.authorityHost || '', testCaPem: connection.caPem || '' } };
}

module.exports = { buildDemoFlows, emulatorConnection, exampleFiles, operatorSettings, EXAMPLES_DIR };
