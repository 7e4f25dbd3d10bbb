// Our nodes in the real Node-RED editor (headless Chromium): every node type is in the palette,
// each edit dialog opens with the fields built from the registry (drift check: the operation
// options equal the core registry), and screenshots go to docs/screenshots/.
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { operationsOf, ResourceName, XdrResourceName, xdrOperationsOf } from '../../core';
import { BrowserSession, launchBrowser } from '../support/browser-runtime';
import { NodeRedRuntime, packageTarball, startNodeRed } from '../support/node-red-runtime';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildDemoFlows, emulatorConnection, operatorSettings } = require('../../scripts/demo/flows.js');

jest.setTimeout(300_000);

const SHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');
/** A node whose edit dialog the test opens: its type, its id in the demo flows and the tab it is on, and the registry resource its operations come from. */
interface DialogNode {
  type: string;
  id: string;
  tab: string;
  resource?: ResourceName;
  xdr?: XdrResourceName;
}
const TRIAGE = 'tab-triage-high-severity-alerts';
const INVESTIGATE = 'tab-investigate-activities-and-files';
const dialog = (type: string, id: string, tab: string, registry: Pick<DialogNode, 'resource' | 'xdr'> = {}): DialogNode => ({ type, id, tab, ...registry });
const NODES: DialogNode[] = [
  dialog('mdca-alert', 'tri-list', TRIAGE, { resource: 'alert' }),
  dialog('mdca-activity', 'inv-activities', INVESTIGATE, { resource: 'activity' }),
  dialog('mdca-entity', 'tri-entity', TRIAGE, { resource: 'entity' }),
  dialog('mdca-ip-range', 'tri-add-ip', TRIAGE, { resource: 'ipRange' }),
  dialog('mdca-discovery', 'up-upload', 'tab-nightly-discovery-upload', { resource: 'discovery' }),
  dialog('mdca-file', 'inv-file-list', INVESTIGATE, { resource: 'file' }),
  dialog('mdca-watch', 'tri-watch', TRIAGE),
  dialog('mdca-xdr-incident', 'x2i-update', 'tab-mdca-alert-to-xdr-incident', { xdr: 'incident' }),
];
/** Defender XDR nodes not in an example flow: added to a tab of their own for the dialog checks. */
const EXTRA_NODES = [
  { id: 'xdr-hunt', type: 'mdca-xdr-hunting', z: 'tab-xdr-extra', name: '', config: 'mdca-conn', operation: 'advancedHunting.run', params: { query: { v: 'CloudAppEvents | take 10', t: 'str' } }, outputMode: 'all', maxItems: 1000, x: 200, y: 80, wires: [[]] },
  { id: 'xdr-watch', type: 'mdca-xdr-watch', z: 'tab-xdr-extra', name: '', config: 'mdca-conn', event: 'incidentChanges', params: { status: { v: 'Active', t: 'mdca-opt' } }, interval: 60, lookBackMinutes: 5, startFrom: 'now', startHoursAgo: 24, maxPerPoll: 200, store: '', x: 200, y: 160, wires: [[]] },
];
NODES.push(dialog('mdca-xdr-hunting', 'xdr-hunt', 'tab-xdr-extra', { xdr: 'advancedHunting' }), dialog('mdca-xdr-watch', 'xdr-watch', 'tab-xdr-extra'));

