// A client of another Microsoft API (Microsoft Graph security, Defender for Endpoint) from the same
// n8n credentials as the MDCA nodes, built the same way for each API (createServiceClient with the
// API's descriptor):
//   - App, User and Azure Identity credentials: tokens for the API's resource in the credential's
//     cloud (msal). The API URL comes from the cloud; only the "Local Emulator Only" section may
//     override it (the API's URL field), and only where the operator switched test hosts on.
//   - OAuth2 credential: n8n's stored token is for MDCA; a token for the API is redeemed from the
//     stored refresh token for the API's delegated permissions by name (nodes/adapter/oauth2-redeem.ts),
//     which the app registration must hold with consent.
//   - Legacy MDCA API token: cannot call these APIs; a clear configuration error, before any request.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { cloudByName, CloudName, resolveAuthorityHost } from '../../core/clouds';
import { MdcaConfigurationError } from '../../core/errors';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { GrantedAccess, ServiceClient } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { createServiceClient, ExternalAuthentication, sharedTransport, testingEndpoints } from '../../runtime';
import { operatorTesting } from '../../runtime/operator';
import type { ServiceBudget } from '../../runtime/service-pacer';
import { kindOfCredentialType, n8nLogger, redisFromCredential, settingsFromCredential, testingFrom } from './connection';
import { oauth2RedeemedTokenProvider, oauth2Secrets, RedeemTarget } from './oauth2-redeem';

type Data = ICredentialDataDecryptedObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** What differs between the APIs a credential reaches besides MDCA. */
export interface CredentialService<D extends AnyOperationDefinition, I extends GrantedAccess> {
	descriptor: ServiceDescriptor<D, I>;
	legacyTokenRefusal: { message: string; hint: string };
	/** The credential's emulator-only URL field of this API ("graphApiUrl", "mdeApiUrl"). */
	urlField: string;
	/** What an OAuth2 credential redeems its refresh token for, given the API's token resource. */
	redeemTarget(resource: string): RedeemTarget;
}

/** The API's options from a credential: the URL override and pacing exist for the emulator only. */
export function serviceOptionsFromCredential(service: { urlField: string; descriptor: { budget: { perMinute: number } } }, data: Data): { apiUrl?: string; budget?: ServiceBudget } {
	// Only where the operator switched test hosts on: an editor of the credential cannot point a
	// real tenant's secrets elsewhere, nor raise its budget.
	if (data.useTestingEndpoints !== true || !operatorTesting()) return {};
	const perMinute = Number(data.requestsPerMinute ?? 0);
	// Emulator only: a Requests per Minute above the API's default lifts its budget too.
	const budget = Number.isInteger(perMinute) && perMinute > service.descriptor.budget.perMinute ? { perMinute } : undefined;
	return { apiUrl: str(data[service.urlField]).trim() || undefined, budget };
}

/** Builds the API's client for the credential a node is configured with. */
export function serviceClientForCredential<D extends AnyOperationDefinition, I extends GrantedAccess>(service: CredentialService<D, I>, credentialType: string, data: Data): ServiceClient<D, I> {
	const kind = kindOfCredentialType(credentialType);
	if (!kind) throw new Error(`Unknown credential type ${credentialType}`);
	const { descriptor } = service;
	if (kind === 'apiToken') throw new MdcaConfigurationError('authentication', service.legacyTokenRefusal.message, service.legacyTokenRefusal.hint);
	const options = serviceOptionsFromCredential(service, data);
	const hooks = { redis: redisFromCredential(data), logger: n8nLogger };
	if (kind !== 'oAuth2') {
		const settings = settingsFromCredential(kind, data);
		// The MDCA budget (settings.pacing) is not this API's: it has its own.
		return createServiceClient(descriptor, { cloud: settings.cloud, auth: settings.auth, testing: settings.testing, apiUrl: options.apiUrl, budget: options.budget }, hooks);
	}
	const cloudName = (str(data.cloud) || 'commercial') as CloudName;
	const cloud = cloudByName(cloudName);
	const testing = testingFrom(data);
	const endpoints = testingEndpoints({ testing });
	// The token is for the resource of the origin the client calls.
	const origin = descriptor.baseUrl(options.apiUrl, cloud, endpoints);
	const resource = descriptor.tokenResourceFor?.(origin, cloud) ?? descriptor.tokenResource;
	const tokenEndpoint = `${resolveAuthorityHost(cloud, endpoints)}/${encodeURIComponent(str(data.tenantId).trim() || 'organizations')}/oauth2/v2.0/token`;
	const external: ExternalAuthentication = {
		kind: 'external',
		tokenProvider: oauth2RedeemedTokenProvider(data, tokenEndpoint, sharedTransport(testing?.caPem), service.redeemTarget(resource)),
		secrets: () => oauth2Secrets(data),
		tenantId: str(data.tenantId),
	};
	return createServiceClient(descriptor, { cloud: cloudName, apiUrl: options.apiUrl, auth: external, testing, budget: options.budget }, hooks);
}
