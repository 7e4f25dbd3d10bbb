// What each Node-RED node's editor files say beyond the registry: palette label, colour, the
// watch nodes' feeds and defaults, and the help prose. The operation lists, field names and
// permissions are not written here: render-editor-files.ts takes them from the registries.
import { GRAPH_FEED_OWNED_INPUTS, GRAPH_INCIDENT_FEED_OWNED_INPUTS } from '../../core/graph/feed';
import { escapeHtml } from './escape';
import { ERROR_SUMMARY, LIST_META, operationOverride } from './help-fragments';
import { RESPONSE_NODES } from './response-node-declarations';
import type { OperationService } from '../lib/node-types';

/** What a help body can draw from the registry. */
export interface HelpContext {
  resource: string;
  /** The operation the help uses as its msg.operation example (always one of the registry's). */
  example: string;
  /** The rendered `<ul>` of the resource's operations. */
  operations: string;
}

export interface OperationNodeDeclaration {
  kind: 'operation';
  type: string;
  resource: string;
  service: OperationService;
  paletteLabel: string;
  color: string;
  /** Defaults to the resource's first operation, which is also the node's default operation. */
  exampleOperation?: string;
  help(ctx: HelpContext): string;
}

export interface WatchNodeDeclaration {
  kind: 'watch';
  type: string;
  service: 'mdca' | 'xdr' | 'graph';
  paletteLabel: string;
  color: string;
  defaultEvent: string;
  /** The node's label per feed (its events are the feeds of its service). */
  eventNames: Record<string, string>;
  maxPerPoll: number;
  /** Passed to MdcaEditor.prepareWatch/saveWatch, with the reason the node needs them. */
  editorOptions?: { name: string; value: string; why: string };
  help: string;
}

const MDCA_COLOR = '#9FC4F0';
const XDR_COLOR = '#C0B4F0';
const GRAPH_COLOR = '#A8DCD1';

const TYPED_FIELDS = `each can take its value from the
    editor, <code>msg</code>, flow/global context, an environment variable or a JSONata expression.</p>`;

function mdcaIntro(what: string): string {
  return `    <p>Runs ${what}. Fields come from the same operation registry as the n8n node; ${TYPED_FIELDS}`;
}

function mdcaInputs(ctx: HelpContext): string {
  return `    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object | Buffer | string</span></dt>
        <dd>an object whose keys are field names of the selected operation overrides those fields
        (other keys are ignored), e.g. <code>{"alertIds": ["…"], "comment": "benign"}</code>.
        For a log upload, the file content.</dd>
${operationOverride(ctx)}
        <dt class="optional">maxItems <span class="property-type">number</span></dt>
        <dd>overrides <i>Max items</i> for list operations.</dd>
    </dl>`;
}

const MDCA_OUTPUTS = `    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">array | object | string</span></dt>
        <dd>list operations: the items (see <i>Output</i>); single records and results: the object;
        bulk operations: <code>{summary, items}</code>; block script: the script text.</dd>
${LIST_META}
        <dt class="optional">filename <span class="property-type">string</span></dt>
        <dd>block script only.</dd>
    </dl>`;

const OUTPUT_MODES = `    <p><b>Output</b> (list operations): <i>one message with all items</i> (<code>msg.payload</code> is an array),
    <i>one message per item</i>, or <i>one message per page</i>. The last two stream: only one page is in memory at
    a time, so 100,000 activities can be processed with <i>Max items</i> set high. <i>Max items</i> bounds every
    list (default 1000; the client allows at most 10,000,000).</p>`;

const BULK = `    <p>Bulk operations (<i>close</i>, <i>add/remove addresses</i>) report per item:
    <code>msg.payload = { summary, items: [{ id, status, message?, errorCode? }] }</code>, with
    <code>status</code> one of <code>done</code>, <code>notFound</code>, <code>failed</code>, <code>skipped</code>,
    <code>unchanged</code>.</p>`;

