// What the Graph client refuses before sending (legacy MDCA token, a token for another API, a
// missing permission, the China root), the token resource per Graph root, and @odata.nextLink
// followed only on the API origin. No emulator: a recording transport answers.
import { clouds } from '../../core/clouds';
import { GraphClient } from '../../core/graph/client';
import { graphTokenResource, validateGraphBaseUrl } from '../../core/graph/base-url';
import type { AccessToken, HttpRequest, HttpTransport, PacingPort } from '../../core/ports';
import { collect } from '../../core/paging';
import type { OperationOutcome } from '../../core/operations/types';

const base64Url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>): AccessToken => ({ token: `${base64Url({ alg: 'none' })}.${base64Url(claims)}.sig`, scheme: 'Bearer' });
const pacer: PacingPort = { acquire: async () => ({ release: () => undefined }), reportThrottled: () => undefined };

function client(token: AccessToken, sent: HttpRequest[], answers: unknown[] = [{ value: [] }]): GraphClient {
  const transport: HttpTransport = {
    async send(request) {
      sent.push(request);
      const body = answers[Math.min(sent.length - 1, answers.length - 1)];
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    },
  };
  return new GraphClient({ cloud: clouds.commercial, transport, tokenProvider: { cacheKey: 't', getToken: async () => token }, clock: { now: () => Date.now() }, sleep: async () => undefined, pacer });
}

