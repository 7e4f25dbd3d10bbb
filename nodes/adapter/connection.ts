// From an n8n credential to a core MdcaClient, built by the runtime's one factory. App, user and
// legacy-token credentials sign in through the runtime (msal token providers, axios transport, one
// pacer per process). The OAuth2 credential is externally authenticated: requests use
// `httpRequestWithAuthentication`, so n8n injects the bearer token and refreshes it when MDCA
// answers 401.
import crypto from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';
import type { CloudName } from '../../core/clouds';
import type { MdcaClient } from '../../core/client';
import { MDCA_SERVICE } from '../../core/services/mdca';
import type { AccessToken, HttpRequest, HttpResponse, HttpTransport, Logger, TokenProvider, TransportFailure } from '../../core/ports';
import type { AuthSettings, ConnectionSettings, ManagedIdentityKind, TestingSettings } from '../../runtime';
import { createMdcaClient, createServiceClient, ExternalAuthentication } from '../../runtime';
import { checkLegacyTestingFields, operatorTesting } from '../../runtime/operator';
import { RedisSettings, redisSettingsFromSecretUrl } from '../../runtime/redis';

export type AuthenticationKind = 'app' | 'user' | 'oAuth2' | 'apiToken' | 'azureIdentity';

export const CREDENTIAL_TYPES: Record<AuthenticationKind, string> = {
	app: 'microsoftDefenderCloudAppsAppApi',
	user: 'microsoftDefenderCloudAppsUserApi',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a credential type name, not a secret
	oAuth2: 'microsoftDefenderCloudAppsOAuth2Api',
	apiToken: 'microsoftDefenderCloudAppsTokenApi',
	azureIdentity: 'microsoftDefenderCloudAppsAzureIdentityApi',
};

export function kindOfCredentialType(type: string): AuthenticationKind | undefined {
	return (Object.keys(CREDENTIAL_TYPES) as AuthenticationKind[]).find((k) => CREDENTIAL_TYPES[k] === type);
}

type Data = ICredentialDataDecryptedObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/**
 * The test hosts of this n8n process: only its operator enables them (MDCA_ALLOW_TEST_HOSTS,
 * NODE_EXTRA_CA_CERTS), never a credential, which an editor who cannot read its secret may change.
 * Values older versions saved in the credential are read only to explain that.
 */
export function testingFrom(data: Data): TestingSettings | undefined {
	if (data.useTestingEndpoints === true) {
		checkLegacyTestingFields({ allowHosts: data.testingAllowHosts, authorityHost: data.testingAuthorityHost, caPem: data.testingCaPem }, 'useTestingEndpoints');
	}
	return operatorTesting();
}

/** Connection settings of a non-OAuth2 credential (the shape the runtime validates). */
export function settingsFromCredential(kind: Exclude<AuthenticationKind, 'oAuth2'>, data: Data): ConnectionSettings {
	let auth: AuthSettings;
	if (kind === 'app') {
		auth =
			data.authMethod === 'certificate'
				? {
						kind: 'appCertificate',
						tenantId: str(data.tenantId),
						clientId: str(data.clientId),
						certificatePem: str(data.certificatePem),
						privateKeyPem: str(data.privateKeyPem),
						privateKeyPassphrase: str(data.privateKeyPassphrase) || undefined,
					}
				: { kind: 'appSecret', tenantId: str(data.tenantId), clientId: str(data.clientId), clientSecret: str(data.clientSecret) };
	} else if (kind === 'user') {
		auth =
			data.userAuthMethod === 'refreshToken'
				? { kind: 'refreshToken', tenantId: str(data.tenantId), clientId: str(data.clientId), refreshToken: str(data.refreshToken) }
				: { kind: 'userPassword', tenantId: str(data.tenantId), clientId: str(data.clientId), username: str(data.username), password: str(data.password) };
	} else if (kind === 'azureIdentity') {
		// Secretless on Azure: the endpoint and the token file come from n8n's environment.
		auth =
			data.azureIdentity === 'workloadIdentity'
				? { kind: 'workloadIdentity', tenantId: str(data.tenantId), clientId: str(data.clientId) }
				: { kind: 'managedIdentity', identity: (str(data.managedIdentityType) || 'system') as ManagedIdentityKind, identityId: str(data.managedIdentityId) };
	} else {
		auth = { kind: 'apiToken', token: str(data.apiToken) };
	}
	const proxyUrl = str(data.proxyUrl).trim() || undefined;
	return { cloud: (str(data.cloud) || 'commercial') as CloudName, apiUrl: str(data.apiUrl).trim(), auth, testing: testingFrom(data), pacing: { budget: budgetOf(data) }, ...(proxyUrl ? { proxyUrl } : {}) };
}

/** The access token n8n stored for an OAuth2 credential; used only for the permission preflight. */
export function storedTokenProvider(data: Data, cacheKey: string): TokenProvider {
	return {
		cacheKey,
		async getToken(): Promise<AccessToken> {
			const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
			const token = str(tokenData.access_token);
			// Without a stored token there is nothing to inspect: a non-Bearer scheme makes the core
			// skip its preflight, and n8n (which sets the real header) reports "not connected".
			if (!token) return { token: '', scheme: 'Token' };
			return { token, scheme: 'Bearer' };
		},
	};
}

/**
 * The core's log lines in n8n's own log (main and workers), e.g. the Redis fallback warning of
 * the Redis sharing (docs/scale-out.md). Messages and fields are secret-free by construction
 * (core/redact.ts).
 */
