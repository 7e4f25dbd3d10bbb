// The credential-editor row of the threat model (docs/reliability.md) in a shared Node-RED: a
// colleague who may edit flows but may not read the connection's secrets changes every property of
// the config node (one at a time, every value an attacker would try, plus the properties older
// versions saved) and deploys; the secrets stay in flows_cred.json as they were. Whatever the nodes
// then do, no secret and no authorization header may reach the attacker's hosts. The emulator is
// allowed by the operator, not the flow.
import { startEmulator, RunningEmulator } from '../../emulator';
import { Attacker, attackerValues, startAttacker } from '../support/attacker';
import { connection, FlowNode, helper, load } from './helpers';
import type { EmulatorAuthKind } from '../support/emulator-settings';

jest.setTimeout(600_000);

let emulator: RunningEmulator;
let attacker: Attacker;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  emulator.control.xdr.setThrottle('contoso', false);
  attacker = await startAttacker();
  await new Promise<void>((r) => helper.startServer(r));
});
beforeEach(() => attacker.reset());
afterAll(async () => {
  await helper.unload();
  await new Promise<void>((r) => helper.stopServer(r));
  await attacker?.close();
  await emulator?.close();
});

const REDIS_PASSWORD = 'redis-Secret-0b6d2e95';
const kinds: EmulatorAuthKind[] = ['appSecret', 'appCertificate', 'userPassword', 'apiToken'];

/** Properties of the config node a flow editor can set (the dialog's and those of older versions). */
const PROPERTIES = ['name', 'cloud', 'apiUrl', 'authKind', 'tenantId', 'clientId', 'username', 'signedInAs', 'requestsPerMinute', 'xdrApiUrl', 'xdrRequestsPerMinute', 'graphApiUrl', 'mdeApiUrl', 'redisKeyPrefix', 'allowHosts', 'authorityHost', 'caPem', 'redisUrl', 'redisTls'];

function candidates(name: string): unknown[] {
  if (name === 'cloud') return ['commercial', 'gcc', 'gccHigh', ...attackerValues(attacker)];
  if (name === 'authKind') return ['appSecret', 'appCertificate', 'userPassword', 'deviceCode', 'apiToken'];
  if (name === 'redisTls') return [true, false, 'true'];
  return attackerValues(attacker);
}

function secretsOf(credentials: Record<string, string>): string[] {
  const pem = (credentials.privateKeyPem ?? '').split('\n').filter((l) => l && !l.startsWith('-----'));
  return [credentials.clientSecret, credentials.password, credentials.apiToken, credentials.refreshToken, credentials.privateKeyPassphrase, REDIS_PASSWORD, ...pem].filter((s): s is string => typeof s === 'string' && s.length >= 8);
}

interface ConfigNode {
  getClient(): { insight(signal?: AbortSignal): Promise<unknown>; run(id: string, params: unknown, o: unknown): Promise<{ kind: string; pages?: AsyncIterable<unknown> }> };
  getXdrClient(): { insight(signal?: AbortSignal): Promise<unknown> };
  getGraphClient(): { insight(signal?: AbortSignal): Promise<unknown> };
  getEntraClient(): { insight(signal?: AbortSignal): Promise<unknown> };
  getMdeClient(): { insight(signal?: AbortSignal): Promise<unknown> };
}

/** Deploys the edited connection and does what its nodes do: sign in, read MDCA and Defender XDR, sign in for Microsoft Graph, Entra ID and Defender for Endpoint. */
async function deployAndUse(node: FlowNode, credentials: Record<string, Record<string, string>>): Promise<void> {
  try {
    await load([node], credentials);
  } catch {
    return;
  }
  const cfg = helper.getNode('cfg') as unknown as ConfigNode | undefined;
  if (!cfg) return;
  const signal = AbortSignal.timeout(20_000);
  try {
    const client = cfg.getClient();
    await client.insight(signal).catch(() => undefined);
    const outcome = await client.run('alert.getAll', {}, { signal, maxItems: 1 }).catch(() => undefined);
    if (outcome?.kind === 'pages' && outcome.pages) for await (const _ of outcome.pages) break;
  } catch {
    // a configuration error is a fine outcome: nothing was sent
  }
  try {
    await cfg.getXdrClient().insight(signal).catch(() => undefined);
  } catch {
    // as above
  }
  for (const serviceClient of [() => cfg.getGraphClient(), () => cfg.getEntraClient(), () => cfg.getMdeClient()]) {
    try {
      await serviceClient().insight(signal).catch(() => undefined);
    } catch {
      // as above
    }
  }
}

function expectNothingLeaked(secrets: string[], what: string): void {
  const received = attacker.received();
  for (const secret of secrets) {
    if (received.includes(secret)) throw new Error(`${what}: a secret (${secret.slice(0, 4)}…) reached the attacker's host`);
  }
  expect({ what, authorizationHeader: /"authorization"\s*:/i.test(received) }).toEqual({ what, authorizationHeader: false });
}

it('the connection reaches the emulator as deployed (so the attacks below are meaningful)', async () => {
  const c = connection(emulator, 'appSecret');
  await load([c.node], c.credentials);
  const cfg = helper.getNode('cfg') as unknown as ConfigNode;
  await expect(cfg.getClient().insight()).resolves.toBeDefined();
});

describe('a flow editor who changes one property at a time never receives a secret', () => {
  it.each(kinds)('%s', async (kind) => {
    const c = connection(emulator, kind);
    for (const name of PROPERTIES) {
      for (const value of candidates(name)) {
        await deployAndUse({ ...c.node, [name]: value }, c.credentials);
        expectNothingLeaked(secretsOf(c.credentials.cfg), `${kind}, ${name} = ${String(value).slice(0, 60)}`);
      }
    }
  });
});

describe('a flow editor who may not read the secrets', () => {
  it('the emulator properties of older versions point the connection at the attacker, with the attacker CA', async () => {
    for (const kind of kinds) {
      const c = connection(emulator, kind);
      const node = { ...c.node, allowHosts: attacker.httpsHost, authorityHost: attacker.httpsUrl, caPem: attacker.caPem, apiUrl: attacker.httpsUrl, xdrApiUrl: attacker.httpsUrl, graphApiUrl: attacker.httpsUrl, mdeApiUrl: attacker.httpsUrl };
      await deployAndUse(node, c.credentials);
      expectNothingLeaked(secretsOf(c.credentials.cfg), `${kind}, legacy emulator properties`);
    }
  });

  it('the Redis URL in the flow changed while the Redis password stays in the credentials', async () => {
    const c = connection(emulator, 'appSecret');
    const credentials = { cfg: { ...c.credentials.cfg, redisPassword: REDIS_PASSWORD } };
    await deployAndUse({ ...c.node, redisUrl: `redis://${attacker.tcpHost}/0` }, credentials);
    expectNothingLeaked(secretsOf(credentials.cfg), 'Redis URL in the flow');
  });
});
