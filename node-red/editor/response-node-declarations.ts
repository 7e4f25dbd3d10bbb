// What the editor files of the response nodes say beyond the registry: Microsoft Entra ID users and
// Identity Protection risky users, Defender for Endpoint machines and machine actions. Their
// operations, fields and permissions come from the Entra and MDE registries (render-editor-files.ts);
// this is the prose around them: what a response action reports and how it behaves.
import { ERROR_SUMMARY, LIST_META, operationOverride } from './help-fragments';
import type { HelpContext, OperationNodeDeclaration } from './node-declarations';

const ENTRA_COLOR = '#F0C8A8';
const MDE_COLOR = '#E8B4B4';

const INTRO_FIELDS = `Fields come from the operation registry, the same as the n8n node's; each can take its value
    from the editor, <code>msg</code>, flow/global context, an environment variable or a JSONata expression.`;

function inputs(ctx: HelpContext, payloadExample: string, lists: boolean): string {
  return `    <h3>Inputs</h3>
    <dl class="message-properties">
        <dt class="optional">payload <span class="property-type">object</span></dt>
        <dd>an object whose keys are field names of the selected operation overrides those fields (other keys are
        ignored), e.g. <code>${payloadExample}</code>.</dd>
${operationOverride(ctx)}${lists ? `
        <dt class="optional">maxItems <span class="property-type">number</span></dt>
        <dd>overrides <i>Max items</i> for <i>Get Many</i>.</dd>` : ''}
    </dl>`;
}

const RESPONSE_OUTPUT = `        <dt>payload <span class="property-type">array | object</span></dt>
        <dd>a read: the record as the service returns it (<i>Find</i>: <code>{found, machineId, machine}</code>;
        <i>Get Many</i>: the machines, see <i>Output</i>). A response action: for one target, its <b>record</b>: <code>status</code> (<code>done</code>,
        <code>unchanged</code>, <code>dryRun</code>, <code>outcomeUnknown</code>, <code>notFound</code>, <code>failed</code>,
        <code>skipped</code>), <code>outcome</code> (one word a flow can branch on: <code>isolated</code>,
        <code>alreadyDisabled</code>, <code>actionAlreadyPending</code>, <code>wouldSend</code>…), <code>target</code>,
        <code>targetId</code>, <code>targetName</code>, <code>comment</code>, <code>actionId</code>, <code>actionStatus</code>,
        <code>credential</code> (who acted, from the token's claims), <code>request</code> (what was sent, or in a dry
        run what would be), <code>message</code>, <code>at</code>. For a list of targets: <code>{summary, items}</code>,
        one record per target.</dd>
        <dt>mdca <span class="property-type">object</span></dt>
        <dd><code>operation</code>; for a response action its <code>summary</code> (<code>requested</code>,
        <code>done</code>, <code>unchanged</code>, <code>wouldSend</code>, <code>outcomeUnknown</code>, <code>notFound</code>,
        <code>failed</code>, <code>skipped</code>, <code>dryRun</code>); for lists <code>page</code>, <code>count</code>,
        <code>index</code>, <code>hasNext</code>.</dd>`;

const RESPONSE_DETAILS = `    <p><b>Response actions</b> never surprise. <i>Dry Run</i> reports exactly the request each target would get
    and sends nothing; a message can turn it on (<code>"dryRun": true</code> in <code>msg.payload</code>) but never off:
    with <i>Dry Run</i> set in the editor, <code>"dryRun": false</code> in the message is ignored. A token without the permission an action needs fails before sending, naming the permission.
    A target already in the state asked for (already disabled, already isolated) or with the same action still pending
    is an outcome, <code>unchanged</code>, with the existing action's id: nothing is sent, nothing retried. A request that
    may have reached the service without an answer is never sent again: its record says <code>outcomeUnknown</code>;
    check the target before trying again. A list (an array or comma-separated, at most 100) gets one record per target;
    a single target's error goes to <i>Catch</i> nodes.</p>
    <p><b>Status</b> says what happened, e.g. <i>isolated 1, already pending 1</i>, <i>dry run: nothing sent · 2 would be
    sent</i>, <i>outcome unknown: check before retrying · …</i> (red), a failed target in red, a target not found in
    yellow; while an action is waited for, <i>waiting: InProgress · 45 s</i>.</p>`;

const ERRORS = `    <p><b>Errors</b> go to <i>Catch</i> nodes; the message is safe to show (no secret, no token) and
${ERROR_SUMMARY}
    Validation errors name the field and nothing is sent.</p>`;

const PERMISSIONS_DOC = `the permissions each operation needs are listed above (set-up: <code>docs/setup-response-actions.md</code>,
    every name: <code>docs/reference/permissions.md</code>)`;

const ENTRA_CONNECTION = `    <p><b>Connection</b>: the same <i>MDCA connection</i> as the other nodes. Its Entra app (client secret or
    certificate) or signed-in user needs the <i>Microsoft Graph</i> permissions with admin consent: ${PERMISSIONS_DOC}.
    A user also needs an Entra role that may act on the target (disabling an administrator needs a privileged role).
    The node asks Entra ID for a token for Microsoft Graph of the connection's cloud on first use. A <b>legacy MDCA API
    token cannot call Microsoft Graph</b>. For the local emulator, set <i>Microsoft Graph URL</i> in the connection's
    testing section. Entra ID calls of every node on the connection share one budget per tenant.</p>`;

