// The parts of the connection node's editor file (mdca-config.html) that are written from what the
// runtime and the core define, not by hand: the credential list Node-RED registers (CREDENTIALS in
// node-red/lib/config.ts) and the edit dialog, whose cloud list comes from core/service-constants.ts.
// render-editor-files.ts puts them into the hand-written template (templates/mdca-config.html).
import { CLOUD_HOSTS, CloudName } from '../../core/service-constants';
import { CREDENTIALS } from '../lib/config';
import { escapeHtml } from './escape';
import { formRow, FormRow, i18nOption, passwordInput, selectInput, textInput } from './form-rows';

const TYPE = 'mdca-config';

/** The `credentials` entries of the node's registration, one a line. */
export function configCredentialEntries(): string {
  return Object.entries(CREDENTIALS)
    .map(([name, { type }]) => `        ${name}: { type: "${type}" }`)
    .join(',\n');
}

type Row = Omit<FormRow, 'id' | 'label'>;
/** A row for a property of the node: its id and label key follow Node-RED's naming. */
const row = (property: string, spec: Row): string => formRow({ id: `node-config-input-${property}`, label: `${TYPE}.label.${property}`, ...spec });

const pem = (placeholder: string) => (id: string) => `<textarea id="${id}" rows="3" style="width:70%;font-family:monospace" placeholder="${placeholder}"></textarea>`;

/** A row with a button instead of a field, and where its result appears. */
const buttonRow = (rowClass: string, id: string, icon: string, label: string, inner: readonly string[]): string =>
  [
    `    <div class="form-row${rowClass}">`,
    '        <label>&nbsp;</label>',
    `        <button class="red-ui-button" id="${id}"><i class="fa fa-${icon}"></i> <span data-i18n="${TYPE}.label.${label}"></span></button>`,
    ...inner.map((line) => `        ${line}`),
    '    </div>',
  ].join('\n');

const cloudOptions = (Object.keys(CLOUD_HOSTS) as CloudName[]).map((c) => `<option value="${c}">${escapeHtml(CLOUD_HOSTS[c].label)}</option>`);
const AUTH_KINDS = ['appSecret', 'appCertificate', 'userPassword', 'deviceCode', 'apiToken', 'managedIdentity', 'workloadIdentity'];
const MANAGED_IDENTITY_TYPES = ['system', 'clientId', 'objectId', 'resourceId'];
const RESULT_STYLE = 'style="margin:6px 0 0 104px"';

/** The edit dialog: connection, sign-in (rows shown per sign-in kind), pacing, Redis, emulator. */
export function configDialog(): string {
  return [
    `<script type="text/html" data-template-name="${TYPE}">`,
    row('name', { icon: 'tag', control: textInput(` data-i18n="[placeholder]${TYPE}.label.name"`) }),
    row('cloud', { icon: 'cloud', control: selectInput(cloudOptions) }),
    row('apiUrl', { icon: 'globe', control: textInput(' placeholder="https://contoso.eu2.portal.cloudappsecurity.com"') }),
    row('authKind', { icon: 'key', control: selectInput(AUTH_KINDS.map((k) => i18nOption(k, `${TYPE}.auth.${k}`))) }),
    row('managedIdentityType', { rowClass: 'mdca-mi', icon: 'id-badge', control: selectInput(MANAGED_IDENTITY_TYPES.map((k) => i18nOption(k, `${TYPE}.managedIdentity.${k}`))) }),
    row('managedIdentityId', { rowClass: 'mdca-mi-id', control: textInput(' placeholder="00000000-0000-0000-0000-000000000000"') }),
    `    <div class="form-tips mdca-mi" data-i18n="${TYPE}.tip.managedIdentity"></div>`,
    row('tenantId', { rowClass: 'mdca-app', control: textInput(' placeholder="72f988bf-86f1-41af-91ab-2d7cd011db47"') }),
    row('clientId', { rowClass: 'mdca-app', control: textInput(' placeholder="00000000-0000-0000-0000-000000000000"') }),
    `    <div class="form-tips mdca-wi" data-i18n="${TYPE}.tip.workloadIdentity"></div>`,
    row('clientSecret', { rowClass: 'mdca-secret', icon: 'lock', control: passwordInput() }),
    row('certificatePem', { rowClass: 'mdca-cert', control: pem('-----BEGIN CERTIFICATE-----') }),
    row('privateKeyPem', { rowClass: 'mdca-cert', icon: 'lock', control: pem('-----BEGIN PRIVATE KEY-----') }),
    row('privateKeyPassphrase', { rowClass: 'mdca-cert', icon: 'lock', control: passwordInput() }),
    row('username', { rowClass: 'mdca-user', icon: 'user', control: textInput(' placeholder="soc-automation@contoso.com"') }),
    row('password', { rowClass: 'mdca-user', icon: 'lock', control: passwordInput() }),
    buttonRow(' mdca-device', 'mdca-device-start', 'sign-in', 'deviceStart', [
      '<input type="hidden" id="node-config-input-signedInAs">',
      '<input type="password" id="node-config-input-refreshToken" style="display:none">',
      `<div id="mdca-device-result" ${RESULT_STYLE}></div>`,
    ]),
    row('apiToken', { rowClass: 'mdca-token', icon: 'lock', control: passwordInput() }),
    row('proxyUrl', { icon: 'exchange', control: passwordInput(' placeholder="http://user:password@proxy.example.com:3128"') }),
    `    <div class="form-tips" data-i18n="${TYPE}.tip.proxy"></div>`,
    buttonRow('', 'mdca-test-connection', 'plug', 'test', [`<div id="mdca-test-result" ${RESULT_STYLE}></div>`]),
    buttonRow('', 'mdca-check-connection', 'stethoscope', 'check', [
      `<label style="width:auto;margin-left:8px"><input type="checkbox" id="mdca-check-reads" style="width:auto;margin:0 4px 0 0"> <span data-i18n="${TYPE}.label.checkReads"></span></label>`,
      '<pre id="mdca-check-result" style="margin:6px 0 0 104px;max-height:320px;overflow:auto;white-space:pre-wrap;display:none"></pre>',
    ]),
    row('requestsPerMinute', { icon: 'tachometer', control: textInput(' style="width:80px" placeholder="28"') }),
    row('redisUrl', { icon: 'database', control: passwordInput(' placeholder="rediss://:password@redis.example.com:6380/0"') }),
    row('redisKeyPrefix', { control: textInput(' style="width:120px" placeholder="mdca:"') }),
    `    <div class="form-tips" data-i18n="${TYPE}.tip.redis"></div>`,
    '    <div class="form-row">',
    `        <a href="#" id="mdca-testing-toggle"><i class="fa fa-flask"></i> <span data-i18n="${TYPE}.label.testing"></span></a>`,
    '    </div>',
    row('xdrApiUrl', { rowClass: 'mdca-testing', hidden: true, control: textInput(' placeholder="https://127.0.0.1:9445"') }),
    row('graphApiUrl', { rowClass: 'mdca-testing', hidden: true, control: textInput(' placeholder="https://127.0.0.1:9446"') }),
    row('mdeApiUrl', { rowClass: 'mdca-testing', hidden: true, control: textInput(' placeholder="https://127.0.0.1:9447"') }),
    `    <div class="form-tips mdca-testing" style="display:none" data-i18n="${TYPE}.tip.testing"></div>`,
    '</script>',
  ].join('\n');
}
