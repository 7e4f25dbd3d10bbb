import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { connectionFields } from './connection-fields';
import { budgetAndEmulatorFields, credentialNotice, DOCUMENTATION_URL } from './form-sections';

/** Legacy MDCA API token (Settings > Cloud Apps > System > API tokens), sent as "Token <value>". */
export class MicrosoftDefenderCloudAppsTokenApi implements ICredentialType {
	name = 'microsoftDefenderCloudAppsTokenApi';

	displayName = 'Microsoft Defender for Cloud Apps (Legacy Token) API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		credentialNotice('Microsoft recommends Entra ID apps over legacy API tokens. A token carries the rights of the admin who created it.'),
		...connectionFields(),
		{ displayName: 'API Token', name: 'apiToken', type: 'string', typeOptions: { password: true }, default: '', required: true, description: 'The token exactly as the portal showed it, without "Token " in front' },
		// Only MDCA knows legacy tokens, so no Defender XDR URL.
		...budgetAndEmulatorFields({ xdr: false }),
	];
}