const MDCA_ERRORS_AND_STATUS = `    <p><b>Errors</b> go to <i>Catch</i> nodes; the error message is safe to show (no secret, no token) and
${ERROR_SUMMARY}
    Validation errors name the field and nothing is sent. A token without the permission an operation needs fails
    before sending, naming the missing permission.</p>
    <p><b>Status</b> shows progress and waits: <i>page 3 · 300 items</i>, <i>throttled · retry in 7 s</i>,
    <i>done · 42 items</i>. MDCA allows about 30 requests a minute per tenant; every node using the same connection
    shares one budget and one token cache. Stopping or redeploying the flow cancels calls in progress.</p>`;

const XDR_CONNECTION = `    <p><b>Connection</b>: the same <i>MDCA connection</i> as the MDCA nodes. Its Entra app (client secret or
    certificate) or signed-in user needs the <i>Microsoft Threat Protection</i> permissions
    (Incident.Read.All / Incident.ReadWrite.All / AdvancedHunting.Read.All for an app, Incident.Read / Incident.ReadWrite /
    AdvancedHunting.Read for a user) with admin consent; the node asks Entra ID for a token for
    <code>https://api.security.microsoft.com</code> on first use. A <b>legacy MDCA API token cannot call Defender XDR</b>:
    the node fails with a configuration error saying so. For the local emulator, set <i>Defender XDR API URL</i> in the
    connection's testing section and add its host:port to the allowed hosts.</p>`;

const XDR_ERRORS = `    <p><b>Errors</b> go to <i>Catch</i> nodes; the message is safe to show (no secret, no token) and
${ERROR_SUMMARY}
    A token without the permission an operation needs fails before sending, naming the missing permission.</p>`;

const GRAPH_CONNECTION = `    <p><b>Connection</b>: the same <i>MDCA connection</i> as the MDCA nodes. Its Entra app (client secret or
    certificate) or signed-in user needs the <i>Microsoft Graph</i> permissions SecurityAlert.Read.All /
    SecurityAlert.ReadWrite.All, SecurityIncident.Read.All / SecurityIncident.ReadWrite.All and ThreatHunting.Read.All
    (the same names for an app and a user) with admin consent; a user also needs an Entra security role (Security
    Reader to read, Security Operator or Security Administrator to write). The node asks Entra ID for a token for
    Microsoft Graph of the connection's cloud (<code>https://graph.microsoft.com</code>,
    <code>https://graph.microsoft.us</code> for GCC High) on first use. A <b>legacy MDCA API token cannot call
    Microsoft Graph</b>: the node fails with a configuration error saying so. For the local emulator, set
    <i>Microsoft Graph URL</i> in the connection's testing section.</p>`;

const GRAPH_STATUS = `    <p><b>Status</b> shows progress and waits. Microsoft Graph allows about 150 security requests per minute per app
    and tenant: every node using the same connection shares one Graph budget (140 per minute by default).</p>`;

/** The help of a Graph alert or incident node: what it acts on (HTML), a payload example and its own details. */
function graphRecordHelp(what: string, payloadExample: string, details: string): (ctx: HelpContext) => string {
  return (ctx) => `    <p>Runs an operation on Microsoft Graph security ${what}. Fields come from the Microsoft Graph security
    operation registry; each can take its value from the editor, <code>msg</code>, flow/global context, an environment
    variable or a JSONata expression.</p>
    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object</span></dt>
        <dd>an object whose keys are field names of the selected operation overrides those fields
        (other keys are ignored), e.g. <code>${payloadExample}</code>. A listed record has keys such as
        <code>status</code> and <code>classification</code>: clear <code>msg.payload</code> before an <i>Update</i> fed by a
        list.</dd>
${operationOverride(ctx)}
        <dt class="optional">maxItems <span class="property-type">number</span></dt>
        <dd>overrides <i>Max items</i> for <i>Get Many</i>.</dd>
    </dl>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">array | object</span></dt>
        <dd><i>Get Many</i>: the records (see <i>Output</i>); <i>Get</i> and <i>Update</i>: the record as Graph returns it;
        <i>Add Comment</i>: the id and every comment.</dd>
${LIST_META}
    </dl>
    <h3>Details</h3>
    <p>Operations:</p>
${ctx.operations}
${details}
    <p><b>Update</b> changes only the given fields. The allowed <i>Determination</i> values depend on the
    <i>Classification</i> (checked before sending). <b>Add Comment</b> appends a comment: it is never resent blindly
    after a lost answer (<code>OUTCOME_UNKNOWN</code>).</p>
${GRAPH_CONNECTION}
${XDR_ERRORS}
${GRAPH_STATUS}`;
}

