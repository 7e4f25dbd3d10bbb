// Microsoft Defender XDR — Advanced Hunting. Properties are generated from the XDR registry
// (core/xdr/registry.ts) by the same generator as the MDCA nodes (nodes/adapter/properties.ts);
// execute() is the shared item loop (nodes/adapter/execute.ts) with the XDR client.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { XDR_NODE_METHODS } from '../adapter/node-methods';
import { XDR_NODES } from '../adapter/service-nodes';
import { xdrNodeClient } from '../adapter/xdr';

export class MicrosoftDefenderXdrAdvancedHunting implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(XDR_NODES, 'advancedHunting', 'microsoftDefenderXdrAdvancedHunting', 'Microsoft Defender XDR Advanced Hunting');

	methods = XDR_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, XDR_NODES, 'advancedHunting', xdrNodeClient);
	}
}
