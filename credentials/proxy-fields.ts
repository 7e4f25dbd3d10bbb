// A credential's own outbound proxy. Without it the n8n process's HTTPS_PROXY / HTTP_PROXY apply
// (runtime/proxy-settings.ts); NO_PROXY applies either way. Like the Redis URL, the whole URL is one
// masked value: changing the proxy host means typing its password again, so an editor of a shared
// credential cannot send a saved proxy password to a proxy of their own.
import type { INodeProperties } from 'n8n-workflow';

export const proxyUrlProperty: INodeProperties = {
	displayName: 'Proxy URL',
	name: 'proxyUrl',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	placeholder: 'http://user:password@proxy.example.com:3128',
	description:
		'Optional outbound proxy for this credential: http://host:port or https://host:port, with user:password@ if the proxy needs a sign-in. Empty: the proxy in HTTPS_PROXY / HTTP_PROXY of the n8n process, if any. Hosts in NO_PROXY always go direct.',
};
