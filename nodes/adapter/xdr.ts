// The Defender XDR side of the n8n adapter: from the same credentials as the MDCA nodes to a core
// XdrClient, the node descriptions generated from the XDR registry, the shared item loop and the
// credential test of the XDR nodes.
//   - App and User credentials: runtime createXdrClient (msal, tokens for
//     https://api.security.microsoft.com). The XDR API URL comes from the cloud; only the
//     "Local Emulator Only" section may override it (field xdrApiUrl).
//   - OAuth2 credential: n8n keeps one access token, issued for the first resource of the scope
//     list (MDCA). The stored refresh token is multi-resource, so the XDR token is redeemed from it
//     (the consent covers both when the XDR scopes are in the credential's scope list).
//   - Legacy MDCA API token: cannot call XDR; a clear configuration error, before any request.
import crypto from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	IPollFunctions,
} from 'n8n-workflow';
import { cloudByName, CloudName, resolveAuthorityHost, XDR_RESOURCE } from '../../core/clouds';
import { OFFLINE_ACCESS, XDR_DELEGATED_SCOPES } from '../../core/service-constants';
import { describeError } from '../../core/client';
import { MdcaAuthError, MdcaConfigurationError, MdcaError } from '../../core/errors';
import { safeServiceMessage } from '../../core/redact';
import type { AccessToken, TokenProvider } from '../../core/ports';
import { readXdrTokenInsight } from '../../core/xdr';
import type { XdrClient } from '../../core/xdr';
import { createServiceClient, createXdrClient, ExternalAuthentication, sharedTransport, testingEndpoints, type XdrConnectionOptions } from '../../runtime';
import { LEGACY_TOKEN_FOR_XDR, XDR_SERVICE } from '../../core/services/xdr';
import { operatorTesting } from '../../runtime/operator';
import { CREDENTIAL_TYPES, kindOfCredentialType, n8nLogger, redisFromCredential, settingsFromCredential, testingFrom } from './connection';
import type { AuthenticationKind } from './connection';

/** Delegated XDR scopes the OAuth2 credential asks consent for, and redeems its refresh token for. */
export const XDR_OAUTH2_SCOPES: readonly string[] = XDR_DELEGATED_SCOPES;



type Data = ICredentialDataDecryptedObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** XDR options from a credential: the API URL override and pacing exist for the emulator only. */
export function xdrOptionsFromCredential(data: Data): XdrConnectionOptions {
	// Only where the operator switched test hosts on: an editor of the credential cannot raise a
	// real tenant's budget.
	if (data.useTestingEndpoints !== true || !operatorTesting()) return {};
	const perMinute = Number(data.requestsPerMinute ?? 0);
	// Emulator only: a Requests per Minute above the XDR default also lifts the XDR budget (tests
	// run with the emulator's throttle off). Real tenants always use the XDR defaults (45/min, 1,400/h).
	const xdrPacing = Number.isInteger(perMinute) && perMinute > 45 ? { perMinute, perHour: Math.max(1_400, perMinute * 60) } : undefined;
	return { xdrApiUrl: str(data.xdrApiUrl).trim() || undefined, xdrPacing };
}

/** Builds the XDR client for the credential a node is configured with. */
export function xdrClientForCredential(credentialType: string, data: Data): XdrClient {
	const kind = kindOfCredentialType(credentialType);
	if (!kind) throw new Error(`Unknown credential type ${credentialType}`);
	if (kind === 'apiToken') throw new MdcaConfigurationError('authentication', LEGACY_TOKEN_FOR_XDR.message, LEGACY_TOKEN_FOR_XDR.hint);
	const options = xdrOptionsFromCredential(data);
	const hooks = { redis: redisFromCredential(data), logger: n8nLogger };
	if (kind !== 'oAuth2') return createXdrClient({ ...settingsFromCredential(kind, data), ...options }, hooks);
	const cloud = (str(data.cloud) || 'commercial') as CloudName;
	const testing = testingFrom(data);
	const tokenEndpoint = `${resolveAuthorityHost(cloudByName(cloud), testingEndpoints({ testing }))}/${encodeURIComponent(str(data.tenantId).trim() || 'organizations')}/oauth2/v2.0/token`;
	const external: ExternalAuthentication = {
		kind: 'external',
		tokenProvider: oauth2XdrTokenProvider(data, tokenEndpoint, sharedTransport(testing?.caPem)),
		secrets: () => oauth2Secrets(data),
		tenantId: str(data.tenantId),
	};
	return createServiceClient(XDR_SERVICE, { cloud, apiUrl: options.xdrApiUrl, auth: external, testing, budget: options.xdrPacing }, hooks);
}

const oauth2Tokens = new Map<string, AccessToken>();

/** Every secret an OAuth2 credential holds, plus the XDR token redeemed from it. */
function oauth2Secrets(data: Data, redeemed?: string): string[] {
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	return [str(tokenData.access_token), str(tokenData.refresh_token), str(data.clientSecret), redeemed ?? ''].filter(Boolean);
}

/**
 * XDR access token for an OAuth2 credential: the stored access token when it is already for the
 * XDR API, otherwise one redeemed from the stored refresh token (cached per process until shortly
 * before it expires).
 */
