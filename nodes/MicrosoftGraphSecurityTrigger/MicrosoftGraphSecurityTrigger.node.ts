// Polling trigger for Microsoft Graph security alerts (alerts_v2) and incidents: new or updated
// alerts or incidents (each update delivered once, keyed by id + lastUpdateDateTime) or new ones
// only, on the Graph change feeds (core/graph/feed.ts). The alert filters keep their parameter name
// ("filters") so saved workflows keep theirs; the incident filters are a collection of their own. The parameters and the poll around the stored cursor are the ones
// every trigger of this package shares (nodes/adapter/feed-trigger.ts).
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { GRAPH_ALERT_FEED_KINDS, GRAPH_INCIDENT_FEED_KINDS, graphFeedFilterInputs, graphFeedOperation, pollGraphFeed } from '../../core/graph';
import type { GraphFeedCursor, GraphFeedKind } from '../../core/graph';
import { chosenFilters, eventProperty, feedFilterCollection, feedOptionsProperty, feedWindow, pollTrigger, triggerDescription } from '../adapter/feed-trigger';
import { graphCredentialTest, graphNodeClient } from '../adapter/graph';
import { GRAPH_NODES } from '../adapter/service-nodes';

const DEFAULT_MAX_PER_POLL = 200;

/** The filters each feed accepts (it owns the time window and the page size): core/graph/feed.ts. */
export { graphFeedFilterInputs };

const isIncidentFeed = (event: GraphFeedKind): boolean => (GRAPH_INCIDENT_FEED_KINDS as readonly string[]).includes(event);

export class MicrosoftGraphSecurityTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription(GRAPH_NODES, 'microsoftGraphSecurityTrigger', 'Microsoft Graph Security Trigger', 'Starts the workflow on new or updated Microsoft Graph security alerts or incidents of every Defender product', [
		eventProperty(
			[
				{ name: 'New or Updated Alert', value: 'graphAlertChanges', description: 'A new alert, and every later change of it (each once)' },
				{ name: 'New Alert', value: 'newGraphAlerts', description: 'Only alerts created after activation' },
				{ name: 'New or Updated Incident', value: 'graphIncidentChanges', description: 'A new incident, and every later change of it (each once)' },
				{ name: 'New Incident', value: 'newGraphIncidents', description: 'Only incidents created after activation' },
			],
			'graphAlertChanges',
		),
		feedFilterCollection('filters', graphFeedFilterInputs('graphAlertChanges'), GRAPH_ALERT_FEED_KINDS),
		feedFilterCollection('incidentFilters', graphFeedFilterInputs('graphIncidentChanges'), GRAPH_INCIDENT_FEED_KINDS),
		feedOptionsProperty({
			lateRecords: 'alerts or incidents indexed late',
			fromNow: 'Only alerts or incidents created or updated after activation',
			defaultMaxPerPoll: DEFAULT_MAX_PER_POLL,
			maxStartHoursAgo: 720,
		}),
	]);

	methods = {
		credentialTest: { graphCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'graphAlertChanges') as GraphFeedKind;
		const filters = chosenFilters(this, isIncidentFeed(event) ? 'incidentFilters' : 'filters');
		return pollTrigger<GraphFeedCursor>(this, {
			// The most recently created matching alert or incident.
			sample: async () => {
				const records: unknown[] = [];
				for await (const page of (await graphNodeClient(this)).pages(graphFeedOperation(event), filters, { maxItems: 1 })) records.push(...page.items);
				return records;
			},
			poll: async (cursor) => pollGraphFeed(await graphNodeClient(this), { kind: event, filters, ...feedWindow(this, DEFAULT_MAX_PER_POLL) }, cursor, Date.now()),
			toItem: (r) => ({ json: r as IDataObject }),
		});
	}
}
