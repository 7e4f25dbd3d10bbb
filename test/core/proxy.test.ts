// The outbound proxy (runtime/proxy-settings.ts, runtime/proxy-tunnel.ts) against a real proxy,
// Debian's tinyproxy (test/support/proxy-server.ts): token requests, API calls and the discovery
// upload go through CONNECT tunnels with TLS to the emulator verified end to end; NO_PROXY goes
// direct; a wrong proxy, a sign-in the proxy wants, and a refused tunnel give typed errors
// without the proxy password.
import net from 'node:net';
import tls from 'node:tls';
import util from 'node:util';
import { startEmulator, RunningEmulator } from '../../emulator';
import { createTlsMaterial, emulatorCaFromEnvironment } from '../../emulator/tls';
import { MdcaClient, MdcaError } from '../../core';
import { createMdcaClient, parseNoProxy, bypassesProxy, resolveProxyRoute } from '../../runtime';
import { fastSettings, items } from './helpers';
import { hostPort } from '../support/emulator-settings';
import { ProxyServer, tinyproxyBinary, TINYPROXY_INSTALL_TIMEOUT_MS } from '../support/proxy-server';
import { CapturingLogger } from '../reliability/helpers';
import { xdrClient } from '../xdr/helpers';

const USER = 'soc-proxy';
// Shaped like ordinary words, so only redaction by value removes it (tinyproxy takes [-a-z0-9._] only).
const PASSWORD = 'CANARYproxy-pelican.lagoon_7f3e';
const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

let emulator: RunningEmulator;
let open: ProxyServer;
let guarded: ProxyServer;
let portLimited: ProxyServer;
const saved: Record<string, string | undefined> = {};

beforeAll(() => {
  tinyproxyBinary();
}, TINYPROXY_INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  for (const name of PROXY_ENV) saved[name] = process.env[name];
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  // One after the other, so that afterAll stops every one that started.
  open = await ProxyServer.start();
  guarded = await ProxyServer.start({ basicAuth: { user: USER, password: PASSWORD } });
  portLimited = await ProxyServer.start({ connectPorts: [443] });
});
afterAll(async () => {
  restoreEnv();
  await Promise.all([open?.close(), guarded?.close(), portLimited?.close()]);
  await emulator?.close();
});
afterEach(restoreEnv);

function restoreEnv(): void {
  for (const name of PROXY_ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
}

function clearProxyEnv(): void {
  for (const name of PROXY_ENV) delete process.env[name];
}

/** Every connection this process dials (net.connect, and tls.connect without a socket of its own), as host:port. */
function recordDials(): { dials: string[]; stop: () => void } {
  const dials: string[] = [];
  const realNet = net.connect;
  const realTls = tls.connect;
  const record = (args: unknown[]) => {
    const o = (typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] }) as { host?: string; port?: number | string; socket?: unknown; path?: string };
    if (!o.socket && !o.path) dials.push(`${o.host ?? 'localhost'}:${o.port}`);
  };
  const netSpy = jest.spyOn(net, 'connect').mockImplementation(((...args: unknown[]) => {
    record(args);
    return (realNet as (...a: unknown[]) => net.Socket).apply(net, args);
  }) as typeof net.connect);
  const tlsSpy = jest.spyOn(tls, 'connect').mockImplementation(((...args: unknown[]) => {
    record(args);
    return (realTls as (...a: unknown[]) => tls.TLSSocket).apply(tls, args);
  }) as typeof tls.connect);
  return {
    dials,
    stop: () => {
      netSpy.mockRestore();
      tlsSpy.mockRestore();
    },
  };
}

/** The error a list fails with (a list outcome fails as its pages are read). */
async function errorOf(client: MdcaClient): Promise<MdcaError> {
  try {
    await items(await client.run('alert.getAll', {}, { maxItems: 1 }));
  } catch (error) {
    return error as MdcaError;
  }
  throw new Error('expected the list to fail');
}

/** Every way an error could be shown or logged. */
function shown(error: unknown, logger?: CapturingLogger): string {
  const e = error as Error;
  return [JSON.stringify(e), util.inspect(e, { depth: 10, showHidden: true }), String(e?.stack), String(e), e?.message, logger?.text() ?? ''].join('\n');
}

