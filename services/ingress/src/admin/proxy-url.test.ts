import { describe, expect, it } from 'vitest';
import { maskProxyUrl, proxyUrlSchema } from './proxy-url.js';

describe('maskProxyUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(maskProxyUrl('http://user:s3cret@proxy.example:3128')).toBe('http://user:***@proxy.example:3128');
    expect(maskProxyUrl('socks5://u:p%40ss@10.0.0.1:1080')).toBe('socks5://u:***@10.0.0.1:1080');
    expect(maskProxyUrl('http://proxy.example:3128')).toBe('http://proxy.example:3128');
    expect(maskProxyUrl('http://proxy.example:3128/')).toBe('http://proxy.example:3128/');
  });

  it('never echoes something it cannot parse', () => {
    expect(maskProxyUrl('not a url with secret')).toBe('[invalid proxy url]');
  });
});

describe('proxyUrlSchema', () => {
  it('accepts http(s) URLs and refuses SOCKS, other schemes or a masked password', () => {
    expect(proxyUrlSchema.safeParse('http://u:p@h:1').success).toBe(true);
    expect(proxyUrlSchema.safeParse('https://h:443').success).toBe(true);
    for (const socks of ['socks://h:1080', 'socks4://h:1080', 'socks4a://h:1080', 'socks5://h:1080', 'socks5h://u:p@h:1080']) {
      const result = proxyUrlSchema.safeParse(socks);
      expect(result.success, socks).toBe(false);
      expect(result.error?.issues.map((issue) => issue.message), socks).toEqual([expect.stringMatching(/^SOCKS proxies are not supported/)]);
    }
    expect(proxyUrlSchema.safeParse('ftp://h').success).toBe(false);
    expect(proxyUrlSchema.safeParse('nope').success).toBe(false);
    expect(proxyUrlSchema.safeParse('http://u:***@h:1').success).toBe(false);
  });
});
