// Local emulator of the MDCA REST API (one HTTPS listener per tenant) and of the Entra ID token
// service (one HTTPS listener that also hosts the blob stub and the /_emulator control API).
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import https from 'https';
import type { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { handleBlob } from './blob-server';
import { BlobStore } from './blob-store';
import { EmulatorClock } from './clock';
import { EmulatorControl } from './control';
import { createControlHandler } from './control-http';
import { createIdentityHandler } from './identity/server';
import { IdentityRegistry } from './identity/registry';
import { TokenService } from './identity/token-service';
import { JsonObject, signJwt } from './jwt';
import { createApiHandler } from './mdca/server';
import { DEFAULT_TENANT_NAME, MDCA_RESOURCE_APP_ID, seededCredentials, SeededTenantCredentials } from './seed-credentials';
import { TenantOptions, TenantState } from './tenant-state';
import { createTlsMaterial, emulatorCaFromEnvironment, EmulatorCa } from './tls';
import { createXdrControlHandler, createXdrHandler, createXdrTenants, XDR_AUDIENCE, XdrControl, XdrTenantOptions } from './xdr';
import { createGraphControlHandler, createGraphHandler, createGraphTenants, GRAPH_AUDIENCE, GraphControl, GraphTenantOptions } from './graph';
import { createMdeControlHandler, createMdeHandler, createMdeTenants, MDE_AUDIENCE, MdeControl, MdeTenantOptions } from './mde';

export type { TenantOptions } from './tenant-state';
export type { Fault } from './faults';
export type { EmulatorControl } from './control';
export * from './seed-credentials';
export type { EmulatorCa } from './tls';

export interface EmulatorOptions {
  /** Default: one tenant named `contoso`. */
  tenants?: TenantOptions[];
  host?: string;
  /** 0 (default) = random free port */
  identityPort?: number;
  /** tenant i listens on apiPortBase + i (unless its own `port` is set); default random */
  apiPortBase?: number;
  /** access-token lifetime (default 3599; msal never caches tokens under 300 s) */
  tokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  deviceCodeLifetimeSeconds?: number;
  /** polling interval told to device-code clients (default 5) */
  deviceCodeIntervalSeconds?: number;
  /** where to write the CA certificate (default: a fresh temp directory, removed on close) */
  caFile?: string;
  /**
   * The CA that signs the listeners: 'run' (default) is the test run's CA when MDCA_EMULATOR_CA_FILE
   * names one, else a fresh one; 'fresh' always makes a new CA, for tests of an untrusted server.
   */
  ca?: 'run' | 'fresh' | EmulatorCa;
  /** newest seeded timestamp (default: start time); seeded data spreads back 30 days from it */
  anchorTimeMs?: number;
  /** Defender XDR listeners: seeded incident count, throttle (default 50/min; off where the tenant's MDCA throttle is off) */
  xdr?: XdrTenantOptions;
  /** Microsoft Graph security listeners: seeded incidents, other products' alerts, throttle (default 150/min) */
  graph?: GraphTenantOptions;
  /** Defender for Endpoint listeners: minimum machine count (60), throttle (default 100/min and 1,500/h) */
  mde?: MdeTenantOptions;
}

export interface CertificateCredential {
  clientId: string;
  certificatePem: string;
  privateKeyPem: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
}
export interface TenantCredentials extends Omit<SeededTenantCredentials, 'apps'> {
  apps: Omit<SeededTenantCredentials['apps'], 'cert'> & { cert: CertificateCredential };
}
export interface EmulatorTenantInfo {
  name: string;
  tenantId: string;
  apiUrl: string;
  /** Defender XDR API origin of this tenant (stands in for https://api.security.microsoft.com) */
  xdrApiUrl: string;
  /** Microsoft Graph origin of this tenant (stands in for https://graph.microsoft.com) */
  graphApiUrl: string;
  /** Defender for Endpoint API origin of this tenant (stands in for https://api.security.microsoft.com and api.securitycenter.microsoft.com) */
  mdeApiUrl: string;
  /** msal `authority` for this tenant */
  authority: string;
  credentials: TenantCredentials;
}
export interface RunningEmulator {
  identityUrl: string;
  /** host:port, for msal `knownAuthorities` */
  identityHost: string;
  tenants: Record<string, EmulatorTenantInfo>;
  caPem: string;
  caFile: string;
  resource: string;
  /**
   * The managed identity endpoints of the first tenant's emulated Azure host (another tenant's:
   * insert `/<tenant>` after the origin). For msal, point AZURE_POD_IDENTITY_AUTHORITY_HOST at
   * `imdsHost` (IMDS style), or IDENTITY_ENDPOINT and IDENTITY_HEADER at `appServiceEndpoint` and
   * `identityHeader` (App Service style).
   */
  managedIdentity: { imdsHost: string; appServiceEndpoint: string; identityHeader: string };
  control: EmulatorControl;
  /** Same content as the CLI state file. */
  state(): JsonObject;
  close(): Promise<void>;
}

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const tls = createTlsMaterial(typeof options.ca === 'object' ? options.ca : options.ca === 'fresh' ? undefined : emulatorCaFromEnvironment());
  let caDir: string | undefined;
  let caFile = options.caFile;
  if (!caFile) {
    caDir = mkdtempSync(join(tmpdir(), 'mdca-emulator-'));
    caFile = join(caDir, 'ca.pem');
  }
  writeFileSync(caFile, tls.caPem);

  const clock = new EmulatorClock();
  const anchor = options.anchorTimeMs ?? Math.floor(Date.now() / 1000) * 1000;
  const registry = new IdentityRegistry();
  const blobs = new BlobStore();
  const tenantOptions = options.tenants && options.tenants.length > 0 ? options.tenants : [{ name: DEFAULT_TENANT_NAME }];
  const tenants = new Map<string, TenantState>();
  tenantOptions.forEach((t, i) => {
    if (tenants.has(t.name)) throw new Error(`duplicate tenant name: ${t.name}`);
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(t.name)) throw new Error(`tenant names must be host-label-like: ${t.name}`);
    registry.addTenant(t.name);
    tenants.set(t.name, new TenantState(t, i, clock, blobs, anchor));
  });
  const xdrTenants = createXdrTenants(tenants, tenantOptions, options.xdr);
  const graphTenants = createGraphTenants(tenants, tenantOptions, options.graph);
  const mdeTenants = createMdeTenants(graphTenants, tenantOptions, options.mde);

  let identityUrl = '';
  const tokens = new TokenService(
    registry,
    clock,
    {
      tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 90 * 86400,
      deviceCodeLifetimeSeconds: options.deviceCodeLifetimeSeconds ?? 900,
      deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
    },
    () => identityUrl,
  );

  const servers: https.Server[] = [];
  const serverOptions: https.ServerOptions = { cert: tls.serverCertPem, key: tls.serverKeyPem, keepAliveTimeout: 5000 };
  const describeState = (): JsonObject => describe();
  const control = new EmulatorControl(tenants, tokens, clock, blobs, describeState, (claims) => signJwt({ kid: registry.signingKey.kid }, claims, registry.signingKey.privateKey));
  control.xdr = new XdrControl(xdrTenants);
  control.graph = new GraphControl(graphTenants);
  control.mde = new MdeControl(mdeTenants);
  const mdcaControlHandler = createControlHandler(control);
  const xdrControlHandler = createXdrControlHandler(control.xdr);
  const graphControlHandler = createGraphControlHandler(control.graph);
  const mdeControlHandler = createMdeControlHandler(control.mde);
  const controlHandler: typeof mdcaControlHandler = (req, res, url) =>
    url.pathname.startsWith('/_emulator/xdr/')
      ? xdrControlHandler(req, res, url)
      : url.pathname.startsWith('/_emulator/graph/')
        ? graphControlHandler(req, res, url)
        : url.pathname.startsWith('/_emulator/mde/')
          ? mdeControlHandler(req, res, url)
          : mdcaControlHandler(req, res, url);
  const identityHandler = createIdentityHandler({
    registry,
    tokens,
    baseUrl: () => identityUrl,
    blob: (req, res, url) => handleBlob(blobs, req, res, url),
    control: controlHandler,
  });
  const guard = (handler: (req: import('http').IncomingMessage, res: import('http').ServerResponse) => Promise<void>) => (req: import('http').IncomingMessage, res: import('http').ServerResponse) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"detail":"A server error occurred."}');
      } else res.destroy();
    });
  };

  try {
    const identityServer = https.createServer(serverOptions, guard(identityHandler));
    servers.push(identityServer);
    const identityPort = await listen(identityServer, options.identityPort ?? 0, host);
    identityUrl = `https://${host}:${identityPort}`;
    let i = 0;
    for (const [, tenant] of tenants) {
      const own = tenantOptions[i].port;
      const port = own ?? (options.apiPortBase ? options.apiPortBase + i : 0);
      const server = https.createServer(serverOptions, guard(createApiHandler(tenant, registry, clock, { identityUrl })));
      servers.push(server);
      const actual = await listen(server, port, host);
      tenant.apiUrl = `https://${host}:${actual}`;
      i++;
    }
    for (const [, xdr] of xdrTenants) {
      const server = https.createServer(serverOptions, guard(createXdrHandler(xdr, registry, clock)));
      servers.push(server);
      xdr.apiUrl = `https://${host}:${await listen(server, 0, host)}`;
    }
    for (const [, graph] of graphTenants) {
      const server = https.createServer(serverOptions, guard(createGraphHandler(graph, registry, clock)));
      servers.push(server);
      graph.apiUrl = `https://${host}:${await listen(server, 0, host)}`;
    }
    for (const [, mde] of mdeTenants) {
      const server = https.createServer(serverOptions, guard(createMdeHandler(mde, registry, clock)));
      servers.push(server);
      mde.apiUrl = `https://${host}:${await listen(server, 0, host)}`;
      mde.blobBaseUrl = identityUrl;
    }
  } catch (e) {
    await Promise.all(servers.map(closeServer));
    if (caDir) rmSync(caDir, { recursive: true, force: true });
    throw e;
  }

  const tenantInfo: Record<string, EmulatorTenantInfo> = {};
  for (const [name, t] of tenants) {
    const seeded = seededCredentials(name);
    const cert = registry.appByKey(name, 'cert')?.certificate;
    if (!cert) throw new Error('certificate app missing');
    tenantInfo[name] = {
      name,
      tenantId: t.tenantId,
      apiUrl: t.apiUrl,
      xdrApiUrl: xdrTenants.get(name)?.apiUrl ?? '',
      graphApiUrl: graphTenants.get(name)?.apiUrl ?? '',
      mdeApiUrl: mdeTenants.get(name)?.apiUrl ?? '',
      authority: `${identityUrl}/${t.tenantId}`,
      credentials: {
        ...seeded,
        apps: {
          ...seeded.apps,
          cert: { clientId: seeded.apps.cert.clientId, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, thumbprintSha1: cert.thumbprintSha1, thumbprintSha256: cert.thumbprintSha256 },
        },
      },
    };
  }
  const identityHost = new URL(identityUrl).host;
  function describe(): JsonObject {
    return {
      identityUrl,
      identityHost,
      controlUrl: `${identityUrl}/_emulator`,
      caFile,
      resource: MDCA_RESOURCE_APP_ID,
      scopeDefault: `${MDCA_RESOURCE_APP_ID}/.default`,
      xdrResource: XDR_AUDIENCE,
      xdrScopeDefault: `${XDR_AUDIENCE}/.default`,
      graphResource: GRAPH_AUDIENCE,
      graphScopeDefault: `${GRAPH_AUDIENCE}/.default`,
      mdeResource: MDE_AUDIENCE,
      mdeScopeDefault: `${MDE_AUDIENCE}/.default`,
      managedIdentity: { imdsHost: identityUrl, appServiceEndpoint: `${identityUrl}/msi/token`, identityHeader: tokens.identityHeader },
      tenants: JSON.parse(JSON.stringify(tenantInfo)) as JsonObject,
    };
  }

  let closed = false;
  return {
    identityUrl,
    identityHost,
    tenants: tenantInfo,
    caPem: tls.caPem,
    caFile,
    resource: MDCA_RESOURCE_APP_ID,
    managedIdentity: { imdsHost: identityUrl, appServiceEndpoint: `${identityUrl}/msi/token`, identityHeader: tokens.identityHeader },
    control,
    state: describe,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all(servers.map(closeServer));
      if (caDir) rmSync(caDir, { recursive: true, force: true });
    },
  };
}