const MDE_CONNECTION = `    <p><b>Connection</b>: the same <i>MDCA connection</i> as the other nodes. Its Entra app (client secret or
    certificate) or signed-in user needs the <i>WindowsDefenderATP</i> permissions (under <i>APIs my organization
    uses</i>) with admin consent: ${PERMISSIONS_DOC}. The node asks Entra ID for a token for the Defender for Endpoint
    API of the connection's cloud on first use. A <b>legacy MDCA API token cannot call Defender for Endpoint</b>. For
    the local emulator, set <i>Defender for Endpoint API URL</i> in the connection's testing section (honoured only when
    the operator allowed test hosts). Defender for Endpoint allows 100 calls per minute and 1,500 per hour per tenant:
    every node using the same connection shares one budget below those limits.</p>`;

function responseHelp(intro: string, payloadExample: string, lists: boolean, connection: string, extra = ''): (ctx: HelpContext) => string {
  return (ctx) => [
    `    <p>${intro} ${INTRO_FIELDS}</p>`,
    inputs(ctx, payloadExample, lists),
    '    <h3>Outputs</h3>',
    '    <dl class="message-properties">',
    RESPONSE_OUTPUT,
    '    </dl>',
    '    <h3>Details</h3>',
    '    <p>Operations:</p>',
    ctx.operations,
    RESPONSE_DETAILS,
    ...(extra ? [extra] : []),
    connection,
    ERRORS,
  ].join('\n');
}

const WAIT = `    <p><b>Wait for Completion</b> (an option of every machine action) reads the action after 15 s, 30 s, then every
    minute, within the tenant's budget, until it is <code>Succeeded</code>, <code>Failed</code>, <code>TimeOut</code> or
    <code>Cancelled</code>: a failed, timed-out or cancelled action makes the record <code>failed</code> with its id. When
    <i>Wait Timeout</i> runs out first the record stays <code>done</code> with the action's current status: follow it up
    with <i>MDE machine action</i> by its id. A release is refused (nothing sent) while an isolation is still pending.</p>`;

export const RESPONSE_NODES: readonly OperationNodeDeclaration[] = [
  {
    kind: 'operation',
    type: 'mdca-entra-user',
    resource: 'user',
    service: 'entra',
    paletteLabel: 'Entra user',
    color: ENTRA_COLOR,
    exampleOperation: 'revokeSessions',
    help: responseHelp(
      'Reads a Microsoft <b>Entra ID user</b> and contains it: revoke its sign-in sessions, disable or enable its account.',
      '{"users": ["adele@contoso.com"], "dryRun": true}',
      false,
      ENTRA_CONNECTION,
      `    <p><b>Users</b> are given by object id or user principal name. Graph user actions take no comment: the optional
    <i>Comment</i> is recorded in the output only.</p>`,
    ),
  },
  {
    kind: 'operation',
    type: 'mdca-entra-risky-user',
    resource: 'riskyUser',
    service: 'entra',
    paletteLabel: 'Entra risky user',
    color: ENTRA_COLOR,
    exampleOperation: 'confirmCompromised',
    help: responseHelp(
      'Reads and acts on a user\'s <b>Identity Protection risk</b> (Microsoft Entra ID P2): confirm the user compromised or dismiss the risk.',
      '{"users": "adele@contoso.com"}',
      false,
      ENTRA_CONNECTION,
      `    <p>A user principal name is turned into the user's object id (one read) before the request, in a dry run too, so
    the dry run shows the exact request.</p>`,
    ),
  },
  {
    kind: 'operation',
    type: 'mdca-mde-machine',
    resource: 'machine',
    service: 'mde',
    paletteLabel: 'MDE machine',
    color: MDE_COLOR,
    exampleOperation: 'isolate',
    help: responseHelp(
      'Finds Microsoft <b>Defender for Endpoint machines</b> (by id, DNS name, Entra device id or the device of a Graph alert\'s evidence) and contains them: isolate and release, antivirus scan, investigation package, restrict and unrestrict app execution.',
      '{"machineIds": ["…"], "comment": "SOC case 17", "isolationType": "Selective"}',
      true,
      MDE_CONNECTION,
      `${WAIT}
    <p><b>Get Many</b> sends one message with all machines, one per machine or one per page (see <i>Output</i>).</p>`,
    ),
  },
  {
    kind: 'operation',
    type: 'mdca-mde-machine-action',
    resource: 'machineAction',
    service: 'mde',
    paletteLabel: 'MDE machine action',
    color: MDE_COLOR,
    exampleOperation: 'waitForCompletion',
    help: (ctx) =>
      [
        `    <p>Follows up the <b>machine actions</b> Defender for Endpoint runs (isolation, scans, investigation packages…): read
    one or many, wait until one finishes, get the download link of an investigation package. ${INTRO_FIELDS}</p>`,
        inputs(ctx, '{"actionId": "…", "waitTimeoutMinutes": 30}', true),
        '    <h3>Outputs</h3>',
        '    <dl class="message-properties">',
        `        <dt>payload <span class="property-type">array | object</span></dt>
        <dd><i>Get Many</i>: the actions (see <i>Output</i>); <i>Get</i>: the action; <i>Wait for Completion</i>:
        <code>{actionId, status, final, timedOut, elapsedMs, action}</code>; <i>Get Package Download Link</i>:
        <code>{actionId, downloadUrl, expiresAt}</code> (the link is short-lived and lets whoever holds it download the
        package: use it at once, do not store it).</dd>`,
        LIST_META,
        '    </dl>',
        '    <h3>Details</h3>',
        '    <p>Operations:</p>',
        ctx.operations,
        WAIT,
        `    <p><b>Status</b> shows the wait: <i>waiting: Pending · 15 s</i>, <i>waiting: InProgress · 45 s</i>.</p>`,
        MDE_CONNECTION,
        ERRORS,
      ].join('\n'),
  },
];
