// Microsoft Defender for Cloud Apps — Files. Properties are generated from the core registry
// (nodes/adapter/properties.ts); execute() is the shared item loop (nodes/adapter/execute.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { MDCA_NODE_METHODS } from '../adapter/node-methods';
import { MDCA_NODES } from '../adapter/service-nodes';

export class MicrosoftDefenderCloudAppsFiles implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(MDCA_NODES, 'file', 'microsoftDefenderCloudAppsFiles', 'Microsoft Defender for Cloud Apps Files');

	methods = MDCA_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, MDCA_NODES, 'file');
	}
}