export function oauth2XdrTokenProvider(data: Data, tokenEndpoint: string, transport: ReturnType<typeof sharedTransport>): TokenProvider {
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	const stored = str(tokenData.access_token);
	const refreshToken = str(tokenData.refresh_token);
	const cacheKey = `oauth2-xdr:${crypto.createHash('sha256').update(`${tokenEndpoint}|${str(data.clientId)}|${refreshToken}`).digest('hex').slice(0, 32)}`;
	return {
		cacheKey,
		async getToken(options = {}): Promise<AccessToken> {
			const insight = stored ? readXdrTokenInsight(stored) : undefined;
			const storedIsXdr = insight?.audience !== undefined && insight.audience.replace(/\/+$/, '').toLowerCase() === XDR_RESOURCE;
			if (storedIsXdr && !options.forceRefresh && (insight?.expiresOnMs ?? Infinity) > Date.now() + 60_000) return { token: stored, scheme: 'Bearer', expiresOnMs: insight?.expiresOnMs };
			const cached = oauth2Tokens.get(cacheKey);
			if (cached && !options.forceRefresh && (cached.expiresOnMs ?? 0) > Date.now() + 60_000) return cached;
			if (!refreshToken) {
				throw new MdcaAuthError(
					'The OAuth2 credential holds no refresh token, so no Defender XDR token can be obtained from it.',
					'Reconnect the credential (the scope list includes offline_access and the Defender XDR scopes); the app registration needs the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read.',
				);
			}
			const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: str(data.clientId), refresh_token: refreshToken, scope: [...XDR_OAUTH2_SCOPES, OFFLINE_ACCESS].join(' ') });
			if (str(data.clientSecret)) form.set('client_secret', str(data.clientSecret));
			const response = await transport.send({
				method: 'POST',
				url: tokenEndpoint,
				headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
				body: form.toString(),
				timeoutMs: 30_000,
				maxResponseBytes: 1024 * 1024,
				signal: options.signal,
			});
			let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
			try {
				body = JSON.parse(response.body) as typeof body;
			} catch {
				body = {};
			}
			if (response.status !== 200 || typeof body.access_token !== 'string') {
				const aadsts = /AADSTS\d+/.exec(str(body.error_description))?.[0];
				// `error` is the token endpoint's text: a hostile one echoes the refresh token or the
				// client secret it was sent, or adds CR/LF to forge a log line.
				const said = safeServiceMessage(str(body.error), oauth2Secrets(data, oauth2Tokens.get(cacheKey)?.token)).slice(0, 120);
				throw new MdcaAuthError(
					`Entra ID did not issue a Defender XDR token for the OAuth2 credential (${said || `HTTP ${response.status}`}${aadsts ? `, ${aadsts}` : ''}).`,
					'Add the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read to the app registration, grant consent, then reconnect the credential.',
					{ status: response.status },
				);
			}
			const expiresIn = Number(body.expires_in ?? 3600);
			const token: AccessToken = { token: body.access_token, scheme: 'Bearer', expiresOnMs: Date.now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 };
			oauth2Tokens.set(cacheKey, token);
			return token;
		},
	};
}

type Ctx = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** The XDR client for the node's selected credential: one per execution. */
export async function xdrNodeClient(ctx: Ctx): Promise<XdrClient> {
	const kind = (
		'getInputData' in ctx ? (ctx as IExecuteFunctions).getNodeParameter('authentication', 0, 'app') : (ctx as IPollFunctions).getNodeParameter('authentication', 'app')
	) as AuthenticationKind;
	// Checked before reading the credential: XDR nodes do not declare the legacy token type.
	if (kind === 'apiToken') throw new MdcaConfigurationError('authentication', LEGACY_TOKEN_FOR_XDR.message, LEGACY_TOKEN_FOR_XDR.hint);
	const type = CREDENTIAL_TYPES[kind] ?? CREDENTIAL_TYPES.app;
	const data = await ctx.getCredentials(type);
	return xdrClientForCredential(type, data);
}

/** The credential test of the XDR nodes: sign in for the XDR API, read the permissions, list one incident. */
export async function xdrCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		const client = xdrClientForCredential(credential.type, credential.data ?? {});
		const insight = await client.insight();
		const canRead = insight.unlocked.some((u) => u.id === 'incident.getAll') || insight.permissions.length === 0;
		if (canRead) for await (const page of client.pages('incident.getAll', {}, { maxItems: 1 })) void page;
		const kind = insight.kind === 'delegated' ? 'User (delegated)' : 'Application';
		return {
			status: 'OK',
			message: `Connected to Defender XDR (${kind}). Permissions: ${insight.permissions.join(', ') || 'none found in the token'}. Unlocks: ${insight.unlocked.map((u) => u.id).join(', ') || 'none'}.${canRead ? '' : ' Incident read skipped (no incident permission).'}`,
		};
	} catch (error) {
		const summary = describeError(error);
		const hint = error instanceof MdcaError ? ` ${error.hint}` : '';
		return { status: 'Error', message: `${String(summary.message)}${hint}` };
	}
}

