// Secretless sign-in where the host runs on Azure: managed identity (msal-node's
// ManagedIdentityApplication) and workload identity federation (a confidential client whose
// client assertion is the federated token file). Both share the single-flight cache of the other
// kinds (CachedTokenProvider in runtime/token-providers.ts).
//
// Where the managed identity endpoint is: msal reads it from this process's environment only
// (IDENTITY_ENDPOINT + IDENTITY_HEADER on App Service, Container Apps and Functions; IMDS_ENDPOINT
// on Azure Arc; MSI_ENDPOINT in Cloud Shell; IDENTITY_SERVER_THUMBPRINT on Service Fabric; else the
// Instance Metadata Service at http://169.254.169.254). Azure or whoever starts n8n / Node-RED
// sets those; no credential field can, so an editor of a shared credential cannot send its
// requests elsewhere.
//
// IMDS and the App Service endpoint are plain http. That is how Azure serves them and it is
// acceptable because they are link-local or loopback addresses answered by the host itself: the
// traffic never leaves the machine, and Azure blocks forwarding 169.254.169.254. The network client
// below refuses plain http to anything else, never follows redirects and never uses a proxy. No
// credential secret exists for a managed identity; the request carries only the resource and the
// identity's id (plus, on App Service, the IDENTITY_HEADER the platform made for that endpoint).
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import axios from 'axios';
import {
  ConfidentialClientApplication,
  INetworkModule,
  LogLevel,
  ManagedIdentityApplication,
  ManagedIdentityIdParams,
  NetworkRequestOptions,
  NetworkResponse,
} from '@azure/msal-node';
import type { TokenProvider } from '../core/ports';
import { MdcaAuthError, MdcaConfigurationError, MdcaError, MdcaNetworkError, MdcaThrottledError } from '../core/errors';
import { safeServiceMessage } from '../core/redact';
import { trustedCas } from './axios-transport';
import type { AuthSettings } from './settings';
import { AZURE_CLIENT_ID_ENV, FEDERATED_TOKEN_FILE_ENV } from './azure-identity-settings';
import { CachedTokenProvider, identityErrorHints, ProviderEnvironment, scopeFor } from './token-providers';

export { AZURE_CLIENT_ID_ENV, AZURE_TENANT_ID_ENV, FEDERATED_TOKEN_FILE_ENV } from './azure-identity-settings';

type ManagedIdentitySettings = Extract<AuthSettings, { kind: 'managedIdentity' }>;
type WorkloadIdentitySettings = Extract<AuthSettings, { kind: 'workloadIdentity' }>;

/** What the managed identity endpoint last answered (msal keeps it to itself). */
type EndpointObservation = { kind: 'network'; code: string } | { kind: 'response'; status: number; error: string; description: string };

/** A token from the endpoint may take a few seconds on first use; an absent IMDS never answers. */
const ENDPOINT_TIMEOUT_MS = 15_000;

/** Loopback and link-local: the only hosts plain http may reach (the host's own identity endpoint). */
export function isHostLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.') || host.startsWith('169.254.');
  if (net.isIPv6(host)) return host === '::1' || /^fe[89ab][0-9a-f]:/.test(host);
  return false;
}

/**
 * msal picks the managed identity source once per process, with the network client of the first
 * ManagedIdentityApplication, so every provider's requests go through that one client. What the
 * endpoint answered is kept per identity and resource (both are in the request URL), where the
 * provider that asked finds it.
 */
const observations = new Map<string, EndpointObservation>();
const ID_PARAMS = ['client_id', 'object_id', 'principal_id', 'msi_res_id', 'mi_res_id'];

function observationKey(resource: string, id: string): string {
  return `${resource.replace(/\/+$/, '').toLowerCase()}|${id.toLowerCase()}`;
}

function keyOfRequest(url: URL): string {
  const id = ID_PARAMS.map((p) => url.searchParams.get(p)).find((v) => v) ?? '';
  return observationKey(url.searchParams.get('resource') ?? '', id);
}

function observeInto(key: string): (o: EndpointObservation) => void {
  return (o) => {
    observations.set(key, o);
    // A process asks for a handful of identities and resources; keep the map from growing anyway.
    if (observations.size > 64) observations.delete(observations.keys().next().value as string);
  };
}

