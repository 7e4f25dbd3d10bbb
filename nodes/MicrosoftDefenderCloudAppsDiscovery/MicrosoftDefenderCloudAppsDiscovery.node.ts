// Microsoft Defender for Cloud Apps — Discovery. Properties are generated from the core registry
// (nodes/shared/properties.ts); execute() is the shared item loop (nodes/shared/execute.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { mdcaCredentialTest } from '../shared/credential-test';
import { resourceNodeDescription } from '../shared/description';
import { executeResource } from '../shared/execute';
import { searchAlerts } from '../shared/list-search';

export class MicrosoftDefenderCloudAppsDiscovery implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription('discovery', 'microsoftDefenderCloudAppsDiscovery', 'Microsoft Defender for Cloud Apps Discovery');

	methods = {
		credentialTest: { mdcaCredentialTest },
		listSearch: { searchAlerts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, 'discovery');
	}
}
