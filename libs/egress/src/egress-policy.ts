import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { bareHost, classifyAddress, classifyHost, isLocalName, type AddressClass } from './address-class.js';

/** What the operator allows besides public addresses. */
export interface EgressAllowance {
  /** IPs, CIDRs (`10.0.0.0/8`, `fd00::/8`) and host names (exact, e.g. `localhost`, `vllm.internal`). */
  allow?: readonly string[];
  /** Allow the private class (RFC 1918, CGNAT 100.64/10, IPv6 ULA); loopback and link-local still need `allow`. */
  allowPrivate?: boolean;
}

/** A connection the egress policy refused; `code` lets error classifiers see it without parsing the message. */
export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`egress to ${host} refused: ${reason}`);
    this.name = 'EgressRefusedError';
  }
}

const DESCRIBED: Record<Exclude<AddressClass, 'public' | 'name'>, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address (cloud metadata lives there)',
  unspecified: 'the unspecified address',
  reserved: 'a reserved address',
};

/**
 * Which hosts the gateway may open connections to (DESIGN §9): public addresses always; loopback, private,
 * link-local (metadata), unspecified and reserved ones only when the operator allows them. Checked twice:
 * on the URL when it is stored (address literals and `localhost`-like names), and at connect time on every
 * address a name resolves to (`lookup`), so a public-looking name pointing inside is caught too.
 */
export class EgressPolicy {
  readonly #addresses = new BlockList();
  readonly #names = new Set<string>();
  readonly #allowPrivate: boolean;
  readonly #resolve: typeof dnsLookup;

  /** `resolve` stands in for dns.lookup (tests give names fixed addresses). */
  constructor(allowance: EgressAllowance = {}, resolve: typeof dnsLookup = dnsLookup) {
    this.#resolve = resolve;
    this.#allowPrivate = allowance.allowPrivate === true;
    for (const raw of allowance.allow ?? []) {
      const entry = raw.trim();
      if (entry === '') continue;
      const [network = '', prefix] = entry.split('/');
      const address = bareHost(network);
      const family = isIP(address);
      if (family === 0) {
        if (prefix !== undefined) throw new Error(`egress allowance "${entry}" is neither an address, a CIDR nor a host name`);
        this.#names.add(entry.toLowerCase().replace(/\.$/, ''));
        continue;
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) throw new Error(`egress allowance "${entry}" has an invalid prefix`);
      this.#addresses.addSubnet(address, bits, type);
    }
  }

  /** Parses `EGRESS_ALLOW` (comma-separated) and `EGRESS_ALLOW_PRIVATE`. */
  static fromConfig(config: { EGRESS_ALLOW: string; EGRESS_ALLOW_PRIVATE: boolean }): EgressPolicy {
    return new EgressPolicy({ allow: config.EGRESS_ALLOW.split(','), allowPrivate: config.EGRESS_ALLOW_PRIVATE });
  }

  /** Why an address (IP text) may not be connected to, or undefined when it may. */
  addressRefusal(address: string): string | undefined {
    const kind = classifyAddress(bareHost(address));
    if (kind === undefined || kind === 'public' || kind === 'name') return undefined;
    if (kind === 'private' && this.#allowPrivate) return undefined;
    if (this.#addresses.check(bareHost(address), isIP(bareHost(address)) === 4 ? 'ipv4' : 'ipv6')) return undefined;
    return `${bareHost(address)} is ${DESCRIBED[kind]}; allow it with EGRESS_ALLOW`;
  }

  /** Why a URL host may not be used, judged without DNS (literals and `localhost`-like names); undefined when it may. */
  hostRefusal(hostname: string): string | undefined {
    const host = bareHost(hostname);
    if (this.#names.has(host.toLowerCase().replace(/\.$/, ''))) return undefined;
    const kind = classifyHost(host);
    if (kind === 'name') return undefined;
    if (kind === 'loopback' && isLocalName(host)) return `${host} is this machine; allow it with EGRESS_ALLOW`;
    return this.addressRefusal(host);
  }

  /** Why a URL may not be used (see hostRefusal); an unparsable URL is refused too. */
  urlRefusal(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'not a URL';
    }
    return this.hostRefusal(parsed.hostname);
  }

  /**
   * A `net`/`tls` lookup that resolves like dns.lookup and refuses the connection when any address of the name
   * is refused (a name answering with a public and a private address must not be a way in).
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.#resolve(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error !== null) return callback(error, '', 0);
      const allowedName = this.#names.has(hostname.toLowerCase().replace(/\.$/, ''));
      for (const { address } of allowedName ? [] : addresses) {
        const reason = this.addressRefusal(address);
        if (reason !== undefined) return callback(new EgressRefusedError(hostname, reason) as NodeJS.ErrnoException, '', 0);
      }
      if ((options as LookupOptions).all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
