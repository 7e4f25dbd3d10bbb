// For the files that round-trip every operation of a registry against the emulator
// (test/core/operations.test.ts for MDCA, test/xdr/operations.test.ts for Defender XDR): the
// registry is the contract, so an operation no test of the file ran fails the file.
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import type { OperationOutcome, RunOptions } from '../../core';
import { emulatorPerFile } from './emulator-per-file';

/** What both services' clients offer (core/client.ts, core/xdr/client.ts). */
interface OperationRunner {
  run(operationId: string, input: Record<string, unknown>, options?: RunOptions): Promise<OperationOutcome>;
}

/** Runs the operation on the file's client and records it as covered. */
export type RoundTrip = (id: string, input: Record<string, unknown>, maxItems?: number) => Promise<OperationOutcome>;

/**
 * Registers the file's emulator (emulatorPerFile) with a client from `clientFor`, and after the
 * file checks that every operation of `registry` went through the returned `run`.
 */
export function registryRoundTrips(registry: readonly { id: string }[], options: EmulatorOptions, clientFor: (emulator: RunningEmulator) => OperationRunner): { run: RoundTrip } {
  const covered = new Set<string>();
  let client: OperationRunner;
  emulatorPerFile(options, (emulator) => (client = clientFor(emulator)), {
    afterClose: () => expect(registry.map((o) => o.id).filter((id) => !covered.has(id))).toEqual([]),
  });
  return {
    run(id, input, maxItems) {
      covered.add(id);
      return client.run(id, input, { maxItems });
    },
  };
}
