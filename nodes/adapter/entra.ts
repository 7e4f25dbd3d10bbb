// The Microsoft Entra ID side of the n8n adapter (users and Identity Protection): the Entra client
// of the MDCA credentials (nodes/adapter/service-credential.ts with core/services/entra.ts) and the
// credential test of the Entra nodes. Entra ID is on the Microsoft Graph root, so the emulator-only
// URL field is graphApiUrl, as for the Graph security nodes; an OAuth2 credential redeems a Graph
// token for the Entra delegated permissions by name.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { EntraOperationDefinition, EntraTokenInsight } from '../../core/entra';
import type { ServiceClient } from '../../core/service-client';
import { ENTRA_DELEGATED_PERMISSIONS } from '../../core/service-constants';
import { ENTRA_SERVICE, LEGACY_TOKEN_FOR_ENTRA } from '../../core/services/entra';
import { credentialTestFor, nodeClientFor } from './credential-client';
import { graphRootRedeemTarget } from './graph';
import { CredentialService, serviceClientForCredential } from './service-credential';

export type EntraClient = ServiceClient<EntraOperationDefinition, EntraTokenInsight>;

export const ENTRA_CREDENTIAL_SERVICE: CredentialService<EntraOperationDefinition, EntraTokenInsight> = {
	descriptor: ENTRA_SERVICE,
	legacyTokenRefusal: LEGACY_TOKEN_FOR_ENTRA,
	urlField: 'graphApiUrl',
	// Its own cache entry: the Graph security nodes redeem the same root for other scopes.
	redeemTarget: graphRootRedeemTarget('entra', 'Microsoft Graph (Microsoft Entra ID)', ENTRA_DELEGATED_PERMISSIONS),
};

/** Builds the Entra ID client for the credential a node is configured with. */
export function entraClientForCredential(credentialType: string, data: ICredentialDataDecryptedObject): EntraClient {
	return serviceClientForCredential(ENTRA_CREDENTIAL_SERVICE, credentialType, data);
}

/** The Entra ID client for the node's selected credential: one per execution. */
export const entraNodeClient = nodeClientFor(LEGACY_TOKEN_FOR_ENTRA, entraClientForCredential);

/** The credential test of the Entra ID nodes: sign in for Graph and read the permissions (no user is read: there is none to name). */
export const entraCredentialTest = credentialTestFor(entraClientForCredential, { productName: 'Microsoft Entra ID', record: 'user' });
