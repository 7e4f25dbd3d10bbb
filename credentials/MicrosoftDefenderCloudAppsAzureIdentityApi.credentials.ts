import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { connectionFields } from './connection-fields';
import { budgetAndEmulatorFields, credentialNotice, DOCUMENTATION_URL } from './form-sections';

const managedIdentity = { show: { azureIdentity: ['managedIdentity'] } };
const workloadIdentity = { show: { azureIdentity: ['workloadIdentity'] } };

/**
 * Secretless, where n8n runs on Azure: the managed identity of the Azure resource (VM, App Service,
 * Container Apps, AKS), or workload identity federation with the token AKS writes to
 * AZURE_FEDERATED_TOKEN_FILE. The credential holds no secret and names no endpoint or file: both
 * come from the environment of the n8n process (runtime/azure-identity.ts).
 */
export class MicrosoftDefenderCloudAppsAzureIdentityApi implements ICredentialType {
	name = 'microsoftDefenderCloudAppsAzureIdentityApi';

	displayName = 'Microsoft Defender for Cloud Apps (Azure Identity) API';

	documentationUrl = DOCUMENTATION_URL;

	icon = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

	properties: INodeProperties[] = [
		credentialNotice(
			'Only where n8n runs on Azure: no secret is stored. Give the managed identity (or the app trusted by the federated token) the "Microsoft Cloud App Security" application permissions (app role assignments). See "Running on Azure without a secret" in the documentation.',
		),
		...connectionFields(),
		{
			displayName: 'Sign In With',
			name: 'azureIdentity',
			type: 'options',
			options: [
				{ name: 'Managed Identity', value: 'managedIdentity', description: 'The managed identity of the Azure resource n8n runs on' },
				{ name: 'Workload Identity (Federated Token File)', value: 'workloadIdentity', description: 'AKS workload identity: the token in AZURE_FEDERATED_TOKEN_FILE' },
			],
			default: 'managedIdentity',
		},
		{
			displayName: 'Managed Identity',
			name: 'managedIdentityType',
			type: 'options',
			options: [
				{ name: 'System-Assigned', value: 'system' },
				{ name: 'User-Assigned (Client ID)', value: 'clientId' },
				{ name: 'User-Assigned (Object ID)', value: 'objectId' },
				{ name: 'User-Assigned (Resource ID)', value: 'resourceId' },
			],
			default: 'system',
			displayOptions: managedIdentity,
		},
		{
			displayName: 'Managed Identity ID',
			name: 'managedIdentityId',
			type: 'string',
			default: '',
			placeholder: '00000000-0000-0000-0000-000000000000',
			description: 'The client id, object id or resource ID of the user-assigned identity, from its page in the Azure portal',
			displayOptions: { show: { azureIdentity: ['managedIdentity'], managedIdentityType: ['clientId', 'objectId', 'resourceId'] } },
		},
		{
			displayName: 'Directory (Tenant) ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			placeholder: 'From AZURE_TENANT_ID',
			description: 'Leave empty to use AZURE_TENANT_ID from the environment of n8n',
			displayOptions: workloadIdentity,
		},
		{
			displayName: 'Application (Client) ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: 'From AZURE_CLIENT_ID',
			description: 'The app (or user-assigned identity) whose federated credential trusts the token; leave empty to use AZURE_CLIENT_ID',
			displayOptions: workloadIdentity,
		},
		...budgetAndEmulatorFields({ xdr: true }),
	];
}
