import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import { egressConnector, EgressRefusedError, type EgressPolicy } from '@aigw/egress';

export interface DispatcherOptions {
  /** Most connections to one upstream host (per proxy when proxied). */
  connectionsPerHost: number;
  /** How long an idle keep-alive connection is kept. */
  keepAliveMs: number;
  /** Which hosts may be connected to: checked on every new connection, after DNS resolution. */
  egress: EgressPolicy;
}

/** Proxy schemes undici's ProxyAgent speaks; the admin API refuses the others (SOCKS) at creation. */
const PROXY_SCHEMES = new Set(['http:', 'https:']);

/** A proxy URL this service cannot use: its scheme, or the egress policy, rules it out. */
export class UnusableProxyError extends Error {
  readonly code = 'PROXY_UNUSABLE';
}

/**
 * Connection pools: one Agent for direct calls and one ProxyAgent per proxy URL, each keeping bounded
 * keep-alive pools per upstream host. Through a proxy, plain-http upstreams are sent in absolute form
 * (`proxyTunnel: false`, so the proxy sees and can log the request) and https upstreams are tunnelled
 * with CONNECT. Proxy credentials in the URL become Proxy-Authorization inside undici. Every connection this
 * service opens (to an upstream, or to a proxy) goes through the egress policy; through a proxy, the upstream
 * is resolved by the proxy, so only its literal host can be judged here (`proxiedTargetRefusal`).
 */
export class Dispatchers {
  readonly #direct: Agent;
  readonly #proxied = new Map<string, ProxyAgent>();

  constructor(private readonly options: DispatcherOptions) {
    this.#direct = new Agent({ ...this.#poolOptions(), connect: egressConnector(options.egress) });
  }

  /** The dispatcher for calls through `proxyUrl`, or direct ones when it is undefined; throws UnusableProxyError. */
  get(proxyUrl?: string): Dispatcher {
    if (proxyUrl === undefined) return this.#direct;
    let agent = this.#proxied.get(proxyUrl);
    if (agent === undefined) {
      const url = URL.parse(proxyUrl);
      if (url === null) throw new UnusableProxyError('the proxy URL cannot be parsed');
      // A SOCKS URL stored before the admin API refused them: ProxyAgent would fail every call obscurely.
      if (!PROXY_SCHEMES.has(url.protocol)) throw new UnusableProxyError(`proxy scheme ${url.protocol.slice(0, -1)} is not supported (http and https are)`);
      const refused = this.options.egress.hostRefusal(url.hostname);
      if (refused !== undefined) throw new UnusableProxyError(new EgressRefusedError(url.hostname, refused).message);
      const pool = this.#poolOptions();
      agent = new ProxyAgent({
        uri: proxyUrl,
        proxyTunnel: false,
        // buildConnector spreads these into net/tls.connect for the connection to the proxy: a proxy name is
        // resolved through the egress policy's lookup.
        proxyTls: { lookup: this.options.egress.lookup },
        ...pool,
        factory: (origin: string | URL, opts: object) => new Pool(origin, { ...opts, ...pool }),
      });
      this.#proxied.set(proxyUrl, agent);
    }
    return agent;
  }

  /** Why an upstream URL reached through a proxy is refused (the proxy resolves its name; literals are judged here). */
  proxiedTargetRefusal(url: string): string | undefined {
    return this.options.egress.urlRefusal(url);
  }

  /** Closes (after their in-flight requests) the pools of proxies no longer in `urls`. */
  retain(urls: ReadonlySet<string>): void {
    for (const [url, agent] of this.#proxied) {
      if (urls.has(url)) continue;
      this.#proxied.delete(url);
      agent.close().catch(() => undefined);
    }
  }

  /** Waits for in-flight requests, then closes every pool. */
  async close(): Promise<void> {
    const agents = [this.#direct, ...this.#proxied.values()];
    this.#proxied.clear();
    await Promise.allSettled(agents.map((agent) => agent.close()));
  }

  #poolOptions() {
    return {
      connections: this.options.connectionsPerHost,
      keepAliveTimeout: this.options.keepAliveMs,
      keepAliveMaxTimeout: this.options.keepAliveMs,
    };
  }
}
