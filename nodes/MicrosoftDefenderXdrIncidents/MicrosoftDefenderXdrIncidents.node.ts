// Microsoft Defender XDR — Incidents. Properties are generated from the XDR registry
// (core/xdr/registry.ts) by the same generator as the MDCA nodes (nodes/shared/properties.ts);
// execute() is the shared item loop (nodes/shared/execute.ts) with the XDR client.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../shared/description';
import { executeResource } from '../shared/execute';
import { XDR_NODE_METHODS } from '../shared/node-methods';
import { XDR_NODES } from '../shared/service-nodes';
import { xdrNodeClient } from '../shared/xdr';

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- the description is built by resourceNodeDescription(), which sets `icon: ICON` (light + dark SVG); the rule only sees literal descriptions
export class MicrosoftDefenderXdrIncidents implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(XDR_NODES, 'incident', 'microsoftDefenderXdrIncidents', 'Microsoft Defender XDR Incidents');

	methods = XDR_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, XDR_NODES, 'incident', xdrNodeClient);
	}
}
