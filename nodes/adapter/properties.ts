// Generates a resource node's n8n properties from the core operation registry, so the n8n UI and
// the core cannot drift apart (a test compares both). Rules:
//   - one "Operation" option per registry operation (name = displayName, action = action);
//   - every input becomes a property shown for its operation; inputs with group 'filters' go into a
//     "Filters" collection, group 'options' into an "Options" collection; `displayWhen` becomes
//     nested displayOptions;
//   - list operations (output 'items') get n8n's Return All / Limit and a "Max Items" cap option;
//     alert, activity, entity and file lists also get "Simplify";
//   - alert id inputs become resource locators (From List / By ID / By URL).
import type { INodeProperties, INodePropertyOptions, NodePropertyTypes } from 'n8n-workflow';
import type { AnyOperationDefinition, OperationInput, ResourceName } from '../../core/operations';
import { CREDENTIAL_TYPES } from './connection';
import { AUTHENTICATION_LABELS, ServiceNodes } from './service-nodes';

export const DEFAULT_LIMIT = 50;
export const DEFAULT_MAX_ITEMS = 10_000;
export const SIMPLIFY_RESOURCES: readonly ResourceName[] = ['alert', 'activity', 'entity', 'file'];

/** Whether records of this MDCA resource have a simplified form. */
export function simplifies(resource: string): resource is ResourceName {
	return SIMPLIFY_RESOURCES.some((r) => r === resource);
}

/**
 * Whether an operation's records have a simplified form: MDCA ones only. Other services' registries
 * mark their definitions with `service` and reuse resource names ("alert" in Microsoft Graph).
 */
export function simplifiesOperation(op: AnyOperationDefinition): boolean {
	return !('service' in op) && simplifies(op.resource);
}

/** Properties the n8n adapter adds on top of the registry inputs (the drift test allows exactly these). */
export const N8N_ONLY_TOP_LEVEL = ['returnAll', 'limit', 'simplify', 'binaryPropertyName'] as const;
export const N8N_ONLY_OPTIONS = ['maxItems'] as const;

/** The empty first option of optional top-level choices (not sent). */
export const UNCHANGED_OPTION_NAME = 'Leave Unchanged';

export const ALERT_URL_REGEX = '^https?://[^\\s]+/#/alerts/([0-9a-fA-F]{24})';

export function isListOperation(op: AnyOperationDefinition): boolean {
	return op.output === 'items';
}

export function authenticationProperty(nodes: ServiceNodes): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: nodes.authenticationKinds.map((kind) => ({ name: AUTHENTICATION_LABELS[kind], value: kind })),
		default: 'app',
		...(nodes.authenticationNote ? { description: nodes.authenticationNote } : {}),
	};
}

/** The credential types a service's nodes declare, each shown for its Authentication option. */
export function credentialDescriptions(nodes: ServiceNodes) {
	return nodes.authenticationKinds.map((kind) => ({
		name: CREDENTIAL_TYPES[kind],
		required: true,
		testedBy: nodes.credentialTest,
		displayOptions: { show: { authentication: [kind] } },
	}));
}

export function retryNotice(nodes: ServiceNodes): INodeProperties {
	return { displayName: nodes.retryNotice, name: 'retryNotice', type: 'notice', default: '' };
}

function n8nType(input: OperationInput): NodePropertyTypes {
	switch (input.type) {
		case 'number':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'options':
			return 'options';
		case 'multiOptions':
			return 'multiOptions';
		case 'json':
			return 'json';
		case 'dateTime':
			return 'dateTime';
		default:
			return 'string';
	}
}

function defaultFor(input: OperationInput): INodeProperties['default'] {
	if (input.default !== undefined) return input.default as INodeProperties['default'];
	switch (input.type) {
		case 'boolean':
			return false;
		case 'multiOptions':
			return [];
		case 'options':
			return (input.options?.[0]?.value ?? '') as INodeProperties['default'];
		case 'number':
			return input.min ?? 0;
		case 'binary':
			return 'data';
		default:
			return '';
	}
}

function optionsOf(input: OperationInput): INodePropertyOptions[] | undefined {
	if (!input.options) return undefined;
	return input.options.map((o) => ({ name: o.name, value: o.value, ...(o.description ? { description: o.description } : {}) }));
}

