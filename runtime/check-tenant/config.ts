// What the check-tenant command signs in with: a JSON file (MDCA_CHECK_CONFIG or --config) and/or
// environment variables, the variables winning. Secrets come only from there, never from the
// command line, where other users of the machine and the shell history could read them.
// docs/check-tenant.md lists every name.
import fs from 'node:fs';
import type { CloudName } from '../../core/clouds';
import { cloudByName } from '../../core/clouds';
import { MdcaConfigurationError } from '../../core/errors';
import type { AuthSettings, ManagedIdentityKind } from '../settings';

export const SERVICE_IDS = ['mdca', 'xdr', 'graph', 'entra', 'mde'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

export interface TenantCheckConfig {
  cloud: CloudName;
  /** The MDCA tenant API URL; without it the MDCA part is skipped. */
  apiUrl?: string;
  xdrApiUrl?: string;
  /** Microsoft Graph root for Graph security and Microsoft Entra ID (the same API). */
  graphApiUrl?: string;
  /** Defender for Endpoint API host; the cloud's own when unset. */
  mdeApiUrl?: string;
  auth: AuthSettings;
  services: ServiceId[];
  maxItems: number;
  /** Requests per minute per service, below its default budget; above it only where the operator enabled test hosts (the emulator). */
  requestsPerMinute?: number;
}

/** Environment variable → field of the JSON file ("auth." fields sit under "auth"). */
export const CHECK_ENV: Readonly<Record<string, string>> = {
  MDCA_CLOUD: 'cloud',
  MDCA_API_URL: 'apiUrl',
  MDCA_XDR_API_URL: 'xdrApiUrl',
  MDCA_GRAPH_API_URL: 'graphApiUrl',
  MDCA_MDE_API_URL: 'mdeApiUrl',
  MDCA_CHECK_SERVICES: 'services',
  MDCA_CHECK_MAX_ITEMS: 'maxItems',
  MDCA_CHECK_REQUESTS_PER_MINUTE: 'requestsPerMinute',
  MDCA_AUTH_KIND: 'auth.kind',
  MDCA_TENANT_ID: 'auth.tenantId',
  MDCA_CLIENT_ID: 'auth.clientId',
  MDCA_CLIENT_SECRET: 'auth.clientSecret',
  MDCA_CERTIFICATE_FILE: 'auth.certificateFile',
  MDCA_PRIVATE_KEY_FILE: 'auth.privateKeyFile',
  MDCA_PRIVATE_KEY_PASSPHRASE: 'auth.privateKeyPassphrase',
  MDCA_USERNAME: 'auth.username',
  MDCA_PASSWORD: 'auth.password',
  MDCA_REFRESH_TOKEN: 'auth.refreshToken',
  MDCA_API_TOKEN: 'auth.token',
  MDCA_MANAGED_IDENTITY: 'auth.identity',
  MDCA_MANAGED_IDENTITY_ID: 'auth.identityId',
};

export const CONFIG_FILE_ENV = 'MDCA_CHECK_CONFIG';

type Raw = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

function readFile(path: string, field: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    // The path only: the file's content may be a secret.
    throw new MdcaConfigurationError(field, `Cannot read ${what} file "${path.slice(0, 200)}".`, 'Check the path and that the file is readable by this user.');
  }
}

function readJsonFile(path: string): Raw {
  const content = readFile(path, 'config', 'the configuration');
  try {
    const parsed = JSON.parse(content) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Raw;
  } catch {
    // below
  }
  throw new MdcaConfigurationError('config', `The configuration file "${path.slice(0, 200)}" is not a JSON object.`, 'See docs/check-tenant.md for its fields.');
}

