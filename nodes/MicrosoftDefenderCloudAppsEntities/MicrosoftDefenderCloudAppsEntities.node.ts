// Microsoft Defender for Cloud Apps — Entities. Properties are generated from the core registry
// (nodes/adapter/properties.ts); execute() is the shared item loop (nodes/adapter/execute.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { MDCA_NODE_METHODS } from '../adapter/node-methods';
import { MDCA_NODES } from '../adapter/service-nodes';

export class MicrosoftDefenderCloudAppsEntities implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(MDCA_NODES, 'entity', 'microsoftDefenderCloudAppsEntities', 'Microsoft Defender for Cloud Apps Entities');

	methods = MDCA_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, MDCA_NODES, 'entity');
	}
}
