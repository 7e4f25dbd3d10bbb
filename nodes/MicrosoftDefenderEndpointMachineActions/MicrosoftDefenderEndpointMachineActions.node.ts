// Microsoft Defender for Endpoint Machine Actions: the status of response actions, the wait until they finish and the investigation package link. Properties are generated from the Defender for Endpoint registry
// (core/mde/registry.ts) by the same generator as the other services' nodes (nodes/adapter/properties.ts);
// execute() is the shared item loop (nodes/adapter/execute.ts) with the MDE client (nodes/adapter/mde.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { mdeNodeClient } from '../adapter/mde';
import { MDE_NODE_METHODS } from '../adapter/node-methods';
import { MDE_NODES } from '../adapter/service-nodes';

export class MicrosoftDefenderEndpointMachineActions implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(MDE_NODES, 'machineAction', 'microsoftDefenderEndpointMachineActions', 'Microsoft Defender for Endpoint Machine Actions');

	methods = MDE_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, MDE_NODES, 'machineAction', mdeNodeClient);
	}
}
