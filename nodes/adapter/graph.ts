// The Microsoft Graph security side of the n8n adapter: from the same credentials as the MDCA and
// Defender XDR nodes to a Graph client (createServiceClient with core/services/graph.ts), and the
// credential test of the Graph nodes.
//   - App and User credentials: tokens for the Graph root of the credential's cloud (msal). The
//     Graph URL comes from the cloud; only the "Local Emulator Only" section may override it
//     (field graphApiUrl).
//   - OAuth2 credential: n8n's stored token is for MDCA; a Graph token is redeemed from the stored
//     refresh token for the Graph permissions by name (nodes/adapter/oauth2-redeem.ts), which the
//     app registration must hold with consent.
//   - Legacy MDCA API token: cannot call Graph; a clear configuration error, before any request.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { cloudByName, CloudName, resolveAuthorityHost } from '../../core/clouds';
import { MdcaConfigurationError } from '../../core/errors';
import type { GraphOperationDefinition, GraphTokenInsight } from '../../core/graph';
import type { TokenProvider } from '../../core/ports';
import type { ServiceClient } from '../../core/service-client';
import { GRAPH_APP_ID, GRAPH_DELEGATED_PERMISSIONS, scopeOf } from '../../core/service-constants';
import { GRAPH_SERVICE, LEGACY_TOKEN_FOR_GRAPH } from '../../core/services/graph';
import { createServiceClient, ExternalAuthentication, sharedTransport, testingEndpoints } from '../../runtime';
import type { ServiceBudget } from '../../runtime/service-pacer';
import { operatorTesting } from '../../runtime/operator';
import { nodeClientFor, credentialTestFor } from './credential-client';
import { kindOfCredentialType, n8nLogger, redisFromCredential, settingsFromCredential, testingFrom } from './connection';
import { oauth2RedeemedTokenProvider, oauth2Secrets } from './oauth2-redeem';

export type GraphClient = ServiceClient<GraphOperationDefinition, GraphTokenInsight>;

type Data = ICredentialDataDecryptedObject;
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** What the Graph permission names need, said once for every error of the Graph nodes. */
const GRAPH_PERMISSIONS_HINT = `the Microsoft Graph Delegated permissions ${GRAPH_DELEGATED_PERMISSIONS.join(', ')}`;

/** Graph options from a credential: the URL override and pacing exist for the emulator only. */
export function graphOptionsFromCredential(data: Data): { graphApiUrl?: string; budget?: ServiceBudget } {
	// Only where the operator switched test hosts on: an editor of the credential cannot point a
	// real tenant's secrets elsewhere, nor raise its budget.
	if (data.useTestingEndpoints !== true || !operatorTesting()) return {};
	const perMinute = Number(data.requestsPerMinute ?? 0);
	// Emulator only: a Requests per Minute above the Graph default (140) lifts the Graph budget too.
	const budget = Number.isInteger(perMinute) && perMinute > GRAPH_SERVICE.budget.perMinute ? { perMinute } : undefined;
	return { graphApiUrl: str(data.graphApiUrl).trim() || undefined, budget };
}

/** The Graph delegated scopes of a Graph root (each cloud has its own root, so its own scopes). */
export function graphOAuth2Scopes(root: string): string[] {
	return GRAPH_DELEGATED_PERMISSIONS.map((p) => scopeOf(root, p));
}

/** The Graph token for an OAuth2 credential, redeemed from its refresh token for `root`. */
export function oauth2GraphTokenProvider(data: Data, tokenEndpoint: string, transport: ReturnType<typeof sharedTransport>, root: string): TokenProvider {
	return oauth2RedeemedTokenProvider(data, tokenEndpoint, transport, {
		cacheTag: 'graph',
		apiName: 'Microsoft Graph',
		scopes: graphOAuth2Scopes(root),
		isAudience: (audience) => {
			const a = audience.replace(/\/+$/, '').toLowerCase();
			return a === root.toLowerCase() || a === GRAPH_APP_ID;
		},
		noRefreshTokenHint: `Reconnect the credential (its scope list includes offline_access); the app registration needs ${GRAPH_PERMISSIONS_HINT} with admin consent.`,
		refusedHint: `Add ${GRAPH_PERMISSIONS_HINT} to the app registration, grant admin consent, then reconnect the credential.`,
	});
}

/** Builds the Graph client for the credential a node is configured with. */
export function graphClientForCredential(credentialType: string, data: Data): GraphClient {
	const kind = kindOfCredentialType(credentialType);
	if (!kind) throw new Error(`Unknown credential type ${credentialType}`);
	if (kind === 'apiToken') throw new MdcaConfigurationError('authentication', LEGACY_TOKEN_FOR_GRAPH.message, LEGACY_TOKEN_FOR_GRAPH.hint);
	const options = graphOptionsFromCredential(data);
	const hooks = { redis: redisFromCredential(data), logger: n8nLogger };
	if (kind !== 'oAuth2') {
		const settings = settingsFromCredential(kind, data);
		// The MDCA budget (settings.pacing) is not Graph's: Graph has its own.
		return createServiceClient(GRAPH_SERVICE, { cloud: settings.cloud, auth: settings.auth, testing: settings.testing, apiUrl: options.graphApiUrl, budget: options.budget }, hooks);
	}
	const cloudName = (str(data.cloud) || 'commercial') as CloudName;
	const cloud = cloudByName(cloudName);
	const testing = testingFrom(data);
	const endpoints = testingEndpoints({ testing });
	// The token is for the Graph root the client calls (the cloud's, or the DoD one for GCC High).
	const root = GRAPH_SERVICE.tokenResourceFor!(GRAPH_SERVICE.baseUrl(options.graphApiUrl, cloud, endpoints), cloud);
	const tokenEndpoint = `${resolveAuthorityHost(cloud, endpoints)}/${encodeURIComponent(str(data.tenantId).trim() || 'organizations')}/oauth2/v2.0/token`;
	const external: ExternalAuthentication = {
		kind: 'external',
		tokenProvider: oauth2GraphTokenProvider(data, tokenEndpoint, sharedTransport(testing?.caPem), root),
		secrets: () => oauth2Secrets(data),
		tenantId: str(data.tenantId),
	};
	return createServiceClient(GRAPH_SERVICE, { cloud: cloudName, apiUrl: options.graphApiUrl, auth: external, testing, budget: options.budget }, hooks);
}

/** The Microsoft Graph security client for the node's selected credential: one per execution. */
export const graphNodeClient = nodeClientFor(LEGACY_TOKEN_FOR_GRAPH, graphClientForCredential);

/** The credential test of the Microsoft Graph security nodes: sign in, read the permissions, list one alert. */
export const graphCredentialTest = credentialTestFor(graphClientForCredential, { productName: 'Microsoft Graph security', listOperation: 'alert.getAll', record: 'alert' });
