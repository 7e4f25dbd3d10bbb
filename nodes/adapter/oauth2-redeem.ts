// A token for another API than the one n8n's OAuth2 credential holds a token for. n8n keeps one
// access token, issued for the first resource of the credential's scope list (MDCA). The stored
// refresh token is multi-resource, so a token for Defender XDR (nodes/adapter/xdr.ts) or Microsoft
// Graph (nodes/adapter/graph.ts) is redeemed from it, for that API's delegated scopes.
import crypto from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { MdcaAuthError } from '../../core/errors';
import { readTokenInsight } from '../../core/permissions';
import type { AccessToken, TokenProvider } from '../../core/ports';
import { safeServiceMessage } from '../../core/redact';
import { OFFLINE_ACCESS, scopeOf } from '../../core/service-constants';
import type { sharedTransport } from '../../runtime';

type Data = ICredentialDataDecryptedObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The API a token is redeemed for, and what a failure says about it. */
export interface RedeemTarget {
	/** A short tag for the per-process cache key ("xdr", "graph"). */
	cacheTag: string;
	/** The API's name in messages ("Defender XDR"). */
	apiName: string;
	/** The delegated scopes asked for (offline_access is added). */
	scopes: readonly string[];
	/** Whether a token's audience is this API (the stored token is then used as is). */
	isAudience(audience: string): boolean;
	/** What to do when no refresh token is stored. */
	noRefreshTokenHint: string;
	/** What to do when Entra ID refuses to issue the token. */
	refusedHint: string;
}

/** What differs between the APIs whose tokens are redeemed for delegated permissions by name. */
export interface DelegatedApi {
	cacheTag: string;
	apiName: string;
	/** The API's name under API permissions ("Microsoft Graph", "WindowsDefenderATP"). */
	consentApiName: string;
	/** Where to find it when it is not listed first (", type … under APIs my organization uses"). */
	whereToFind?: string;
	/** The API's application id, the audience some of its tokens carry instead of its URL. */
	appId: string;
	permissions: readonly string[];
}

/**
 * The redemption target of an API for a given token resource (each cloud has its own): a token
 * for the API's delegated permissions by name, cached under the API's tag.
 */
export function delegatedRedeemTarget(api: DelegatedApi): (resource: string) => RedeemTarget {
	const hint = `the ${api.consentApiName} Delegated permissions ${api.permissions.join(', ')}`;
	return (resource) => ({
		cacheTag: api.cacheTag,
		apiName: api.apiName,
		scopes: api.permissions.map((p) => scopeOf(resource, p)),
		isAudience: (audience) => {
			const a = audience.replace(/\/+$/, '').toLowerCase();
			return a === resource.toLowerCase() || a === api.appId;
		},
		noRefreshTokenHint: `Reconnect the credential (its scope list includes offline_access); the app registration needs ${hint} with admin consent.`,
		refusedHint: `Add ${hint} to the app registration${api.whereToFind ?? ''}, grant admin consent, then reconnect the credential.`,
	});
}

const redeemed = new Map<string, AccessToken>();

/** Every secret an OAuth2 credential holds, plus a token redeemed from it. */
export function oauth2Secrets(data: Data, redeemedToken?: string): string[] {
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	return [str(tokenData.access_token), str(tokenData.refresh_token), str(data.clientSecret), redeemedToken ?? ''].filter(Boolean);
}

/**
 * The target API's access token for an OAuth2 credential: the stored access token when it is
 * already for that API, otherwise one redeemed from the stored refresh token (cached per process
 * until shortly before it expires).
 */
export function oauth2RedeemedTokenProvider(data: Data, tokenEndpoint: string, transport: ReturnType<typeof sharedTransport>, target: RedeemTarget): TokenProvider {
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	const stored = str(tokenData.access_token);
	const refreshToken = str(tokenData.refresh_token);
	const scope = [...target.scopes, OFFLINE_ACCESS].join(' ');
	const cacheKey = `oauth2-${target.cacheTag}:${crypto.createHash('sha256').update(`${tokenEndpoint}|${str(data.clientId)}|${scope}|${refreshToken}`).digest('hex').slice(0, 32)}`;
	return {
		cacheKey,
		async getToken(options = {}): Promise<AccessToken> {
			const insight = stored ? readTokenInsight(stored) : undefined;
			const storedIsTarget = insight?.audience !== undefined && target.isAudience(insight.audience);
			if (storedIsTarget && !options.forceRefresh && (insight?.expiresOnMs ?? Infinity) > Date.now() + 60_000) return { token: stored, scheme: 'Bearer', expiresOnMs: insight?.expiresOnMs };
			const cached = redeemed.get(cacheKey);
			if (cached && !options.forceRefresh && (cached.expiresOnMs ?? 0) > Date.now() + 60_000) return cached;
			if (!refreshToken) {
				throw new MdcaAuthError(`The OAuth2 credential holds no refresh token, so no ${target.apiName} token can be obtained from it.`, target.noRefreshTokenHint);
			}
			const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: str(data.clientId), refresh_token: refreshToken, scope });
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
				const said = safeServiceMessage(str(body.error), oauth2Secrets(data, redeemed.get(cacheKey)?.token)).slice(0, 120);
				throw new MdcaAuthError(`Entra ID did not issue a ${target.apiName} token for the OAuth2 credential (${said || `HTTP ${response.status}`}${aadsts ? `, ${aadsts}` : ''}).`, target.refusedHint, {
					status: response.status,
				});
			}
			const expiresIn = Number(body.expires_in ?? 3600);
			const token: AccessToken = { token: body.access_token, scheme: 'Bearer', expiresOnMs: Date.now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000 };
			redeemed.set(cacheKey, token);
			return token;
		},
	};
}
