// Runs the emulator in a child process, so heap and CPU figures of the client are not mixed with
// the emulator's. The parent gets the connection details over IPC; control calls are not exposed.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { RunningEmulator, TenantOptions } from '../../emulator';

export interface ChildEmulator {
  emulator: RunningEmulator;
  close(): Promise<void>;
}

export function startEmulatorProcess(tenants: TenantOptions[]): Promise<ChildEmulator> {
  const child = fork(__filename, ['--child'], { execArgv: ['-r', path.join(__dirname, 'register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator process exited (${code})`)));
    child.once('message', (info) => {
      const emulator = info as RunningEmulator;
      resolve({
        emulator,
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('close');
          }),
      });
    });
    child.send({ tenants });
  });
}

if (process.argv.includes('--child')) {
  process.once('message', async (message: { tenants: TenantOptions[] }) => {
    const { startEmulator } = await import('../../emulator');
    const emulator = await startEmulator({ tenants: message.tenants });
    process.on('message', async (m) => {
      if (m === 'close') {
        await emulator.close();
        process.exit(0);
      }
    });
    process.on('disconnect', () => process.exit(0));
    const { control: _control, state: _state, close: _close, ...info } = emulator;
    process.send?.(JSON.parse(JSON.stringify(info)));
  });
}
