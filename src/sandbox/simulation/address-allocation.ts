import { hexId } from '../resource-ids.js';

/**
 * A free IPv4 address in `cidrBlock` (skipping the 4 addresses AWS reserves at the start and the
 * broadcast address at the end), chosen from `seed` so allocation is reproducible.
 */
export function allocateAddress(cidrBlock: string, taken: ReadonlySet<string>, seed: string): string {
  const [base, bitsText] = cidrBlock.split('/');
  const octets = (base ?? '').split('.').map(Number);
  const bits = Number(bitsText);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !(bits >= 16 && bits <= 28)) {
    throw new Error(`cannot allocate from CIDR block "${cidrBlock}"`);
  }
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const usable = size - 5;
  const start = parseInt(hexId(seed, 8), 16) % usable;
  for (let i = 0; i < usable; i += 1) {
    const address = toDotted(network - (network % size) + 4 + ((start + i) % usable));
    if (!taken.has(address)) return address;
  }
  throw new Error(`no free address left in ${cidrBlock}`);
}

function toDotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