export const n8nLogger: Logger = {
	debug: (message, fields) => LoggerProxy.debug(`MDCA: ${message}`, fields),
	info: (message, fields) => LoggerProxy.info(`MDCA: ${message}`, fields),
	warn: (message, fields) => LoggerProxy.warn(`MDCA: ${message}`, fields),
	error: (message, fields) => LoggerProxy.error(`MDCA: ${message}`, fields),
};

/** Optional Redis sharing (docs/scale-out.md); undefined keeps the per-process pacer and tokens. */
export function redisFromCredential(data: Data): RedisSettings | undefined {
	if (data.redisSharing !== true) return undefined;
	return redisSettingsFromSecretUrl(data.redisUrl, { keyPrefix: str(data.redisKeyPrefix), legacyPassword: data.redisPassword, legacyTls: data.redisTls });
}

/** Requests per rolling minute for this process (credential field; default 28 of MDCA's 30). */
export function budgetOf(data: Data): number {
	const n = Number(data.requestsPerMinute ?? 28);
	return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 28;
}

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/**
 * A core HttpTransport over n8n's `httpRequestWithAuthentication` (OAuth2 credential). Requests to
 * the tenant API origin are authenticated by n8n (the core's authorization header is dropped);
 * anything else (the discovery upload to storage) goes out without a credential.
 */
export function n8nAuthenticatedTransport(ctx: RequestContext, credentialType: string, apiOrigin: string, fallback: HttpTransport): HttpTransport {
	return {
		async send(request: HttpRequest): Promise<HttpResponse> {
			if (new URL(request.url).origin !== apiOrigin) return fallback.send(request);
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() !== 'authorization') headers[k] = v;
			const options: IHttpRequestOptions = {
				method: request.method,
				url: request.url,
				headers,
				body: request.body instanceof Uint8Array ? Buffer.from(request.body) : request.body,
				json: false,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				// Every status comes back as a response for the core to handle, except 401: n8n refreshes
				// the OAuth2 token only when the request throws with 401.
				ignoreHttpStatusErrors: { ignore: true, except: [401] },
				disableFollowRedirect: true,
				timeout: request.timeoutMs,
				abortSignal: request.signal,
			};
			try {
				const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)) as {
					body: unknown;
					headers: Record<string, unknown>;
					statusCode: number;
				};
				return { status: response.statusCode, headers: lowerHeaders(response.headers), body: bodyText(response.body) };
			} catch (error) {
				const e = error as { response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }; code?: string; message?: string };
				if (e?.response && typeof e.response.status === 'number') {
					return { status: e.response.status, headers: lowerHeaders(e.response.headers ?? {}), body: bodyText(e.response.data) };
				}
				throw toTransportFailure(e, request.signal);
			}
		},
	};
}

function lowerHeaders(headers: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {})) {
		if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
	return JSON.stringify(body);
}

function toTransportFailure(e: { code?: string; message?: string; cause?: { code?: string } } | undefined, signal?: AbortSignal): TransportFailure {
	if (signal?.aborted) return { transportFailure: true, code: 'ABORTED', message: 'cancelled', mayHaveReachedServer: true };
	const code = e?.cause?.code ?? e?.code ?? 'UNKNOWN';
	const notSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'].includes(code) || /CERT|SSL|TLS/.test(code);
	// Only the code travels on: n8n's and axios' error messages can carry request headers.
	return { transportFailure: true, code, message: notSent ? 'request not sent' : 'network failure', mayHaveReachedServer: !notSent };
}

/** Builds the client for the credential a node is configured with. */
export function clientForCredential(ctx: RequestContext | undefined, credentialType: string, data: Data): MdcaClient {
	const kind = kindOfCredentialType(credentialType);
	if (!kind) throw new Error(`Unknown credential type ${credentialType}`);
	const hooks = { redis: redisFromCredential(data), logger: n8nLogger };
	if (kind !== 'oAuth2') return createMdcaClient(settingsFromCredential(kind, data), hooks);
	const apiUrl = str(data.apiUrl).trim();
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	const external: ExternalAuthentication = {
		kind: 'external',
		tokenProvider: storedTokenProvider(data, `oauth2:${crypto.createHash('sha256').update(`${apiUrl}|${str(data.clientId)}`).digest('hex').slice(0, 32)}`),
		transport: (apiOrigin, fallback) => (ctx ? n8nAuthenticatedTransport(ctx, credentialType, apiOrigin, fallback) : bearerTransport(fallback, data)),
		secrets: () => [str(tokenData.access_token), str(tokenData.refresh_token), str(data.clientSecret)].filter(Boolean),
		tenantId: str(data.tenantId),
	};
	const settings = { cloud: (str(data.cloud) || 'commercial') as CloudName, apiUrl, auth: external, testing: testingFrom(data), budget: { perMinute: budgetOf(data) } };
	return createServiceClient(MDCA_SERVICE, settings, hooks);
}

/**
 * Credential tests have no `httpRequestWithAuthentication`: they send the stored access token
 * themselves (no refresh; the test reports an expired token as such).
 */
function bearerTransport(inner: HttpTransport, data: Data): HttpTransport {
	return {
		send(request) {
			const token = str((data.oauthTokenData as IDataObject | undefined)?.access_token);
			const headers = { ...request.headers };
			if ('authorization' in headers) headers.authorization = `Bearer ${token}`;
			return inner.send({ ...request, headers });
		},
	};
}