function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(encodeURIComponent(PASSWORD));
  expect(text).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
}

describe('through HTTPS_PROXY', () => {
  test('token requests, API calls and the discovery upload all go through CONNECT tunnels, none direct', async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = open.url();
    open.newConnects();
    const tokensBefore = emulator.control.tokenRequestCounts().total;
    const recorder = recordDials();
    try {
      const client = createMdcaClient(fastSettings(emulator, 'appCertificate'));
      expect(await items(await client.run('alert.getAll', {}, { maxItems: 3 }))).toHaveLength(3);
      const content = new TextEncoder().encode('2026-01-01 10.0.0.1 GET https://dropbox.com 200\n'.repeat(20));
      const upload = await client.run('discovery.uploadLog', { content, fileName: 'proxied.log', source: 'SQUID', inputStreamName: 'Proxy A' });
      expect(upload).toMatchObject({ kind: 'result', result: { finalized: true } });
    } finally {
      recorder.stop();
    }
    expect(emulator.control.tokenRequestCounts().total).toBeGreaterThan(tokensBefore);
    const api = hostPort(emulator.tenants.contoso.apiUrl);
    const connects = open.newConnects();
    expect(connects).toEqual(expect.arrayContaining([emulator.identityHost, api]));
    // Every tunnel goes to the emulator; every connection this process dialled went to the proxy.
    expect(new Set(connects)).toEqual(new Set([emulator.identityHost, api]));
    expect(recorder.dials.length).toBeGreaterThan(0);
    expect(new Set(recorder.dials)).toEqual(new Set([`127.0.0.1:${open.port}`]));
  });

  test('the Defender XDR client goes through the proxy too (lower-case https_proxy)', async () => {
    clearProxyEnv();
    process.env.https_proxy = open.url();
    open.newConnects();
    await items(await xdrClient(emulator, 'appSecret').run('incident.getAll', {}, { maxItems: 1 }));
    expect(open.newConnects()).toContain(hostPort(emulator.tenants.contoso.xdrApiUrl));
  });

  test('TLS is verified end to end against the emulator: a target with an untrusted certificate fails through the proxy', async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = open.url();
    const untrusted = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], ca: 'fresh' });
    try {
      // The client trusts the run's CA, not the fresh one the untrusted emulator signs with.
      const settings = fastSettings(untrusted, 'apiToken');
      const client = createMdcaClient({ ...settings, testing: { ...settings.testing!, caPem: emulator.caPem } });
      const error = await errorOf(client);
      expect(error).toBeInstanceOf(MdcaError);
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.hint).toMatch(/certificate is not trusted/);
      expect(open.newConnects()).toContain(hostPort(untrusted.tenants.contoso.apiUrl));
    } finally {
      await untrusted.close();
    }
  });
});

