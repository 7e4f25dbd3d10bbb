// The description shared by the six resource nodes; only the resource and texts differ.
import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { ResourceName } from '../../core/operations';
import { resourceDefinitions } from '../../core/operations';
import { authenticationProperty, credentialDescriptions, resourceProperties, retryNotice } from './properties';

export const ICON = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

export function resourceNodeDescription(resource: ResourceName, name: string, displayName: string): INodeTypeDescription {
	const def = resourceDefinitions.find((r) => r.name === resource);
	return {
		displayName,
		name,
		icon: ICON,
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: `Microsoft Defender for Cloud Apps: ${def?.description ?? resource}`,
		defaults: { name: displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions(),
		properties: [authenticationProperty(), retryNotice(), ...resourceProperties(resource)],
	};
}
