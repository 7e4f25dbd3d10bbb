// How a Defender for Endpoint list runs: its declared request with `$filter` (typed clauses ANDed
// with a validated raw filter), paged by `$top`/`$skip` (core/odata-skip-paging.ts). The machine
// list answers 404 when the tenant has no recent machines: that is an empty list, not an error.
import { combineFilters } from '../odata-filter';
import { skipPages } from '../odata-skip-paging';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInputValues, OperationOutcome } from '../operations/types';
import { MDE_PAGE_SIZE } from './inputs';
import type { MdeOperationImplementation } from './types';

export function mdeList(impl: MdeOperationImplementation, exec: OperationExecution, input: OperationInputValues, clauses: string[], raw: string | undefined): OperationOutcome {
  const filter = combineFilters(clauses, raw);
  const pageSize = (input.top as number | undefined) ?? MDE_PAGE_SIZE;
  const pages = skipPages(
    exec.pipeline,
    {
      request: (page) => declaredRequest(impl, input, { query: { ...(filter ? { $filter: filter } : {}), ...page } }),
      pageSize,
      serviceName: 'Microsoft Defender for Endpoint',
      maxItems: exec.maxItems,
      warn: exec.warn,
      idOf: (item) => (item as { id?: unknown } | null)?.id,
      notFoundIsEmpty: true,
    },
    exec.ctx,
  );
  return { kind: 'pages', pages };
}
