// The request budget of a credential and its optional sharing through Redis (docs/scale-out.md):
// with n8n in queue mode (main + workers) or several n8n instances, one tenant budget and one
// token per credential for all of them.
import type { INodeProperties } from 'n8n-workflow';

export const requestsPerMinuteProperty: INodeProperties = {
	displayName: 'Requests per Minute',
	name: 'requestsPerMinute',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 10000 },
	default: 28,
	description:
		'Pacing budget of this n8n process for the tenant. MDCA allows 30 requests per minute per tenant, shared by every integration: lower it when other tools use the same tenant.',
};

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
