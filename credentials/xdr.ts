// Defender XDR fields of the MDCA credentials. The same App, User and OAuth2
// credentials call the Defender XDR API (https://api.security.microsoft.com for the chosen
// cloud): for real tenants the URL comes from the cloud, so the only field is an override for the
// local emulator, shown inside the "Local Emulator Only" section and accepted only for a host the
// operator of the n8n process allowed.
import type { INodeProperties } from 'n8n-workflow';

export const XDR_RESOURCE = 'https://api.security.microsoft.com';

/** Delegated Defender XDR scopes ("Microsoft Threat Protection") for the OAuth2 credential. */
export const XDR_DELEGATED_SCOPES = ['Incident.ReadWrite', 'AdvancedHunting.Read'].map((p) => `${XDR_RESOURCE}/${p}`);

export const xdrApiUrlTestingProperty: INodeProperties = {
	displayName: 'Defender XDR API URL (Emulator)',
	name: 'xdrApiUrl',
	type: 'string',
	default: '',
	placeholder: 'https://127.0.0.1:8444',
	description:
		'Only for the Defender XDR nodes against the local emulator; accepted only when whoever starts n8n lists its host:port in MDCA_ALLOW_TEST_HOSTS. Leave empty to use the Defender XDR API of the chosen cloud.',
	displayOptions: { show: { useTestingEndpoints: [true] } },
};
