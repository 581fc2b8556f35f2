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
  it('accepts http(s) and socks URLs and refuses others or a masked password', () => {
    expect(proxyUrlSchema.safeParse('http://u:p@h:1').success).toBe(true);
    expect(proxyUrlSchema.safeParse('socks5://h:1080').success).toBe(true);
    expect(proxyUrlSchema.safeParse('ftp://h').success).toBe(false);
    expect(proxyUrlSchema.safeParse('nope').success).toBe(false);
    expect(proxyUrlSchema.safeParse('http://u:***@h:1').success).toBe(false);
  });
});
