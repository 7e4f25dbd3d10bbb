import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { connectionFields, tenantIdProperty } from './connection-fields';
import { budgetAndEmulatorFields, credentialNotice, DOCUMENTATION_URL } from './form-sections';

/**
 * Application context (no user): an Entra app registration with MDCA Application permissions,
 * signing in with a client secret or a certificate. Tested by the nodes' credential test
 * (Connected + permissions + what they unlock).
 */
export class MicrosoftDefenderCloudAppsAppApi implements ICredentialType {
	name = 'microsoftDefenderCloudAppsAppApi';

	displayName = 'Microsoft Defender for Cloud Apps (App) API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		credentialNotice(
			'Application context: register an app in Entra ID, add "Microsoft Cloud App Security" Application permissions (e.g. Investigation.read) and grant admin consent.',
		),
		...connectionFields(tenantIdProperty),
		{ displayName: 'Application (Client) ID', name: 'clientId', type: 'string', default: '', required: true },
		{
			displayName: 'Sign In With',
			name: 'authMethod',
			type: 'options',
			options: [{ name: 'Client Secret', value: 'secret' }, { name: 'Certificate', value: 'certificate' }],
			default: 'secret',
		},
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', description: 'The secret Value (not its ID) from Certificates & secrets', displayOptions: { show: { authMethod: ['secret'] } } },
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field -- the public certificate, not a secret (the private key field below is masked)
		{ displayName: 'Certificate (PEM)', name: 'certificatePem', type: 'string', typeOptions: { rows: 4 }, default: '', placeholder: '-----BEGIN CERTIFICATE-----', description: 'The public certificate uploaded to the app registration', displayOptions: { show: { authMethod: ['certificate'] } } },
		{ displayName: 'Private Key (PEM)', name: 'privateKeyPem', type: 'string', typeOptions: { password: true, rows: 4 }, default: '', placeholder: '-----BEGIN PRIVATE KEY-----', displayOptions: { show: { authMethod: ['certificate'] } } },
		{ displayName: 'Private Key Passphrase', name: 'privateKeyPassphrase', type: 'string', typeOptions: { password: true }, default: '', description: 'Only for encrypted private keys', displayOptions: { show: { authMethod: ['certificate'] } } },
		...budgetAndEmulatorFields({ xdr: true }),
	];
}
