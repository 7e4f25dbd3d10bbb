// The item loop every resource node shares: parameters → core client.run → n8n items.
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
} from 'n8n-workflow';
import type { MdcaClient } from '../../core/client';
import type { AnyOperationDefinition, OperationOutcome } from '../../core/operations';
import { MdcaValidationError } from '../../core/errors';
import { dryRunInput } from '../../core/response';
import { clientForCredential, CREDENTIAL_TYPES } from './connection';
import type { AuthenticationKind } from './connection';
import { errorSummary, toNodeError } from './errors';
import { ALERT_URL_REGEX, DEFAULT_LIMIT, DEFAULT_MAX_ITEMS, isListOperation, simplifies, simplifiesOperation } from './properties';
import { simplifyRecord } from './simplify';
import { operationOf, type OperationRunner, type ServiceNodes } from './service-nodes';
import { CHECK_CONNECTION_OPERATION, checkConnectionItem } from './check-connection';

/** The client for the node's selected credential: one per execution. */
export async function nodeClient(ctx: IExecuteFunctions | import('n8n-workflow').IPollFunctions | import('n8n-workflow').ILoadOptionsFunctions): Promise<MdcaClient> {
	// execute(): getNodeParameter(name, itemIndex, fallback); poll()/listSearch: (name, fallback).
	const kind = (
		'getInputData' in ctx
			? (ctx as IExecuteFunctions).getNodeParameter('authentication', 0, 'app')
			: (ctx as import('n8n-workflow').IPollFunctions).getNodeParameter('authentication', 'app')
	) as AuthenticationKind;
	const type = CREDENTIAL_TYPES[kind] ?? CREDENTIAL_TYPES.app;
	const data = await ctx.getCredentials(type);
	return clientForCredential(ctx, type, data);
}

/** Resource locator, plain id or portal URL → id. */
export function locatorValue(value: unknown): string {
	if (value && typeof value === 'object' && (value as INodeParameterResourceLocator).__rl) {
		const rl = value as INodeParameterResourceLocator;
		const text = String(rl.value ?? '').trim();
		if (rl.mode === 'url') {
			const match = new RegExp(ALERT_URL_REGEX).exec(text);
			if (!match) throw new MdcaValidationError('alertId', 'The URL does not contain an alert id (…/#/alerts/<24-character id>).', 'Copy the address of the alert page in the portal, or use By ID.');
			return match[1];
		}
		return text;
	}
	return typeof value === 'string' ? value.trim() : (value as string);
}

function normaliseValue(value: unknown): unknown {
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') return (value as { toISO(): string }).toISO();
	if (value === null) return undefined;
	return value;
}

/** Reads the registry inputs of `op` from the node parameters of item `i`. */
export async function readInputs(ctx: IExecuteFunctions, op: AnyOperationDefinition, i: number, items: INodeExecutionData[]): Promise<Record<string, unknown>> {
	const values: Record<string, unknown> = {};
	let binaryFileName: string | undefined;
	const filters = op.inputs.some((x) => x.group === 'filters') ? (ctx.getNodeParameter('filters', i, {}) as IDataObject) : {};
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	for (const input of op.inputs) {
		let value: unknown;
		if (input.group === 'filters') value = filters[input.name];
		else if (input.group === 'options') value = options[input.name];
		else value = ctx.getNodeParameter(input.name, i, null, input.format === 'alertId' ? { extractValue: false } : undefined);
		if (input.format === 'alertId' && !input.group) value = locatorValue(value);
		if (input.type === 'binary') {
			const property = String(value ?? 'data').trim() || 'data';
			const binary = items[i]?.binary?.[property];
			if (!binary) {
				throw new MdcaValidationError(input.name, `Input item ${i} has no binary field "${property}".`, 'Set "Input Binary Field" to the name of the field that holds the file (see the previous node\'s Binary tab).');
			}
			value = new Uint8Array(await ctx.helpers.getBinaryDataBuffer(i, property));
			binaryFileName = (binary as IBinaryData).fileName;
		}
		value = normaliseValue(value);
		if (value !== undefined && value !== '') values[input.name] = value;
	}
	// Upload Log: an empty "File Name" takes the name of the binary file.
	if (values.fileName === undefined && binaryFileName && op.inputs.some((x) => x.name === 'fileName' && !x.group)) values.fileName = binaryFileName;
	return values;
}

function maxItemsFor(ctx: IExecuteFunctions, op: AnyOperationDefinition, i: number): number | undefined {
	if (!isListOperation(op)) return undefined;
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	if (returnAll) {
		const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
		return Number(options.maxItems ?? DEFAULT_MAX_ITEMS);
	}
	return Number(ctx.getNodeParameter('limit', i, DEFAULT_LIMIT));
}

