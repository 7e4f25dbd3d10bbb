// Fields shared by the MDCA credentials: cloud, tenant API URL and the "Local emulator only"
// testing section (allowed hosts, identity endpoint override, extra CA). The testing section is
// off by default and only meant for the local MDCA emulator; real tenants never need it.
import type { INodeProperties } from 'n8n-workflow';

export const DOCUMENTATION_URL = 'https://github.com/mdca-lowcode/n8n-nodes-defender-cloud-apps/blob/main/docs/n8n.md';

export const cloudProperty: INodeProperties = {
	displayName: 'Cloud',
	name: 'cloud',
	type: 'options',
	options: [
		{ name: 'Commercial', value: 'commercial' },
		{ name: 'US Government (GCC)', value: 'gcc' },
		{ name: 'US Government (GCC High)', value: 'gccHigh' },
	],
	default: 'commercial',
	description: 'The Microsoft cloud your tenant lives in',
};

export const apiUrlProperty: INodeProperties = {
	displayName: 'Tenant API URL',
	name: 'apiUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://contoso.us3.portal.cloudappsecurity.com',
	description:
		'From the Microsoft Defender portal: Settings > Cloud Apps > System > About (API URL). Only MDCA hosts of the chosen cloud are accepted.',
};

export const tenantIdProperty: INodeProperties = {
	displayName: 'Directory (Tenant) ID',
	name: 'tenantId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '72f988bf-86f1-41af-91ab-2d7cd011db47',
	description: 'From Entra ID > Overview: a GUID or a domain such as contoso.onmicrosoft.com',
};

export const requestsPerMinuteProperty: INodeProperties = {
	displayName: 'Requests per Minute',
	name: 'requestsPerMinute',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10000 },
	default: 28,
	description:
		'Pacing budget of this n8n process for the tenant. MDCA allows 30 requests per minute per tenant, shared by every integration: lower it when other tools use the same tenant.',
};

/**
 * Optional Redis sharing (issue 12, docs/scale-out.md): with n8n in queue mode (main + workers)
 * or several n8n instances, one tenant budget and one token per credential for all of them.
 */
export const redisProperties: INodeProperties[] = [
	{
		displayName: 'Share Budget and Token via Redis',
		name: 'redisSharing',
		type: 'boolean',
		default: false,
		description:
			'Whether every n8n process (main and queue-mode workers) using this credential shares one request budget per tenant and one access token through Redis. Without it each process paces on its own.',
	},
	{
		displayName: 'Redis URL',
		name: 'redisUrl',
		type: 'string',
		default: '',
		placeholder: 'redis://127.0.0.1:6379/0',
		description: 'redis://host:port/db, or rediss:// for TLS. It may be the queue-mode Redis: our keys use their own prefix.',
		displayOptions: { show: { redisSharing: [true] } },
	},
	{
		displayName: 'Redis Password',
		name: 'redisPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { redisSharing: [true] } },
	},
	{
		displayName: 'Redis TLS',
		name: 'redisTls',
		type: 'boolean',
		default: false,
		description: 'Whether to connect with TLS (also implied by a rediss:// URL)',
		displayOptions: { show: { redisSharing: [true] } },
	},
	{
		displayName: 'Redis Key Prefix',
		name: 'redisKeyPrefix',
		type: 'string',
		default: 'mdca:',
		description: 'Prefix of every key this package writes. Never bull: or n8n: (n8n\'s own keys).',
		displayOptions: { show: { redisSharing: [true] } },
	},
];

export const testingProperties: INodeProperties[] = [
	requestsPerMinuteProperty,
	...redisProperties,
	{
		displayName: 'Local Emulator Only',
		name: 'useTestingEndpoints',
		type: 'boolean',
		default: false,
		description:
			'Whether to connect to the local MDCA emulator (advanced, testing only). Leave off for every real tenant.',
	},
	{
		displayName: 'Allowed Hosts (Emulator)',
		name: 'testingAllowHosts',
		type: 'string',
		default: '',
		placeholder: '127.0.0.1:8443, 127.0.0.1:9443',
		description: 'Comma-separated host:port pairs accepted in addition to the MDCA hosts (local emulator only)',
		displayOptions: { show: { useTestingEndpoints: [true] } },
	},
	{
		displayName: 'Identity Endpoint Override (Emulator)',
		name: 'testingAuthorityHost',
		type: 'string',
		default: '',
		placeholder: 'https://127.0.0.1:9443',
		description: 'Replaces https://login.microsoftonline.com (local emulator only)',
		displayOptions: { show: { useTestingEndpoints: [true] } },
	},
	{
		displayName: 'Extra CA Certificate PEM (Emulator)',
		name: 'testingCaPem',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'A CA certificate to trust for the emulator (local emulator only)',
		displayOptions: { show: { useTestingEndpoints: [true] } },
	},
];
