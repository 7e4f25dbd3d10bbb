import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { connectionFields, tenantIdProperty } from './connection-fields';
import { budgetAndEmulatorFields, credentialNotice, DOCUMENTATION_URL } from './form-sections';

/**
 * User context without a browser: a public-client app signs in as a (service) user with user name
 * and password (ROPC; no MFA), or with a refresh token obtained elsewhere (e.g. device code).
 * Actions run with the user's MDCA role and the app's Delegated permissions.
 */
export class MicrosoftDefenderCloudAppsUserApi implements ICredentialType {
	name = 'microsoftDefenderCloudAppsUserApi';

	displayName = 'Microsoft Defender for Cloud Apps (User) API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		credentialNotice(
			'User context: a public client app with "Microsoft Cloud App Security" Delegated permissions. Password sign-in (ROPC) does not work for accounts with MFA; use a refresh token or the OAuth2 credential instead.',
		),
		...connectionFields(tenantIdProperty),
		{ displayName: 'Public Client ID', name: 'clientId', type: 'string', default: '', required: true, description: 'Application (client) ID of an app registration with "Allow public client flows" on' },
		{
			displayName: 'Sign In With',
			name: 'userAuthMethod',
			type: 'options',
			options: [{ name: 'User Name and Password', value: 'password' }, { name: 'Refresh Token', value: 'refreshToken' }],
			default: 'password',
		},
		{ displayName: 'User Name', name: 'username', type: 'string', default: '', placeholder: 'soc-automation@contoso.com', displayOptions: { show: { userAuthMethod: ['password'] } } },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '', displayOptions: { show: { userAuthMethod: ['password'] } } },
		{ displayName: 'Refresh Token', name: 'refreshToken', type: 'string', typeOptions: { password: true }, default: '', description: 'A refresh token for the public client and the MDCA scopes', displayOptions: { show: { userAuthMethod: ['refreshToken'] } } },
		...budgetAndEmulatorFields({ xdr: true }),
	];
}