export function managedIdentityNetworkClient(caPem: string | undefined, observeFor: (url: URL) => (o: EndpointObservation) => void = (url) => observeInto(keyOfRequest(url))): INetworkModule {
  const http = axios.create({
    httpsAgent: new https.Agent({ keepAlive: true, ca: trustedCas(caPem) }),
    maxRedirects: 0,
    validateStatus: () => true,
    // Never through a proxy: the identity endpoint belongs to this host.
    proxy: false,
    timeout: ENDPOINT_TIMEOUT_MS,
  });
  const send = async <T>(method: 'get' | 'post', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const target = new URL(url);
    const observe = observeFor(target);
    if (target.protocol !== 'https:' && !(target.protocol === 'http:' && isHostLocal(target.hostname))) {
      observe({ kind: 'network', code: 'INSECURE_ENDPOINT' });
      throw new Error('managed identity endpoint refused: plain http is used only for loopback and link-local addresses');
    }
    let r;
    try {
      r = await http.request({ method, url, headers: options?.headers, data: options?.body });
    } catch (error) {
      const e = error as { code?: string; cause?: { code?: string } };
      const code = e?.cause?.code ?? e?.code ?? 'UNKNOWN';
      observe({ kind: 'network', code });
      // A fresh error: the axios one holds the request headers (IDENTITY_HEADER on App Service).
      throw new Error(`managed identity endpoint unreachable (${code})`);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    let body: unknown = r.data;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = {};
      }
    }
    const b = (body ?? {}) as { error?: unknown; error_description?: unknown; message?: unknown };
    const error = typeof b.error === 'string' ? b.error : typeof (b.error as { code?: unknown })?.code === 'string' ? String((b.error as { code: string }).code) : '';
    const description = typeof b.error_description === 'string' ? b.error_description : typeof b.message === 'string' ? b.message : '';
    observe({ kind: 'response', status: r.status, error, description });
    return { headers, body: body as T, status: r.status };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('get', url, options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('post', url, options),
  };
}

/** msal's names of the sources, as users know them, with the environment variable that chose each. */
const SOURCE_LABELS: Record<string, string> = {
  AppService: 'App Service / Container Apps endpoint (IDENTITY_ENDPOINT)',
  AzureArc: 'Azure Arc agent (IMDS_ENDPOINT)',
  CloudShell: 'Cloud Shell endpoint (MSI_ENDPOINT)',
  ServiceFabric: 'Service Fabric endpoint (IDENTITY_ENDPOINT)',
  MachineLearning: 'Azure Machine Learning endpoint (MSI_ENDPOINT)',
  Imds: 'Instance Metadata Service',
  DefaultToImds: 'Instance Metadata Service (169.254.169.254)',
};

export const NOT_ON_AZURE_HINT =
  'This process does not seem to run on Azure with a managed identity. On a VM, scale set or AKS node, turn on a managed identity for it (Identity in the Azure portal); ' +
  'on App Service, Container Apps or Functions, Azure sets IDENTITY_ENDPOINT and IDENTITY_HEADER: check they reach the environment of n8n or Node-RED. Outside Azure, use another sign-in method.';

function identityHint(auth: ManagedIdentitySettings): string {
  const identity = auth.identity ?? 'system';
  if (identity === 'system') return 'Turn on the system-assigned managed identity of the Azure resource that runs n8n or Node-RED (Identity > System assigned > On), or choose the user-assigned identity it has.';
  const label = identity === 'clientId' ? 'client id' : identity === 'resourceId' ? 'resource id' : 'object id';
  return `Assign the user-assigned managed identity with this ${label} to the Azure resource that runs n8n or Node-RED (Identity > User assigned), and check the ${label}.`;
}

export class ManagedIdentityProvider extends CachedTokenProvider {
  private readonly app: ManagedIdentityApplication;
  private readonly observationKey: string;

