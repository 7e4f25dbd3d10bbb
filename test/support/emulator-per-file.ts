// The emulator of one test file: started before its first test, closed after its last, as most
// suites against the emulator do (one emulator per file keeps the files independent).
import { startEmulator } from '../../emulator';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';

/**
 * Registers the file's hooks. `started` receives the emulator (to keep it and build clients on it);
 * `beforeClose` stops what uses it (a host runtime), `afterClose` runs once it is closed (a
 * coverage check of the registry, for instance).
 */
export function emulatorPerFile(
  options: EmulatorOptions,
  started: (emulator: RunningEmulator) => void,
  { beforeClose, afterClose }: { beforeClose?: () => Promise<void>; afterClose?: () => void } = {},
): void {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
    started(emulator);
  });
  afterAll(async () => {
    await beforeClose?.();
    await emulator?.close();
    afterClose?.();
  });
}
