// Smoke test of the n8n harness: a throwaway community package generated here is installed into
// a real n8n 2.40.7 (Node 24) the way n8n installs community packages, then a workflow
// Manual Trigger → Set (built-in) → Smoke (community node) is imported and executed.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createN8n, N8nRuntime, outputItems, parseExecuteOutput } from '../support/n8n-runtime';

jest.setTimeout(300_000);

function makeSmokePackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-n8n-nodes-smoke-'));
  const nodeDir = path.join(dir, 'dist', 'nodes', 'Smoke');
  fs.mkdirSync(nodeDir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'n8n-nodes-smoke',
        version: '0.0.1',
        keywords: ['n8n-community-node-package'],
        main: 'index.js',
        files: ['dist', 'index.js'],
        n8n: { n8nNodesApiVersion: 1, strict: false, credentials: [], nodes: ['dist/nodes/Smoke/Smoke.node.js'] },
        peerDependencies: { 'n8n-workflow': '*' },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
  fs.writeFileSync(
    path.join(nodeDir, 'Smoke.node.js'),
    `'use strict';
class Smoke {
  constructor() {
    this.description = {
      displayName: 'Smoke', name: 'smoke', group: ['transform'], version: 1,
      description: 'Adds a word to every item', defaults: { name: 'Smoke' },
      inputs: ['main'], outputs: ['main'],
      properties: [{ displayName: 'Word', name: 'word', type: 'string', default: 'hello' }],
    };
  }
  async execute() {
    const items = this.getInputData();
    return [items.map((item, i) => ({ json: { ...item.json, smoke: this.getNodeParameter('word', i), nodeVersion: process.version } }))];
  }
}
module.exports = { Smoke };
`,
  );
  return dir;
}

describe('n8n harness', () => {
  let n8n: N8nRuntime | undefined;
  let pkgDir: string | undefined;
  afterAll(async () => {
    await n8n?.cleanup();
    if (pkgDir) fs.rmSync(pkgDir, { recursive: true, force: true });
  });

  it('parses execute output from the first line that is exactly "{"', () => {
    expect(parseExecuteOutput('log line {\n{"x":1}\n{\n  "status": "success"\n}\nlater log')).toEqual({ status: 'success' });
    expect(parseExecuteOutput('no json here')).toBeNull();
  });

  it('installs a community package, imports credentials and a workflow, executes it', async () => {
    pkgDir = makeSmokePackage();
    n8n = await createN8n({ install: [pkgDir] });
    expect(fs.existsSync(path.join(n8n.nodesDir, 'node_modules', 'n8n-nodes-smoke', 'package.json'))).toBe(true);

    const [credId] = await n8n.importCredentials([
      { name: 'smoke header', type: 'httpHeaderAuth', data: { name: 'X-Smoke', value: 'not-a-real-secret' } },
    ]);
    expect(credId).toMatch(/^cr/);

    const id = await n8n.importWorkflow({
      id: 'smokeWorkflow01',
      name: 'smoke',
      nodes: [
        { id: 'a0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          id: 'a0000000-0000-4000-8000-000000000002',
          name: 'Set',
          type: 'n8n-nodes-base.set',
          typeVersion: 3.4,
          position: [220, 0],
          parameters: { mode: 'raw', jsonOutput: '{ "a": 1 }', options: {} },
        },
        {
          id: 'a0000000-0000-4000-8000-000000000003',
          name: 'Smoke',
          type: 'n8n-nodes-smoke.smoke',
          typeVersion: 1,
          position: [440, 0],
          parameters: { word: 'from-smoke' },
        },
      ],
      connections: {
        Start: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
        Set: { main: [[{ node: 'Smoke', type: 'main', index: 0 }]] },
      },
    });
    expect(id).toBe('smokeWorkflow01');

    const r = await n8n.execute(id);
    if (!r.ok) throw new Error(`execution ${r.status}: ${JSON.stringify(r.error)}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
    expect(r.status).toBe('success');
    const [item] = outputItems(r, 'Smoke');
    expect(item.json).toMatchObject({ a: 1, smoke: 'from-smoke' });
    expect(String(item.json.nodeVersion)).toMatch(/^v24\./);
  });

  it('imports several workflows at once and runs two executions concurrently', async () => {
    const wf = (id: string, word: string): Record<string, unknown> => ({
      id,
      name: id,
      nodes: [
        { id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        { id: 'b0000000-0000-4000-8000-000000000002', name: 'Smoke', type: 'n8n-nodes-smoke.smoke', typeVersion: 1, position: [220, 0], parameters: { word } },
      ],
      connections: { Start: { main: [[{ node: 'Smoke', type: 'main', index: 0 }]] } },
    });
    const ids = await n8n!.importWorkflows([wf('smokeMany01', 'one'), wf('smokeMany02', 'two')]);
    expect(ids).toEqual(['smokeMany01', 'smokeMany02']);
    const [a, b] = await Promise.all(ids.map((id) => n8n!.execute(id)));
    expect([a.status, b.status]).toEqual(['success', 'success']);
    expect(outputItems(a, 'Smoke')[0].json.smoke).toBe('one');
    expect(outputItems(b, 'Smoke')[0].json.smoke).toBe('two');
  });
});
