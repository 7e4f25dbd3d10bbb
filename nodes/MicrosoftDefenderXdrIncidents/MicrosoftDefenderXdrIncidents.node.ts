// Microsoft Defender XDR — Incidents. Properties are generated from the XDR registry
// (core/xdr/registry.ts) by the same generator as the MDCA nodes (nodes/shared/properties.ts);
// execute() is the shared item loop (nodes/shared/execute.ts) with an XdrClient.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeXdrResource, xdrCredentialTest, xdrResourceNodeDescription } from '../shared/xdr';

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- the description is built by xdrResourceNodeDescription(), which sets `icon: ICON` (light + dark SVG); the rule only sees literal descriptions
export class MicrosoftDefenderXdrIncidents implements INodeType {
	description: INodeTypeDescription = xdrResourceNodeDescription('incident', 'microsoftDefenderXdrIncidents', 'Microsoft Defender XDR Incidents');

	methods = {
		credentialTest: { xdrCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeXdrResource(this, 'incident');
	}
}
