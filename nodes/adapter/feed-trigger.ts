// What every polling trigger of this package shares, whatever the service: the filter and options
// parameters, reading them back into the core feed's window, and one poll around the stored
// cursor. The cursor is written to the workflow's static data only together with the items it
// returned, so a failed poll delivers nothing twice and loses nothing. Each trigger node declares
// its events, its filters and how it lists and polls its service.
import type { IDataObject, INodeExecutionData, INodeProperties, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import type { FeedStart } from '../../core/feed-engine';
import type { OperationInput } from '../../core/operations';
import { toNodeError } from './errors';
import { pollOnce } from './poll-guard';
import { ICON } from './description';
import { authenticationProperty, credentialDescriptions, inputProperty, retryNotice } from './properties';
import type { ServiceNodes } from './service-nodes';

/** The trigger's Event choice (each option: name, value, description). */
export function eventProperty(options: INodeProperties['options'], defaultEvent: string): INodeProperties {
	return { displayName: 'Event', name: 'event', type: 'options', noDataExpression: true, options, default: defaultEvent };
}

/** A polling trigger of a service: its names and text, then its own event, filter and option parameters. */
export function triggerDescription(nodes: ServiceNodes, name: string, displayName: string, description: string, properties: INodeProperties[]): INodeTypeDescription {
	return {
		displayName,
		name,
		icon: ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description,
		defaults: { name: displayName },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions(nodes),
		properties: [authenticationProperty(nodes), retryNotice(nodes), ...properties],
	};
}

export interface FeedTriggerOptionsSpec {
	/** What the look-back option catches, e.g. "records MDCA indexed late". */
	lateRecords: string;
	/** What "Start From: Now" delivers, e.g. "Only records that appear after activation". */
	fromNow: string;
	defaultMaxPerPoll: number;
	/** Upper bound of "Start From Hours Ago", where the service keeps a limited history. */
	maxStartHoursAgo?: number;
}

/** A Filters collection of the feed's filter inputs, sorted by display name as n8n lists them. */
export function feedFilterCollection(name: string, inputs: readonly OperationInput[], events?: readonly string[]): INodeProperties {
	return {
		displayName: 'Filters',
		name,
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		...(events ? { displayOptions: { show: { event: [...events] } } } : {}),
		options: inputs.map((i) => inputProperty(i, true)).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The Options collection: look-back, max items per poll, where the first poll starts. */
export function feedOptionsProperty(spec: FeedTriggerOptionsSpec): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look-Back Minutes',
				name: 'lookBackMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10080 },
				default: 5,
				description: `How far back each poll looks for ${spec.lateRecords} (duplicates are dropped)`,
			},
			// The lint rule reads only literal defaults; this one is each service's own.
			// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
			{
				displayName: 'Max Items per Poll',
				name: 'maxPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: spec.defaultMaxPerPoll,
				description: 'The rest follows on the next polls, oldest first',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				options: [
					{ name: 'Now', value: 'now', description: spec.fromNow },
					{ name: 'Hours Ago', value: 'hoursAgo', description: 'Also deliver the last N hours on the first poll' },
				],
				default: 'now',
			},
			{
				displayName: 'Start From Hours Ago',
				name: 'startHoursAgo',
				type: 'number',
				typeOptions: spec.maxStartHoursAgo ? { minValue: 1, maxValue: spec.maxStartHoursAgo } : { minValue: 1 },
				default: 24,
				displayOptions: { show: { startFrom: ['hoursAgo'] } },
			},
		],
	};
}

/** The filters the user set (empty values dropped: n8n keeps a cleared field as ''). */
export function chosenFilters(ctx: IPollFunctions, parameter: string): IDataObject {
	const filters = { ...((ctx.getNodeParameter(parameter, {}) as IDataObject) ?? {}) };
	for (const [k, v] of Object.entries(filters)) if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) delete filters[k];
	return filters;
}

/** The feed's window from the Options collection. */
export function feedWindow(ctx: IPollFunctions, defaultMaxPerPoll: number): { lookBackMs: number; maxPerPoll: number; startFrom: FeedStart } {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		lookBackMs: Number(options.lookBackMinutes ?? 5) * 60_000,
		maxPerPoll: Number(options.maxPerPoll ?? defaultMaxPerPoll),
		startFrom: options.startFrom === 'hoursAgo' ? { mode: 'hoursAgo', hours: Number(options.startHoursAgo ?? 24) } : { mode: 'now' },
	};
}

export interface FeedPollSteps<C> {
	/** A sample for the editor's "Fetch Test Event": the latest matching record(s); the cursor is not touched. */
	sample(): Promise<unknown[]>;
	/** One poll from the stored cursor. */
	poll(cursor: C | undefined): Promise<{ items: unknown[]; cursor: C }>;
	toItem(record: unknown): INodeExecutionData;
}

/** One poll of a trigger: a sample in manual mode, otherwise the feed from the stored cursor. */
export function pollTrigger<C>(ctx: IPollFunctions, steps: FeedPollSteps<C>): Promise<INodeExecutionData[][] | null> {
	return pollOnce(ctx, async () => {
		const staticData = ctx.getWorkflowStaticData('node') as { cursor?: C };
		try {
			if (ctx.getMode() === 'manual') {
				const records = await steps.sample();
				return records.length ? [records.slice(0, 1).map(steps.toItem)] : null;
			}
			const result = await steps.poll(staticData.cursor);
			staticData.cursor = result.cursor;
			return result.items.length ? [result.items.map(steps.toItem)] : null;
		} catch (error) {
			throw toNodeError(ctx.getNode(), error);
		}
	});
}