async function outcomeToItems(ctx: IExecuteFunctions, op: AnyOperationDefinition, outcome: OperationOutcome, i: number, maxItems: number | undefined): Promise<INodeExecutionData[]> {
	const paired = { item: i };
	switch (outcome.kind) {
		case 'pages': {
			const resource = op.resource;
			const simplify = simplifiesOperation(op) && simplifies(resource) && (ctx.getNodeParameter('simplify', i, true) as boolean) ? resource : undefined;
			const out: INodeExecutionData[] = [];
			for await (const page of outcome.pages) {
				for (const record of page.items) {
					if (maxItems !== undefined && out.length >= maxItems) break;
					out.push({ json: simplify ? simplifyRecord(simplify, record) : asObject(record), pairedItem: paired });
				}
				if (maxItems !== undefined && out.length >= maxItems) break;
			}
			return out;
		}
		case 'item':
			return [{ json: asObject(outcome.item), pairedItem: paired }];
		case 'result':
			return [{ json: outcome.result as IDataObject, pairedItem: paired }];
		case 'perItem':
			if (outcome.items.length === 0) return [{ json: { summary: outcome.summary as IDataObject }, pairedItem: paired }];
			return outcome.items.map((r) => ({ json: { ...r, summary: outcome.summary as IDataObject }, pairedItem: paired }));
		case 'text': {
			const property = String(ctx.getNodeParameter('binaryPropertyName', i, 'data') || 'data');
			const binary = await ctx.helpers.prepareBinaryData(Buffer.from(outcome.text, 'utf8'), outcome.fileName, outcome.mimeType);
			return [{ json: { fileName: outcome.fileName, mimeType: outcome.mimeType, bytes: Buffer.byteLength(outcome.text, 'utf8') }, binary: { [property]: binary }, pairedItem: paired }];
		}
		default:
			return [];
	}
}

function asObject(value: unknown): IDataObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : { value: value as IDataObject[string] };
}

/** `execute()` of a resource node. */
/** `execute()` of a resource node: its service's operation, run with the node's credential. */
export async function executeResource(
	ctx: IExecuteFunctions,
	nodes: ServiceNodes,
	resource: string,
	createClient: (ctx: IExecuteFunctions) => Promise<OperationRunner> = nodeClient,
): Promise<INodeExecutionData[][]> {
	return executeOperations(ctx, (operation) => operationOf(nodes, resource, operation), () => createClient(ctx), nodes);
}

/** A response action (isolate, revoke sessions…): its inputs carry the Dry Run option of core/response. */
function isResponseAction(op: AnyOperationDefinition): boolean {
	return op.inputs.some((i) => i.name === dryRunInput.name);
}

/**
 * n8n's Retry On Fail runs the node again after any error, "outcome unknown" included: a response
 * action that may have reached Microsoft would be sent a second time. Refused before anything is sent.
 */
function retryOnFailRefused(): MdcaValidationError {
	return new MdcaValidationError(
		'retryOnFail',
		'Retry On Fail is on: n8n would run this response action again after an error, even when the first request may have reached Microsoft. Nothing was sent.',
		'Open the node\'s Settings and turn Retry On Fail off: the node retries by itself what is safe to retry, and never resends a response action.',
	);
}

/** The shared item loop: `resolve` maps the node's "Operation" to a registry definition. */
export async function executeOperations(
	ctx: IExecuteFunctions,
	resolve: (operation: string) => AnyOperationDefinition | undefined,
	createClient: () => Promise<OperationRunner>,
	/** The service of the node, for its "Check Connection" operation (nodes/adapter/check-connection.ts). */
	nodes?: ServiceNodes,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	const node = ctx.getNode();
	let client: OperationRunner | undefined;
	const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	for (let i = 0; i < items.length; i++) {
		try {
			const operation = ctx.getNodeParameter('operation', i) as string;
			if (nodes && operation === CHECK_CONNECTION_OPERATION) {
				client ??= await createClient();
				out.push(await checkConnectionItem(ctx, nodes, client, i, signal));
				continue;
			}
			const op = resolve(operation);
			if (!op) throw new MdcaValidationError('operation', `Unknown operation "${operation}".`, 'Pick an operation from the list.');
			if (node.retryOnFail === true && isResponseAction(op)) throw retryOnFailRefused();
			const input = await readInputs(ctx, op, i, items);
			const maxItems = maxItemsFor(ctx, op, i);
			client ??= await createClient();
			const outcome = await client.run(op.id, input, { signal, maxItems });
			out.push(...(await outcomeToItems(ctx, op, outcome, i, maxItems)));
		} catch (error) {
			if (ctx.continueOnFail()) {
				out.push({ json: { error: errorSummary(error) }, pairedItem: { item: i } });
				continue;
			}
			throw toNodeError(node, error, i);
		}
	}
	return [out];
}
