// Connection settings of the "mdca-config" node: its properties, credentials and the mapping to
// the core's ConnectionSettings (shared by the node, its admin endpoints and the tests).
import type { Node, NodeDef } from 'node-red';
import type { EntraOperationDefinition, EntraTokenInsight, GraphOperationDefinition, GraphTokenInsight, MdcaClient, MdeOperationDefinition, MdeTokenInsight, XdrClient } from '../../core';
import type { ServiceClient } from '../../core/service-client';
import { MdcaConfigurationError } from '../../core/errors';
import { cloudByName } from '../../core/clouds';
import type { XdrConnectionOptions } from '../../runtime/create-xdr-client';
import type { ServiceConnection } from '../../runtime/create-service-client';
import type { AuthSettings, ConnectionSettings, ManagedIdentityKind } from '../../runtime/settings';
import { checkLegacyTestingFields, operatorTesting } from '../../runtime/operator';
import { RedisSettings, redisSettingsFromSecretUrl } from '../../runtime/redis';

export type ConfigAuthKind = 'appSecret' | 'appCertificate' | 'userPassword' | 'deviceCode' | 'apiToken' | 'managedIdentity' | 'workloadIdentity';

export interface MdcaConfigDef extends NodeDef {
  cloud?: string;
  apiUrl?: string;
  authKind?: ConfigAuthKind;
  tenantId?: string;
  clientId?: string;
  username?: string;
  /** Managed identity: "system", or a user-assigned one by "clientId", "objectId" or "resourceId". */
  managedIdentityType?: string;
  /** The id of the user-assigned managed identity (not a secret). */
  managedIdentityId?: string;
  signedInAs?: string;
  /** Older versions only: test hosts are the operator's (settings.js or MDCA_ALLOW_TEST_HOSTS); read to explain that. */
  allowHosts?: string;
  /** Older versions only, see allowHosts. */
  authorityHost?: string;
  /** Older versions only, see allowHosts. */
  caPem?: string;
  /** Requests per minute for this tenant (default 28; MDCA allows 30 per tenant, shared). */
  requestsPerMinute?: number | string;
  /** Defender XDR API origin override (local emulator only; the operator must allow its host). */
  xdrApiUrl?: string;
  /** Defender XDR calls per minute for this tenant (no dialog field; default 45, the service allows 50). */
  xdrRequestsPerMinute?: number | string;
  /** Microsoft Graph origin override (local emulator only; the operator must allow its host); Entra ID uses it too. */
  graphApiUrl?: string;
  /** Defender for Endpoint API origin override (local emulator only; the operator must allow its host). */
  mdeApiUrl?: string;
  /** Prefix of this connection's keys in a shared Redis (docs/scale-out.md). */
  redisKeyPrefix?: string;
  /** Older versions only: the Redis URL now lives in the credentials with its password; read to ask for it again. */
  redisUrl?: string;
  /** Older versions only, see redisUrl. */
  redisTls?: boolean | string;
}

/** The properties a connection's settings are made from (settingsFromConfig, xdrSettingsFromConfig, graphSettingsFromConfig). */
type ConnectionProperty =
  | 'cloud'
  | 'apiUrl'
  | 'authKind'
  | 'tenantId'
  | 'clientId'
  | 'username'
  | 'managedIdentityType'
  | 'managedIdentityId'
  | 'allowHosts'
  | 'authorityHost'
  | 'caPem'
  | 'requestsPerMinute'
  | 'xdrApiUrl'
  | 'xdrRequestsPerMinute'
  | 'graphApiUrl'
  | 'mdeApiUrl';

/**
 * Those properties as data: a deployed node's come from flows.json, the editor dialog's from a
 * request body, so neither is trusted to hold the types MdcaConfigDef declares; each value is
 * checked where it is read.
 */
export type ConnectionProperties = { readonly [K in ConnectionProperty]?: unknown };

export interface MdcaConfigCredentials {
  clientSecret?: string;
  certificatePem?: string;
  privateKeyPem?: string;
  privateKeyPassphrase?: string;
  password?: string;
  refreshToken?: string;
  apiToken?: string;
  /** Redis URL with its password, one secret value (flows_cred.json, never flows.json). */
  redisUrl?: string;
  /** Older versions only: a Redis password apart from the URL; read to ask for the URL again. */
  redisPassword?: string;
  /** The connection's own outbound proxy, http(s)://[user:password@]host:port, one secret value. */
  proxyUrl?: string;
}

