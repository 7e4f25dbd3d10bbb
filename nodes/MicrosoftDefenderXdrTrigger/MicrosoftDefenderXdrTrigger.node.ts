// Polling trigger for Defender XDR incidents: new or updated incidents (each update delivered
// once, keyed by incidentId + lastUpdateTime) or new incidents only. The core change feed
// (pollXdrIncidentFeed) keeps a watermark + seen-keys cursor; it is stored in the workflow's static
// data only together with the items it returned, so a failed poll delivers nothing twice and
// loses nothing.
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { findXdrOperation, pollXdrIncidentFeed } from '../../core/xdr';
import type { XdrFeedCursor, XdrFeedKind, XdrFeedOptions } from '../../core/xdr';
import type { OperationInput } from '../../core/operations';
import { ICON } from '../shared/description';
import { pollOnce } from '../shared/poll-guard';
import { toNodeError } from '../shared/errors';
import { inputProperty } from '../shared/properties';
import { xdrAuthenticationProperty, xdrCredentialDescriptions, xdrCredentialTest, xdrNodeClient, xdrRetryNotice } from '../shared/xdr';

/** Filter inputs of incident.getAll the feed accepts (the feed owns the time window). */
const FEED_FILTERS = new Set(['status', 'assignedTo', 'filter', 'containsAlertId']);
export function xdrFeedFilterInputs(): OperationInput[] {
	return findXdrOperation('incident.getAll')!.definition.inputs.filter((i) => i.group === 'filters' && FEED_FILTERS.has(i.name));
}

export class MicrosoftDefenderXdrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Defender XDR Trigger',
		name: 'microsoftDefenderXdrTrigger',
		icon: ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow on new or updated incidents in Microsoft Defender XDR',
		defaults: { name: 'Microsoft Defender XDR Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: xdrCredentialDescriptions(),
		properties: [
			xdrAuthenticationProperty(),
			xdrRetryNotice(),
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'New or Updated Incident', value: 'incidentChanges', description: 'A new incident, and every later change of it (each once)' },
					{ name: 'New Incident', value: 'newIncidents', description: 'Only incidents created after activation' },
				],
				default: 'incidentChanges',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: xdrFeedFilterInputs()
					.map((i) => inputProperty(i, true))
					.sort((a, b) => a.displayName.localeCompare(b.displayName)),
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
						description: 'How far back each poll looks for incidents indexed late (duplicates are dropped)',
					},
					{
						displayName: 'Max Items per Poll',
						name: 'maxPerPoll',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 200,
						description: 'The rest follows on the next polls, oldest first',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'options',
						options: [
							{ name: 'Now', value: 'now', description: 'Only incidents created or updated after activation' },
							{ name: 'Hours Ago', value: 'hoursAgo', description: 'Also deliver the last N hours on the first poll' },
						],
						default: 'now',
					},
					{
						displayName: 'Start From Hours Ago',
						name: 'startHoursAgo',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 720 },
						default: 24,
						displayOptions: { show: { startFrom: ['hoursAgo'] } },
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { xdrCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollOnce(this, () => pollFeedItems.call(this));
	}
}

async function pollFeedItems(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = this.getNodeParameter('event', 'incidentChanges') as XdrFeedKind;
	const filters = { ...((this.getNodeParameter('filters', {}) as IDataObject) ?? {}) };
	for (const [k, v] of Object.entries(filters)) if (v === '' || v === null || (Array.isArray(v) && v.length === 0)) delete filters[k];
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const feed: XdrFeedOptions = {
		kind: event,
		filters,
		lookBackMs: Number(options.lookBackMinutes ?? 5) * 60_000,
		maxPerPoll: Number(options.maxPerPoll ?? 200),
		startFrom: options.startFrom === 'hoursAgo' ? { mode: 'hoursAgo', hours: Number(options.startHoursAgo ?? 24) } : { mode: 'now' },
	};
	const toItems = (records: unknown[]): INodeExecutionData[] => records.map((r) => ({ json: r as IDataObject }));
	const staticData = this.getWorkflowStaticData('node') as { cursor?: XdrFeedCursor };
	try {
		const client = await xdrNodeClient(this);
		if (this.getMode() === 'manual') {
			// A sample for the editor: the most recently updated matching incident, cursor untouched.
			const records: unknown[] = [];
			for await (const page of client.pages('incident.getAll', filters, { maxItems: 1 })) records.push(...page.items);
			return records.length ? [toItems(records.slice(0, 1))] : null;
		}
		const result = await pollXdrIncidentFeed(client, feed, staticData.cursor, Date.now());
		staticData.cursor = result.cursor;
		return result.items.length ? [toItems(result.items)] : null;
	} catch (error) {
		throw toNodeError(this.getNode(), error);
	}
}
