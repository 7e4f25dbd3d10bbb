// Polling trigger: new alerts, changed (closed) alerts, new activities, on the core change feed
// (core/feeds.ts). The parameters and the poll around the stored cursor are the ones every trigger
// of this package shares (nodes/adapter/feed-trigger.ts).
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { feedFilterInputs, pollFeed } from '../../core/feeds';
import type { FeedCursor, FeedKind } from '../../core/feeds';
import { mdcaCredentialTest } from '../adapter/credential-test';
import { nodeClient } from '../adapter/execute';
import { chosenFilters, eventProperty, feedFilterCollection, feedOptionsProperty, feedWindow, pollTrigger, triggerDescription } from '../adapter/feed-trigger';
import { MDCA_NODES } from '../adapter/service-nodes';
import { simplifyRecord } from '../adapter/simplify';

const DEFAULT_MAX_PER_POLL = 500;

/** The filters the feed accepts (the feed owns the time window): core/feeds.ts. */
export { feedFilterInputs };

export class MicrosoftDefenderCloudAppsTrigger implements INodeType {
	description: INodeTypeDescription = triggerDescription(MDCA_NODES, 'microsoftDefenderCloudAppsTrigger', 'Microsoft Defender for Cloud Apps Trigger', 'Starts the workflow on new alerts, changed alerts or new activities in Microsoft Defender for Cloud Apps', [
		eventProperty(
			[
				{ name: 'Alert Changed (Closed or Reopened)', value: 'changedAlerts' },
				{ name: 'New Activity', value: 'newActivities' },
				{ name: 'New Alert', value: 'newAlerts' },
			],
			'newAlerts',
		),
		feedFilterCollection('alertFilters', feedFilterInputs('alert.getAll'), ['newAlerts', 'changedAlerts']),
		feedFilterCollection('activityFilters', feedFilterInputs('activity.getAll'), ['newActivities']),
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of each record (key fields only) instead of the raw data',
		},
		feedOptionsProperty({ lateRecords: 'records MDCA indexed late', fromNow: 'Only records that appear after activation', defaultMaxPerPoll: DEFAULT_MAX_PER_POLL }),
	]);

	methods = {
		credentialTest: { mdcaCredentialTest },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'newAlerts') as FeedKind;
		const filters = chosenFilters(this, event === 'newActivities' ? 'activityFilters' : 'alertFilters');
		const simplify = this.getNodeParameter('simplify', true) as boolean;
		const resource = event === 'newActivities' ? 'activity' : 'alert';
		return pollTrigger<FeedCursor>(this, {
			sample: async () => {
				const listInputs: Record<string, unknown> = { ...filters, sortField: 'date', sortDirection: 'desc' };
				if (event === 'changedAlerts') listInputs.openState = 'closed';
				const outcome = await (await nodeClient(this)).run(`${resource}.getAll`, listInputs, { maxItems: 1 });
				const records: unknown[] = [];
				if (outcome.kind === 'pages') for await (const page of outcome.pages) records.push(...page.items);
				return records;
			},
			poll: async (cursor) => pollFeed(await nodeClient(this), { kind: event, filters, ...feedWindow(this, DEFAULT_MAX_PER_POLL) }, cursor, Date.now()),
			toItem: (r) => ({ json: simplify ? simplifyRecord(resource, r) : (r as IDataObject) }),
		});
	}
}