/** The file's fields overlaid with the environment's. */
function merged(env: NodeJS.ProcessEnv, configPath: string | undefined): Raw {
  const file = configPath ? readJsonFile(configPath) : {};
  const out: Raw = { ...file, auth: { ...((file.auth as Raw) ?? {}) } };
  for (const [name, path] of Object.entries(CHECK_ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (path.startsWith('auth.')) (out.auth as Raw)[path.slice(5)] = value;
    else out[path] = value;
  }
  return out;
}

function authFrom(raw: Raw): AuthSettings {
  const kind = text(raw.kind) ?? (text(raw.token) ? 'apiToken' : text(raw.clientSecret) ? 'appSecret' : undefined);
  const tenantId = text(raw.tenantId) ?? '';
  const clientId = text(raw.clientId) ?? '';
  switch (kind) {
    case 'appSecret':
      return { kind, tenantId, clientId, clientSecret: text(raw.clientSecret) ?? '' };
    case 'appCertificate':
      return {
        kind,
        tenantId,
        clientId,
        certificatePem: text(raw.certificatePem) ?? (text(raw.certificateFile) ? readFile(text(raw.certificateFile)!, 'certificateFile', 'the certificate') : ''),
        privateKeyPem: text(raw.privateKeyPem) ?? (text(raw.privateKeyFile) ? readFile(text(raw.privateKeyFile)!, 'privateKeyFile', 'the private key') : ''),
        privateKeyPassphrase: text(raw.privateKeyPassphrase),
      };
    case 'userPassword':
      return { kind, tenantId, clientId, username: text(raw.username) ?? '', password: typeof raw.password === 'string' ? raw.password : '' };
    case 'refreshToken':
      return { kind, tenantId, clientId, refreshToken: text(raw.refreshToken) ?? '' };
    case 'apiToken':
      return { kind, token: text(raw.token) ?? '' };
    // Secretless on Azure: the identity endpoint and the federated token file come from the
    // environment Azure sets (IDENTITY_ENDPOINT, AZURE_FEDERATED_TOKEN_FILE…), as for the hosts.
    case 'managedIdentity':
      return { kind, ...(text(raw.identity) ? { identity: text(raw.identity) as ManagedIdentityKind } : {}), ...(text(raw.identityId) ? { identityId: text(raw.identityId) } : {}) };
    case 'workloadIdentity':
      return { kind, ...(text(raw.tenantId) ? { tenantId: text(raw.tenantId) } : {}), ...(text(raw.clientId) ? { clientId: text(raw.clientId) } : {}) };
    default:
      throw new MdcaConfigurationError(
        'MDCA_AUTH_KIND',
        kind ? `Unknown sign-in kind "${kind.slice(0, 40)}".` : 'No sign-in is configured.',
        'Set MDCA_AUTH_KIND to appSecret, appCertificate, userPassword, refreshToken, apiToken, managedIdentity or workloadIdentity, with its variables (docs/check-tenant.md).',
      );
  }
}

function servicesFrom(value: unknown): ServiceId[] {
  const list = Array.isArray(value) ? value.map(String) : (text(value) ?? SERVICE_IDS.join(',')).split(/[\s,]+/).filter(Boolean);
  const unknown = list.filter((s) => !(SERVICE_IDS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new MdcaConfigurationError('MDCA_CHECK_SERVICES', `Unknown service "${unknown[0].slice(0, 40)}".`, `Use any of: ${SERVICE_IDS.join(', ')}.`);
  return [...new Set(list)] as ServiceId[];
}

function maxItemsFrom(value: unknown): number {
  if (value === undefined || value === '') return 3;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new MdcaConfigurationError('MDCA_CHECK_MAX_ITEMS', 'The records per list must be a whole number from 1 to 50.', 'Leave it unset for 3.');
  return n;
}

function requestsPerMinuteFrom(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new MdcaConfigurationError('MDCA_CHECK_REQUESTS_PER_MINUTE', 'The requests per minute must be a whole number from 1 to 10,000.', 'Leave it unset for each service\'s default budget.');
  return n;
}

/** The check's configuration from the environment and the optional JSON file. */
export function tenantCheckConfig(env: NodeJS.ProcessEnv, configPath = env[CONFIG_FILE_ENV]): TenantCheckConfig {
  const raw = merged(env, text(configPath));
  const cloud = cloudByName(text(raw.cloud) ?? 'commercial').name;
  return {
    cloud,
    apiUrl: text(raw.apiUrl),
    xdrApiUrl: text(raw.xdrApiUrl),
    graphApiUrl: text(raw.graphApiUrl),
    mdeApiUrl: text(raw.mdeApiUrl),
    auth: authFrom((raw.auth as Raw) ?? {}),
    services: servicesFrom(raw.services),
    maxItems: maxItemsFrom(raw.maxItems),
    requestsPerMinute: requestsPerMinuteFrom(raw.requestsPerMinute),
  };
}
