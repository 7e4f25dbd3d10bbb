// Waiting in a test for state another process or a timer changes (the emulator's, a host's):
// poll until it shows, or fail naming what never happened.

/** Calls `fn` every `intervalMs` until it returns a truthy value and returns it; after `timeoutMs` fails with "timed out: <what>". */
export async function pollUntil<T>(what: string, fn: () => T | undefined | false, timeoutMs: number, intervalMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