/** One registry input as an n8n property (without operation display options). */
export function inputProperty(input: OperationInput, inCollection: boolean): INodeProperties {
	if (input.type === 'string' && input.format === 'alertId' && !inCollection) return alertLocator(input);
	const prop: INodeProperties = {
		displayName: input.type === 'binary' ? `${input.displayName} (Input Binary Field)` : input.displayName,
		name: input.name,
		type: n8nType(input),
		default: defaultFor(input),
		description: input.type === 'binary' ? `Name of the input binary field holding the file. ${input.description}` : input.description,
	};
	const options = optionsOf(input);
	if (options) prop.options = options;
	if (options && input.type === 'options' && !inCollection && !input.required && input.default === undefined) {
		// An optional choice outside a collection (e.g. an update's new status): an empty first
		// option, so nothing is sent unless the user picks a value (empty values are dropped).
		prop.options = [{ name: UNCHANGED_OPTION_NAME, value: '' }, ...options];
		prop.default = '';
	}
	if (input.required && !inCollection) prop.required = true;
	if (input.placeholder) prop.placeholder = input.placeholder;
	if (input.type === 'number') {
		prop.typeOptions = { ...(input.min !== undefined ? { minValue: input.min } : {}), ...(input.max !== undefined ? { maxValue: input.max } : {}) };
	}
	if (input.type === 'stringList' && !prop.placeholder) prop.placeholder = 'Comma-separated values';
	if (input.type === 'string' && (input.maxLength ?? 0) > 300) prop.typeOptions = { rows: 2 };
	if (input.displayWhen) prop.displayOptions = { show: { [input.displayWhen.input]: [...input.displayWhen.values] } };
	return prop;
}

function alertLocator(input: OperationInput): INodeProperties {
	return {
		displayName: input.displayName,
		name: input.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: Boolean(input.required),
		description: input.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchAlerts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '5f2b3c4d5e6f708192a3b4c5',
				validation: [{ type: 'regex', properties: { regex: '^[0-9a-fA-F]{24}$', errorMessage: 'Not a 24-character alert id' } }],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://security.microsoft.com/cloudapps/#/alerts/5f2b3c4d5e6f708192a3b4c5',
				extractValue: { type: 'regex', regex: ALERT_URL_REGEX },
				validation: [{ type: 'regex', properties: { regex: ALERT_URL_REGEX, errorMessage: 'Not an alert URL (…/#/alerts/<id>)' } }],
			},
		],
	};
}

function showFor(op: AnyOperationDefinition, extra: Record<string, unknown[]> = {}): INodeProperties['displayOptions'] {
	return { show: { operation: [op.operation], ...extra } as Record<string, Array<string | number | boolean>> };
}

/** All properties of one resource node: operation selector, then each operation's fields. */
/** Operation selector plus each operation's fields, for any registry in the MDCA shape (MDCA, Defender XDR). */
export function operationsProperties(ops: readonly AnyOperationDefinition[]): INodeProperties[] {
	const props: INodeProperties[] = [
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- the default is the resource's first operation (computed; the rule reads literals only)
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: ops.map((op) => ({ name: op.displayName, value: op.operation, action: op.action, description: op.description })),
			default: ops[0].operation,
		},
	];
	for (const op of ops) props.push(...operationProperties(op));
	return props;
}

export function operationProperties(op: AnyOperationDefinition): INodeProperties[] {
	const props: INodeProperties[] = [];
	const topLevel = op.inputs.filter((i) => !i.group);
	const filters = op.inputs.filter((i) => i.group === 'filters');
	const options = op.inputs.filter((i) => i.group === 'options');
	for (const input of topLevel) {
		const p = inputProperty(input, false);
		const nested = (p.displayOptions?.show ?? {}) as Record<string, unknown[]>;
		p.displayOptions = showFor(op, nested);
		props.push(p);
	}
	if (op.output === 'text') {
		props.push({
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'Name of the output binary field the file is written to',
			displayOptions: showFor(op),
		});
	}
	const list = isListOperation(op);
	if (list) {
		props.push(
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				// eslint-disable-next-line n8n-nodes-base/node-param-description-wrong-for-return-all -- the standard text plus the Max Items cap users need to know about
				description: 'Whether to return all results or only up to a given limit (Return All stops at Options > Max Items)',
				displayOptions: showFor(op),
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				typeOptions: { minValue: 1 },
				// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-limit -- DEFAULT_LIMIT is 50 (the rule reads literals only)
				default: DEFAULT_LIMIT,
				description: 'Max number of results to return',
				displayOptions: showFor(op, { returnAll: [false] }),
			},
		);
		if (simplifiesOperation(op)) {
			props.push({
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of each record (key fields only) instead of the raw data',
				displayOptions: showFor(op),
			});
		}
	}
	if (filters.length) {
		props.push({
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions: showFor(op),
			options: sortByName(filters.map((i) => inputProperty(i, true))),
		});
	}
	const optionProps = options.map((i) => inputProperty(i, true));
	if (list) {
		optionProps.push({
			displayName: 'Max Items',
			name: 'maxItems',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_ITEMS,
			description: 'With Return All on: the most records returned (a safety cap; raise it explicitly for bigger pulls)',
		});
	}
	if (optionProps.length) {
		props.push({
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: showFor(op),
			options: sortByName(optionProps),
		});
	}
	return props;
}

function sortByName(props: INodeProperties[]): INodeProperties[] {
	return [...props].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
