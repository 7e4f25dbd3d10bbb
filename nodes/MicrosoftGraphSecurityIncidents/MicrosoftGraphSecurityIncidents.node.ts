// Microsoft Graph Security Incidents: incidents (correlated alerts). Properties are generated from the Microsoft Graph security registry
// (core/graph/registry.ts) by the same generator as the MDCA and Defender XDR nodes
// (nodes/adapter/properties.ts); execute() is the shared item loop (nodes/adapter/execute.ts) with the
// Graph client (nodes/adapter/graph.ts).
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { resourceNodeDescription } from '../adapter/description';
import { executeResource } from '../adapter/execute';
import { graphNodeClient } from '../adapter/graph';
import { GRAPH_NODE_METHODS } from '../adapter/node-methods';
import { GRAPH_NODES } from '../adapter/service-nodes';

export class MicrosoftGraphSecurityIncidents implements INodeType {
	description: INodeTypeDescription = resourceNodeDescription(GRAPH_NODES, 'incident', 'microsoftGraphSecurityIncidents', 'Microsoft Graph Security Incidents');

	methods = GRAPH_NODE_METHODS;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeResource(this, GRAPH_NODES, 'incident', graphNodeClient);
	}
}
