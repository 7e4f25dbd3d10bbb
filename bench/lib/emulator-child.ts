// Runs the emulator in a child process, so heap and CPU figures of the client are not mixed with
// the emulator's. The parent gets the connection details over IPC; control calls are not exposed.
import { fork } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import type { EmulatorOptions, Fault, RunningEmulator, TenantOptions } from '../../emulator';

export interface ChildEmulator {
  emulator: RunningEmulator;
  /** The subset of the control API the benchmarks use, over the emulator's HTTP control API. */
  control: {
    injectFaults(tenant: string, faults: Fault[]): Promise<void>;
    clearFaults(tenant: string): Promise<void>;
    requestLog(tenant: string): Promise<Array<{ path: string; status: number; at: number }>>;
    /** The tenant's Microsoft Graph security listener's log. */
    graphRequestLog(tenant: string): Promise<Array<{ path: string; status: number; at: number }>>;
  };
  close(): Promise<void>;
}

function controlCall(emulator: RunningEmulator, agent: https.Agent, method: string, route: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${emulator.identityUrl}/_emulator${route}`, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`control ${method} ${route}: ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** `options`: the emulator's other settings (e.g. `graph` for the Graph listeners' throttle). */
export function startEmulatorProcess(tenants: TenantOptions[], options: Omit<EmulatorOptions, 'tenants'> = {}): Promise<ChildEmulator> {
  const child = fork(__filename, ['--child'], { execArgv: ['-r', path.join(__dirname, 'register.js')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator process exited (${code})`)));
    child.once('message', (info) => {
      const emulator = info as RunningEmulator;
      const agent = new https.Agent({ keepAlive: false, ca: emulator.caPem });
      const t = (tenant: string) => `/tenants/${encodeURIComponent(tenant)}`;
      resolve({
        emulator,
        control: {
          injectFaults: async (tenant, faults) => void (await controlCall(emulator, agent, 'POST', `${t(tenant)}/faults`, { faults })),
          clearFaults: async (tenant) => void (await controlCall(emulator, agent, 'DELETE', `${t(tenant)}/faults`)),
          requestLog: async (tenant) => (await controlCall(emulator, agent, 'GET', `${t(tenant)}/requests`)) as Array<{ path: string; status: number; at: number }>,
          graphRequestLog: async (tenant) => (await controlCall(emulator, agent, 'GET', `/graph${t(tenant)}/requests`)) as Array<{ path: string; status: number; at: number }>,
        },
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.send('close');
          }),
      });
    });
    child.send({ tenants, options });
  });
}

if (process.argv.includes('--child')) {
  process.once('message', async (message: { tenants: TenantOptions[]; options?: Omit<EmulatorOptions, 'tenants'> }) => {
    const { startEmulator } = await import('../../emulator');
    const emulator = await startEmulator({ ...message.options, tenants: message.tenants });
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
