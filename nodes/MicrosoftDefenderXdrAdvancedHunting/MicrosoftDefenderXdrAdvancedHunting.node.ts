// Microsoft Defender XDR — Advanced Hunting. Properties are generated from the XDR registry
// (core/xdr/registry.ts) by the same generator as the MDCA nodes (nodes/shared/properties.ts);
// execute() is the shared item loop (nodes/shared/execute.ts) with an XdrClient.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { executeXdrResource, xdrCredentialTest, xdrResourceNodeDescription } from '../shared/xdr';

// eslint-disable-next-line @n8n/community-nodes/icon-validation -- the description is built by xdrResourceNodeDescription(), which sets `icon: ICON` (light + dark SVG); the rule only sees literal descriptions
export class MicrosoftDefenderXdrAdvancedHunting implements INodeType {
	description: INodeTypeDescription = xdrResourceNodeDescription('advancedHunting', 'microsoftDefenderXdrAdvancedHunting', 'Microsoft Defender XDR Advanced Hunting');

	methods = {
		credentialTest: { xdrCredentialTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeXdrResource(this, 'advancedHunting');
	}
}
