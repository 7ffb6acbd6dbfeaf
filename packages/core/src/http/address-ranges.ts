/**
 * Matching addresses against a list of trusted proxies: exact addresses, and CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`) for proxies whose addresses change, as load balancers' and
 * Kubernetes pods' do. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) count as IPv4.
 */

/** A CIDR range: the network's bytes and the prefix length in bits. */
interface Range {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

/** An address without surrounding space, an IPv4-mapped IPv6 address as its IPv4 form. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const GROUP = /^[0-9a-f]{1,4}$/i;

function ipv4(text: string): number[] | undefined {
  const parts = IPV4.exec(text)?.slice(1).map(Number);
  return parts?.every((n) => n <= 255) ? parts : undefined;
}

function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const group of text.split(':')) {
    if (!GROUP.test(group)) return undefined;
    out.push(Number.parseInt(group, 16));
  }
  return out;
}

/** The bytes of an IPv4 (4) or IPv6 (16) address; `undefined` for anything else. */
export function addressBytes(address: string): Uint8Array | undefined {
  const four = ipv4(address);
  if (four) return Uint8Array.from(four);
  let text = address.replace(/%[\w.-]+$/, '');
  // An IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) is the last two groups.
  const tail: number[] = [];
  if (text.includes('.')) {
    const colon = text.lastIndexOf(':');
    const v4 = colon < 0 ? undefined : ipv4(text.slice(colon + 1));
    if (!v4) return undefined;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    // `::1.2.3.4` keeps its `::`; `…:ffff:1.2.3.4` drops the colon before the tail.
    text = text.slice(0, colon);
    if (text.endsWith(':')) text += ':';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const all = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole]! & mask) === (range.bytes[whole]! & mask);
}

/** A matcher, and a copy of the entries it was built from. */
interface Built {
  readonly entries: readonly string[];
  readonly matcher: (address: string) => boolean;
}

const matchers = new WeakMap<readonly string[], Built>();

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}

/**
 * A test of whether a (normalised) address is one of `entries`: exact addresses, or CIDR
 * ranges. Built once per list and kept while the list holds the same entries.
 * @throws TypeError naming an entry with a `/` that is not a CIDR range
 */
export function trustedMatcher(entries: readonly string[]): (address: string) => boolean {
  const known = matchers.get(entries);
  if (known && same(known.entries, entries)) return known.matcher;
  const exact = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    if (slash < 0) {
      exact.add(normaliseAddress(entry));
      continue;
    }
    const bytes = addressBytes(normaliseAddress(entry.slice(0, slash)));
    const bitsText = entry.slice(slash + 1).trim();
    const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
    if (!bytes || !(bits <= bytes.length * 8)) {
      throw new TypeError(
        `trustedProxies: "${entry}" is neither an address nor a CIDR range such as 10.0.0.0/8`,
      );
    }
    ranges.push({ bytes, bits });
  }
  const matcher = (address: string): boolean => {
    if (exact.has(address)) return true;
    if (ranges.length === 0) return false;
    const bytes = addressBytes(address);
    return bytes !== undefined && ranges.some((range) => inRange(bytes, range));
  };
  matchers.set(entries, { entries: [...entries], matcher });
  return matcher;
}
