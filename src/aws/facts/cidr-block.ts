/** IPv4 and IPv6 CIDR blocks, as security group rules and routes use them. */

/** A parsed IPv4 CIDR block: its first address as a 32-bit number, and its prefix length. */
export interface Ipv4Block {
  readonly network: number;
  readonly bits: number;
}

/** The IPv4 block `cidr` denotes (`10.0.0.0/16`), or undefined when it is not one. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (match === null) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { network: address - (address % size), bits };
}

/** Whether `cidr` is a well-formed IPv6 CIDR block (`::/0`, `2001:db8::/32`). */
export function isIpv6Cidr(cidr: string): boolean {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(cidr);
  if (match === null || Number(match[2]) > 128) return false;
  const address = match[1] ?? '';
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** Whether every address of `inner` is in `outer` (both IPv4 CIDR blocks; false when either is malformed). */
export function ipv4BlockContains(outer: string, inner: string): boolean {
  const a = parseIpv4Cidr(outer);
  const b = parseIpv4Cidr(inner);
  if (a === undefined || b === undefined || b.bits < a.bits) return false;
  const size = 2 ** (32 - a.bits);
  return b.network - (b.network % size) === a.network;
}

/** The number of addresses in an IPv4 block (`/20` → 4096). */
export function ipv4BlockSize(cidr: string): number {
  const block = parseIpv4Cidr(cidr);
  return block === undefined ? 0 : 2 ** (32 - block.bits);
}
