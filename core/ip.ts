// CIDR parsing for IP ranges (the MDCA "subnet" API): v4 and v6, canonical text for comparisons.

export interface ParsedCidr {
  version: 4 | 6;
  /** Canonical "address/prefix" with host bits kept as written (MDCA keeps originalString). */
  text: string;
  prefix: number;
  /** Network address as a bigint, for containment and equality. */
  network: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255 || (part.length > 1 && part.startsWith('0'))) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const doubleColon = head.split('::');
  if (doubleColon.length > 2) return undefined;
  const left = doubleColon[0] ? doubleColon[0].split(':') : [];
  const right = doubleColon.length === 2 && doubleColon[1] ? doubleColon[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if ((doubleColon.length === 1 && missing !== 0) || (doubleColon.length === 2 && missing < 1)) return undefined;
  const groups = [...left, ...Array<string>(doubleColon.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses "a.b.c.d/n", "v6/n" or a bare address (treated as a single host). */
export function parseCidr(input: string): ParsedCidr | undefined {
  const text = input.trim();
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined || !address) return undefined;
  const v4 = parseIpv4(address);
  const version: 4 | 6 = v4 !== undefined ? 4 : 6;
  const value = v4 ?? parseIpv6(address);
  if (value === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix < 0 || prefix > bits) return undefined;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { version, text: `${address.toLowerCase()}/${prefix}`, prefix, network: value & mask };
}

/** Same network and prefix, whatever the host bits or spelling. */
export function sameRange(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.version === b.version && a.prefix === b.prefix && a.network === b.network;
}
