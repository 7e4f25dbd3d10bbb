// Fields shared by the MDCA credentials: cloud, tenant API URL, pacing, Redis and the "Local
// emulator only" switch. No field names a host a secret may go to besides the MDCA API URL of the
// chosen cloud: test hosts and extra CAs belong to whoever starts n8n (MDCA_ALLOW_TEST_HOSTS,
// NODE_EXTRA_CA_CERTS), because an editor of a shared credential must not be able to redirect it.
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
 * Optional Redis sharing (docs/scale-out.md): with n8n in queue mode (main + workers)
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
	// The password travels inside the URL, one masked value: changing the host means typing the
	// password again, so an editor cannot send a saved password to a Redis of their own.
	{
		displayName: 'Redis URL',
		name: 'redisUrl',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: 'rediss://:password@redis.example.com:6380/0',
		description:
			'redis://[:password@]host:port/db, or rediss:// for TLS, password included. It may be the queue-mode Redis: our keys use their own prefix.',
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
			'Whether to show the emulator options (advanced, testing only). The emulator\'s hosts are accepted only when whoever starts n8n sets MDCA_ALLOW_TEST_HOSTS; a credential cannot allow a host itself. Leave off for every real tenant.',
	},
];
