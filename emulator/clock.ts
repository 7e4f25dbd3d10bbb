/** The emulator's notion of "now": real time plus an offset tests can move (drift, `gte_ndays`). */
export class EmulatorClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}