/** The Microsoft Graph security client (the one ServiceClient bound to core/services/graph.ts). */
export type GraphClient = ServiceClient<GraphOperationDefinition, GraphTokenInsight>;
/** The Microsoft Entra ID client (users and Identity Protection, core/services/entra.ts). */
export type EntraClient = ServiceClient<EntraOperationDefinition, EntraTokenInsight>;
/** The Microsoft Defender for Endpoint client (machines and machine actions, core/services/mde.ts). */
export type MdeClient = ServiceClient<MdeOperationDefinition, MdeTokenInsight>;

export interface MdcaConfigNode extends Node<MdcaConfigCredentials> {
  /** The shared client, or throws a safe MdcaConfigurationError (never at construction time). */
  getClient(): MdcaClient;
  /** The shared Defender XDR client, created on first use from the same credentials; throws a safe error. */
  getXdrClient(): XdrClient;
  /** The shared Microsoft Graph security client, created on first use from the same credentials; throws a safe error. */
  getGraphClient(): GraphClient;
  /** The shared Microsoft Entra ID client (Graph root, Entra budget), created on first use; throws a safe error. */
  getEntraClient(): EntraClient;
  /** The shared Defender for Endpoint client (its API host, MDE budget), created on first use; throws a safe error. */
  getMdeClient(): MdeClient;
  settingsSummary(): { cloud: string; apiUrl: string; authKind: string };
  /** 'off' without Redis; 'fallback' while Redis is unreachable (each process on its own budget). */
  sharingMode?(): 'shared' | 'fallback' | 'off';
}

export const CREDENTIALS = {
  clientSecret: { type: 'password' },
  certificatePem: { type: 'text' },
  privateKeyPem: { type: 'password' },
  privateKeyPassphrase: { type: 'password' },
  password: { type: 'password' },
  refreshToken: { type: 'password' },
  apiToken: { type: 'password' },
  // The Redis host and its password are one secret value: an editor who changes the host must
  // type the password again, so a saved password never follows the host somewhere else.
  redisUrl: { type: 'password' },
  // The same for the proxy: its host and password are one value (runtime/proxy-settings.ts).
  proxyUrl: { type: 'password' },
} as const;

export const SECRET_FIELDS = ['clientSecret', 'privateKeyPem', 'privateKeyPassphrase', 'password', 'refreshToken', 'apiToken'] as const;

/** Connection settings from the node's properties and credentials (the dialog sends the same shape). */
export function settingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials): ConnectionSettings {
  const kind = n.authKind ?? 'appSecret';
  const tenantId = String(n.tenantId ?? '').trim();
  const clientId = String(n.clientId ?? '').trim();
  let auth: AuthSettings;
  switch (kind) {
    case 'appSecret':
      auth = { kind: 'appSecret', tenantId, clientId, clientSecret: c.clientSecret ?? '' };
      break;
    case 'appCertificate':
      auth = { kind: 'appCertificate', tenantId, clientId, certificatePem: c.certificatePem ?? '', privateKeyPem: c.privateKeyPem ?? '', ...(c.privateKeyPassphrase ? { privateKeyPassphrase: c.privateKeyPassphrase } : {}) };
      break;
    case 'userPassword':
      auth = { kind: 'userPassword', tenantId, clientId, username: String(n.username ?? ''), password: c.password ?? '' };
      break;
    case 'deviceCode':
      if (!c.refreshToken) throw new MdcaConfigurationError('refreshToken', 'Not signed in yet.', 'Open the connection, click "Sign in with a device code", finish the sign-in in the browser, then deploy.');
      auth = { kind: 'refreshToken', tenantId, clientId, refreshToken: c.refreshToken };
      break;
    case 'apiToken':
      auth = { kind: 'apiToken', token: c.apiToken ?? '' };
      break;
    // Secretless on Azure: the identity endpoint and the token file come from Node-RED's environment.
    case 'managedIdentity':
      auth = { kind: 'managedIdentity', identity: (String(n.managedIdentityType ?? '').trim() || 'system') as ManagedIdentityKind, identityId: String(n.managedIdentityId ?? '').trim() };
      break;
    case 'workloadIdentity':
      auth = { kind: 'workloadIdentity', tenantId, clientId };
      break;
    default:
      throw new MdcaConfigurationError('authKind', `Unknown sign-in method "${String(kind).slice(0, 40)}".`, 'Choose one of the methods in the connection dialog.');
  }
  // String() changes no lookup (a property key is its string) and no message.
  cloudByName(String(n.cloud || 'commercial'));
  // Test hosts are the operator's alone: a flow editor who may not read this connection's secrets
  // must not be able to send them to a host (or through a CA) of their own.
  checkLegacyTestingFields({ allowHosts: n.allowHosts, authorityHost: n.authorityHost, caPem: n.caPem }, 'allowHosts');
  const testing = operatorTesting();
  const settings: ConnectionSettings = { cloud: (n.cloud || 'commercial') as ConnectionSettings['cloud'], apiUrl: String(n.apiUrl ?? '').trim(), auth };
  const rpm = Number(n.requestsPerMinute);
  if (n.requestsPerMinute !== undefined && n.requestsPerMinute !== '' && Number.isFinite(rpm) && rpm >= 1) {
    settings.pacing = { budget: Math.min(100_000, Math.floor(rpm)), windowMs: 60_000 };
  }
  if (testing) settings.testing = testing;
  const proxyUrl = String(c.proxyUrl ?? '').trim();
  if (proxyUrl) settings.proxyUrl = proxyUrl;
  return settings;
}


