/** IPv4/IPv6 addresses as integers, and CIDR membership, for ipBlock peers. */

export interface Addr {
  v: 4 | 6;
  n: bigint;
}

export function parseIp(s: string): Addr | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: 4, n: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':') || s.length > 45) return undefined;
  let head = s;
  let tail4: bigint | undefined;
  const m = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (m) {
    const v4 = parseIp(m[2]!);
    if (!v4) return undefined;
    tail4 = v4.n;
    head = m[1]!.endsWith('::') ? m[1]! : m[1]!.slice(0, -1);
  }
  const groupsWanted = tail4 === undefined ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const side = (x: string) => (x === '' ? [] : x.split(':'));
  const left = side(halves[0]!);
  const right = halves.length === 2 ? side(halves[1]!) : [];
  const fill = groupsWanted - left.length - right.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...right];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n << 32n) | tail4;
  return { v: 6, n };
}

export interface Cidr {
  v: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const [ip, len, ...rest] = s.split('/');
  if (rest.length || ip === undefined || len === undefined || !/^\d{1,3}$/.test(len)) return undefined;
  const a = parseIp(ip);
  if (!a) return undefined;
  const bits = Number(len);
  const width = a.v === 4 ? 32 : 128;
  if (bits > width) return undefined;
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return { v: a.v, base: a.n & mask, bits };
}

export function cidrContains(c: Cidr, a: Addr): boolean {
  if (c.v !== a.v) return false;
  const width = c.v === 4 ? 32 : 128;
  const shift = BigInt(width - c.bits);
  return a.n >> shift === c.base >> shift;
}

export function hostCidr(ip: string): string {
  return `${ip}/${parseIp(ip)?.v === 6 ? 128 : 32}`;
}

export function isLoopback(ip: string): boolean {
  const a = parseIp(ip);
  if (!a) return false;
  return a.v === 4 ? a.n >> 24n === 127n : a.n === 1n || a.n >> 32n === 0xffffn && (a.n & 0xffffffffn) >> 24n === 127n;
}
