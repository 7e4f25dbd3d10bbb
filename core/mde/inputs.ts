// Inputs the Defender for Endpoint operations share, and the checks of machine ids.
import { MdcaValidationError } from '../errors';
import type { OperationInput } from '../operations/types';

/** MDE device ids are 40 hexadecimal characters (a SHA-1), as machine lists and Graph evidence show them. */
export const MACHINE_ID = /^[0-9a-f]{40}$/i;

/** Page sizes: the lists take `$top` up to 10,000 and give no next link with it. */
export const MDE_PAGE_SIZE = 1_000;
export const MDE_MAX_PAGE_SIZE = 10_000;

export const machineIdInput: OperationInput = {
  name: 'machineId',
  displayName: 'Machine ID',
  type: 'string',
  required: true,
  maxLength: 200,
  placeholder: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
  description: 'The Defender for Endpoint machine (device) id: 40 hexadecimal characters, from Find Machine, a machine list or the evidenceMdeDeviceId of a Graph alert.',
};

export const actionIdInput: OperationInput = {
  name: 'actionId',
  displayName: 'Machine Action ID',
  type: 'string',
  required: true,
  maxLength: 200,
  placeholder: '7327b54fd718525cbca07dacde913b5ac3c85673',
  description: 'The machine action id a response action (isolate, scan…) returned in its record (actionId).',
};

export const pageSizeInput: OperationInput = {
  name: 'top',
  displayName: 'Page Size ($top)',
  type: 'number',
  group: 'options',
  min: 1,
  max: MDE_MAX_PAGE_SIZE,
  description: `Items per call (default ${MDE_PAGE_SIZE}, at most ${MDE_MAX_PAGE_SIZE}); further pages are read with $skip until Max Items. Each call counts against the tenant's 100 calls per minute.`,
};

/** A machine id of a response action's list, checked before anything is built or sent. */
export function checkedMachineId(value: string, field = 'machineIds'): string {
  if (!MACHINE_ID.test(value)) {
    throw new MdcaValidationError(
      field,
      `"${value.slice(0, 80)}" is not a Defender for Endpoint machine id (40 hexadecimal characters).`,
      'Use the machine id (Find Machine by DNS name, Entra device id or a Graph alert gives it: its machineId output), not a computer name.',
    );
  }
  return value.toLowerCase();
}
