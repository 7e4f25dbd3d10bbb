// What a host collects from its credential UI: one shape for n8n credentials and the Node-RED
// config node, validated here so both give the same errors for the same mistakes.
import type { CloudName } from '../core/clouds';
import { MdcaConfigurationError } from '../core/errors';
import type { RetryOptions } from '../core/retry';
import { validateAzureIdentity } from './azure-identity-settings';

export type AuthSettings =
  | { kind: 'appSecret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'appCertificate'; tenantId: string; clientId: string; certificatePem: string; privateKeyPem: string; privateKeyPassphrase?: string }
  | { kind: 'userPassword'; tenantId: string; clientId: string; username: string; password: string }
  | { kind: 'refreshToken'; tenantId: string; clientId: string; refreshToken: string }
  | { kind: 'apiToken'; token: string }
  // Secretless, where the host runs on Azure (runtime/azure-identity.ts): the identity endpoint
  // and the federated token file come from the host process's environment, never from here.
  | { kind: 'managedIdentity'; identity?: ManagedIdentityKind; identityId?: string }
  | { kind: 'workloadIdentity'; tenantId?: string; clientId?: string };

/** A system-assigned identity, or a user-assigned one named by its client id, resource id or object id. */
export type ManagedIdentityKind = 'system' | 'clientId' | 'resourceId' | 'objectId';

export type AuthKind = AuthSettings['kind'];

export interface TestingSettings {
  /** host:port pairs allowed in addition to the cloud's hosts (local emulator only). */
  allowHosts: string[];
  /** Identity endpoint override, e.g. https://127.0.0.1:9443 (local emulator only). */
  authorityHost?: string;
  /** Extra CA to trust (local emulator only). */
  caPem?: string;
}

export interface ConnectionSettings {
  cloud: CloudName;
  apiUrl: string;
  auth: AuthSettings;
  testing?: TestingSettings;
  /** The connection's own outbound proxy (http(s)://[user:password@]host:port); default: HTTPS_PROXY / HTTP_PROXY. */
  proxyUrl?: string;
  /** Requests per rolling window for this tenant (default 28 per 60 s). */
  pacing?: { budget?: number; windowMs?: number };
  retry?: RetryOptions;
  timeoutMs?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const LEGACY_TOKEN = /^[0-9a-zA-Z=]{32,512}$/;

function required(value: unknown, field: string, label: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new MdcaConfigurationError(field, `${label} is required.`, hint);
  return value.trim();
}

/** Checks every credential field and returns a trimmed copy; nothing is sent before this passes. */
export function validateAuthSettings(auth: AuthSettings): AuthSettings {
  if (!auth || typeof auth !== 'object') throw new MdcaConfigurationError('authentication', 'No authentication settings.', 'Choose how to sign in.');
  if (auth.kind === 'apiToken') {
    const token = required(auth.token, 'apiToken', 'The API token', 'Create one in the Microsoft Defender portal: Settings > Cloud Apps > System > API tokens.');
    if (!LEGACY_TOKEN.test(token)) {
      throw new MdcaConfigurationError('apiToken', 'The API token has an unexpected format (letters, digits and "=" only).', 'Paste the token exactly as the portal showed it, without "Token " in front.');
    }
    return { kind: 'apiToken', token };
  }
  if (auth.kind === 'managedIdentity' || auth.kind === 'workloadIdentity') return validateAzureIdentity(auth);
  const tenantId = required(auth.tenantId, 'tenantId', 'The Directory (tenant) ID', 'Copy it from Entra ID > Overview, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47.');
  if (!GUID.test(tenantId) && !TENANT_DOMAIN.test(tenantId)) {
    throw new MdcaConfigurationError('tenantId', 'The Directory (tenant) ID must be a GUID or a domain such as contoso.onmicrosoft.com.', 'Copy it from Entra ID > Overview.');
  }
  const clientId = required(auth.clientId, 'clientId', 'The Application (client) ID', 'Copy it from Entra ID > App registrations > your app > Overview.');
  if (!GUID.test(clientId)) throw new MdcaConfigurationError('clientId', 'The Application (client) ID must be a GUID.', 'Copy it from Entra ID > App registrations > your app > Overview.');
  switch (auth.kind) {
    case 'appSecret':
      return { ...auth, tenantId, clientId, clientSecret: required(auth.clientSecret, 'clientSecret', 'The client secret', 'Create one under Certificates & secrets and copy its Value (not its ID).') };
    case 'appCertificate': {
      const certificatePem = required(auth.certificatePem, 'certificatePem', 'The certificate (PEM)', 'Paste the public certificate you uploaded to the app registration, including the BEGIN/END lines.');
      const privateKeyPem = required(auth.privateKeyPem, 'privateKeyPem', 'The private key (PEM)', 'Paste the private key that belongs to the certificate, including the BEGIN/END lines.');
      if (!/-----BEGIN CERTIFICATE-----/.test(certificatePem)) throw new MdcaConfigurationError('certificatePem', 'The certificate is not in PEM format.', 'It must start with -----BEGIN CERTIFICATE-----.');
      if (!/-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.test(privateKeyPem)) throw new MdcaConfigurationError('privateKeyPem', 'The private key is not in PEM format.', 'It must start with -----BEGIN PRIVATE KEY----- (or RSA/ENCRYPTED PRIVATE KEY).');
      return { ...auth, tenantId, clientId, certificatePem, privateKeyPem };
    }
    case 'userPassword':
      return {
        ...auth,
        tenantId,
        clientId,
        username: required(auth.username, 'username', 'The user name', 'Use the user principal name, e.g. soc-automation@contoso.com.'),
        password: required(auth.password, 'password', 'The password', 'Enter the service account password.'),
      };
    case 'refreshToken':
      return { ...auth, tenantId, clientId, refreshToken: required(auth.refreshToken, 'refreshToken', 'The refresh token', 'Sign in with the device code flow to obtain one.') };
    default:
      throw new MdcaConfigurationError('authentication', `Unknown authentication kind "${String((auth as { kind?: unknown }).kind)}".`, 'Choose app (client secret), app (certificate), user (password), user (refresh token / device code), legacy API token, managed identity or workload identity.');
  }
}

/** The secret values of a credential, so they can be scrubbed from anything shown. */
export function secretsOf(auth: AuthSettings): string[] {
  switch (auth.kind) {
    case 'appSecret':
      return [auth.clientSecret];
    case 'appCertificate':
      return [auth.privateKeyPem, ...(auth.privateKeyPassphrase ? [auth.privateKeyPassphrase] : [])];
    case 'userPassword':
      return [auth.password];
    case 'refreshToken':
      return [auth.refreshToken];
    case 'apiToken':
      return [auth.token];
    // No stored secret: the federated assertion is read from its file for each token request and
    // scrubbed by the token provider that read it (runtime/azure-identity.ts).
    case 'managedIdentity':
    case 'workloadIdentity':
      return [];
    default:
      return [];
  }
}
