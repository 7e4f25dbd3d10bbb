// Credential values for the n8n unit tests, derived from a running emulator the way a user would
// type them (and, for OAuth2, as n8n stores them after the sign-in). The tests run the nodes
// through n8n-core's engine (engine.ts).
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import { createAxiosTransport } from '../../runtime';
import { enableEmulatorHosts, settingsFor } from '../support/emulator-settings';
import type { EmulatorAuthKind } from '../support/emulator-settings';

export const CRED = {
	app: 'microsoftDefenderCloudAppsAppApi',
	user: 'microsoftDefenderCloudAppsUserApi',
	oAuth2: 'microsoftDefenderCloudAppsOAuth2Api',
	apiToken: 'microsoftDefenderCloudAppsTokenApi',
	azureIdentity: 'microsoftDefenderCloudAppsAzureIdentityApi',
} as const;

// ---------------------------------------------------------------------------------------------
// Credential values derived from the emulator (settingsFor), as a user would type them.

// The emulator's hosts and CA are enabled the way an operator enables them (not by the credential).
function testingFields(emulator: RunningEmulator): IDataObject {
	enableEmulatorHosts(emulator);
	return {
		// The emulator's throttle is switched off in unit tests; pace far above MDCA's 30/min.
		requestsPerMinute: 10_000,
		useTestingEndpoints: true,
	};
}

export function credentialData(emulator: RunningEmulator, kind: EmulatorAuthKind | 'refreshToken', extra: ICredentialDataDecryptedObject = {}): { type: string; data: ICredentialDataDecryptedObject } {
	const base = settingsFor(emulator, kind === 'refreshToken' ? 'userPassword' : kind);
	const common = { cloud: base.cloud, apiUrl: base.apiUrl, ...testingFields(emulator) };
	const a = base.auth;
	let out: { type: string; data: ICredentialDataDecryptedObject };
	switch (a.kind) {
		case 'appSecret':
			out = { type: CRED.app, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, authMethod: 'secret', clientSecret: a.clientSecret } };
			break;
		case 'appCertificate':
			out = { type: CRED.app, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, authMethod: 'certificate', certificatePem: a.certificatePem, privateKeyPem: a.privateKeyPem } };
			break;
		case 'userPassword':
			out = { type: CRED.user, data: { ...common, tenantId: a.tenantId, clientId: a.clientId, userAuthMethod: 'password', username: a.username, password: a.password } };
			break;
		case 'apiToken':
			out = { type: CRED.apiToken, data: { ...common, apiToken: a.token } };
			break;
		default:
			throw new Error(`no credential for ${a.kind}`);
	}
	out.data = { ...out.data, ...extra };
	return out;
}

/**
 * An OAuth2 credential holding an emulator-issued delegated access token, with the token URL n8n
 * resolves from the credential's hidden field (here the emulator's, for the tenant).
 */
export function oauth2CredentialData(emulator: RunningEmulator, scopes = 'Investigation.read Investigation.manage Discovery.read Discovery.manage Settings.read Settings.manage', tenant = 'contoso'): ICredentialDataDecryptedObject {
	const t = emulator.tenants[tenant];
	return {
		cloud: 'commercial',
		apiUrl: t.apiUrl,
		tenantId: t.tenantId,
		clientId: t.credentials.apps.public.clientId,
		clientSecret: '',
		grantType: 'authorizationCode',
		accessTokenUrl: `${emulator.identityUrl}/${t.tenantId}/oauth2/v2.0/token`,
		authentication: 'body',
		...testingFields(emulator),
		oauthTokenData: { access_token: delegatedToken(emulator, scopes, tenant), refresh_token: 'emulator-refresh-not-used', token_type: 'Bearer' },
	};
}

/**
 * Tokens as n8n holds them after the sign-in: an access token and a real emulator refresh token
 * (password grant of the public client, standing in for the authorization-code flow the emulator
 * does not implement).
 */
