// Forks scale-test workers (test/scale/support/worker.ts) and talks to them over IPC.
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { WorkerMessage } from './worker';

export class Worker {
  private readonly child: ChildProcess;
  private readonly inbox: Record<string, unknown>[] = [];
  private readonly waiters: { type: string; resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  readonly progress = { done: 0 };
  exited = false;

  constructor(name: string) {
    this.child = fork(path.join(__dirname, 'worker.ts'), [name], {
      execArgv: ['-r', path.join(__dirname, 'register.js')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: Record<string, unknown>) => {
      if (m.type === 'progress') this.progress.done = m.done as number;
      if (m.type === 'error') {
        for (const w of this.waiters.splice(0)) w.reject(new Error(`worker ${name}: ${String(m.message)}`));
        return;
      }
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(m);
      else if (m.type !== 'progress') this.inbox.push(m);
    });
    this.child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error(`worker ${name} exited`));
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  next<T = Record<string, unknown>>(type: string): Promise<T> {
    const i = this.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as T);
    return new Promise<T>((resolve, reject) => this.waiters.push({ type, resolve: resolve as (m: Record<string, unknown>) => void, reject }));
  }

  send(message: WorkerMessage): void {
    this.child.send(message);
  }

  async request<T = Record<string, unknown>>(message: WorkerMessage): Promise<T> {
    const answer = this.next<T>('done');
    this.send(message);
    return answer;
  }

  kill(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

export async function startWorkers(n: number, label = 'w'): Promise<Worker[]> {
  const workers = Array.from({ length: n }, (_, i) => new Worker(`${label}${i}`));
  await Promise.all(workers.map((w) => w.next('ready')));
  return workers;
}

/** Largest number of entries with times inside any window of windowMs. */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}