describe('Node-RED editor', () => {
  let emulator: RunningEmulator;
  let nr: NodeRedRuntime;
  let browser: BrowserSession;

  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
    [nr, browser] = await Promise.all([startNodeRed({ version: 4, install: [packageTarball()], settings: operatorSettings(emulatorConnection(emulator, emulator.caPem)) }), launchBrowser()]);
    const flows = buildDemoFlows({ ...emulatorConnection(emulator, emulator.caPem), requestsPerMinute: 1000 });
    await nr.deploy([...flows, { id: 'tab-xdr-extra', type: 'tab', label: 'xdr nodes', disabled: false, info: '' }, ...EXTRA_NODES]);
  });
  afterAll(async () => {
    await browser?.close();
    await nr?.stop();
    await emulator?.close();
  });

  test('palette, edit dialogs built from the registry, screenshots', async () => {
    const p = await browser.open(`${nr.url}/`);
    const page = p.page;
    for (const n of NODES) await page.waitForSelector(`.red-ui-palette-node[data-palette-type="${n.type}"]`, { timeout: 60_000 });
    fs.mkdirSync(SHOTS, { recursive: true });
    await p.screenshot(path.join(SHOTS, 'node-red-palette-and-flow.png'));

    for (const n of NODES) {
      await page.evaluate((tab) => (window as unknown as { RED: { workspaces: { show(id: string): void } } }).RED.workspaces.show(tab), n.tab);
      await page.waitForTimeout(300);
      const target = page.locator(`g.red-ui-flow-node-group[id="${n.id}"] rect.red-ui-flow-node`).first();
      await target.dblclick();
      await page.waitForSelector('.red-ui-tray .red-ui-tray-body', { timeout: 10_000 });
      await page.waitForSelector('#mdca-fields .mdca-field, #mdca-fields .form-tips', { timeout: 10_000 });
      await page.waitForTimeout(500);
      if (n.resource || n.xdr) {
        const registryOps: { id: string; inputs: readonly { name: string; group?: string }[] }[] = n.resource ? operationsOf(n.resource) : xdrOperationsOf(n.xdr!);
        const options = await page.$$eval('#node-input-operation option', (els) => els.map((e) => (e as HTMLOptionElement).value));
        expect(options).toEqual(registryOps.map((o) => o.id));
        const selected = await page.$eval('#node-input-operation', (e) => (e as HTMLSelectElement).value);
        const op = registryOps.find((o) => o.id === selected)!;
        const fields = await page.$$eval('#mdca-fields .mdca-field', (els) => els.map((e) => e.getAttribute('data-input')));
        // The editor shows the inputs grouped: fields, then filters, then options (registry order within each).
        const groups = ['', 'filters', 'options'];
        const grouped = groups.flatMap((g) => op.inputs.filter((i) => ((i as { group?: string }).group ?? '') === g).map((i) => i.name));
        expect(fields).toEqual(grouped);
      }
      if (n.type === 'mdca-xdr-watch') {
        // The incident list's filters, without the time window the watcher owns.
        const fields = await page.$$eval('#mdca-fields .mdca-field', (els) => els.map((e) => e.getAttribute('data-input')));
        expect(fields).toEqual(['status', 'assignedTo', 'filter', 'containsAlertId']);
      }
      await p.screenshot(path.join(SHOTS, `node-red-${n.type}.png`));
      await page.click('#node-dialog-cancel');
      await page.waitForTimeout(400);
    }

    // The connection (config node) dialog.
    await page.evaluate(() => (window as unknown as { RED: { editor: { editConfig(a: string, t: string, id: string): void } } }).RED.editor.editConfig('', 'mdca-config', 'mdca-conn'));
    await page.waitForSelector('#node-config-input-apiUrl', { timeout: 10_000 });
    await page.click('#mdca-test-connection');
    await page.waitForFunction(() => /Connection OK|failed|:/.test(document.querySelector('#mdca-test-result')?.textContent || '') && !/Testing/.test(document.querySelector('#mdca-test-result')?.textContent || ''), undefined, { timeout: 30_000 });
    expect(await page.textContent('#mdca-test-result')).toMatch(/Connection OK/);
    // The same app holds Defender XDR permissions: the test lists them.
    expect(await page.textContent('#mdca-test-result')).toMatch(/Defender XDR permissions: .*Incident\.ReadWrite\.All/);
    await p.screenshot(path.join(SHOTS, 'node-red-mdca-config.png'));
    expect(p.consoleLog().filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
  });
});
