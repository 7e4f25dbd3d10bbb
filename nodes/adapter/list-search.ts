// Searchable list for alert resource locators: recent alerts from the core, filtered by title.
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { errorSummary } from './errors';
import { nodeClient } from './execute';

export async function searchAlerts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	try {
		const client = await nodeClient(this);
		const outcome = await client.run('alert.getAll', { sortField: 'date', sortDirection: 'desc' }, { maxItems: 100 });
		const results: INodeListSearchResult['results'] = [];
		if (outcome.kind !== 'pages') return { results };
		const needle = (filter ?? '').toLowerCase();
		for await (const page of outcome.pages) {
			for (const record of page.items as Array<Record<string, unknown>>) {
				const id = String(record._id ?? '');
				const title = String(record.title ?? id);
				if (needle && !title.toLowerCase().includes(needle) && !id.includes(needle)) continue;
				results.push({ name: `${title} (${new Date(Number(record.timestamp)).toISOString().slice(0, 16).replace('T', ' ')})`, value: id, url: typeof record.URL === 'string' ? record.URL : undefined });
			}
		}
		return { results };
	} catch (error) {
		throw new NodeOperationError(this.getNode(), String(errorSummary(error).message));
	}
}
