// The Defender XDR side of the n8n adapter: from the same credentials as the MDCA nodes to a core
// XdrClient, the node descriptions generated from the XDR registry, the shared item loop and the
// credential test of the XDR nodes.
//   - App and User credentials: runtime createXdrClient (msal, tokens for
//     https://api.security.microsoft.com). The XDR API URL comes from the cloud; only the
//     "Local Emulator Only" section may override it (field xdrApiUrl).
//   - OAuth2 credential: n8n keeps one access token, issued for the first resource of the scope
//     list (MDCA). The stored refresh token is multi-resource, so the XDR token is redeemed from it
//     (nodes/adapter/oauth2-redeem.ts; the consent covers both when the XDR scopes are in the
//     credential's scope list).
//   - Legacy MDCA API token: cannot call XDR; a clear configuration error, before any request.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { cloudByName, CloudName, resolveAuthorityHost, XDR_RESOURCE } from '../../core/clouds';
import { XDR_DELEGATED_SCOPES } from '../../core/service-constants';
import { MdcaConfigurationError } from '../../core/errors';
import type { TokenProvider } from '../../core/ports';
import type { XdrClient } from '../../core/xdr';
import { createServiceClient, createXdrClient, ExternalAuthentication, sharedTransport, testingEndpoints, type XdrConnectionOptions } from '../../runtime';
import { LEGACY_TOKEN_FOR_XDR, XDR_SERVICE } from '../../core/services/xdr';
import { operatorTesting } from '../../runtime/operator';
import { nodeClientFor, credentialTestFor } from './credential-client';
import { kindOfCredentialType, n8nLogger, redisFromCredential, settingsFromCredential, testingFrom } from './connection';
import { oauth2RedeemedTokenProvider, oauth2Secrets, RedeemTarget } from './oauth2-redeem';

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

/** The Defender XDR API as a target of the refresh-token redemption (nodes/adapter/oauth2-redeem.ts). */
const XDR_REDEEM: RedeemTarget = {
	cacheTag: 'xdr',
	apiName: 'Defender XDR',
	scopes: XDR_OAUTH2_SCOPES,
	isAudience: (audience) => audience.replace(/\/+$/, '').toLowerCase() === XDR_RESOURCE,
	noRefreshTokenHint:
		'Reconnect the credential (the scope list includes offline_access and the Defender XDR scopes); the app registration needs the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read.',
	refusedHint: 'Add the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read to the app registration, grant consent, then reconnect the credential.',
};

/**
 * XDR access token for an OAuth2 credential: the stored access token when it is already for the
 * XDR API, otherwise one redeemed from the stored refresh token (cached per process until shortly
 * before it expires).
 */
export function oauth2XdrTokenProvider(data: Data, tokenEndpoint: string, transport: ReturnType<typeof sharedTransport>): TokenProvider {
	return oauth2RedeemedTokenProvider(data, tokenEndpoint, transport, XDR_REDEEM);
}

/** The Defender XDR client for the node's selected credential: one per execution. */
export const xdrNodeClient = nodeClientFor(LEGACY_TOKEN_FOR_XDR, xdrClientForCredential);

/** The credential test of the Defender XDR nodes: sign in, read the permissions, list one incident. */
export const xdrCredentialTest = credentialTestFor(xdrClientForCredential, { productName: 'Defender XDR', listOperation: 'incident.getAll', record: 'incident' });

