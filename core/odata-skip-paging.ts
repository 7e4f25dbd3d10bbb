// Paging by OData `$top` and `$skip` (Defender XDR incidents, Defender for Endpoint machines and
// machine actions): these services give no next link when `$top` is set, so the next page is asked
// for by how many items came before. Guards against a service that ignores `$skip` (the same first
// item on a full page twice) so a list never loops. Items may be filtered after each page
// arrives (a filter the service does not offer), then more pages are read to fill the list.
import { MdcaNotFoundError, MdcaProtocolError } from './errors';
import type { Page } from './operations/types';
import type { CallContext, HttpPipeline, RequestSpec } from './pipeline';

export interface SkipList {
  /** The declared request of one page (declaredRequest() with this query). */
  request(query: { $top: number; $skip?: number }): RequestSpec;
  /** Largest `$top` sent. */
  pageSize: number;
  /** The service's name in messages. */
  serviceName: string;
  maxItems: number;
  warn: (message: string) => void;
  /** The key of an item, to notice a service that repeats a page. */
  idOf: (item: unknown) => unknown;
  /** Items kept from each page; the others are dropped (a filter applied after listing). */
  keep?: (item: unknown) => boolean;
  /** A 404 answer means "nothing to list" (Defender for Endpoint's machine list). */
  notFoundIsEmpty?: boolean;
}

async function readPage(pipeline: HttpPipeline, list: SkipList, spec: RequestSpec, ctx: CallContext): Promise<unknown[]> {
  let data: { value?: unknown } | undefined;
  try {
    data = (await pipeline.send<{ value?: unknown }>(spec, ctx)).data;
  } catch (error) {
    if (list.notFoundIsEmpty && error instanceof MdcaNotFoundError) return [];
    throw error;
  }
  const value = data?.value;
  if (!Array.isArray(value)) {
    throw new MdcaProtocolError(`${list.serviceName} answered ${spec.operation} without a "value" list.`, `Check that the ${list.serviceName} API URL is right.`, { operation: spec.operation });
  }
  return value;
}

export async function* skipPages(pipeline: HttpPipeline, list: SkipList, ctx: CallContext): AsyncGenerator<Page> {
  let skip = 0;
  let emitted = 0;
  let index = 0;
  let previousFirst: unknown;
  while (emitted < list.maxItems) {
    const top = list.keep ? list.pageSize : Math.min(list.pageSize, list.maxItems - emitted);
    const spec = list.request({ $top: top, ...(skip > 0 ? { $skip: skip } : {}) });
    const value = await readPage(pipeline, list, spec, ctx);
    const first = value.length > 0 ? list.idOf(value[0]) : undefined;
    if (skip > 0 && first !== undefined && first === previousFirst && value.length === top) {
      list.warn(`${list.serviceName} returned the same page twice; stopping the list.`);
      return;
    }
    previousFirst = first;
    skip += value.length;
    index++;
    const kept = list.keep ? value.filter(list.keep) : value;
    const items = kept.slice(0, list.maxItems - emitted);
    emitted += items.length;
    const hasNext = value.length >= top && emitted < list.maxItems;
    ctx.onEvent?.({ type: 'page', operation: spec.operation, page: index, items: items.length, totalItems: emitted });
    yield { items, index, hasNext };
    if (!hasNext) return;
  }
}
