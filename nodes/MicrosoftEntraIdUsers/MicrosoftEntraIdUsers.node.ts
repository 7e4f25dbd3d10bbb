// Microsoft Entra ID Users: get a user, revoke sign-in sessions, disable and enable accounts.
// Properties are generated from the Entra ID registry (core/entra/registry.ts) by the same
// generator as the other nodes (nodes/adapter/properties.ts); execute() is the shared item loop
// (nodes/adapter/execute.ts) with the Entra client (nodes/adapter/entra.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { entraNodeClient } from '../adapter/entra';
import { executeResource } from '../adapter/execute';
import { ENTRA_NODE_METHODS } from '../adapter/node-methods';
import { ENTRA_NODES } from '../adapter/service-nodes';

export class MicrosoftEntraIdUsers implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(ENTRA_NODES, 'user', 'microsoftEntraIdUsers', 'Microsoft Entra ID Users');

	methods = ENTRA_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, ENTRA_NODES, 'user', entraNodeClient);
	}
}
