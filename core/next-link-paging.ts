// Paging by `@odata.nextLink` (Microsoft Graph lists): the service hands out the URL of the next
// page. The credential must only ever reach the validated API origin, so a link is followed only
// when it is https on exactly that origin and names the same list; it is then rebuilt as a
// relative path and query on that origin, like every other request (core/pipeline/url.ts).
// Guards against a misbehaving server: the same link twice, and endless empty pages.
import { MdcaProtocolError } from './errors';
import type { Page } from './operations/types';
import type { CallContext, HttpPipeline, RequestSpec } from './pipeline';

/** Empty pages in a row with a next link after which the list stops (a server going in circles). */
export const MAX_EMPTY_PAGES = 5;

export interface NextLinkList {
  /** The declared first request (declaredRequest() with the list's query). */
  first: RequestSpec;
  /** The service's name in messages. */
  serviceName: string;
  maxItems: number;
  warn: (message: string) => void;
}

interface ODataPage {
  value?: unknown;
  '@odata.nextLink'?: unknown;
  '@odata.count'?: unknown;
}

/**
 * The request for a next link, or a protocol error when it points anywhere but the list on the
 * pipeline's own origin. Nothing of the link's text goes into the message: it came from the server.
 */
export function nextLinkRequest(link: string, baseUrl: string, first: RequestSpec, serviceName: string): RequestSpec {
  const origin = new URL(baseUrl);
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  const refuse = (why: string): MdcaProtocolError =>
    new MdcaProtocolError(
      `${serviceName} answered ${first.operation} with a next-page link ${why}; it was not followed, so the token went nowhere else.`,
      `Check that the API URL is ${origin.origin} and that no proxy rewrites the answers.`,
      { operation: first.operation },
    );
  if (!url) throw refuse('that is not an absolute URL');
  if (url.protocol !== 'https:' || url.username || url.password || url.host.toLowerCase() !== origin.host.toLowerCase()) throw refuse(`to another host than ${origin.host}`);
  if (url.pathname !== first.path) throw refuse('to another path than the list');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  return { method: first.method, path: first.path, query, access: first.access, expect: first.expect, operation: first.operation, ...(first.priority ? { priority: first.priority } : {}) };
}

export async function* nextLinkPages(pipeline: HttpPipeline, list: NextLinkList, ctx: CallContext): AsyncGenerator<Page> {
  let spec: RequestSpec | undefined = list.first;
  const seen = new Set<string>();
  let emitted = 0;
  let index = 0;
  let empty = 0;
  while (spec && emitted < list.maxItems) {
    const response: { status: number; data: ODataPage } = await pipeline.send<ODataPage>(spec, ctx);
    const value = response.data?.value;
    if (!response.data || !Array.isArray(value)) {
      throw new MdcaProtocolError(`${list.serviceName} answered ${list.first.operation} without a "value" list.`, 'Check the API URL and that no proxy rewrites the answers.', {
        operation: list.first.operation,
        status: response.status,
      });
    }
    index++;
    const items = value.slice(0, list.maxItems - emitted);
    emitted += items.length;
    empty = value.length === 0 ? empty + 1 : 0;
    const link: unknown = response.data['@odata.nextLink'];
    spec = typeof link === 'string' && link !== '' && emitted < list.maxItems ? nextSpec(link, seen, empty, pipeline.baseUrl, list) : undefined;
    const total = typeof response.data['@odata.count'] === 'number' ? response.data['@odata.count'] : undefined;
    ctx.onEvent?.({ type: 'page', operation: list.first.operation, page: index, items: items.length, totalItems: emitted });
    yield { items, index, total, hasNext: spec !== undefined };
  }
}

function nextSpec(link: string, seen: Set<string>, empty: number, baseUrl: string, list: NextLinkList): RequestSpec | undefined {
  if (seen.has(link)) {
    list.warn(`${list.first.operation}: ${list.serviceName} returned the same next-page link twice; stopping to avoid a loop.`);
    return undefined;
  }
  if (empty >= MAX_EMPTY_PAGES) {
    list.warn(`${list.first.operation}: ${list.serviceName} returned ${empty} empty pages in a row; stopping.`);
    return undefined;
  }
  seen.add(link);
  return nextLinkRequest(link, baseUrl, list.first, list.serviceName);
}
