// Polling trigger for Microsoft Graph security alerts (alerts_v2): new or updated alerts (each
// update delivered once, keyed by id + lastUpdateDateTime) or new alerts only, on the Graph change
// feed (core/graph/feed.ts). The parameters and the poll around the stored cursor are the ones
// every trigger of this package shares (nodes/adapter/feed-trigger.ts).
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { GRAPH_FEED_OPERATION, graphFeedFilterInputs, pollGraphAlertFeed } from '../../core/graph';
import type { GraphFeedCursor, GraphFeedKind } from '../../core/graph';
import { chosenFilters, eventProperty, feedFilterCollection, feedOptionsProperty, feedWindow, pollTrigger, triggerDescription } from '../adapter/feed-trigger';
import { graphCredentialTest, graphNodeClient } from '../adapter/graph';
import { GRAPH_NODES } from '../adapter/service-nodes';

const DEFAULT_MAX_PER_POLL = 200;

/** The filters the alert feed accepts (it owns the time window and the page size): core/graph/feed.ts. */
export { graphFeedFilterInputs };

export class MicrosoftGraphSecurityTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription(GRAPH_NODES, 'microsoftGraphSecurityTrigger', 'Microsoft Graph Security Trigger', 'Starts the workflow on new or updated Microsoft Graph security alerts of every Defender product', [
		eventProperty(
			[
				{ name: 'New or Updated Alert', value: 'graphAlertChanges', description: 'A new alert, and every later change of it (each once)' },
				{ name: 'New Alert', value: 'newGraphAlerts', description: 'Only alerts created after activation' },
			],
			'graphAlertChanges',
		),
		feedFilterCollection('filters', graphFeedFilterInputs()),
		feedOptionsProperty({
			lateRecords: 'alerts indexed late',
			fromNow: 'Only alerts created or updated after activation',
			defaultMaxPerPoll: DEFAULT_MAX_PER_POLL,
			maxStartHoursAgo: 720,
		}),
	]);

	methods = {
		credentialTest: { graphCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'graphAlertChanges') as GraphFeedKind;
		const filters = chosenFilters(this, 'filters');
		return pollTrigger<GraphFeedCursor>(this, {
			// The most recently created matching alert.
			sample: async () => {
				const records: unknown[] = [];
				for await (const page of (await graphNodeClient(this)).pages(GRAPH_FEED_OPERATION, filters, { maxItems: 1 })) records.push(...page.items);
				return records;
			},
			poll: async (cursor) => pollGraphAlertFeed(await graphNodeClient(this), { kind: event, filters, ...feedWindow(this, DEFAULT_MAX_PER_POLL) }, cursor, Date.now()),
			toItem: (r) => ({ json: r as IDataObject }),
		});
	}
}