/** The help of an MDCA operation node; `extra` is what only this resource needs explaining. */
function mdcaHelp(what: string, extra: string[] = []): (ctx: HelpContext) => string {
  return (ctx) =>
    [mdcaIntro(what), mdcaInputs(ctx), MDCA_OUTPUTS, '    <h3>Details</h3>', OUTPUT_MODES, ...extra, '    <p>Operations:</p>', ctx.operations, MDCA_ERRORS_AND_STATUS].join('\n');
}

function mdcaNode(type: string, resource: string, paletteLabel: string, help: (ctx: HelpContext) => string): OperationNodeDeclaration {
  return { kind: 'operation', type, resource, service: 'mdca', paletteLabel, color: MDCA_COLOR, help };
}

const WATCH_POSITION = (key: string, what: string) => `    <p><b>Where the position is kept</b>: in the node context (key <code>${key}</code>). With the default
    in-memory context store it is lost when Node-RED restarts, and the node starts from now again. To survive
    restarts, configure a persistent store in <code>settings.js</code>, e.g.
    <code>contextStorage: { default: { module: "localfilesystem" } }</code>, or name a persistent store in
    <i>Context store</i>. The position is saved only after the ${what} were sent.</p>`;

export const CONFIG_NODE = {
  type: 'mdca-config',
  help: `    <p>A connection to one Microsoft Defender for Cloud Apps tenant, shared by every MDCA node that uses it
    (one token cache, one request budget).</p>
    <h3>Details</h3>
    <p><b>API URL</b>: copy it from the Microsoft Defender portal, <i>Settings &gt; Cloud Apps &gt; System &gt; About</i>
    (e.g. <code>https://contoso.eu2.portal.cloudappsecurity.com</code>).</p>
    <p><b>Sign in with</b>:</p>
    <ul>
        <li><i>App: client secret</i> – an Entra ID app registration with the <i>Microsoft Cloud App Security</i>
        application permissions you need (e.g. Investigation.read, Investigation.manage) and admin consent.</li>
        <li><i>App: certificate</i> – the same app with a certificate: paste the certificate and its private key (PEM).</li>
        <li><i>User: user name and password</i> – delegated permissions, a user without MFA (legacy; prefer device code).</li>
        <li><i>User: device code sign-in</i> – click <i>Sign in with a device code</i>, open the link, enter the code and
        sign in; the refresh token is stored in this node's encrypted credentials (never shown) and renewed as it is
        used. Deploy after signing in.</li>
        <li><i>Legacy API token</i> – a token from <i>Settings &gt; Cloud Apps &gt; System &gt; API tokens</i>.</li>
        <li><i>Azure: managed identity</i> – only where Node-RED runs on Azure (VM, App Service, Container Apps, AKS):
        the system-assigned identity of the resource, or a user-assigned one by its client id, object id or resource
        id. No secret is stored. The identity endpoint is the one Azure sets in Node-RED's environment
        (<code>IDENTITY_ENDPOINT</code> and <code>IDENTITY_HEADER</code>, else the Instance Metadata Service), never a
        field of the connection. Give the identity the application permissions (app role assignments).</li>
        <li><i>Azure: workload identity</i> – AKS workload identity: the token in the file
        <code>AZURE_FEDERATED_TOKEN_FILE</code> names is exchanged for the app whose federated credential trusts it,
        read again for every token because it rotates. <b>Tenant ID</b> and <b>Client ID</b> may stay empty to use
        <code>AZURE_TENANT_ID</code> and <code>AZURE_CLIENT_ID</code>.</li>
    </ul>
    <p>Secrets (client secret, private key and passphrase, password, refresh token, API token) are stored as Node-RED
    credentials: encrypted in <code>flows_cred.json</code>, never exported with the flow, never shown in messages,
    status or logs. Set <code>credentialSecret</code> in <code>settings.js</code>.</p>
    <p><b>Test connection</b> signs in with the values in the dialog (stored secrets are used for fields you did not
    change) and lists the permissions of the token and the operations they unlock.
    <b>Check connection</b> shows, for MDCA, Defender XDR and Microsoft Graph security, who signed in, the cloud and
    API host, the permissions, the operations they unlock and those still locked with the permission each needs; with
    <i>run every read operation</i> ticked it also runs every read operation once with a small limit (never a write),
    with status, latency and budget headers. The report holds no secret and is safe to paste.</p>
    <p><b>Redis URL</b> (optional, <code>redis://host:6379/0</code> or <code>rediss://</code> for TLS), <b>Redis
    password</b> (a credential), <b>Redis TLS</b> and <b>Key prefix</b> (default <code>mdca:</code>): several Node-RED
    instances, or Node-RED beside n8n queue-mode workers, that point at the same Redis and prefix share one request
    budget per tenant and fetch one token per credential. Tokens are stored encrypted. If Redis is unreachable, each
    instance falls back to its own budget (a warning is logged) and shares again once Redis is back.</p>
    <p><b>Defender XDR</b>: the <i>XDR incident</i>, <i>XDR hunting</i> and <i>XDR watch</i> nodes use the same
    connection. With an Entra app or a user sign-in, a second token (for <code>https://api.security.microsoft.com</code>)
    is requested on first XDR use; the app needs the <i>Microsoft Threat Protection</i> permissions. <b>Test
    connection</b> also lists the Defender XDR permissions when the token has them. A legacy MDCA API token cannot call
    Defender XDR.</p>
    <p><b>Microsoft Graph security</b>: the <i>Graph alert</i>, <i>Graph incident</i>, <i>Graph hunting</i> and
    <i>Graph watch</i> nodes use the same connection too. With an Entra app or a user sign-in, a token for Microsoft Graph of the cloud is
    requested on first Graph use; the app needs the <i>Microsoft Graph</i> security permissions (SecurityAlert,
    SecurityIncident, ThreatHunting). A legacy MDCA API token cannot call Microsoft Graph.</p>
    <p><b>Response actions</b>: the <i>Entra user</i> and <i>Entra risky user</i> nodes call Microsoft Graph with
    Entra ID's own budget; the <i>MDE machine</i> and <i>MDE machine action</i> nodes ask for a token for the Defender for
    Endpoint API (<i>WindowsDefenderATP</i>) of the cloud on first use, with Defender for Endpoint's budget. Each node's
    help names the permission of each operation.</p>
    <p><b>Testing (local emulator only)</b>: the <b>Defender XDR API URL</b> of the emulator's XDR listener, the
    <b>Microsoft Graph URL</b> of its Graph listener (Entra ID users too) and the <b>Defender for Endpoint API URL</b> of
    its MDE listener. Test hosts,
    an identity endpoint override and extra trusted CAs are never part of a connection: only whoever runs Node-RED
    switches them on, with <code>MDCA_ALLOW_TEST_HOSTS</code>, <code>MDCA_TEST_AUTHORITY_HOST</code> and
    <code>NODE_EXTRA_CA_CERTS</code> or <code>mdcaLowcode</code> in <code>settings.js</code>. Leave empty for a real
    tenant: only MDCA and Entra ID hosts are allowed.</p>`,
};

