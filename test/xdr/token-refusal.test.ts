// What the one client refuses before sending, by the service's permission model: Defender XDR takes
// no legacy MDCA token and no token issued for another API (an empty audience included), and
// names a missing permission; MDCA leaves a legacy or opaque token to the server. Nothing reaches
// the transport in any refused case. No emulator: the refusal happens before any I/O.
import { clouds } from '../../core/clouds';
import { MdcaClient } from '../../core/client';
import type { AccessToken, HttpRequest, HttpTransport, PacingPort } from '../../core/ports';
import { XdrClient } from '../../core/xdr/client';
import { routeToApiOrigin } from '../../runtime/create-service-client';

const base64Url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>): AccessToken => ({ token: `${base64Url({ alg: 'none' })}.${base64Url(claims)}.sig`, scheme: 'Bearer' });

function recordingTransport(sent: HttpRequest[]): HttpTransport {
  return {
    async send(request) {
      sent.push(request);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"value":[]}' };
    },
  };
}

const pacer: PacingPort = { acquire: async () => ({ release: () => undefined }), reportThrottled: () => undefined };

function config(token: AccessToken, sent: HttpRequest[]) {
  return {
    cloud: clouds.commercial,
    transport: recordingTransport(sent),
    tokenProvider: { cacheKey: 'test', getToken: async () => token },
    clock: { now: () => Date.now() },
    sleep: async () => undefined,
    pacer,
  };
}

describe('Defender XDR refuses before sending', () => {
  it.each([
    ['a legacy MDCA API token', { token: 'a'.repeat(40), scheme: 'Token' } as AccessToken, /legacy MDCA API token cannot call the Defender XDR API/],
    ['a token for the MDCA app', jwt({ aud: '05a65629-4c1b-48c1-a78b-804c4abdd4af', roles: ['Incident.Read.All'] }), /not for the Defender XDR API .*Nothing was sent/],
    ['a token with an empty audience', jwt({ aud: '', roles: ['Incident.Read.All'] }), /not for the Defender XDR API .*Nothing was sent/],
    ['an XDR token without the permission', jwt({ aud: 'https://api.security.microsoft.com', roles: ['AdvancedHunting.Read.All'] }), /needs Incident\.Read\.All or Incident\.ReadWrite\.All.*Nothing was sent/],
    ['a delegated XDR token without the permission', jwt({ aud: 'https://api.security.microsoft.com', scp: 'AdvancedHunting.Read' }), /needs Incident\.Read or Incident\.ReadWrite\. Nothing was sent/],
  ])('%s', async (_, token, message) => {
    const sent: HttpRequest[] = [];
    await expect(new XdrClient(config(token, sent)).run('incident.getAll', {}, { maxItems: 1 })).rejects.toThrow(message);
    expect(sent).toEqual([]);
  });

  it('an XDR token without an audience claim or an opaque token goes to the server, which decides', async () => {
    for (const token of [jwt({ roles: ['Incident.Read.All'] }), { token: 'opaque', scheme: 'Bearer' } as AccessToken]) {
      const sent: HttpRequest[] = [];
      const outcome = await new XdrClient(config(token, sent)).run('incident.getAll', {}, { maxItems: 1 });
      if (outcome.kind === 'pages') for await (const page of outcome.pages) void page;
      expect(sent.map((r) => new URL(r.url).host)).toEqual(['api.security.microsoft.com']);
    }
  });
});

describe('MDCA leaves a legacy token to the server and names a missing permission', () => {
  const apiUrl = 'https://contoso.us2.portal.cloudappsecurity.com';

  it('a legacy token is sent (its rights are its creator’s)', async () => {
    const sent: HttpRequest[] = [];
    const client = new MdcaClient({ ...config({ token: 'a'.repeat(40), scheme: 'Token' }, sent), apiUrl });
    const outcome = await client.run('alert.get', { alertId: '5f0d1c2e3b4a5968778695a4' });
    expect(outcome.kind).toBe('item');
    expect(sent.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /api/v1/alerts/5f0d1c2e3b4a5968778695a4/']);
  });

  it('a token without the permission is refused, naming it', async () => {
    const sent: HttpRequest[] = [];
    const client = new MdcaClient({ ...config(jwt({ aud: '05a65629-4c1b-48c1-a78b-804c4abdd4af', roles: ['Settings.read'] }), sent), apiUrl });
    await expect(client.run('alert.closeBenign', { alertIds: ['5f0d1c2e3b4a5968778695a4'] })).rejects.toThrow(/it needs Investigation\.manage or Discovery\.manage\. Nothing was sent/);
    expect(sent).toEqual([]);
  });
});

describe('an externally authenticated connection sends only the API origin through the host transport', () => {
  it('storage and any other host go through the plain transport', async () => {
    const viaHost: string[] = [];
    const viaFallback: string[] = [];
    const host: HttpTransport = { send: async (r) => (viaHost.push(r.url), { status: 200, headers: {}, body: '' }) };
    const fallback: HttpTransport = { send: async (r) => (viaFallback.push(r.url), { status: 201, headers: {}, body: '' }) };
    const transport = routeToApiOrigin('https://contoso.us2.portal.cloudappsecurity.com', host, fallback);
    const request = (url: string): HttpRequest => ({ method: 'GET', url, headers: {}, timeoutMs: 1000, maxResponseBytes: 1000 });
    await transport.send(request('https://contoso.us2.portal.cloudappsecurity.com/api/v1/alerts/'));
    await transport.send(request('https://account.blob.core.windows.net/container/log?sig=x'));
    await transport.send(request('https://contoso.us2.portal.cloudappsecurity.com.evil.example/api/v1/alerts/'));
    await transport.send(request('https://contoso.us2.portal.cloudappsecurity.com:8443/api/v1/alerts/'));
    expect(viaHost).toEqual(['https://contoso.us2.portal.cloudappsecurity.com/api/v1/alerts/']);
    expect(viaFallback).toHaveLength(3);
  });
});
