// The description every resource node of every service shares; only the service, the resource
// and the texts differ.
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { authenticationProperty, credentialDescriptions, operationsProperties, retryNotice } from './properties';
import { operationsOf, type ServiceNodes } from './service-nodes';
import { CHECK_CONNECTION_OPTION, CHECK_CONNECTION_PROPERTIES } from './check-connection';

export const ICON = { light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' } as const;

export function resourceNodeDescription(nodes: ServiceNodes, resource: string, name: string, displayName: string): INodeTypeDescription {
	const def = nodes.resources.find((r) => r.name === resource);
	return {
		displayName,
		name,
		icon: ICON,
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: `${nodes.productName}: ${def?.description ?? resource}`,
		defaults: { name: displayName },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions(nodes),
		properties: [authenticationProperty(nodes), retryNotice(nodes), ...withCheckConnection(operationsProperties(operationsOf(nodes, resource)))],
	};
}

/** "Check Connection" added last to the Operation options: the default operation stays the first. */
export function withCheckConnection(properties: INodeProperties[]): INodeProperties[] {
	return [
		...properties.map((p) => (p.name === 'operation' && p.type === 'options' ? { ...p, options: [...(p.options ?? []), CHECK_CONNECTION_OPTION] } : p)),
		...CHECK_CONNECTION_PROPERTIES,
	];
}
