// CIDR parsing for IP ranges. As the service returns them, IPv4 ranges are stored as an
// IPv4-mapped IPv6 network address with mask + 96, alongside the string the client sent.
import { isIPv4, isIPv6 } from 'net';

export interface StoredSubnet {
  mask: number;
  address: string;
  originalString: string;
}

function ipv6Groups(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function maskGroups(groups: number[], prefix: number): number[] {
  return groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
}

/** Returns undefined when the string is not a valid v4/v6 CIDR (a bare address counts as /32 or /128). */
export function parseCidr(cidr: string): StoredSubnet | undefined {
  if (typeof cidr !== 'string') return undefined;
  const [address, prefixText, extra] = cidr.trim().split('/');
  if (extra !== undefined) return undefined;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (isIPv4(address)) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    const octets = address.split('.').map(Number);
    const groups = [0, 0, 0, 0, 0, 0xffff, (octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
    return { mask: prefix + 96, address: format(maskGroups(groups, prefix + 96)), originalString: cidr };
  }
  if (isIPv6(address) && !address.includes('.')) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return undefined;
    return { mask: prefix, address: format(maskGroups(ipv6Groups(address), prefix)), originalString: cidr };
  }
  return undefined;
}

const format = (groups: number[]): string => groups.map((g) => g.toString(16).padStart(4, '0')).join(':');

export function toStoredSubnet(cidr: string): StoredSubnet {
  const parsed = parseCidr(cidr);
  if (!parsed) throw new Error(`invalid CIDR in seed: ${cidr}`);
  return parsed;
}
