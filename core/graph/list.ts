// How a Graph security list runs: its declared request with `$filter` (typed inputs ANDed with a
// validated raw filter), `$top` and any further query, then `@odata.nextLink` pages
// (core/next-link-paging.ts). A filter Graph does not offer (detectionSource) is applied to each
// page after it arrives.
import { combineFilters } from '../odata-filter';
import { nextLinkPages } from '../next-link-paging';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInput, OperationInputValues, OperationOutcome, Page } from '../operations/types';
import type { GraphOperationImplementation } from './types';

/** `$top` of a page when none is given (the service documents no default or maximum). */
export const GRAPH_PAGE_SIZE = 100;
/** The largest `$top` sent: the only published limit of a Graph security list (docs/graph-security-api.md). */
export const GRAPH_MAX_PAGE_SIZE = 1_000;

export const pageSizeInput: OperationInput = {
  name: 'top',
  displayName: 'Page Size ($top)',
  type: 'number',
  group: 'options',
  min: 1,
  max: GRAPH_MAX_PAGE_SIZE,
  description: `Items per call (default ${GRAPH_PAGE_SIZE}); further pages follow @odata.nextLink until Max Items.`,
};

export interface GraphListQuery {
  clauses: string[];
  raw?: string;
  extra?: Record<string, string>;
  /** Kept items only (a filter the service does not offer). */
  keep?: (item: unknown) => boolean;
}

export function graphList(impl: GraphOperationImplementation, exec: OperationExecution, input: OperationInputValues, list: GraphListQuery): OperationOutcome {
  const top = Math.min((input.top as number | undefined) ?? GRAPH_PAGE_SIZE, list.keep ? GRAPH_MAX_PAGE_SIZE : exec.maxItems);
  const query = { $filter: combineFilters(list.clauses, list.raw), $top: top, ...list.extra };
  const first = declaredRequest(impl, input, { query });
  const pages = nextLinkPages(exec.pipeline, { first, serviceName: 'Microsoft Graph', maxItems: list.keep ? Number.MAX_SAFE_INTEGER : exec.maxItems, warn: exec.warn }, exec.ctx);
  return { kind: 'pages', pages: list.keep ? keptPages(pages, list.keep, exec.maxItems) : pages };
}

async function* keptPages(pages: AsyncIterable<Page>, keep: (item: unknown) => boolean, maxItems: number): AsyncGenerator<Page> {
  let emitted = 0;
  for await (const page of pages) {
    const items = page.items.filter(keep).slice(0, maxItems - emitted);
    emitted += items.length;
    const done = emitted >= maxItems;
    yield { items, index: page.index, hasNext: page.hasNext && !done };
    if (done) return;
  }
}
