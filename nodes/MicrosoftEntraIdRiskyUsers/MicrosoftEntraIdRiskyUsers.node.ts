// Microsoft Entra ID Risky Users: Identity Protection user risk (get, confirm compromised,
// dismiss). Properties are generated from the Entra ID registry (core/entra/registry.ts);
// execute() is the shared item loop (nodes/adapter/execute.ts) with the Entra client
// (nodes/adapter/entra.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { entraNodeClient } from '../adapter/entra';
import { executeResource } from '../adapter/execute';
import { ENTRA_NODE_METHODS } from '../adapter/node-methods';
import { ENTRA_NODES } from '../adapter/service-nodes';

export class MicrosoftEntraIdRiskyUsers implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(ENTRA_NODES, 'riskyUser', 'microsoftEntraIdRiskyUsers', 'Microsoft Entra ID Risky Users');

	methods = ENTRA_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, ENTRA_NODES, 'riskyUser', entraNodeClient);
	}
}
