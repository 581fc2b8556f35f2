import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** Most connections to one upstream host (per proxy when proxied). */
  connectionsPerHost: number;
  /** How long an idle keep-alive connection is kept. */
  keepAliveMs: number;
}

/**
 * Connection pools: one Agent for direct calls and one ProxyAgent per proxy URL, each keeping bounded
 * keep-alive pools per upstream host. Through a proxy, plain-http upstreams are sent in absolute form
 * (`proxyTunnel: false`, so the proxy sees and can log the request) and https upstreams are tunnelled
 * with CONNECT. Proxy credentials in the URL become Proxy-Authorization inside undici.
 */
export class Dispatchers {
  readonly #direct: Agent;
  readonly #proxied = new Map<string, ProxyAgent>();

  constructor(private readonly options: DispatcherOptions) {
    this.#direct = new Agent(this.#poolOptions());
  }

  /** The dispatcher for calls through `proxyUrl`, or direct ones when it is undefined. */
  get(proxyUrl?: string): Dispatcher {
    if (proxyUrl === undefined) return this.#direct;
    let agent = this.#proxied.get(proxyUrl);
    if (agent === undefined) {
      const pool = this.#poolOptions();
      agent = new ProxyAgent({
        uri: proxyUrl,
        proxyTunnel: false,
        ...pool,
        factory: (origin: string | URL, opts: object) => new Pool(origin, { ...opts, ...pool }),
      });
      this.#proxied.set(proxyUrl, agent);
    }
    return agent;
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