  constructor(
    key: string,
    env: ProviderEnvironment,
    private readonly auth: ManagedIdentitySettings,
  ) {
    super(key, env, []);
    this.observationKey = observationKey(this.resource(), auth.identity && auth.identity !== 'system' ? (auth.identityId ?? '') : '');
    const ids: ManagedIdentityIdParams =
      auth.identity === 'clientId'
        ? { userAssignedClientId: auth.identityId }
        : auth.identity === 'resourceId'
          ? { userAssignedResourceId: auth.identityId }
          : auth.identity === 'objectId'
            ? { userAssignedObjectId: auth.identityId }
            : {};
    this.app = new ManagedIdentityApplication({
      managedIdentityIdParams: ids,
      system: {
        networkClient: managedIdentityNetworkClient(env.caPem),
        loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error },
      },
    });
  }

  /** Which endpoint msal uses in this process (chosen from the environment, once). */
  source(): string {
    try {
      return String(this.app.getManagedIdentitySource());
    } catch {
      return 'unknown';
    }
  }

  /** A managed identity is asked for a resource, not scopes: the service's token resource as is. */
  private resource(): string {
    return (this.env.resource ?? scopeFor(this.env)).replace(/\/\.default$/, '');
  }

  protected acquire(force: boolean) {
    observations.delete(this.observationKey);
    return this.app.acquireToken({ resource: this.resource(), forceRefresh: force });
  }

  protected override mapError(error: unknown): MdcaError {
    if (error instanceof MdcaError) return error;
    const e = error as { errorCode?: string };
    const code = typeof e.errorCode === 'string' ? e.errorCode : '';
    const name = this.source();
    const source =
      name === 'DefaultToImds' && process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST ? 'Instance Metadata Service (AZURE_POD_IDENTITY_AUTHORITY_HOST)' : (SOURCE_LABELS[name] ?? 'managed identity endpoint');
    if (/_url_malformed$/.test(code)) {
      return new MdcaConfigurationError(
        'managedIdentity',
        `The managed identity endpoint in the environment of this process is not a valid URL (${code}).`,
        'Check IDENTITY_ENDPOINT (App Service, Container Apps, Functions), IMDS_ENDPOINT (Azure Arc), MSI_ENDPOINT (Cloud Shell) or AZURE_POD_IDENTITY_AUTHORITY_HOST in the environment of n8n or Node-RED.',
      );
    }
    if (code === 'unable_to_create_azure_arc' || code === 'unable_to_create_cloud_shell' || code === 'user_assigned_not_available_at_runtime') {
      return new MdcaConfigurationError('managedIdentity', `This host's managed identity endpoint (${source}) offers only its own identity.`, 'Choose the system-assigned managed identity in the connection.');
    }
    const observed = observations.get(this.observationKey);
    if (observed?.kind === 'network' && observed.code === 'INSECURE_ENDPOINT') {
      return new MdcaConfigurationError(
        'managedIdentity',
        `The managed identity endpoint in the environment of this process (${source}) is plain http to another machine; nothing was sent.`,
        'Plain http is accepted only for the host itself (loopback and link-local addresses, as Azure sets them). Check the variable named, or use an https endpoint.',
      );
    }
    if (observed?.kind === 'network') {
      return new MdcaNetworkError(`No managed identity endpoint answered: ${source} (${safeServiceMessage(observed.code).slice(0, 40)}).`, NOT_ON_AZURE_HINT);
    }
    if (observed?.kind === 'response') {
      const said = safeServiceMessage(`${observed.error}${observed.error && observed.description ? ': ' : ''}${observed.description}`.replace(/\s+/g, ' ')).slice(0, 200).replace(/[.\s]+$/, '');
      const text = said ? `: ${said}` : '';
      if (observed.status === 429 || observed.status >= 500) {
        return new MdcaThrottledError(`The ${source} is busy (HTTP ${observed.status})${text}.`, 'Wait a minute before running again.', { status: observed.status, retryAfterMs: 60_000 });
      }
      if (/identity not found|no managed identity|not assigned|managed identity.*not (found|enabled)/i.test(said)) {
        return new MdcaAuthError(`The ${source} has no such managed identity${text}.`, identityHint(this.auth), { status: observed.status });
      }
      if (/invalid_resource|AADSTS500011|resource principal/i.test(said)) {
        return new MdcaAuthError(`The ${source} could not get a token for ${this.env.resource ?? 'the service'}${text}.`, 'The service is not available in this identity\'s tenant or cloud: check the Cloud of the connection.', { status: observed.status });
      }
      if (observed.status === 401 || observed.status === 403) {
        return new MdcaAuthError(
          `The ${source} refused the token request (HTTP ${observed.status})${text}.`,
          'On App Service, Container Apps and Functions the platform sets IDENTITY_HEADER for IDENTITY_ENDPOINT: pass both to n8n or Node-RED unchanged (a restart gets fresh ones).',
          { status: observed.status },
        );
      }
      return new MdcaAuthError(`The ${source} refused the token request (HTTP ${observed.status})${text}.`, identityHint(this.auth), { status: observed.status });
    }
    return super.mapError(error);
  }
}

