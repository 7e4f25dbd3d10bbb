// The registry view the editor builds its forms from (GET mdca/registry) and the editor files'
// help is rendered from: each service's resources and operations with their node types.
import { operations, resourceDefinitions } from '../../core';
import type { AnyOperationDefinition, OperationDefinition } from '../../core/operations/types';
import { xdrOperations, xdrResourceDefinitions } from '../../core/xdr/registry';
import type { XdrOperationDefinition } from '../../core/xdr/types';
import { graphOperations, graphResourceDefinitions } from '../../core/graph/registry';
import type { GraphOperationDefinition } from '../../core/graph/types';
import { entraOperations, entraResourceDefinitions } from '../../core/entra/registry';
import type { EntraOperationDefinition } from '../../core/entra/types';
import { mdeOperations, mdeResourceDefinitions } from '../../core/mde/registry';
import type { MdeOperationDefinition } from '../../core/mde/types';
import { ENTRA_NODE_TYPES, FEEDS, GRAPH_NODE_TYPES, MDE_NODE_TYPES, NODE_TYPES, OperationService, XDR_NODE_TYPES } from './node-types';

/** One operation as the editor needs it. */
function editorOperation(o: AnyOperationDefinition, service: OperationService): Record<string, unknown> {
  return {
    id: o.id,
    service,
    resource: o.resource,
    operation: o.operation,
    displayName: o.displayName,
    description: o.description,
    permissions: o.permissions,
    paging: o.paging,
    output: o.output,
    inputs: o.inputs.map((i) => ({
      name: i.name,
      displayName: i.displayName,
      type: i.type,
      description: i.description,
      required: Boolean(i.required),
      default: i.default,
      placeholder: i.placeholder,
      options: i.options?.map((x) => ({ name: x.name, value: x.value })),
      min: i.min,
      max: i.max,
      format: i.format,
      group: i.group,
      displayWhen: i.displayWhen,
    })),
  };
}

/**
 * The operation registries the editor's forms and the editor files' help are built from. A
 * parameter rather than a direct import so a test can hand in a copy with an extra operation and
 * see it reach both, with no other change.
 */
export interface RegistrySource {
  operations: readonly OperationDefinition[];
  xdrOperations: readonly XdrOperationDefinition[];
  graphOperations: readonly GraphOperationDefinition[];
  entraOperations: readonly EntraOperationDefinition[];
  mdeOperations: readonly MdeOperationDefinition[];
}

export const REGISTRY: RegistrySource = { operations, xdrOperations, graphOperations, entraOperations, mdeOperations };

/** The operations of a service in a registry source. */
export function sourceOperations(source: RegistrySource, service: OperationService): readonly AnyOperationDefinition[] {
  switch (service) {
    case 'xdr':
      return source.xdrOperations;
    case 'graph':
      return source.graphOperations;
    case 'entra':
      return source.entraOperations;
    case 'mde':
      return source.mdeOperations;
    default:
      return source.operations;
  }
}

/**
 * The registry as the editor needs it (served by GET mdca/registry; the editor builds forms from
 * it): the MDCA resources and operations, then the Defender XDR ones (`service: 'xdr'`), then the
 * Microsoft Graph security ones (`service: 'graph'`), then the Entra ID (`'entra'`) and Defender for
 * Endpoint (`'mde'`) ones. `nodeTypes` maps the MDCA, XDR, Entra ID and Defender for Endpoint
 * resources (no name repeats) to their node types; Graph's resource names repeat MDCA's and XDR's
 * ("alert", "incident"), so its node types are in `graphNodeTypes`.
 */
export function editorRegistry(source: RegistrySource = REGISTRY): Record<string, unknown> {
  return {
    nodeTypes: { ...NODE_TYPES, ...XDR_NODE_TYPES, ...ENTRA_NODE_TYPES, ...MDE_NODE_TYPES },
    graphNodeTypes: { ...GRAPH_NODE_TYPES },
    resources: [
      ...resourceDefinitions.map((r) => ({ ...r, service: 'mdca', nodeType: NODE_TYPES[r.name] })),
      ...xdrResourceDefinitions.map((r) => ({ ...r, nodeType: XDR_NODE_TYPES[r.name] })),
      ...graphResourceDefinitions.map((r) => ({ ...r, nodeType: GRAPH_NODE_TYPES[r.name] })),
      ...entraResourceDefinitions.map((r) => ({ ...r, nodeType: ENTRA_NODE_TYPES[r.name] })),
      ...mdeResourceDefinitions.map((r) => ({ ...r, nodeType: MDE_NODE_TYPES[r.name] })),
    ],
    operations: [
      ...source.operations.map((o) => editorOperation(o, 'mdca')),
      ...source.xdrOperations.map((o) => editorOperation(o, 'xdr')),
      ...source.graphOperations.map((o) => editorOperation(o, 'graph')),
      ...source.entraOperations.map((o) => editorOperation(o, 'entra')),
      ...source.mdeOperations.map((o) => editorOperation(o, 'mde')),
    ],
    feeds: FEEDS.map((f) => ({ ...f })),
  };
}
