// The "Local Emulator Only" section of the credentials. A credential cannot allow a host itself:
// the emulator's hosts are accepted only when whoever starts n8n lists them in
// MDCA_ALLOW_TEST_HOSTS (runtime/operator.ts).
import type { INodeProperties } from 'n8n-workflow';

export const useTestingEndpointsProperty: INodeProperties = {
	displayName: 'Local Emulator Only',
	name: 'useTestingEndpoints',
	type: 'boolean',
	default: false,
	description:
		'Whether to show the emulator options (advanced, testing only). The emulator\'s hosts are accepted only when whoever starts n8n sets MDCA_ALLOW_TEST_HOSTS; a credential cannot allow a host itself. Leave off for every real tenant.',
};

// The App, User and OAuth2 credentials also call the Defender XDR API. For real tenants its URL
// comes from the cloud (core/service-constants.ts), so the only field is this override for the
// local emulator, shown inside the emulator section.
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

// The same for Microsoft Graph: the Graph root comes from the cloud for real tenants
// (core/service-constants.ts); this override is for the emulator's Graph listener only.
export const graphApiUrlTestingProperty: INodeProperties = {
	displayName: 'Microsoft Graph URL (Emulator)',
	name: 'graphApiUrl',
	type: 'string',
	default: '',
	placeholder: 'https://127.0.0.1:8445',
	description:
		'Only for the Microsoft Graph security nodes against the local emulator; accepted only when whoever starts n8n lists its host:port in MDCA_ALLOW_TEST_HOSTS. Leave empty to use Microsoft Graph of the chosen cloud.',
	displayOptions: { show: { useTestingEndpoints: [true] } },
};

// The same for Defender for Endpoint: its API host comes from the cloud for real tenants
// (core/service-constants.ts); this override is for the emulator's MDE listener only.
export const mdeApiUrlTestingProperty: INodeProperties = {
	displayName: 'Defender for Endpoint API URL (Emulator)',
	name: 'mdeApiUrl',
	type: 'string',
	default: '',
	placeholder: 'https://127.0.0.1:8446',
	description:
		'Only for the Defender for Endpoint nodes against the local emulator; accepted only when whoever starts n8n lists its host:port in MDCA_ALLOW_TEST_HOSTS. Leave empty to use Defender for Endpoint of the chosen cloud.',
	displayOptions: { show: { useTestingEndpoints: [true] } },
};
