// The fields that say which MDCA tenant a credential connects to: the cloud, the tenant API URL and
// the directory. No field names a host a secret may go to besides the MDCA API URL of the chosen
// cloud: test hosts and extra CAs belong to whoever starts n8n (MDCA_ALLOW_TEST_HOSTS,
// NODE_EXTRA_CA_CERTS), because an editor of a shared credential must not be able to redirect it.
import type { INodeProperties } from 'n8n-workflow';
import { CLOUD_HOSTS, CloudName, DEFAULT_CLOUD } from '../core/service-constants';

export const cloudProperty: INodeProperties = {
	displayName: 'Cloud',
	name: 'cloud',
	type: 'options',
	// Names and values from core/service-constants.ts, the list core/clouds.ts builds on.
	options: (Object.keys(CLOUD_HOSTS) as CloudName[]).map((value) => ({ name: CLOUD_HOSTS[value].label, value })),
	default: DEFAULT_CLOUD,
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

/** Cloud, tenant API URL and, for an Entra ID sign-in, the directory. */
export function connectionFields(directory?: INodeProperties): INodeProperties[] {
	return directory ? [cloudProperty, apiUrlProperty, directory] : [cloudProperty, apiUrlProperty];
}