/** Every node but the config node, in package.json order. */
export const EDITOR_NODES: readonly (OperationNodeDeclaration | WatchNodeDeclaration)[] = [
  mdcaNode('mdca-alert', 'alert', 'MDCA alert', mdcaHelp('an operation on Microsoft Defender for Cloud Apps <b>alerts</b>', [BULK])),
  mdcaNode('mdca-activity', 'activity', 'MDCA activity', mdcaHelp('an operation on Microsoft Defender for Cloud Apps <b>activities</b>')),
  mdcaNode('mdca-entity', 'entity', 'MDCA entity', mdcaHelp('an operation on Microsoft Defender for Cloud Apps <b>entities</b> (users and accounts)')),
  mdcaNode('mdca-ip-range', 'ipRange', 'MDCA IP range', mdcaHelp('an operation on Microsoft Defender for Cloud Apps <b>IP ranges</b>', [BULK])),
  mdcaNode(
    'mdca-discovery',
    'discovery',
    'MDCA discovery',
    mdcaHelp('a Microsoft Defender for Cloud Apps <b>Cloud Discovery</b> operation', [
      `    <p><b>Upload log</b> reads the file from <code>msg.payload</code> (a Buffer, or a string sent as UTF-8) unless
    the <i>File content</i> field says otherwise. <b>Generate block script</b> returns the script text in
    <code>msg.payload</code> and its file name in <code>msg.filename</code> (wire it to a <i>file</i> node).</p>`,
    ]),
  ),
  mdcaNode('mdca-file', 'file', 'MDCA file', mdcaHelp('an operation on <b>files</b> seen by Microsoft Defender for Cloud Apps')),
  {
    kind: 'watch',
    type: 'mdca-watch',
    service: 'mdca',
    paletteLabel: 'MDCA watch',
    color: MDCA_COLOR,
    defaultEvent: 'newAlerts',
    eventNames: { newAlerts: 'new alerts', changedAlerts: 'changed alerts', newActivities: 'new activities' },
    maxPerPoll: 500,
    help: `    <p>Watches Microsoft Defender for Cloud Apps for new alerts, changed (closed or resolved) alerts or new
    activities and sends one message per record.</p>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">object</span></dt>
        <dd>the alert or activity record.</dd>
        <dt>topic <span class="property-type">string</span></dt>
        <dd><code>newAlerts</code>, <code>changedAlerts</code> or <code>newActivities</code>.</dd>
    </dl>
    <h3>Details</h3>
    <p>Every <i>interval</i> (default 60 s) the node asks for records newer than the last one delivered, looking
    <i>look back</i> minutes further back for records MDCA indexes late, and never delivers a record twice. At most
    <i>max per poll</i> records are sent per poll; the rest follow a second later.</p>
    <p><b>First run</b>: <i>from now</i> delivers only records that appear after the flow started;
    <i>include the last N hours</i> delivers the backlog first.</p>
${WATCH_POSITION('mdcaCursor', 'records')}
    <p>Filters are the same as the list operation's (alerts: severity, status, apps, policies...; activities:
    apps, users, IP addresses...). Errors are reported with <code>node.error</code> (reaching <i>Catch</i> nodes, with
    <code>msg.mdcaError</code>) and in the status; the node keeps polling. Nothing is sent after the flow stops.</p>`,
  },
  {
    kind: 'operation',
    type: 'mdca-xdr-incident',
    resource: 'incident',
    service: 'xdr',
    paletteLabel: 'XDR incident',
    color: XDR_COLOR,
    exampleOperation: 'get',
    help: (ctx) => `    <p>Runs an operation on Microsoft <b>Defender XDR incidents</b> (correlated alerts from Defender for Cloud Apps,
    Endpoint, Office 365 and Identity). Fields come from the Defender XDR operation registry; each can take its value
    from the editor, <code>msg</code>, flow/global context, an environment variable or a JSONata expression.</p>
    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object</span></dt>
        <dd>an object whose keys are field names of the selected operation overrides those fields
        (other keys are ignored), e.g. <code>{"incidentId": 42, "status": "Resolved"}</code>. Note that an incident
        object has keys such as <code>status</code> and <code>classification</code>: clear <code>msg.payload</code>
        before an <i>Update</i> fed by a list.</dd>
${operationOverride(ctx)}
        <dt class="optional">maxItems <span class="property-type">number</span></dt>
        <dd>overrides <i>Max items</i> for <i>Get Many</i>.</dd>
    </dl>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">array | object</span></dt>
        <dd><i>Get Many</i>: the incidents (see <i>Output</i>); <i>Get</i> and <i>Update</i>: the incident.</dd>
${LIST_META}
    </dl>
    <h3>Details</h3>
    <p>Operations:</p>
${ctx.operations}
    <p><b>Finding the incident of an MDCA alert</b>: <i>Get Many</i> with <i>Contains Alert ID</i> set to the MDCA alert
    <code>_id</code> (matched against the XDR alert's <code>providerAlertId</code> and the <code>ca</code>-prefixed
    <code>alertId</code>). The match is made after listing, so combine it with <i>Updated After</i> (e.g. the last 7 days).</p>
    <p><b>Update</b> changes only the given fields. The allowed <i>Determination</i> values depend on the
    <i>Classification</i> (checked before sending). A comment is appended; an update with a comment is never resent
    blindly after a lost answer.</p>
${XDR_CONNECTION}
${XDR_ERRORS}
    <p><b>Status</b> shows progress and waits. Defender XDR allows 50 incident calls per minute and 1,500 per hour per
    tenant: every node using the same connection shares one XDR budget (45 per minute by default).</p>`,
  },
  {
    kind: 'operation',
    type: 'mdca-xdr-hunting',
    resource: 'advancedHunting',
    service: 'xdr',
    paletteLabel: 'XDR hunting',
    color: XDR_COLOR,
    help: (ctx) => `    <p>Runs a Microsoft <b>Defender XDR advanced hunting</b> query (KQL) over the last 30 days of hunting data
    (<code>CloudAppEvents</code>, <code>AlertInfo</code>, <code>IdentityLogonEvents</code>, …).</p>
    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object</span></dt>
        <dd><code>{"query": "…"}</code> overrides the query.</dd>
    </dl>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">object</span></dt>
        <dd><code>{ schema: [{Name, Type}], results: [rows], stats, rowCount, truncated }</code>.</dd>
        <dt>mdca <span class="property-type">object</span></dt>
        <dd><code>operation</code>.</dd>
    </dl>
    <h3>Details</h3>
${ctx.operations}
    <p><b>Limits</b>: a query returns at most 100,000 rows and runs for at most 3 minutes; the tenant allows at least
    45 calls per minute and a CPU quota per 15-minute cycle. Each limit fails with its own message and hint
    (<code>msg.mdcaError.reason</code>: <code>badQuery</code>, <code>tooManyRows</code>, <code>timeout</code>,
    <code>callQuota</code>, <code>cpuQuota</code>).</p>
${XDR_CONNECTION}
${XDR_ERRORS}`,
  },
  {
    kind: 'watch',
    type: 'mdca-xdr-watch',
    service: 'xdr',
    paletteLabel: 'XDR watch',
    color: XDR_COLOR,
    defaultEvent: 'incidentChanges',
    eventNames: { incidentChanges: 'incident changes', newIncidents: 'new incidents' },
    maxPerPoll: 200,
    editorOptions: {
      name: 'XDR_WATCH',
      why: 'The feed owns the time window: those incident.getAll inputs are not filters here.',
      value: '{ event: "incidentChanges", skip: ["lastUpdatedAfter", "lastUpdatedBefore", "createdAfter", "createdBefore"] }',
    },
    help: `    <p>Watches Microsoft <b>Defender XDR incidents</b> and sends one message per new incident, or per new and
    updated incident.</p>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">object</span></dt>
        <dd>the incident (with its alerts).</dd>
        <dt>topic <span class="property-type">string</span></dt>
        <dd><code>incidentChanges</code> or <code>newIncidents</code>.</dd>
    </dl>
    <h3>Details</h3>
    <p><b>Event</b>: <i>new and updated incidents</i> delivers each change once (an incident updated three times is
    delivered three times, keyed by <code>incidentId</code> and <code>lastUpdateTime</code>); <i>new incidents</i>
    delivers each incident once, when it is created.</p>
    <p>Every <i>interval</i> (default 60 s) the node asks for incidents changed since the last one delivered, looking
    <i>look back</i> minutes further back for incidents indexed late, and never delivers a change twice. At most
    <i>max per poll</i> incidents are sent per poll; the rest follow a second later.</p>
    <p><b>First run</b>: <i>from now</i> delivers only changes after the flow started; <i>include the last N
    hours</i> delivers the backlog first (at most 30 days).</p>
${WATCH_POSITION('xdrCursor', 'incidents')}
    <p>Filters are those of the incident list: status, assigned to, a raw OData filter and <i>Contains Alert ID</i>
    (the time window belongs to the watcher). Errors are reported with <code>node.error</code> (reaching
    <i>Catch</i> nodes, with <code>msg.mdcaError</code>) and in the status; the node keeps polling. Nothing is sent
    after the flow stops.</p>
    <p><b>Connection</b>: the same <i>MDCA connection</i> as the other nodes, with the Defender XDR permission
    Incident.Read.All (app) or Incident.Read (user); a legacy MDCA API token cannot call Defender XDR.</p>`,
  },
  {
    kind: 'operation',
    type: 'mdca-graph-alert',
    resource: 'alert',
    service: 'graph',
    paletteLabel: 'Graph alert',
    color: GRAPH_COLOR,
    exampleOperation: 'get',
    help: graphRecordHelp(
      '<b>alerts</b> (alerts_v2: alerts of every Defender product, Defender for Cloud Apps included)',
      '{"alertId": "…", "status": "resolved"}',
      `    <p><b>Defender for Cloud Apps alerts</b>: <i>Get Many</i> with <i>Service Source</i> set to Microsoft Defender for
    Cloud Apps. A Graph alert's <code>id</code> is not the MDCA alert id: that one is its <code>providerAlertId</code>.
    <i>Detection Source</i> is applied to each page after it arrives (Graph does not filter on it): combine it with a
    time filter.</p>`,
    ),
  },
  {
    kind: 'operation',
    type: 'mdca-graph-incident',
    resource: 'incident',
    service: 'graph',
    paletteLabel: 'Graph incident',
    color: GRAPH_COLOR,
    exampleOperation: 'get',
    help: graphRecordHelp(
      '<b>incidents</b> (correlated alerts)',
      '{"incidentId": "42", "status": "resolved"}',
      `    <p><i>Include Alerts</i> returns each incident with its alerts (<code>$expand=alerts</code>); on a large tenant
    prefer it on <i>Get</i>, one incident at a time.</p>`,
    ),
  },
  {
    kind: 'operation',
    type: 'mdca-graph-hunting',
    resource: 'huntingQuery',
    service: 'graph',
    paletteLabel: 'Graph hunting',
    color: GRAPH_COLOR,
    help: (ctx) => `    <p>Runs a <b>hunting query</b> (KQL) through Microsoft Graph security (<code>runHuntingQuery</code>) over up to
    30 days of Defender hunting data (<code>CloudAppEvents</code>, <code>AlertInfo</code>, <code>IdentityLogonEvents</code>, …).</p>
    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object</span></dt>
        <dd><code>{"query": "…", "timespan": "P7D"}</code> overrides the query and the time range.</dd>
${operationOverride(ctx)}
    </dl>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">object</span></dt>
        <dd><code>{ schema: [{name, type}], results: [rows], rowCount, truncated }</code>.</dd>
        <dt>mdca <span class="property-type">object</span></dt>
        <dd><code>operation</code>.</dd>
    </dl>
    <h3>Details</h3>
${ctx.operations}
    <p><b>Timespan</b> (ISO 8601: <code>P7D</code>, <code>start/end</code>, …) is checked before sending. <b>Limits</b>:
    100,000 rows, 50 MB and 3 minutes per query, at least 45 calls per minute and a CPU quota per 15-minute cycle per
    tenant. Each limit fails with its own message and hint (<code>msg.mdcaError.reason</code>: <code>badQuery</code>,
    <code>tooManyRows</code>, <code>timeout</code>, <code>callQuota</code>, <code>cpuQuota</code>).</p>
${GRAPH_CONNECTION}
${XDR_ERRORS}`,
  },
  {
    kind: 'watch',
    type: 'mdca-graph-watch',
    service: 'graph',
    paletteLabel: 'Graph watch',
    color: GRAPH_COLOR,
    defaultEvent: 'graphAlertChanges',
    eventNames: { graphAlertChanges: 'Graph alert changes', newGraphAlerts: 'new Graph alerts', graphIncidentChanges: 'Graph incident changes', newGraphIncidents: 'new Graph incidents' },
    maxPerPoll: 200,
    editorOptions: {
      name: 'GRAPH_WATCH',
      why: 'The feeds own the time window and the page size (and incidents come without $expand): those alert.getAll / incident.getAll inputs are not filters here.',
      value: `{ event: "graphAlertChanges", skip: ${JSON.stringify([...new Set([...GRAPH_FEED_OWNED_INPUTS, ...GRAPH_INCIDENT_FEED_OWNED_INPUTS])])} }`,
    },
    help: `    <p>Watches Microsoft Graph security <b>alerts</b> (alerts_v2: alerts of every Defender product, Defender for
    Cloud Apps included) or <b>incidents</b> and sends one message per new alert or incident, or per new and updated
    one.</p>
    <h3>Outputs</h3>
    <dl class="message-properties">
        <dt>payload <span class="property-type">object</span></dt>
        <dd>the alert or incident as Graph returns it (an incident without its alerts: use <i>Graph incident</i>
        <i>Get</i> with <i>Include Alerts</i> for them).</dd>
        <dt>topic <span class="property-type">string</span></dt>
        <dd><code>graphAlertChanges</code>, <code>newGraphAlerts</code>, <code>graphIncidentChanges</code> or
        <code>newGraphIncidents</code>.</dd>
    </dl>
    <h3>Details</h3>
    <p><b>Event</b>: <i>new and updated alerts</i> / <i>incidents</i> delivers each change once (an alert updated
    three times is delivered three times, keyed by <code>id</code> and <code>lastUpdateDateTime</code>); <i>new
    alerts</i> / <i>incidents</i> delivers each one once, when it is created.</p>
    <p>Every <i>interval</i> (default 60 s) the node asks for records changed since the last one delivered, looking
    <i>look back</i> minutes further back for records indexed late, and never delivers a change twice. Graph lists
    newest first, so a poll reads the whole window (5,000 records per read, reading further back when there are
    more) and sends the oldest first. At most <i>max per poll</i> records are sent per poll; the rest follow a
    second later.</p>
    <p><b>First run</b>: <i>from now</i> delivers only changes after the flow started; <i>include the last N
    hours</i> delivers the backlog first (at most 30 days).</p>
${WATCH_POSITION('graphCursor', 'records')}
    <p>The position belongs to one event: after the event is changed, the node starts as on a first run.</p>
    <p>Filters are those of the list: for alerts status, severity, service source (e.g. Microsoft Defender for Cloud
    Apps only), detection source, classification, assigned to and a raw OData filter; for incidents status,
    severity, classification, assigned to and a raw OData filter (the time window and the page size belong to the
    watcher). Errors are reported with <code>node.error</code> (reaching <i>Catch</i> nodes, with
    <code>msg.mdcaError</code>) and in the status; the node keeps polling. Nothing is sent after the flow stops.</p>
${GRAPH_CONNECTION}`,
  },
  ...RESPONSE_NODES,
];