export const WORKLOAD_IDENTITY_HINT =
  `Check the federated credential of the app registration (or user-assigned identity): its issuer, subject and audience (api://AzureADTokenExchange) must match the token in ${FEDERATED_TOKEN_FILE_ENV}, and the client id (or ${AZURE_CLIENT_ID_ENV}) must be that app's.`;

/**
 * Workload identity federation: the client assertion is the token in AZURE_FEDERATED_TOKEN_FILE,
 * read again for every token request because the platform rotates the file (AKS: hourly). The
 * token is a secret: it is remembered so identity errors are scrubbed of it, and never logged.
 */
export class WorkloadIdentityProvider extends CachedTokenProvider {
  private readonly app: ConfidentialClientApplication;
  private lastAssertion = '';

  constructor(key: string, env: ProviderEnvironment, auth: WorkloadIdentitySettings) {
    super(key, env, []);
    const config = this.msalConfig(auth.clientId ?? '', auth.tenantId ?? '');
    this.app = new ConfidentialClientApplication({ ...config, auth: { ...config.auth, clientAssertion: () => this.readAssertion() } });
  }

  /** The assertions this provider has read, for the pipeline's scrubbing of anything shown. */
  knownSecrets(): readonly string[] {
    return this.lastAssertion ? [this.lastAssertion] : [];
  }

  private async readAssertion(): Promise<string> {
    const file = (process.env[FEDERATED_TOKEN_FILE_ENV] ?? '').trim();
    if (!file) throw new MdcaConfigurationError(FEDERATED_TOKEN_FILE_ENV, `${FEDERATED_TOKEN_FILE_ENV} is no longer set in the environment of this process.`, `Set ${FEDERATED_TOKEN_FILE_ENV} to the federated token file where n8n or Node-RED is started.`);
    let text: string;
    try {
      text = (await fs.promises.readFile(file, 'utf8')).trim();
    } catch (error) {
      const code = String((error as { code?: unknown })?.code ?? 'unreadable').slice(0, 20);
      // The path is the operator's, not a secret; the message names the variable, not the content.
      throw new MdcaConfigurationError(
        FEDERATED_TOKEN_FILE_ENV,
        `The federated token file named by ${FEDERATED_TOKEN_FILE_ENV} could not be read (${code === 'ENOENT' ? 'missing' : safeServiceMessage(code)}).`,
        `Check that ${FEDERATED_TOKEN_FILE_ENV} names the projected service account token (AKS: /var/run/secrets/azure/tokens/azure-identity-token) and that the user running n8n or Node-RED may read it.`,
      );
    }
    if (!text) throw new MdcaConfigurationError(FEDERATED_TOKEN_FILE_ENV, `The federated token file named by ${FEDERATED_TOKEN_FILE_ENV} is empty.`, 'The platform writes the token there; wait for it, or check the volume projection of the pod.');
    this.lastAssertion = text;
    this.rememberSecret(text);
    return text;
  }

  protected acquire(force: boolean) {
    return this.app.acquireTokenByClientCredential({ scopes: [scopeFor(this.env)], skipCache: force });
  }

  protected override mapError(error: unknown): MdcaError {
    const mapped = super.mapError(error);
    // Entra's generic hint names secrets and passwords this credential does not have.
    const code = mapped.details.identityCode;
    if (mapped instanceof MdcaAuthError && !(code && identityErrorHints[code])) {
      return new MdcaAuthError(mapped.message, WORKLOAD_IDENTITY_HINT, mapped.details);
    }
    return mapped;
  }
}

export function isAzureIdentity(auth: AuthSettings): auth is ManagedIdentitySettings | WorkloadIdentitySettings {
  return auth.kind === 'managedIdentity' || auth.kind === 'workloadIdentity';
}

export function createAzureIdentityProvider(auth: ManagedIdentitySettings | WorkloadIdentitySettings, env: ProviderEnvironment, cacheKey: string): TokenProvider & { knownSecrets?: () => readonly string[] } {
  return auth.kind === 'managedIdentity' ? new ManagedIdentityProvider(cacheKey, env, auth) : new WorkloadIdentityProvider(cacheKey, env, auth);
}
