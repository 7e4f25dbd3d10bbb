// Smoke test of the browser harness: the Node-RED editor of a started runtime renders its palette.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BrowserSession, launchBrowser } from '../support/browser-runtime';
import { NodeRedRuntime, startNodeRed } from '../support/node-red-runtime';

jest.setTimeout(180_000);

describe('browser harness', () => {
  let nr: NodeRedRuntime | undefined;
  let browser: BrowserSession | undefined;
  const shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-browser-'));

  afterAll(async () => {
    await browser?.close();
    await nr?.stop();
    fs.rmSync(shotDir, { recursive: true, force: true });
  });

  it('opens the Node-RED editor, waits for the palette and takes a screenshot', async () => {
    [nr, browser] = await Promise.all([startNodeRed({ version: 4 }), launchBrowser()]);
    const p = await browser.open(`${nr.url}/`);
    await p.page.waitForSelector('.red-ui-palette-node[data-palette-type="inject"]', { timeout: 60_000 });
    const types = await p.page.evaluate(() => (window as unknown as { RED: { nodes: { registry: { getNodeTypes(): string[] } } } }).RED.nodes.registry.getNodeTypes());
    expect(types).toEqual(expect.arrayContaining(['inject', 'debug', 'function']));
    const file = await p.screenshot(path.join(shotDir, 'editor.png'));
    const png = fs.readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
    if (process.env.MDCA_KEEP_SCREENSHOTS) fs.copyFileSync(file, path.join(process.env.MDCA_KEEP_SCREENSHOTS, 'node-red-editor.png'));
  });
});