/** Connection settings for the Defender XDR client: the same sign-in plus the XDR URL and pacing. */
export function xdrSettingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials): ConnectionSettings & XdrConnectionOptions {
  const settings: ConnectionSettings & XdrConnectionOptions = { ...settingsFromConfig(n, c) };
  delete settings.pacing;
  const url = String(n.xdrApiUrl ?? '').trim();
  if (url) settings.xdrApiUrl = url;
  const rpm = Number(n.xdrRequestsPerMinute);
  if (n.xdrRequestsPerMinute !== undefined && n.xdrRequestsPerMinute !== '' && Number.isFinite(rpm) && rpm >= 1) {
    const perMinute = Math.min(100_000, Math.floor(rpm));
    settings.xdrPacing = { perMinute, perHour: Math.max(1_400, perMinute * 60) };
  }
  return settings;
}

/**
 * Connection settings for the Microsoft Graph security client: the same sign-in (a legacy MDCA API
 * token is refused by the Graph descriptor before anything is sent), the Graph root of the cloud
 * or the emulator's Graph listener, and Graph's own budget (140 per minute per tenant).
 */
export function graphSettingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials): ServiceConnection & { auth: AuthSettings } {
  return serviceSettingsFromConfig(n, c, 'graphApiUrl');
}

/**
 * Connection settings for the Microsoft Entra ID client: Entra ID is on the Graph root, so the same
 * sign-in and the same emulator-only URL as the Graph security nodes (graphApiUrl); its own budget.
 */
export function entraSettingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials): ServiceConnection & { auth: AuthSettings } {
  return serviceSettingsFromConfig(n, c, 'graphApiUrl');
}

/**
 * Connection settings for the Defender for Endpoint client: the same sign-in, the cloud's MDE API
 * host or the emulator's MDE listener (mdeApiUrl, honoured only for hosts the operator allowed,
 * like graphApiUrl), and MDE's own budget (100 per minute and 1,500 per hour per tenant).
 */
export function mdeSettingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials): ServiceConnection & { auth: AuthSettings } {
  return serviceSettingsFromConfig(n, c, 'mdeApiUrl');
}

/** The sign-in of the connection, with the service's URL from the property of the testing section that holds it. */
function serviceSettingsFromConfig(n: ConnectionProperties, c: MdcaConfigCredentials, urlProperty: 'graphApiUrl' | 'mdeApiUrl'): ServiceConnection & { auth: AuthSettings } {
  const { cloud, auth, testing, proxyUrl } = settingsFromConfig(n, c);
  const url = String(n[urlProperty] ?? '').trim();
  return { cloud, auth, testing, ...(url ? { apiUrl: url } : {}), ...(proxyUrl ? { proxyUrl } : {}) };
}

/**
 * Optional Redis sharing (docs/scale-out.md): the URL with its password from the credentials, the key
 * prefix from the flow. A URL or TLS switch in the flow and a separate password are what older
 * versions saved; they are read only to ask for the URL again, never used to connect.
 */
export function redisFromConfig(n: MdcaConfigDef, c: MdcaConfigCredentials): RedisSettings | undefined {
  const legacyUrl = String(n.redisUrl ?? '').trim();
  if (!c.redisUrl && legacyUrl) {
    throw new MdcaConfigurationError('redisUrl', 'The Redis URL is now kept with the connection\'s secrets.', 'Open the connection and enter the Redis URL again, with its password (rediss://:password@host:port/0), then deploy.');
  }
  return redisSettingsFromSecretUrl(c.redisUrl, { keyPrefix: n.redisKeyPrefix, legacyPassword: c.redisPassword, legacyTls: n.redisTls });
}
