import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { connectionFields } from './connection-fields';
import { budgetAndEmulatorFields, credentialNotice, DOCUMENTATION_URL } from './form-sections';
import { ACCESS_TOKEN_URL, AUTHORIZATION_URL, OAUTH2_SCOPE } from './oauth2-sign-in';
import { OAUTH2_CREDENTIAL_TEST } from './oauth2-credential-test';

export { MDCA_DELEGATED_SCOPE, OAUTH2_SCOPE } from './oauth2-sign-in';

/**
 * User context with the authorization-code flow: n8n signs the user in through the browser,
 * stores the token and refreshes it when MDCA answers 401.
 */
export class MicrosoftDefenderCloudAppsOAuth2Api implements ICredentialType {
	name = 'microsoftDefenderCloudAppsOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Defender for Cloud Apps OAuth2 API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		credentialNotice(
			'Register a web app in Entra ID with the redirect URI shown above as "OAuth Redirect URL" (https://<your n8n host>/rest/oauth2-credential/callback), add the "Microsoft Cloud App Security" Delegated permissions (and, for the Defender XDR nodes, the "Microsoft Threat Protection" Delegated permissions Incident.ReadWrite and AdvancedHunting.Read) and grant consent. Actions run with the signed-in user\'s MDCA role.',
		),
		...connectionFields({ displayName: 'Directory (Tenant) ID', name: 'tenantId', type: 'string', default: '', required: true, description: 'From Entra ID > Overview' }),
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: AUTHORIZATION_URL },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: ACCESS_TOKEN_URL },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: OAUTH2_SCOPE },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: 'response_mode=query' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
		// n8n's own HTTP client sends this credential's calls and follows n8n's proxy settings.
		...budgetAndEmulatorFields({ xdr: true, proxy: false }),
	];

	// n8n would otherwise only check that it holds a token (credentials/oauth2-credential-test.ts).
	test: ICredentialTestRequest = OAUTH2_CREDENTIAL_TEST;
}
