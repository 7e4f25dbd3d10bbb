// Deterministic pseudo-randomness keyed by (seed, kind, index), so any record can be recomputed
// from its index alone (the large-set generator never stores its records).

export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private state: number;
  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hash32(seed);
  }
  static for(seed: number, kind: string, index: number): Rng {
    return new Rng(hash32(`${seed}:${kind}:${index}`));
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }
  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += (this.int(0x10000)).toString(16).padStart(4, '0');
    return s.slice(0, chars);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  /**
   * A version-4-style uuid from four draws (uuid() takes nine and more string work): for the
   * per-record details the large-set generator computes for every record it evaluates.
   */
  quickUuid(): string {
    const h = (): string => ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    const a = h();
    const b = h();
    const c = h();
    const d = h();
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[c.charCodeAt(0) & 3]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
  /** Public-looking addresses from ranges cloud and ISP traffic commonly comes from. */
  ip(): string {
    const first = this.pick([13, 20, 23, 40, 52, 77, 85, 104, 131, 185, 198, 203]);
    return `${first}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
}
