import { describe, expect, it } from 'vitest';
import { EgressPolicy, EgressRefusedError } from './egress-policy.js';

/** Runs the policy's lookup as net.connect would (Node 20 asks for every address). */
function lookup(policy: EgressPolicy, hostname: string, all = true): Promise<unknown> {
  return new Promise((resolve, reject) => {
    policy.lookup(hostname, { all }, (error, address) => (error ? reject(error) : resolve(address)));
  });
}

describe('EgressPolicy', () => {
  it('refuses internal hosts by default, naming why', () => {
    const policy = new EgressPolicy();
    expect(policy.urlRefusal('http://0x7f000001:8080/')).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(policy.urlRefusal('http://169.254.169.254/')).toMatch(/link-local/);
    expect(policy.urlRefusal('http://10.1.2.3/')).toMatch(/private/);
    expect(policy.urlRefusal('http://[::1]/')).toMatch(/loopback/);
    expect(policy.urlRefusal('http://localhost:1/')).toMatch(/this machine/);
    expect(policy.urlRefusal('https://api.openai.com/')).toBeUndefined();
    expect(policy.urlRefusal('https://8.8.8.8/')).toBeUndefined();
    expect(policy.urlRefusal('::nope')).toBe('not a URL');
  });

  it('allows what the operator lists: CIDRs, addresses, names, and the private class', () => {
    const policy = new EgressPolicy({ allow: ['127.0.0.0/8', '::1', 'localhost', ' fd00::/8 '] });
    expect(policy.urlRefusal('http://127.0.0.9/')).toBeUndefined();
    expect(policy.urlRefusal('http://[::1]/')).toBeUndefined();
    expect(policy.urlRefusal('http://localhost/')).toBeUndefined();
    expect(policy.urlRefusal('http://[fd00::5]/')).toBeUndefined();
    expect(policy.urlRefusal('http://10.0.0.1/')).toBeDefined();
    expect(policy.urlRefusal('http://169.254.169.254/')).toBeDefined();
    const privateOnly = new EgressPolicy({ allowPrivate: true });
    expect(privateOnly.urlRefusal('http://10.0.0.1/')).toBeUndefined();
    expect(privateOnly.urlRefusal('http://[fd12::1]/')).toBeUndefined();
    expect(privateOnly.urlRefusal('http://127.0.0.1/')).toBeDefined();
    expect(privateOnly.urlRefusal('http://169.254.169.254/')).toBeDefined();
  });

  it('reads EGRESS_ALLOW and refuses an entry it cannot read', () => {
    expect(EgressPolicy.fromConfig({ EGRESS_ALLOW: '', EGRESS_ALLOW_PRIVATE: false }).urlRefusal('http://127.0.0.1/')).toBeDefined();
    expect(EgressPolicy.fromConfig({ EGRESS_ALLOW: '127.0.0.1,::1', EGRESS_ALLOW_PRIVATE: false }).urlRefusal('http://127.0.0.1/')).toBeUndefined();
    expect(() => new EgressPolicy({ allow: ['10.0.0.0/40'] })).toThrow(/prefix/);
    expect(() => new EgressPolicy({ allow: ['name/8'] })).toThrow(/neither/);
  });

  it('checks every address a name resolves to at connect time', async () => {
    await expect(lookup(new EgressPolicy(), 'localhost')).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(lookup(new EgressPolicy(), 'localhost', false)).rejects.toThrow(/egress to localhost refused/);
    const allowed = new EgressPolicy({ allow: ['127.0.0.0/8', '::1'] });
    expect(await lookup(allowed, 'localhost', false)).toMatch(/^(127\.0\.0\.1|::1)$/);
    // A name the operator allowed passes whatever it resolves to.
    expect(await lookup(new EgressPolicy({ allow: ['localhost'] }), 'localhost')).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });
});