const pages = async (outcome: OperationOutcome) => (outcome.kind === 'pages' ? collect(outcome.pages) : []);
const app = jwt({ aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.Read.All', 'SecurityIncident.Read.All'] });

describe('Microsoft Graph refuses before sending', () => {
  it.each([
    ['a legacy MDCA API token', { token: 'a'.repeat(40), scheme: 'Token' } as AccessToken, /legacy MDCA API token cannot call Microsoft Graph/],
    ['a token for Defender XDR', jwt({ aud: 'https://api.security.microsoft.com', roles: ['SecurityAlert.Read.All'] }), /not for Microsoft Graph\. Nothing was sent/],
    ['an app token without the permission', jwt({ aud: 'https://graph.microsoft.com', roles: ['SecurityIncident.Read.All'] }), /needs SecurityAlert\.Read\.All or SecurityAlert\.ReadWrite\.All\. Nothing was sent/],
    ['a delegated token without the permission (case-insensitive names)', jwt({ aud: '00000003-0000-0000-c000-000000000000', scp: 'securityincident.readwrite.all' }), /needs SecurityAlert\.Read\.All or SecurityAlert\.ReadWrite\.All\. Nothing was sent/],
  ])('%s', async (_, token, message) => {
    const sent: HttpRequest[] = [];
    await expect(client(token, sent).run('alert.getAll', {}, { maxItems: 1 })).rejects.toThrow(message);
    expect(sent).toEqual([]);
  });

  it('the legacy refusal names the credential kinds that work', async () => {
    const error = await client({ token: 'a'.repeat(40), scheme: 'Token' }, []).run('alert.get', { alertId: 'x' }).catch((e: { hint: string }) => e);
    expect(error).toMatchObject({ code: 'CONFIGURATION_INVALID', hint: expect.stringMatching(/Entra app \(client secret or certificate\) or a user sign-in/) });
  });

  it('a write needs the ReadWrite permission; grants are read case-insensitively from scp', async () => {
    const sent: HttpRequest[] = [];
    await expect(client(app, sent).run('alert.addComment', { alertId: 'a1', comment: 'x' })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', details: { permissions: ['SecurityAlert.ReadWrite.All'] } });
    const user = jwt({ aud: 'https://graph.microsoft.com', scp: 'openid SECURITYALERT.READWRITE.ALL' });
    await client(user, sent, [{ value: [{ comment: 'x' }] }]).run('alert.addComment', { alertId: 'a1', comment: 'x' });
    expect(sent.map((r) => [r.method, new URL(r.url).pathname, JSON.parse(String(r.body))])).toEqual([['POST', '/v1.0/security/alerts_v2/a1/comments', { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'x' }]]);
    expect(sent[0].headers.prefer).toBe('include-unknown-enum-members');
  });
});

describe('Graph roots per cloud', () => {
  it('the cloud default, the DoD root for GCC High, China and other clouds refused, tokens for the root used', () => {
    expect(validateGraphBaseUrl('', clouds.commercial)).toBe('https://graph.microsoft.com');
    expect(validateGraphBaseUrl('', clouds.gcc)).toBe('https://graph.microsoft.com');
    expect(validateGraphBaseUrl('', clouds.gccHigh)).toBe('https://graph.microsoft.us');
    expect(validateGraphBaseUrl('dod-graph.microsoft.us', clouds.gccHigh)).toBe('https://dod-graph.microsoft.us');
    expect(graphTokenResource('https://dod-graph.microsoft.us', clouds.gccHigh)).toBe('https://dod-graph.microsoft.us');
    expect(graphTokenResource('https://127.0.0.1:9443', clouds.commercial)).toBe('https://graph.microsoft.com');
    expect(() => validateGraphBaseUrl('https://microsoftgraph.chinacloudapi.cn', clouds.commercial)).toThrow(/21Vianet/);
    expect(() => validateGraphBaseUrl('https://graph.microsoft.us', clouds.commercial)).toThrow(/another cloud/);
    expect(() => validateGraphBaseUrl('http://graph.microsoft.com', clouds.commercial)).toThrow(/plain https origin/);
    expect(() => validateGraphBaseUrl('graph.microsoft.com.evil.example', clouds.commercial)).toThrow(/not a Microsoft Graph host/);
  });
});

describe('@odata.nextLink is followed on the API origin only', () => {
  const noEvidence = { evidenceUsers: [], evidenceDevices: [] };
  const first = { value: [{ id: 'a1' }], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/security/alerts_v2?$top=1&$skiptoken=abc%2B1' };

  it('a link on the same host is rebuilt there, its query kept', async () => {
    const sent: HttpRequest[] = [];
    const items = await pages(await client(app, sent, [first, { value: [{ id: 'a2' }] }]).run('alert.getAll', { top: 1 }));
    // Each alert carries its evidence fields (core/graph/evidence.ts), empty here.
    expect(items).toEqual([{ id: 'a1', ...noEvidence }, { id: 'a2', ...noEvidence }]);
    expect(sent.map((r) => r.url)).toEqual(['https://graph.microsoft.com/v1.0/security/alerts_v2?%24top=1', 'https://graph.microsoft.com/v1.0/security/alerts_v2?%24top=1&%24skiptoken=abc%2B1']);
  });

  it.each([
    ['another host', 'https://graph.microsoft.com.evil.example/v1.0/security/alerts_v2?$skiptoken=1', /another host than graph\.microsoft\.com/],
    ['another port', 'https://graph.microsoft.com:8443/v1.0/security/alerts_v2?$skiptoken=1', /another host/],
    ['plain http', 'http://graph.microsoft.com/v1.0/security/alerts_v2?$skiptoken=1', /another host/],
    ['another path', 'https://graph.microsoft.com/v1.0/users?$skiptoken=1', /another path than the list/],
    ['a relative link', '/v1.0/security/alerts_v2?$skiptoken=1', /not an absolute URL/],
  ])('a link to %s is refused and not followed', async (_, link, message) => {
    const sent: HttpRequest[] = [];
    await expect(pages(await client(app, sent, [{ value: [{ id: 'a1' }], '@odata.nextLink': link }]).run('alert.getAll', {}))).rejects.toThrow(message);
    expect(sent).toHaveLength(1);
  });

  it('the same link twice stops the list instead of looping', async () => {
    const sent: HttpRequest[] = [];
    const items = await pages(await client(app, sent, [first, first, first]).run('alert.getAll', { top: 1 }));
    expect(items).toEqual([{ id: 'a1', ...noEvidence }, { id: 'a1', ...noEvidence }]);
    expect(sent).toHaveLength(2);
  });
});

describe('alert.getByMdcaAlertId without the incident permission', () => {
  const mdcaId = '5f3b2a1c9d8e7f6a5b4c3d2e';
  const alert = { id: `ca${mdcaId}`, providerAlertId: mdcaId, serviceSource: 'microsoftDefenderForCloudApps', incidentId: '29', evidence: [] };
  const alertsOnly = jwt({ aud: 'https://graph.microsoft.com', roles: ['SecurityAlert.Read.All'] });
  function refusingIncidents(sent: HttpRequest[]): GraphClient {
    const transport: HttpTransport = {
      async send(request) {
        sent.push(request);
        if (new URL(request.url).pathname.includes('/incidents/')) {
          return { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'Forbidden', message: 'Missing role permissions on the request.' } }) };
        }
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert) };
      },
    };
    return new GraphClient({ cloud: clouds.commercial, transport, tokenProvider: { cacheKey: 't', getToken: async () => alertsOnly }, clock: { now: () => Date.now() }, sleep: async () => undefined, pacer });
  }

  it('a 403 on the incident names the permission and the switch that avoids it', async () => {
    const sent: HttpRequest[] = [];
    const error = await refusingIncidents(sent).run('alert.getByMdcaAlertId', { mdcaAlertId: mdcaId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PERMISSION_MISSING', details: { field: 'includeIncident', permissions: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'] }, hint: expect.stringContaining('Include Incident') });
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual([`/v1.0/security/alerts_v2/ca${mdcaId}`, '/v1.0/security/incidents/29']);
    const withoutIncident = await refusingIncidents([]).run('alert.getByMdcaAlertId', { mdcaAlertId: mdcaId, includeIncident: false });
    expect(withoutIncident).toMatchObject({ kind: 'item', item: { id: `ca${mdcaId}`, evidenceUsers: [] } });
  });
});
