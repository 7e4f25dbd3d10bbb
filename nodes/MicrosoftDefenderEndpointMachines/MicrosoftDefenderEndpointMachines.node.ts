// Microsoft Defender for Endpoint Machines: find, read and contain machines (isolate, release, antivirus scan, investigation package, app restriction). Properties are generated from the Defender for Endpoint registry
// (core/mde/registry.ts) by the same generator as the other services' nodes (nodes/adapter/properties.ts);
// execute() is the shared item loop (nodes/adapter/execute.ts) with the MDE client (nodes/adapter/mde.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { mdeNodeClient } from '../adapter/mde';
import { MDE_NODE_METHODS } from '../adapter/node-methods';
import { MDE_NODES } from '../adapter/service-nodes';

export class MicrosoftDefenderEndpointMachines implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(MDE_NODES, 'machine', 'microsoftDefenderEndpointMachines', 'Microsoft Defender for Endpoint Machines');

	methods = MDE_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, MDE_NODES, 'machine', mdeNodeClient);
	}
}
