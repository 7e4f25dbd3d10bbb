// Real clock and abortable sleep for the hosts (the core only sees the ports).
import type { Clock, Sleep } from '../core/ports';
import { MdcaCancelledError } from '../core/errors';

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new MdcaCancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new MdcaCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
