// Where the connection check takes the required inputs of a read operation from: an id out of a
// record an earlier list operation of the same run returned, or a constant that is harmless on any
// tenant (a hunting query of one row). A required choice takes its default. The check never makes
// up an id: without a record to take it from, the operation is skipped with the reason.
import type { AnyOperationDefinition, OperationInput } from '../operations/types';

type RecordLike = Record<string, unknown>;

export type InputSource =
  | { from: string; pick: (record: RecordLike) => unknown }
  | { value: unknown };

const field = (name: string) => (record: RecordLike): unknown => record[name];

/** Per service id, per input name. A new read operation with a required input needs a line here (test/core/connection-check.test.ts fails otherwise). */
export const SAMPLE_INPUTS: Readonly<Record<string, Readonly<Record<string, InputSource>>>> = {
  mdca: {
    alertId: { from: 'alert.getAll', pick: field('_id') },
    activityId: { from: 'activity.getAll', pick: field('_id') },
    rangeId: { from: 'ipRange.getAll', pick: field('_id') },
    fileId: { from: 'file.getAll', pick: field('_id') },
    streamId: { from: 'discovery.listStreams', pick: field('_id') },
    // The key of an entity record: its id, and the app and instance it belongs to.
    entityKey: {
      from: 'entity.getAll',
      pick: (record) => {
        const app = (record.appData ?? {}) as RecordLike;
        return typeof record.id === 'string' ? JSON.stringify({ id: record.id, saas: app.saas ?? app.appId, inst: app.instance ?? 0 }) : undefined;
      },
    },
  },
  xdr: {
    incidentId: { from: 'incident.getAll', pick: field('incidentId') },
    query: { value: 'AlertInfo | take 1' },
  },
  graph: {
    alertId: { from: 'alert.getAll', pick: field('id') },
    // The MDCA alert behind a Graph alert of Defender for Cloud Apps.
    mdcaAlertId: { from: 'alert.getAll', pick: (record) => (record.serviceSource === 'microsoftDefenderForCloudApps' ? record.providerAlertId : undefined) },
    incidentId: { from: 'incident.getAll', pick: field('id') },
    query: { value: 'AlertInfo | take 1' },
  },
};

/** The first records each list operation of the run returned, by operation id. */
export type SeenRecords = ReadonlyMap<string, readonly unknown[]>;

export type SampleInputs = { ok: true; input: Record<string, unknown> } | { ok: false; reason: string };

function defaultChoice(input: OperationInput): unknown {
  if (input.default !== undefined && input.default !== '') return input.default;
  return input.options?.[0]?.value;
}

/** The inputs to run `definition` with, or why it cannot run. */
export function sampleInputs(serviceId: string, definition: AnyOperationDefinition, seen: SeenRecords): SampleInputs {
  const input: Record<string, unknown> = {};
  for (const wanted of definition.inputs.filter((i) => i.required)) {
    if (wanted.type === 'options') {
      input[wanted.name] = defaultChoice(wanted);
      continue;
    }
    const source = SAMPLE_INPUTS[serviceId]?.[wanted.name];
    if (!source) return { ok: false, reason: `no sample for the required input "${wanted.name}"` };
    if ('value' in source) {
      input[wanted.name] = source.value;
      continue;
    }
    const records = seen.get(source.from);
    if (!records) return { ok: false, reason: `${source.from} did not run, so there is no ${wanted.name} to use` };
    const value = records.map((r) => (r && typeof r === 'object' ? source.pick(r as RecordLike) : undefined)).find((v) => v !== undefined && v !== null && v !== '');
    if (value === undefined) return { ok: false, reason: `${source.from} returned no record to take ${wanted.name} from` };
    input[wanted.name] = value;
  }
  return { ok: true, input };
}

/** Whether every required input of `definition` has a source (a choice, a constant or a list). */
export function hasSampleInputs(serviceId: string, definition: AnyOperationDefinition): boolean {
  return definition.inputs.filter((i) => i.required).every((i) => i.type === 'options' || SAMPLE_INPUTS[serviceId]?.[i.name] !== undefined);
}
