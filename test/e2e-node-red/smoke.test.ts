// Smoke test of the Node-RED harness: Node-RED 4 (Node 20) and Node-RED 5 (Node 24) at once,
// each running inject → function → debug and an http-in → function → http-response endpoint.
import { NodeRedFlow, NodeRedRuntime, startNodeRed } from '../support/node-red-runtime';

jest.setTimeout(180_000);

function smokeFlow(tag: string): NodeRedFlow {
  return [
    { id: 'tab1', type: 'tab', label: 'smoke' },
    { id: 'inj1', type: 'inject', z: 'tab1', name: 'go', props: [{ p: 'payload' }], payload: tag, payloadType: 'str', repeat: '', once: false, wires: [['fn1']] },
    {
      id: 'fn1',
      type: 'function',
      z: 'tab1',
      name: 'greet',
      func: "msg.payload = 'smoke-ok ' + msg.payload + ' done';\nnode.log(msg.payload);\nreturn msg;",
      outputs: 1,
      wires: [['dbg1']],
    },
    { id: 'dbg1', type: 'debug', z: 'tab1', name: 'out', active: true, console: true, complete: 'payload', tosidebar: true, tostatus: false, wires: [] },
    { id: 'hin1', type: 'http in', z: 'tab1', name: '', url: '/smoke', method: 'get', wires: [['fn2']] },
    { id: 'fn2', type: 'function', z: 'tab1', func: "msg.payload = { tag: '" + tag + "', query: msg.req.query.q };\nreturn msg;", outputs: 1, wires: [['hout1']] },
    { id: 'hout1', type: 'http response', z: 'tab1', statusCode: '', headers: {}, wires: [] },
  ];
}

describe('Node-RED harness', () => {
  const runtimes: NodeRedRuntime[] = [];
  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.stop()));
  });

  it('starts Node-RED 4 on Node 20 and Node-RED 5 on Node 24 side by side, deploys and runs a flow', async () => {
    const [nr4, nr5] = await Promise.all([startNodeRed({ version: 4 }), startNodeRed({ version: 5, contextStorage: true })]);
    runtimes.push(nr4, nr5);
    expect(nr4.port).not.toBe(nr5.port);
    expect(nr4.userDir).not.toBe(nr5.userDir);

    for (const [rt, tag, major] of [
      [nr4, 'nr4', /^v20\./],
      [nr5, 'nr5', /^v24\./],
    ] as const) {
      await rt.deploy(smokeFlow(tag));
      const flows = await rt.getFlows();
      expect(flows.map((n) => n.id)).toEqual(expect.arrayContaining(['inj1', 'fn1', 'dbg1']));

      await rt.inject('inj1');
      const m = (await rt.waitForLog(/smoke-ok (\w+) done/)) as RegExpMatchArray;
      expect(m[1]).toBe(tag);
      const nodeVersion = (rt.log().match(/Node\.js\s+version: (v[\d.]+)/) || [])[1];
      expect(nodeVersion).toMatch(major);

      const res = await rt.request('GET', '/smoke?q=42');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ tag, query: '42' });
    }
    const s5 = await nr5.request('GET', '/settings');
    expect(s5.json<{ version: string }>().version).toMatch(/^5\./);
    const s4 = await nr4.request('GET', '/settings');
    expect(s4.json<{ version: string }>().version).toMatch(/^4\./);
  });
});
