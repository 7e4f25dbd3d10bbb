// Defender XDR end to end in a real n8n 2.40.7: the packed package installed as a community
// package, the emulator (MDCA + Defender XDR listeners) in this process, one App credential that
// reaches both (the XDR URL in its "Local Emulator Only" section), and the example workflow
// examples/n8n/defender-xdr/close-benign-alert-and-incident.json run with `n8n execute`. `n8n
// execute` starts only from a Manual trigger, so the example's MDCA trigger is replaced by Manual →
// Alerts "Get Many" under the trigger's name (same output shape: simplified alerts); the rest of
// the example runs unchanged. Assertions are on n8n's output and the emulator's state.
// The Microsoft Graph hunting example (examples/n8n/graph-security/daily-hunt-comment-incidents.json)
// runs in the same `n8n execute` (one n8n start less), its Schedule trigger replaced by the same
// Manual start; the credential also has the Graph URL (emulator only), and the second test checks
// its outcome with test/support/graph-examples.ts as the Node-RED suite does.
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { emulatorOperatorEnv } from '../support/emulator-settings';
import { expectedHuntingHits, expectHuntingOutcome, groupTwoHuntingHits, HuntingExpectation } from '../support/graph-examples';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { createN8n, N8nExecution, N8nRuntime, outputItems, packageTarball } from '../support/n8n-runtime';

jest.setTimeout(600_000);

const PKG = '@mdca-lowcode/n8n-nodes-defender-cloud-apps';
const CRED_ID = 'mdcaAppCred00001';
const CRED = { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app)' } };
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'n8n', 'defender-xdr', 'close-benign-alert-and-incident.json');
const HUNT_EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'n8n', 'graph-security', 'daily-hunt-comment-incidents.json');

let emulator: RunningEmulator;
let n8n: N8nRuntime;
/** The run of the first test, which also ran the Graph hunting example, and what that hunt should do. */
let huntRun: { r: N8nExecution; expected: HuntingExpectation } | undefined;