export async function signedInTokens(emulator: RunningEmulator, scope: string, tenant = 'contoso'): Promise<{ access_token: string; refresh_token: string; token_type: string }> {
	const t = emulator.tenants[tenant];
	const user = t.credentials.users.analyst;
	const form = new URLSearchParams({ grant_type: 'password', client_id: t.credentials.apps.public.clientId, username: user.username, password: user.password, scope: `${scope} offline_access` });
	const response = await createAxiosTransport({ caPem: emulator.caPem }).send({
		method: 'POST',
		url: `${emulator.identityUrl}/${t.tenantId}/oauth2/v2.0/token`,
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: form.toString(),
		timeoutMs: 10_000,
		maxResponseBytes: 1024 * 1024,
	});
	const body = JSON.parse(response.body) as { access_token?: string; refresh_token?: string };
	if (!body.access_token || !body.refresh_token) throw new Error(`no tokens: ${response.status} ${response.body.slice(0, 300)}`);
	return { access_token: body.access_token, refresh_token: body.refresh_token, token_type: 'Bearer' };
}

export function delegatedToken(emulator: RunningEmulator, scopes: string, tenant = 'contoso', overrides: IDataObject = {}): string {
	const t = emulator.tenants[tenant];
	return emulator.control.mintAccessToken(tenant, {
		roles: null, // a delegated token has scp and no roles claim
		scp: scopes,
		appid: t.credentials.apps.public.clientId,
		oid: t.credentials.users.analyst.oid,
		upn: t.credentials.users.analyst.username,
		...overrides,
	} as never);
}

// ---------------------------------------------------------------------------------------------
// Defender XDR: the same credentials, with the emulator's XDR listener in the testing section
// ("Defender XDR API URL (Emulator)" + its host in Allowed Hosts).

/** A credential (App, User, legacy token) that also reaches the emulator's XDR listener. */
export function xdrCredentialData(emulator: RunningEmulator, kind: EmulatorAuthKind, extra: IDataObject = {}, tenant = 'contoso'): { type: string; data: ICredentialDataDecryptedObject } {
	const base = credentialData(emulator, kind);
	const xdrApiUrl = emulator.tenants[tenant].xdrApiUrl;
	return { type: base.type, data: { ...base.data, xdrApiUrl, ...extra } };
}

/** An OAuth2 credential as n8n stores it after the sign-in, reaching the emulator's XDR listener too. */
export async function xdrOAuth2CredentialData(emulator: RunningEmulator, tenant = 'contoso'): Promise<ICredentialDataDecryptedObject> {
	const data = oauth2CredentialData(emulator, undefined, tenant);
	return {
		...data,
		xdrApiUrl: emulator.tenants[tenant].xdrApiUrl,
		oauthTokenData: await signedInTokens(emulator, '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read', tenant),
	};
}

// ---------------------------------------------------------------------------------------------
// Microsoft Graph security: the same credentials, with the emulator's Graph listener in the testing
// section ("Microsoft Graph URL (Emulator)"; the operator allows its host).

/** A credential (App, User, legacy token) that also reaches the emulator's Graph listener. */
export function graphCredentialData(emulator: RunningEmulator, kind: EmulatorAuthKind, extra: IDataObject = {}, tenant = 'contoso'): { type: string; data: ICredentialDataDecryptedObject } {
	const base = credentialData(emulator, kind);
	return { type: base.type, data: { ...base.data, graphApiUrl: emulator.tenants[tenant].graphApiUrl, ...extra } };
}

/** An OAuth2 credential as n8n stores it after the sign-in (an MDCA token and a refresh token), reaching the Graph listener too. */
export async function graphOAuth2CredentialData(emulator: RunningEmulator, tenant = 'contoso'): Promise<ICredentialDataDecryptedObject> {
	const data = oauth2CredentialData(emulator, undefined, tenant);
	return {
		...data,
		graphApiUrl: emulator.tenants[tenant].graphApiUrl,
		oauthTokenData: await signedInTokens(emulator, '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read', tenant),
	};
}
