// The response examples (examples/n8n/response/) end to end in a real n8n 2.40.7: the packed
// package installed as a community package, the emulator (MDCA, Graph with Entra ID, Defender for
// Endpoint listeners) in this process, one App credential that reaches all of them (the Graph and
// MDE URLs in its "Local Emulator Only" section), both workflows run in one `n8n execute`.
// `n8n execute` starts only from a Manual trigger, so each example's trigger is replaced by a node
// of the same name that reads what the trigger would deliver: the MDCA trigger by Alerts "Get
// Many" with the trigger's own filters (plus the ids of the two new alerts, so the seed's other
// alerts stay out), the Graph trigger by Incidents "Get" of the new incident (the trigger's item
// shape); the rest runs unchanged. While n8n waits for the isolation, the test moves the
// emulator's clock (test/support/response-examples.ts), so the wait never depends on the wall clock.
// Assertions are on the emulator's state and request logs, shared with the Node-RED suite.
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { emulatorOperatorEnv, settingsFor } from '../support/emulator-settings';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { createN8n, N8nExecution, N8nRuntime, outputItems, packageTarball } from '../support/n8n-runtime';
import { N8N_PACKAGE, workflowNode } from '../support/n8n-workflow';
import { driveIsolation, expectContainUserOutcome, expectIsolateDeviceOutcome, insertContainUserData, insertIsolateDeviceData } from '../support/response-examples';

jest.setTimeout(600_000);

const CRED_ID = 'mdcaAppCred00001';
const CRED = { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app)' } };
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'n8n', 'response');
const CONTAIN_USER = 'contain-compromised-user.json';
const ISOLATE_DEVICE = 'isolate-device-from-incident.json';

type Workflow = { nodes: Array<Record<string, unknown>>; connections: Record<string, { main: unknown[][] }>; [k: string]: unknown };
const readExample = (file: string): Workflow => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as Workflow;

let emulator: RunningEmulator;
let n8n: N8nRuntime;

function must(r: N8nExecution): N8nExecution {
  if (!r.ok) throw new Error(`execution ${r.status}: ${JSON.stringify(r.error)}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
  return r;
}

/** The example's nodes with its trigger (named `triggerName`, of `triggerType`) replaced by `replacement` under the same name. */
function withoutTrigger(example: Workflow, triggerName: string, triggerType: string, replacement: (trigger: Record<string, unknown>) => Record<string, unknown>): Workflow['nodes'] {
  const trigger = example.nodes.find((x) => x.name === triggerName);
  expect(trigger?.type).toBe(`${N8N_PACKAGE}.${triggerType}`);
  return example.nodes.filter((x) => x !== trigger && x.type !== 'n8n-nodes-base.stickyNote').concat({ ...trigger!, ...replacement(trigger!), credentials: CRED });
}

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  n8n = await createN8n({ install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) });
  const { graphApiUrl, mdeApiUrl } = emulator.tenants.contoso;
  await n8n.importCredentials([mdcaAppCredential(emulator, CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000, graphApiUrl, mdeApiUrl })]);
});
afterAll(async () => {
  await n8n?.cleanup();
  await emulator?.close();
});

describe('response examples in a real n8n', () => {
  it('contain a compromised user (high-severity MDCA alert) and isolate the device of a new incident, waiting for the isolation', async () => {
    const user = insertContainUserData(emulator, 'contoso');
    const device = insertIsolateDeviceData(emulator, 'contoso');

    const contain = readExample(CONTAIN_USER);
    const isolate = readExample(ISOLATE_DEVICE);
    const types = [...contain.nodes, ...isolate.nodes].map((x) => String(x.type));
    for (const node of ['microsoftEntraIdUsers', 'microsoftEntraIdRiskyUsers', 'microsoftDefenderEndpointMachines', 'microsoftGraphSecurityAlerts', 'microsoftGraphSecurityIncidents']) expect(types).toContain(`${N8N_PACKAGE}.${node}`);
    const nodes = [
      workflowNode('e6000000-0000-4000-8000-000000000001', 'Start', 'n8n-nodes-base.manualTrigger', [-240, 0], {}),
      ...withoutTrigger(contain, 'New High-Severity MDCA Alert', 'microsoftDefenderCloudAppsTrigger', (t) => {
        const p = t.parameters as { alertFilters: Record<string, unknown> };
        return { type: `${N8N_PACKAGE}.microsoftDefenderCloudAppsAlerts`, parameters: { operation: 'getAll', limit: 10, filters: { ...p.alertFilters, alertIds: `${user.alertId},${user.decoy.alertId}` } } };
      }),
      ...withoutTrigger(isolate, 'New Incident', 'microsoftGraphSecurityTrigger', () => ({ type: `${N8N_PACKAGE}.microsoftGraphSecurityIncidents`, parameters: { operation: 'get', incidentId: device.incidentId } })),
    ];
    const connections = {
      ...contain.connections,
      ...isolate.connections,
      Start: { main: [[{ node: 'New High-Severity MDCA Alert', type: 'main', index: 0 }, { node: 'New Incident', type: 'main', index: 0 }]] },
    };
    const id = await n8n.importWorkflow({ name: 'response examples', settings: { executionOrder: 'v1' }, id: 'mdcaResponseE2e1', nodes, connections });

    const execution = n8n.execute(id);
    // Fails the test (and stops driving) if n8n ends before it isolated anything.
    const statuses = await Promise.race([driveIsolation(emulator, device), execution.then((r) => Promise.reject(new Error(`n8n ended before the isolation was driven:\n${must(r).stdout.slice(-3000)}`)))]);
    const r = must(await execution);
    expect(statuses).toEqual(['Pending', 'InProgress']);

    // Example 1: only the high-severity alert went through; every step is in n8n's output.
    expect(outputItems(r, 'New High-Severity MDCA Alert').map((i) => i.json.id)).toEqual([user.alertId]);
    expect(outputItems(r, 'Look Up the User').map((i) => i.json.id)).toEqual([user.userId]);
    expect(outputItems(r, 'Revoke Sessions')[0].json).toMatchObject({ status: 'done', target: user.userId, credential: { kind: 'application' } });
    expect(outputItems(r, 'Confirm Compromised')[0].json).toMatchObject({ status: 'done', target: user.userId });
    expect(outputItems(r, 'Close MDCA Alert as True Positive').map((i) => i.json.status)).toEqual(['done']);
    expectContainUserOutcome(emulator, user);

    // Example 2: the machine found from the alert's evidence, isolated and waited for.
    expect(outputItems(r, 'Find the Machine')[0].json).toMatchObject({ found: true, machineId: device.machineId, matchedBy: 'id' });
    const [isolated] = outputItems(r, 'Isolate (Selective) and Wait');
    expect(isolated.json).toMatchObject({ status: 'done', outcome: 'isolated', actionStatus: 'Succeeded', target: device.machineId });
    const actionId = expectIsolateDeviceOutcome(emulator, device);
    expect(isolated.json.actionId).toBe(actionId);

    const secret = (settingsFor(emulator, 'appSecret').auth as { clientSecret: string }).clientSecret;
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
