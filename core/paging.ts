// Paging over MDCA list endpoints (skip/limit envelope, scan-mode cursor) as async iterators. Holds
// at most the current and the previous page's ids, never the whole result, so memory stays flat
// on big pulls. Guards, so a misbehaving server cannot loop us forever: an endpoint that ignores
// `skip` or repeats pages, `hasNext` without `nextQueryFilters`, empty pages; ids seen at
// the previous page boundary are not emitted twice (records inserted while paging shift the pages).
import type { CallContext, HttpPipeline, RequestSpec } from './pipeline';
import { MdcaProtocolError, MdcaValidationError } from './errors';
import type { OperationOutcome, Page } from './operations/types';
import type { FilterObject } from './filters';

export const MAX_PAGE_SIZE = 100;

/** The declared call of the list (method, path, access, operation), built by declaredRequest(). */
export interface ListRequest extends Pick<RequestSpec, 'method' | 'path' | 'access' | 'operation'> {
  filters: FilterObject;
  sortField?: string;
  sortDirection?: 'asc' | 'desc';
  maxItems: number;
  /** Scan mode (activities only): page size 500-5000 and nextQueryFilters cursor. */
  scan?: { limit: number };
  /** Extra body fields (e.g. streamId for categories). */
  extraBody?: Record<string, unknown>;
  warn?: (message: string) => void;
}

interface Envelope {
  data?: unknown;
  hasNext?: unknown;
  total?: unknown;
  nextQueryFilters?: unknown;
}

export function recordId(item: unknown): string | undefined {
  if (item && typeof item === 'object') {
    const record = item as { _id?: unknown; id?: unknown };
    if (typeof record._id === 'string' || typeof record._id === 'number') return String(record._id);
    if (typeof record.id === 'string' || typeof record.id === 'number') return String(record.id);
  }
  return undefined;
}

export async function* listPages(pipeline: HttpPipeline, request: ListRequest, ctx: CallContext): AsyncGenerator<Page> {
  const cursor: PageCursor = { skip: 0, filters: request.filters };
  let emitted = 0;
  let index = 0;
  let previousIds = new Set<string>();
  let previousSignature = '';
  while (emitted < request.maxItems) {
    const page = await fetchPage(pipeline, request, ctx, pageBody(request, cursor, request.maxItems - emitted));
    index++;
    const ids = page.data.map(recordId);
    const signature = ids.join('|');
    if (page.data.length > 0 && signature === previousSignature) {
      request.warn?.(`${request.operation}: MDCA returned the same page again (skip ignored?); stopping to avoid a loop.`);
      return;
    }
    previousSignature = signature;
    const { fresh, pageIds } = freshRecords(page.data, ids, previousIds, request.maxItems - emitted);
    emitted += fresh.length;
    ctx.onEvent?.({ type: 'page', operation: request.operation, page: index, items: fresh.length, totalItems: emitted });
    const more = page.hasNext && page.data.length > 0 && emitted < request.maxItems;
    yield { items: fresh, index, total: page.total, hasNext: more };
    if (!page.hasNext || page.data.length === 0) return;
    previousIds = pageIds;
    if (!advance(cursor, request, page)) return;
  }
}

/** Where the next page starts: an offset, or in scan mode the filters the service handed back. */
interface PageCursor {
  skip: number;
  filters: FilterObject;
}

/** One page as the service sent it, its envelope checked. */
interface ServedPage {
  data: unknown[];
  hasNext: boolean;
  total?: number;
  nextQueryFilters?: unknown;
}

function pageBody(request: ListRequest, cursor: PageCursor, remaining: number): Record<string, unknown> {
  const limit = request.scan ? request.scan.limit : Math.min(MAX_PAGE_SIZE, remaining);
  const body: Record<string, unknown> = { ...request.extraBody, filters: cursor.filters, limit };
  if (request.scan) body.isScan = true;
  else body.skip = cursor.skip;
  if (request.sortField) body.sortField = request.sortField;
  if (request.sortDirection) body.sortDirection = request.sortDirection;
  return body;
}

async function fetchPage(pipeline: HttpPipeline, request: ListRequest, ctx: CallContext, body: Record<string, unknown>): Promise<ServedPage> {
  const response = await pipeline.send<Envelope>(
    { method: request.method, path: request.path, json: body, access: request.access, expect: 'json', operation: request.operation },
    ctx,
  );
  const envelope = response.data;
  if (!envelope || typeof envelope !== 'object' || !Array.isArray(envelope.data)) {
    throw new MdcaProtocolError(
      `MDCA answered ${request.operation} without a "data" list.`,
      'Check that the tenant API URL points at MDCA; a proxy or an outage page can cause this.',
      { operation: request.operation, status: response.status },
    );
  }
  return {
    data: envelope.data,
    hasNext: envelope.hasNext === true,
    total: typeof envelope.total === 'number' ? envelope.total : undefined,
    nextQueryFilters: envelope.nextQueryFilters,
  };
}

/**
 * The records of a page not emitted yet, at most `room`: an id seen on the previous page (records
 * inserted while paging shift the pages) or earlier on this page is skipped; a record without an
 * id is kept. Also returns this page's ids, the next page's "previous".
 */
function freshRecords(data: unknown[], ids: (string | undefined)[], previousIds: Set<string>, room: number): { fresh: unknown[]; pageIds: Set<string> } {
  const fresh: unknown[] = [];
  const pageIds = new Set<string>();
  for (let i = 0; i < data.length && fresh.length < room; i++) {
    const id = ids[i];
    if (id !== undefined) {
      if (previousIds.has(id) || pageIds.has(id)) continue;
      pageIds.add(id);
    }
    fresh.push(data[i]);
  }
  return { fresh, pageIds };
}

/** Moves the cursor past a page; false when scan mode has no cursor to go on with. */
function advance(cursor: PageCursor, request: ListRequest, page: ServedPage): boolean {
  if (!request.scan) {
    cursor.skip += page.data.length;
    return true;
  }
  const next = page.nextQueryFilters;
  if (!next || typeof next !== 'object') {
    request.warn?.(`${request.operation}: MDCA said there is more data but gave no nextQueryFilters; stopping.`);
    return false;
  }
  cursor.filters = next as FilterObject;
  return true;
}

/** Items of every page, one at a time. */
export async function* itemsOf(pages: AsyncIterable<Page>): AsyncGenerator<unknown> {
  for await (const page of pages) yield* page.items;
}

/** Collects every item (bounded by the request's maxItems). */
export async function collect(pages: AsyncIterable<Page>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const page of pages) out.push(...page.items);
  return out;
}

/** The pages of an operation outcome: a single item is one page; other kinds have no pages. */
export async function* outcomePages(outcome: OperationOutcome, operationId: string): AsyncGenerator<Page> {
  if (outcome.kind === 'pages') yield* outcome.pages;
  else if (outcome.kind === 'item') yield { items: [outcome.item], index: 1, hasNext: false };
  else throw new MdcaValidationError('operation', `${operationId} does not return a list.`, 'Use run() for this operation.');
}
