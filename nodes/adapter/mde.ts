// The Microsoft Defender for Endpoint side of the n8n adapter: the MDE client of the MDCA
// credentials (nodes/adapter/service-credential.ts with core/services/mde.ts) and the credential
// test of the MDE nodes. The emulator-only URL field is mdeApiUrl; an OAuth2 credential redeems a
// token for the WindowsDefenderATP resource of its cloud, for the MDE delegated permissions by name.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { MdeOperationDefinition, MdeTokenInsight } from '../../core/mde';
import type { ServiceClient } from '../../core/service-client';
import { MDE_DELEGATED_PERMISSIONS } from '../../core/service-constants';
import { LEGACY_TOKEN_FOR_MDE, MDE_APP_ID, MDE_SERVICE } from '../../core/services/mde';
import { nodeClientFor, credentialTestFor } from './credential-client';
import { delegatedRedeemTarget } from './oauth2-redeem';
import { CredentialService, serviceClientForCredential } from './service-credential';

export type MdeClient = ServiceClient<MdeOperationDefinition, MdeTokenInsight>;

export const MDE_CREDENTIAL_SERVICE: CredentialService<MdeOperationDefinition, MdeTokenInsight> = {
	descriptor: MDE_SERVICE,
	legacyTokenRefusal: LEGACY_TOKEN_FOR_MDE,
	urlField: 'mdeApiUrl',
	redeemTarget: delegatedRedeemTarget({
		cacheTag: 'mde',
		apiName: 'Microsoft Defender for Endpoint',
		consentApiName: 'WindowsDefenderATP',
		whereToFind: ' (type WindowsDefenderATP under APIs my organization uses)',
		appId: MDE_APP_ID,
		permissions: MDE_DELEGATED_PERMISSIONS,
	}),
};

/** Builds the MDE client for the credential a node is configured with. */
export function mdeClientForCredential(credentialType: string, data: ICredentialDataDecryptedObject): MdeClient {
	return serviceClientForCredential(MDE_CREDENTIAL_SERVICE, credentialType, data);
}

/** The Defender for Endpoint client for the node's selected credential: one per execution. */
export const mdeNodeClient = nodeClientFor(LEGACY_TOKEN_FOR_MDE, mdeClientForCredential);

/** The credential test of the Defender for Endpoint nodes: sign in, read the permissions, list one machine. */
export const mdeCredentialTest = credentialTestFor(mdeClientForCredential, { productName: 'Microsoft Defender for Endpoint', listOperation: 'machine.getAll', record: 'machine' });
