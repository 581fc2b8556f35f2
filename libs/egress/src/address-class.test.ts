import { describe, expect, it } from 'vitest';
import { classifyHost } from './address-class.js';

/** The class of the host in `url`, as the URL parser (and undici) normalise it. */
const classOf = (url: string) => classifyHost(new URL(url).hostname);

describe('classifyHost', () => {
  it('sees loopback in every IPv4 spelling', () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://017700000001/',
      'http://127.1/',
      'http://0x7f.0.0.1/',
      'http://127.255.255.254/',
    ]) {
      expect(classOf(url), url).toBe('loopback');
    }
  });

  it('sees loopback in IPv6 and IPv4-mapped forms and in localhost names', () => {
    for (const url of ['http://[::1]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://localhost:3000', 'http://LOCALHOST./', 'http://api.localhost/']) {
      expect(classOf(url), url).toBe('loopback');
    }
  });

  it('sees private ranges: RFC 1918, CGNAT, IPv6 ULA, also mapped', () => {
    for (const url of ['http://10.0.0.5/', 'http://0xa000005/', 'http://172.16.0.1/', 'http://172.31.255.255/', 'http://192.168.1.1/', 'http://100.64.0.1/', 'http://100.127.255.255/', 'http://[fd00::]/', 'http://[fc00::1]/', 'http://[fd00:ec2::254]/', 'http://[::ffff:10.1.2.3]/']) {
      expect(classOf(url), url).toBe('private');
    }
  });

  it('sees link-local ranges, the metadata address included', () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xa9fea9fe/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/']) {
      expect(classOf(url), url).toBe('link-local');
    }
  });

  it('sees the unspecified and reserved addresses', () => {
    expect(classOf('http://0.0.0.0/')).toBe('unspecified');
    expect(classOf('http://0/')).toBe('unspecified');
    expect(classOf('http://[::]/')).toBe('unspecified');
    expect(classOf('http://224.0.0.1/')).toBe('reserved');
    expect(classOf('http://255.255.255.255/')).toBe('reserved');
    expect(classOf('http://[ff02::1]/')).toBe('reserved');
  });

  it('leaves public addresses public and names to DNS', () => {
    for (const url of ['https://8.8.8.8/', 'https://172.32.0.1/', 'https://100.128.0.1/', 'https://11.0.0.1/', 'https://[2606:4700::1111]/', 'https://[::ffff:8.8.8.8]/']) {
      expect(classOf(url), url).toBe('public');
    }
    expect(classOf('https://api.openai.com/v1')).toBe('name');
    expect(classOf('https://localhost.example.com/')).toBe('name');
  });
});
