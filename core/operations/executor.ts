// The one executor both services run their operations with. A declared operation is one request
// (or one MDCA list, paged by the shared helpers); only a sequence brings its own `run`.
import { MdcaProtocolError } from '../errors';
import { mergeFilters, validateFilters } from '../filters';
import { listPages } from '../paging';
import { declaredRequest } from './declared-request';
import type { AnyOperationDefinition, OperationExecution, OperationImplementation, OperationInputValues, OperationOutcome } from './types';

type Runnable<E extends OperationExecution> = OperationImplementation<AnyOperationDefinition, E>;

export async function executeOperation<E extends OperationExecution>(impl: Runnable<E>, exec: E, input: OperationInputValues): Promise<OperationOutcome> {
  if (impl.run) return impl.run(exec, input);
  if (impl.definition.paging !== 'none') return listOutcome(impl, exec, input);
  const pipeline = impl.request?.long ? exec.longPipeline : exec.pipeline;
  const spec = declaredRequest(impl, input);
  let data: unknown;
  try {
    data = (await pipeline.send(spec, exec.ctx)).data;
  } catch (error) {
    throw impl.failure?.(error) ?? error;
  }
  if (impl.answer) return impl.answer(data, input, exec);
  if (impl.definition.output === 'item') return { kind: 'item', item: data };
  throw missingDeclaration(impl, 'an answer for its output');
}

/** An MDCA list: typed filters ANDed with the raw JSON filter, sort, skip/limit or scan paging. */
function listOutcome<E extends OperationExecution>(impl: Runnable<E>, exec: E, input: OperationInputValues): OperationOutcome {
  if (!impl.list) throw missingDeclaration(impl, 'list filters');
  const typed = impl.list.filters(input);
  const scan = impl.list.scan?.(input);
  const filters = mergeFilters(typed, validateFilters(impl.definition.resource, input.filtersJson ?? {}));
  const spec = declaredRequest(impl, input);
  const request = {
    operation: spec.operation,
    method: spec.method,
    path: spec.path,
    access: spec.access,
    filters,
    sortField: input.sortField as string | undefined,
    sortDirection: input.sortDirection as 'asc' | 'desc' | undefined,
    maxItems: exec.maxItems,
    scan,
    warn: exec.warn,
  };
  return { kind: 'pages', pages: listPages(exec.pipeline, request, exec.ctx) };
}

function missingDeclaration(impl: { definition: { id: string } }, what: string): MdcaProtocolError {
  return new MdcaProtocolError(`${impl.definition.id} declares no ${what}.`, 'This is a bug in the operation definition.');
}
