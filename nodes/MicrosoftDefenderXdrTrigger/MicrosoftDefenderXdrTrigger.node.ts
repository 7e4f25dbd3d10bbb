// Polling trigger for Defender XDR incidents: new or updated incidents (each update delivered
// once, keyed by incidentId + lastUpdateTime) or new incidents only, on the XDR change feed
// (core/xdr/feed.ts). The parameters and the poll around the stored cursor are the ones every
// trigger of this package shares (nodes/adapter/feed-trigger.ts).
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { pollXdrIncidentFeed, xdrFeedFilterInputs } from '../../core/xdr';
import type { XdrFeedCursor, XdrFeedKind } from '../../core/xdr';
import { chosenFilters, eventProperty, feedFilterCollection, feedOptionsProperty, feedWindow, pollTrigger, triggerDescription } from '../adapter/feed-trigger';
import { XDR_NODES } from '../adapter/service-nodes';
import { xdrCredentialTest, xdrNodeClient } from '../adapter/xdr';

const DEFAULT_MAX_PER_POLL = 200;

/** The filters the incident feed accepts (it owns the time window): core/xdr/feed.ts. */
export { xdrFeedFilterInputs };

export class MicrosoftDefenderXdrTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription(XDR_NODES, 'microsoftDefenderXdrTrigger', 'Microsoft Defender XDR Trigger', 'Starts the workflow on new or updated incidents in Microsoft Defender XDR', [
		eventProperty(
			[
				{ name: 'New or Updated Incident', value: 'incidentChanges', description: 'A new incident, and every later change of it (each once)' },
				{ name: 'New Incident', value: 'newIncidents', description: 'Only incidents created after activation' },
			],
			'incidentChanges',
		),
		feedFilterCollection('filters', xdrFeedFilterInputs()),
		feedOptionsProperty({
			lateRecords: 'incidents indexed late',
			fromNow: 'Only incidents created or updated after activation',
			defaultMaxPerPoll: DEFAULT_MAX_PER_POLL,
			maxStartHoursAgo: 720,
		}),
	]);

	methods = {
		credentialTest: { xdrCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'incidentChanges') as XdrFeedKind;
		const filters = chosenFilters(this, 'filters');
		return pollTrigger<XdrFeedCursor>(this, {
			// The most recently updated matching incident.
			sample: async () => {
				const records: unknown[] = [];
				for await (const page of (await xdrNodeClient(this)).pages('incident.getAll', filters, { maxItems: 1 })) records.push(...page.items);
				return records;
			},
			poll: async (cursor) => pollXdrIncidentFeed(await xdrNodeClient(this), { kind: event, filters, ...feedWindow(this, DEFAULT_MAX_PER_POLL) }, cursor, Date.now()),
			toItem: (r) => ({ json: r as IDataObject }),
		});
	}
}