/** A TLS front for the open proxy (an https:// proxy), its certificate signed by `ca` (the run's by default). */
async function tlsFront(material = createTlsMaterial(emulatorCaFromEnvironment())): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: material.serverCertPem, key: material.serverKeyPem }, (socket) => {
    const upstream = net.createConnection({ host: '127.0.0.1', port: open.port });
    sockets.add(socket).add(upstream);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  // Kept-alive tunnels would hold server.close() open: end them with it.
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe('an https:// proxy', () => {
  test('the connection to the proxy is TLS verified against its own name, then the tunnel to the target', async () => {
    clearProxyEnv();
    const front = await tlsFront();
    try {
      open.newConnects();
      const client = createMdcaClient(fastSettings(emulator, 'apiToken', 'contoso', { proxyUrl: `https://127.0.0.1:${front.port}` }));
      expect(await items(await client.run('alert.getAll', {}, { maxItems: 1 }))).toHaveLength(1);
      expect(open.newConnects()).toContain(hostPort(emulator.tenants.contoso.apiUrl));
    } finally {
      await front.close();
    }
  });

  test('a proxy whose certificate is not trusted is not used: PROXY_FAILED naming the TLS error', async () => {
    clearProxyEnv();
    const front = await tlsFront(createTlsMaterial());
    try {
      open.newConnects();
      const error = await errorOf(createMdcaClient(fastSettings(emulator, 'apiToken', 'contoso', { proxyUrl: `https://127.0.0.1:${front.port}`, retry: { maxRetries: 0 } })));
      expect(error).toMatchObject({ code: 'PROXY_FAILED', details: { proxyProblem: 'unreachable' } });
      expect(error.message).toMatch(/CERT|SELF_SIGNED|VERIFY/);
      expect(open.newConnects()).toEqual([]);
    } finally {
      await front.close();
    }
  });
});

describe('NO_PROXY and the connection field', () => {
  test('hosts in NO_PROXY go direct', async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = open.url();
    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    open.newConnects();
    const recorder = recordDials();
    try {
      const client = createMdcaClient(fastSettings(emulator, 'appSecret'));
      expect(await items(await client.run('alert.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
    } finally {
      recorder.stop();
    }
    expect(open.newConnects()).toEqual([]);
    expect(recorder.dials).not.toContain(`127.0.0.1:${open.port}`);
  });

  test("a connection's own proxy URL wins over HTTPS_PROXY and carries its sign-in to the proxy only", async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = 'http://127.0.0.1:9'; // nothing listens there
    guarded.newConnects();
    const logger = new CapturingLogger();
    const client = createMdcaClient(fastSettings(emulator, 'userPassword', 'contoso', { proxyUrl: guarded.url({ user: USER, password: PASSWORD }) }), { logger });
    expect(await items(await client.run('activity.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
    expect(guarded.newConnects()).toEqual(expect.arrayContaining([emulator.identityHost, hostPort(emulator.tenants.contoso.apiUrl)]));
    // The target never saw a proxy header.
    const log = emulator.control.requestLog('contoso');
    expect(JSON.stringify(log)).not.toMatch(/proxy-authorization/i);
    expectNoPassword(logger.text());
  });

  test('NO_PROXY matching: domains cover subdomains, ports and CIDR ranges, * bypasses all', () => {
    const rules = parseNoProxy('.corp.example, internal.test:8443, 10.0.0.0/8, [::1]');
    expect(bypassesProxy(rules, 'api.corp.example', 443)).toBe(true);
    expect(bypassesProxy(rules, 'corp.example', 443)).toBe(true);
    expect(bypassesProxy(rules, 'notcorp.example', 443)).toBe(false);
    expect(bypassesProxy(rules, 'internal.test', 8443)).toBe(true);
    expect(bypassesProxy(rules, 'internal.test', 443)).toBe(false);
    expect(bypassesProxy(rules, '10.1.2.3', 443)).toBe(true);
    expect(bypassesProxy(rules, '11.1.2.3', 443)).toBe(false);
    expect(bypassesProxy(rules, '::1', 443)).toBe(true);
    expect(bypassesProxy(rules, 'login.microsoftonline.com', 443)).toBe(false);
    // The Azure instance metadata endpoint never goes through a proxy.
    expect(bypassesProxy(parseNoProxy(''), '169.254.169.254', 80)).toBe(true);
    expect(bypassesProxy(parseNoProxy('*'), 'graph.microsoft.com', 443)).toBe(true);
  });

  test('lower-case variables win, HTTP_PROXY is the fallback, a bare host:port is read as http://', () => {
    expect(resolveProxyRoute(undefined, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.proxy).toMatchObject({ hostname: 'lower', port: 2, source: 'https_proxy' });
    expect(resolveProxyRoute(undefined, { HTTP_PROXY: 'proxy.corp:3128' })?.proxy).toMatchObject({ protocol: 'http:', hostname: 'proxy.corp', port: 3128, source: 'HTTP_PROXY' });
    expect(resolveProxyRoute(undefined, {})).toBeUndefined();
    expect(resolveProxyRoute('https://p.corp', {})?.proxy).toMatchObject({ protocol: 'https:', port: 443, source: 'proxyUrl' });
  });

  test('a proxy URL that is not http:// or https:// is refused before anything is sent, naming the field', () => {
    clearProxyEnv();
    const tokens = emulator.control.tokenRequestCounts().total;
    expect(() => createMdcaClient(fastSettings(emulator, 'appSecret', 'contoso', { proxyUrl: `socks5://${USER}:${PASSWORD}@127.0.0.1:1080` }))).toThrow(
      expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'proxyUrl' }, message: expect.stringMatching(/http:\/\/ or https:\/\//) }),
    );
    expect(() => createMdcaClient(fastSettings(emulator, 'appSecret', 'contoso', { proxyUrl: 'http://proxy.corp:3128/some/path' }))).toThrow(expect.objectContaining({ details: { field: 'proxyUrl' } }));
    process.env.HTTPS_PROXY = 'ftp://proxy.corp:21';
    expect(() => createMdcaClient(fastSettings(emulator, 'appSecret'))).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'HTTPS_PROXY' } }));
    expect(emulator.control.tokenRequestCounts().total).toBe(tokens);
    try {
      createMdcaClient(fastSettings(emulator, 'appSecret', 'contoso', { proxyUrl: `socks5://${USER}:${PASSWORD}@127.0.0.1:1080` }));
    } catch (error) {
      expectNoPassword(shown(error));
    }
  });
});

describe('typed proxy errors', () => {
  test('an unreachable proxy: PROXY_FAILED (unreachable) for the token request and for the API call, nothing sent', async () => {
    clearProxyEnv();
    const dead = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:9`;
    const apiCalls = emulator.control.requestLog('contoso').length;
    const tokens = emulator.control.tokenRequestCounts().total;
    for (const kind of ['appSecret', 'apiToken'] as const) {
      const logger = new CapturingLogger();
      const client = createMdcaClient(fastSettings(emulator, kind, 'contoso', { proxyUrl: dead, retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 20 } }), { logger });
      const error = await errorOf(client);
      expect(error).toBeInstanceOf(MdcaError);
      expect(error).toMatchObject({ name: 'MdcaProxyError', code: 'PROXY_FAILED', details: { proxyProblem: 'unreachable' } });
      expect(error.message).toContain('127.0.0.1:9');
      expect(error.message).toContain('proxyUrl');
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(error.hint).toMatch(/proxy host and port/);
      expectNoPassword(shown(error, logger));
    }
    expect(emulator.control.requestLog('contoso').length).toBe(apiCalls);
    expect(emulator.control.tokenRequestCounts().total).toBe(tokens);
  });

  test('a proxy that wants a sign-in: 407 names what to do; wrong credentials are refused; neither shows the password', async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = guarded.url();
    const none = await errorOf(createMdcaClient(fastSettings(emulator, 'apiToken')));
    expect(none).toMatchObject({ code: 'PROXY_FAILED', details: { proxyProblem: 'authRequired', status: 407 } });
    expect(none.message).toMatch(/needs a sign-in \(407\)/);
    expect(none.hint).toMatch(/user:password@host:port/);
    expect(none.message).toContain('HTTPS_PROXY');

    process.env.HTTPS_PROXY = guarded.url({ user: USER, password: `${PASSWORD}-wrong` });
    const logger = new CapturingLogger();
    const wrong = await errorOf(createMdcaClient(fastSettings(emulator, 'appSecret'), { logger }));
    expect(wrong).toMatchObject({ code: 'PROXY_FAILED', details: { proxyProblem: 'authRequired' } });
    expect(wrong.message).toMatch(/refused its user name and password/);
    expectNoPassword(shown(wrong, logger));
    expect(shown(wrong, logger)).not.toContain(`${PASSWORD}-wrong`);
  });

  test('a proxy that refuses the tunnel (403): PROXY_FAILED (connectRefused) naming the target', async () => {
    clearProxyEnv();
    process.env.HTTPS_PROXY = portLimited.url();
    const error = await errorOf(createMdcaClient(fastSettings(emulator, 'apiToken')));
    expect(error).toMatchObject({ code: 'PROXY_FAILED', details: { proxyProblem: 'connectRefused', status: 403 } });
    expect(error.message).toContain(hostPort(emulator.tenants.contoso.apiUrl));
    expect(error.hint).toMatch(/allow CONNECT/);
  });
});