function must(r: N8nExecution): N8nExecution {
  if (!r.ok) throw new Error(`execution ${r.status}: ${JSON.stringify(r.error)}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
  return r;
}

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
  emulator.control.xdr.setThrottle('contoso', false);
  emulator.control.graph.setThrottle('contoso', false);
  n8n = await createN8n({ install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) });
  const { xdrApiUrl, graphApiUrl } = emulator.tenants.contoso;
  await n8n.importCredentials([mdcaAppCredential(emulator, CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000, xdrApiUrl, graphApiUrl })]);
});
afterAll(async () => {
  await n8n?.cleanup();
  await emulator?.close();
});

describe('Defender XDR nodes in a real n8n', () => {
  it('example: new MDCA alert → its XDR incident resolved (classification, determination, comment) and the alert closed as benign; hunting and get in a side branch', async () => {
    const xdr = emulator.control.xdr;
    const [alert] = emulator.control.insertAlerts('contoso', [{ title: 'e2e benign sign-in', severityValue: 0 }]);
    const alertId = String(alert._id);
    const [decoy] = xdr.insertIncidents('contoso', [{ incidentName: 'e2e decoy' }]);
    const [incident] = xdr.insertIncidents('contoso', [{ incidentName: 'e2e incident for the alert', mdcaAlertIds: [alertId] }]);
    const incidentId = Number(incident.incidentId);
    expect(xdr.incidentsForMdcaAlert('contoso', alertId).map((i) => i.incidentId)).toEqual([incidentId]);
    const decoyBefore = xdr.getIncident('contoso', Number(decoy.incidentId));

    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as { nodes: Array<Record<string, unknown>>; connections: Record<string, unknown>; [k: string]: unknown };
    const trigger = example.nodes.find((x) => x.name === 'New MDCA Alert')!;
    expect(trigger.type).toBe(`${PKG}.microsoftDefenderCloudAppsTrigger`);
    const types = example.nodes.map((x) => String(x.type));
    expect(types).toContain(`${PKG}.microsoftDefenderXdrIncidents`);
    const nodes = [
      ...example.nodes.filter((x) => x !== trigger),
      { id: 'e1000000-0000-4000-8000-0000000000a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-240, 0], parameters: {} },
      { ...trigger, type: `${PKG}.microsoftDefenderCloudAppsAlerts`, parameters: { operation: 'getAll', limit: 1, filters: { alertIds: alertId } }, credentials: CRED },
      { id: 'e1000000-0000-4000-8000-0000000000a2', name: 'Hunt', type: `${PKG}.microsoftDefenderXdrAdvancedHunting`, typeVersion: 1, position: [0, 240], parameters: { operation: 'run', query: 'AlertInfo | take 2' }, credentials: CRED },
      { id: 'e1000000-0000-4000-8000-0000000000a3', name: 'Get Decoy', type: `${PKG}.microsoftDefenderXdrIncidents`, typeVersion: 1, position: [0, 480], parameters: { operation: 'get', incidentId: Number(decoy.incidentId) }, credentials: CRED },
    ];
    // The Graph hunting example, without its Schedule trigger: Start runs it.
    const hunting = JSON.parse(fs.readFileSync(HUNT_EXAMPLE, 'utf8')) as { nodes: Array<Record<string, unknown>>; connections: Record<string, unknown> };
    const schedule = hunting.nodes.find((x) => x.name === 'Every Morning')!;
    expect(schedule.type).toBe('n8n-nodes-base.scheduleTrigger');
    const { [String(schedule.name)]: scheduled, ...huntingConnections } = hunting.connections as Record<string, { main: unknown[][] }>;
    nodes.push(...hunting.nodes.filter((x) => x !== schedule && x.name !== 'About'));
    groupTwoHuntingHits(emulator, 'contoso');
    const huntExpected = expectedHuntingHits(emulator, 'contoso');
    const connections = {
      ...example.connections,
      ...huntingConnections,
      Start: { main: [[{ node: 'New MDCA Alert', type: 'main', index: 0 }, { node: 'Hunt', type: 'main', index: 0 }, { node: 'Get Decoy', type: 'main', index: 0 }, ...(scheduled.main[0] as unknown[])]] },
    };
    const id = await n8n.importWorkflow({ ...example, id: 'mdcaXdrE2e0001', nodes, connections });
    const r = must(await n8n.execute(id));
    huntRun = { r, expected: huntExpected };

    // n8n output
    expect(outputItems(r, 'New MDCA Alert').map((i) => i.json.id)).toEqual([alertId]);
    const found = outputItems(r, 'Find XDR Incident');
    expect(found.map((i) => i.json.incidentId)).toEqual([incidentId]);
    const updated = outputItems(r, 'Update XDR Incident');
    expect(updated[0].json).toMatchObject({ incidentId, status: 'Resolved', classification: 'InformationalExpectedActivity', determination: 'ConfirmedActivity' });
    const closed = outputItems(r, 'Close MDCA Alert as Benign');
    expect(closed.map((i) => i.json.status)).toEqual(['done']);
    const hunt = outputItems(r, 'Hunt');
    expect(hunt[0].json.rowCount).toBe(2);
    expect(outputItems(r, 'Get Decoy')[0].json.incidentId).toBe(decoy.incidentId);

    // emulator state
    const after = xdr.getIncident('contoso', incidentId)!;
    expect(after).toMatchObject({ status: 'Resolved', classification: 'InformationalExpectedActivity', determination: 'ConfirmedActivity' });
    expect(JSON.stringify(after.comments)).toContain(`Benign: MDCA alert ${alertId} (e2e benign sign-in) closed as benign by n8n.`);
    expect(emulator.control.getAlert('contoso', alertId)?.resolutionStatusValue).toBe(4);
    expect(xdr.getIncident('contoso', Number(decoy.incidentId))).toEqual(decoyBefore);
    // The XDR calls went to the XDR listener with a bearer token (never the MDCA listener).
    const log = xdr.requestLog('contoso');
    expect(log.some((e) => e.method === 'PATCH' && e.path === `/api/incidents/${incidentId}` && e.status === 200)).toBe(true);
    expect(log.some((e) => e.method === 'POST' && e.path === '/api/advancedhunting/run' && e.status === 200)).toBe(true);
    expect(log.every((e) => e.authKind === 'bearer')).toBe(true);
  });

  it('Microsoft Graph example: the daily hunt (runHuntingQuery) → one comment on the incident of each hit', () => {
    if (!huntRun) throw new Error('the hunting example runs in the first test\'s workflow, which did not run');
    const { r, expected } = huntRun;
    const hunt = outputItems(r, 'Hunt MDCA Alerts')[0].json as { results: { AlertId: string }[] };
    // Every hit with an incident is in the hunt's rows (hits without one are left out later).
    expect(hunt.results.map((row) => row.AlertId)).toEqual(expect.arrayContaining([...expected.incidents.values()].flat()));
    const commented = outputItems(r, 'Comment on the Incident').map((i) => String(i.json.incidentId)).sort();
    expect(commented).toEqual([...expected.incidents.keys()].sort());
    expectHuntingOutcome(emulator, expected);
  });
});
