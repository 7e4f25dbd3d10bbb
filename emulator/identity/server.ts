// Routes of the identity listener: Entra endpoints, plus the blob stub (/_blob) and the control
// API (/_emulator) which are delegated.
import type { IncomingMessage, ServerResponse } from 'http';
import { delay, headerValue, readBody, sendJson, sendText } from '../http-util';
import { instanceDiscovery, jwks, openIdConfiguration } from './metadata';
import { IdentityRegistry } from './registry';
import { TokenEndpointResult, TokenService } from './token-service';
import { AAD } from './errors';
import { MANAGED_IDENTITY_PATHS } from './managed-identity';

export interface IdentityRoutes {
  registry: IdentityRegistry;
  tokens: TokenService;
  baseUrl: () => string;
  blob: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  control: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

function formOf(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out[k] = v;
  return out;
}

async function writeTokenResult(res: ServerResponse, r: TokenEndpointResult): Promise<void> {
  if (r.delayMs) await delay(r.delayMs);
  if (r.rawBody !== undefined) {
    res.writeHead(r.status, { 'content-type': r.contentType ?? 'text/html', 'content-length': Buffer.byteLength(r.rawBody), ...(r.headers ?? {}) });
    res.end(r.rawBody);
    return;
  }
  sendJson(res, r.status, r.body, r.headers ?? {});
}

export function createIdentityHandler(routes: IdentityRoutes) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://emulator.invalid');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const base = routes.baseUrl();
    if (path.startsWith('/_blob/')) return routes.blob(req, res, url);
    if (path.startsWith('/_emulator/') || path === '/_emulator') return routes.control(req, res, url);

    if (method === 'GET') {
      await readBody(req).catch(() => Buffer.alloc(0));
      const imds = MANAGED_IDENTITY_PATHS.imds.exec(path);
      const appService = imds ? null : MANAGED_IDENTITY_PATHS.appService.exec(path);
      const mi = imds ?? appService;
      if (mi) {
        // The tenant whose Azure host answers: named in the path, else the first one.
        const tenant = mi[1] ? routes.registry.findTenant(mi[1]) : routes.registry.tenantsByName.values().next().value;
        if (!tenant) return sendJson(res, 404, { error: 'not_found', error_description: 'Unknown tenant.' });
        const style = imds ? 'imds' : 'appService';
        const result = routes.tokens.handleManagedIdentity(
          { style, tenantName: tenant.name, query: url.searchParams, headers: { metadata: headerValue(req, 'metadata'), identityHeader: headerValue(req, 'x-identity-header') } },
          path,
        );
        return writeTokenResult(res, result);
      }
      if (path === '/common/discovery/instance' || path === '/common/discovery/v2.0/instance') return sendJson(res, 200, instanceDiscovery(base, new URL(base).host));
      if (path === '/devicelogin') return sendText(res, 200, '<html><body><h1>MDCA emulator device login</h1><p>Approve codes through POST /_emulator/device-codes/approve.</p></body></html>', 'text/html; charset=utf-8');
      const meta = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path);
      if (meta) {
        const tenant = routes.registry.findTenant(meta[1]);
        const special = ['common', 'organizations'].includes(meta[1].toLowerCase());
        if (!tenant && !special) return sendJson(res, 400, AAD.unknownTenant(meta[1]).body);
        return sendJson(res, 200, openIdConfiguration(base, meta[1], tenant?.tenantId ?? '{tenantid}', meta[2] ? 'v2' : 'v1'));
      }
      if (/^\/[^/]+\/discovery(\/v2\.0)?\/keys$/.test(path)) return sendJson(res, 200, jwks(routes.registry));
      return sendJson(res, 404, { error: 'not_found', error_description: 'Unknown identity endpoint.' });
    }

    if (method === 'POST') {
      const body = await readBody(req, 1024 * 1024).catch(() => Buffer.alloc(0));
      const token = /^\/([^/]+)\/oauth2\/(v2\.0\/)?token\/?$/.exec(path);
      if (token) {
        const result = routes.tokens.handleToken(token[1], token[2] ? 'v2' : 'v1', formOf(body), headerValue(req, 'authorization'), path);
        return writeTokenResult(res, result);
      }
      const device = /^\/([^/]+)\/oauth2\/(v2\.0\/)?devicecode\/?$/.exec(path);
      if (device) return writeTokenResult(res, routes.tokens.handleDeviceCode(device[1], formOf(body), `${base}/devicelogin`));
    }
    await readBody(req).catch(() => Buffer.alloc(0));
    sendJson(res, 404, { error: 'not_found', error_description: 'Unknown identity endpoint.' });
  };
}
