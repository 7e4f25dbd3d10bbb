// Polling trigger: new alerts, changed (closed) alerts, new activities. The core change feed keeps
// a watermark + seen-ids cursor; it is stored in the workflow's static data only together with the
// items it returned, so a failed poll delivers nothing twice and loses nothing.
import type { IDataObject, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { pollFeed } from '../../core/feeds';
import type { FeedCursor, FeedKind, FeedOptions } from '../../core/feeds';
import { findOperation } from '../../core/operations';
import { mdcaCredentialTest } from '../shared/credential-test';
import { ICON } from '../shared/description';
import { pollOnce } from '../shared/poll-guard';
import { toNodeError } from '../shared/errors';
import { nodeClient } from '../shared/execute';
import { authenticationProperty, credentialDescriptions, inputProperty, retryNotice } from '../shared/properties';
import { simplifyRecord } from '../shared/simplify';

/** Filter inputs the feed accepts (the feed owns the time window). */
const FEED_EXCLUDED = new Set(['since', 'until']);
export function feedFilterInputs(operationId: 'alert.getAll' | 'activity.getAll') {
	return findOperation(operationId)!.definition.inputs.filter((i) => i.group === 'filters' && !FEED_EXCLUDED.has(i.name));
}

function filterCollection(name: string, operationId: 'alert.getAll' | 'activity.getAll', events: FeedKind[]): INodeProperties {
	return {
		displayName: 'Filters',
		name,
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { event: events } },
		options: feedFilterInputs(operationId)
			.map((i) => inputProperty(i, true))
			.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export class MicrosoftDefenderCloudAppsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Defender for Cloud Apps Trigger',
		name: 'microsoftDefenderCloudAppsTrigger',
		icon: ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow on new alerts, changed alerts or new activities in Microsoft Defender for Cloud Apps',
		defaults: { name: 'Microsoft Defender for Cloud Apps Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialDescriptions(),
		properties: [
			authenticationProperty(),
			retryNotice(),
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Alert Changed (Closed or Reopened)', value: 'changedAlerts' },
					{ name: 'New Activity', value: 'newActivities' },
					{ name: 'New Alert', value: 'newAlerts' },
				],
				default: 'newAlerts',
			},
			filterCollection('alertFilters', 'alert.getAll', ['newAlerts', 'changedAlerts']),
			filterCollection('activityFilters', 'activity.getAll', ['newActivities']),
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return a simplified version of each record (key fields only) instead of the raw data',
			},
			{
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
						description: 'How far back each poll looks for records MDCA indexed late (duplicates are dropped)',
					},
					{
						displayName: 'Max Items per Poll',
						name: 'maxPerPoll',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 500,
						description: 'The rest follows on the next polls, oldest first',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'options',
						options: [
							{ name: 'Now', value: 'now', description: 'Only records that appear after activation' },
							{ name: 'Hours Ago', value: 'hoursAgo', description: 'Also deliver the last N hours on the first poll' },
						],
						default: 'now',
					},
					{
						displayName: 'Start From Hours Ago',
						name: 'startHoursAgo',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 24,
						displayOptions: { show: { startFrom: ['hoursAgo'] } },
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { mdcaCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollOnce(this, () => pollFeedItems.call(this));
	}
}

async function pollFeedItems(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = this.getNodeParameter('event', 'newAlerts') as FeedKind;
	const filters = { ...((this.getNodeParameter(event === 'newActivities' ? 'activityFilters' : 'alertFilters', {}) as IDataObject) ?? {}) };
	for (const [k, v] of Object.entries(filters)) if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) delete filters[k];
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', true) as boolean;
	const feed: FeedOptions = {
		kind: event,
		filters,
		lookBackMs: Number(options.lookBackMinutes ?? 5) * 60_000,
		maxPerPoll: Number(options.maxPerPoll ?? 500),
		startFrom: options.startFrom === 'hoursAgo' ? { mode: 'hoursAgo', hours: Number(options.startHoursAgo ?? 24) } : { mode: 'now' },
	};
	const resource = event === 'newActivities' ? 'activity' : 'alert';
	const toItems = (records: unknown[]): INodeExecutionData[] =>
		records.map((r) => ({ json: simplify ? simplifyRecord(resource, r) : (r as IDataObject) }));
	const staticData = this.getWorkflowStaticData('node') as { cursor?: FeedCursor };
	const manual = this.getMode() === 'manual';
	try {
		const client = await nodeClient(this);
		if (manual) {
			// A sample for the editor: the latest matching records, cursor untouched.
			const listInputs: Record<string, unknown> = { ...filters, sortField: 'date', sortDirection: 'desc' };
			const opId = event === 'newActivities' ? 'activity.getAll' : 'alert.getAll';
			if (event === 'changedAlerts') listInputs.openState = 'closed';
			const outcome = await client.run(opId, listInputs, { maxItems: 1 });
			const records: unknown[] = [];
			if (outcome.kind === 'pages') for await (const page of outcome.pages) records.push(...page.items);
			return records.length ? [toItems(records.slice(0, 1))] : null;
		}
		const result = await pollFeed(client, feed, staticData.cursor, Date.now());
		staticData.cursor = result.cursor;
		return result.items.length ? [toItems(result.items)] : null;
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
