// The "Check Connection" operation every resource node offers beside its registry operations:
// the core's connection check (core/connection-check) for the node's credential and service, as
// one item. n8n's credential test can only say "Connection tested successfully"; this is where a
// user sees who signed in, the cloud and API host, the granted permissions, what they unlock and
// what stays locked with the permission each needs and where to grant it, and on request the
// service's read operations once (core/connection-check/read-policy.ts limits Entra ID and MDE).
// An added option of "Operation": saved workflows keep their operation and default.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions, INodeProperties } from 'n8n-workflow';
import { checkServiceConnection, EMULATOR_KEY_PROFILE, renderConnectionReport } from '../../core/connection-check';
import { ServiceClient } from '../../core/service-client';
import { MdcaValidationError } from '../../core/errors';
import type { OperationRunner, ServiceNodes } from './service-nodes';

export const CHECK_CONNECTION_OPERATION = 'checkConnection';

export const CHECK_CONNECTION_OPTION: INodePropertyOptions = {
	name: 'Check Connection',
	value: CHECK_CONNECTION_OPERATION,
	action: 'Check the connection',
	description: 'Who signed in, cloud, API host, granted permissions, the operations they unlock and those still locked with the permission each needs',
};

const show = { show: { operation: [CHECK_CONNECTION_OPERATION] } };

export const CHECK_CONNECTION_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Run Every Read Operation',
		name: 'runEveryReadOperation',
		type: 'boolean',
		default: false,
		description: 'Whether to also run the read operations of the service once with a small limit (never a write; Entra ID: none, each names a user; Defender for Endpoint: one list of one machine), with their latency, the budget headers seen and how record keys differ from the emulator',
		displayOptions: show,
	},
];

/** One item: the report (JSON) and the same as text, safe to paste into a bug report. */
export async function checkConnectionItem(ctx: IExecuteFunctions, nodes: ServiceNodes, client: OperationRunner, i: number, signal?: AbortSignal): Promise<INodeExecutionData> {
	if (!(client instanceof ServiceClient)) {
		throw new MdcaValidationError('operation', `${nodes.productName}: this node cannot check its connection.`, 'Use another node of the same service.');
	}
	const runReads = ctx.getNodeParameter('runEveryReadOperation', i, false) as boolean;
	const report = await checkServiceConnection(client, { runReads, now: Date.now, signal, emulatorProfile: EMULATOR_KEY_PROFILE[nodes.service.id] });
	// As plain JSON: what n8n stores in its execution data anyway.
	const json = JSON.parse(JSON.stringify({ ...report, text: renderConnectionReport([report]) })) as IDataObject;
	return { json, pairedItem: { item: i } };
}
