// The Microsoft Graph security side of the n8n adapter: the Graph client of the MDCA credentials
// (nodes/adapter/service-credential.ts with core/services/graph.ts) and the credential test of the
// Graph nodes. The emulator-only URL field is graphApiUrl; an OAuth2 credential redeems a token
// for the Graph root of its cloud, for the Graph permissions by name.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { GraphOperationDefinition, GraphTokenInsight } from '../../core/graph';
import type { ServiceClient } from '../../core/service-client';
import { GRAPH_APP_ID, GRAPH_DELEGATED_PERMISSIONS } from '../../core/service-constants';
import { GRAPH_SERVICE, LEGACY_TOKEN_FOR_GRAPH } from '../../core/services/graph';
import { nodeClientFor, credentialTestFor } from './credential-client';
import { delegatedRedeemTarget, RedeemTarget } from './oauth2-redeem';
import { CredentialService, serviceClientForCredential } from './service-credential';

export type GraphClient = ServiceClient<GraphOperationDefinition, GraphTokenInsight>;

/**
 * What an OAuth2 credential redeems for an API on the Graph root (Graph security, Entra ID): a
 * token for `permissions` by name, cached under `cacheTag` (the APIs ask for different scopes).
 */
export function graphRootRedeemTarget(cacheTag: string, apiName: string, permissions: readonly string[]): (root: string) => RedeemTarget {
	return delegatedRedeemTarget({ cacheTag, apiName, consentApiName: 'Microsoft Graph', appId: GRAPH_APP_ID, permissions });
}

export const GRAPH_CREDENTIAL_SERVICE: CredentialService<GraphOperationDefinition, GraphTokenInsight> = {
	descriptor: GRAPH_SERVICE,
	legacyTokenRefusal: LEGACY_TOKEN_FOR_GRAPH,
	urlField: 'graphApiUrl',
	redeemTarget: graphRootRedeemTarget('graph', 'Microsoft Graph', GRAPH_DELEGATED_PERMISSIONS),
};

/** Builds the Graph client for the credential a node is configured with. */
export function graphClientForCredential(credentialType: string, data: ICredentialDataDecryptedObject): GraphClient {
	return serviceClientForCredential(GRAPH_CREDENTIAL_SERVICE, credentialType, data);
}

/** The Microsoft Graph security client for the node's selected credential: one per execution. */
export const graphNodeClient = nodeClientFor(LEGACY_TOKEN_FOR_GRAPH, graphClientForCredential);

/** The credential test of the Microsoft Graph security nodes: sign in, read the permissions, list one alert. */
export const graphCredentialTest = credentialTestFor(graphClientForCredential, { productName: 'Microsoft Graph security', listOperation: 'alert.getAll', record: 'alert' });
