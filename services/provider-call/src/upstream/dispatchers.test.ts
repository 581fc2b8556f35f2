import type { lookup as dnsLookup } from 'node:dns';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { EgressPolicy } from '@aigw/egress';
import { Dispatchers, UnusableProxyError } from './dispatchers.js';

// A name that a (fake) DNS resolves to 127.0.0.1: what an attacker's public-looking host name would do.
const fakeDns = ((hostname: string, options: unknown, callback: (error: Error | null, addresses: unknown) => void) => {
  if (hostname === 'inside.example') callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
}) as unknown as typeof dnsLookup;

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('internal secret'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function dispatchers(allow: string[]): Dispatchers {
  return new Dispatchers({ connectionsPerHost: 2, keepAliveMs: 1_000, egress: new EgressPolicy({ allow }, fakeDns) });
}

describe('Dispatchers egress', () => {
  it('refuses a name that resolves to a loopback address when loopback is not allowed', async () => {
    const pools = dispatchers([]);
    const error = await request(`http://inside.example:${port}/`, { dispatcher: pools.get() }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; message?: string },
    );
    expect(error?.code).toBe('EGRESS_REFUSED');
    expect(error?.message).toBe('egress to inside.example refused: 127.0.0.1 is a loopback address; allow it with EGRESS_ALLOW');
    // Literals skip DNS, so the connector judges them itself.
    await expect(request(`http://127.0.0.1:${port}/`, { dispatcher: pools.get() })).rejects.toMatchObject({ code: 'EGRESS_REFUSED' });
    await pools.close();
  });

  it('connects to the same name once the operator allows loopback', async () => {
    const pools = dispatchers(['127.0.0.0/8']);
    const response = await request(`http://inside.example:${port}/`, { dispatcher: pools.get() });
    expect(await response.body.text()).toBe('internal secret');
    await pools.close();
  });

  it('resolves the name of a proxy through the policy too', async () => {
    const refused = dispatchers([]);
    // The local server stands in for the proxy: reaching it at all would be the failure.
    await expect(request('http://api.example/v1', { dispatcher: refused.get(`http://inside.example:${port}`) })).rejects.toMatchObject({ code: 'EGRESS_REFUSED' });
    await refused.close();
    const allowed = dispatchers(['127.0.0.0/8']);
    const response = await request('http://api.example/v1', { dispatcher: allowed.get(`http://inside.example:${port}`) });
    expect(await response.body.text()).toBe('internal secret');
    await allowed.close();
  });

  it('refuses proxies it cannot use: SOCKS schemes and refused hosts', () => {
    const pools = dispatchers([]);
    expect(() => pools.get('socks5h://proxy.example:1080')).toThrow(UnusableProxyError);
    expect(() => pools.get('socks4://proxy.example:1080')).toThrow(/scheme socks4 is not supported/);
    expect(() => pools.get('http://169.254.169.254:3128')).toThrow(/link-local/);
    expect(pools.get('http://proxy.example:3128')).toBeDefined();
    expect(pools.proxiedTargetRefusal('http://[::1]:8080/v1')).toMatch(/loopback/);
    expect(pools.proxiedTargetRefusal('https://api.openai.com/v1')).toBeUndefined();
    return pools.close();
  });
});
