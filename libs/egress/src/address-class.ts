import { BlockList, isIP } from 'node:net';

/** What kind of address a host is, as the egress policy sees it. `name` is a DNS name, resolved at connect time. */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved' | 'name';

/** A range per class; Node's BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 rules itself. */
const RANGES: ReadonlyArray<readonly [Exclude<AddressClass, 'public' | 'name'>, string, number, 'ipv4' | 'ipv6']> = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  // Carrier-grade NAT (RFC 6598): inside many clouds' and Kubernetes' networks.
  ['private', '100.64.0.0', 10, 'ipv4'],
  // Unique local (RFC 4193), e.g. AWS's IPv6 metadata endpoint fd00:ec2::254.
  ['private', 'fc00::', 7, 'ipv6'],
  // 169.254.169.254 is the metadata endpoint of AWS, GCP, Azure and others.
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  // IETF protocol assignments, benchmarking, multicast, the old class E and broadcast: never a provider.
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved', 'ff00::', 8, 'ipv6'],
];

const BLOCKS = new Map<AddressClass, BlockList>();
for (const [kind, network, prefix, family] of RANGES) {
  let list = BLOCKS.get(kind);
  if (list === undefined) BLOCKS.set(kind, (list = new BlockList()));
  list.addSubnet(network, prefix, family);
}

/** Names that mean this machine whatever DNS says (RFC 6761 reserves `localhost` and everything under it). */
export function isLocalName(name: string): boolean {
  const host = name.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === 'ip6-localhost' || host === 'ip6-loopback';
}

/**
 * The URL host without IPv6 brackets or a trailing dot. WHATWG URL parsing (what `new URL` and undici do) has
 * already turned every IPv4 spelling (0x7f000001, 2130706433, 0177.0.0.1, 127.1) into dotted decimal and
 * compressed IPv6, so the host we classify is the one the connection would use.
 */
export function bareHost(hostname: string): string {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return host.endsWith('.') && isIP(host.slice(0, -1)) === 0 ? host.slice(0, -1) : host;
}

/** The class of an IP address (dotted IPv4 or IPv6 text); undefined when it is not one. */
export function classifyAddress(address: string): AddressClass | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, list] of BLOCKS) if (list.check(address, type)) return kind;
  return 'public';
}

/** The class of a URL's hostname: an address literal by its range, `localhost`-like names as loopback, other names as `name`. */
export function classifyHost(hostname: string): AddressClass {
  const host = bareHost(hostname);
  const byAddress = classifyAddress(host);
  if (byAddress !== undefined) return byAddress;
  return isLocalName(host) ? 'loopback' : 'name';
}
