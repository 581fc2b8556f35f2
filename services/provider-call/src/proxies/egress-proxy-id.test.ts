import { describe, expect, it } from 'vitest';
import { egressProxyId } from './egress-proxy-id.js';

describe('egressProxyId', () => {
  it('uses the bound proxy', () => {
    expect(egressProxyId({ id: 1, proxyId: 4, poolEgress: true })).toBe(4);
  });

  it('goes direct only when the operator chose direct egress', () => {
    expect(egressProxyId({ id: 1, proxyId: 0, poolEgress: false })).toBe(0);
  });

  it('refuses a pool account without a proxy instead of sending it direct', () => {
    expect(() => egressProxyId({ id: 9, proxyId: 0, poolEgress: true })).toThrow(/account 9 .*never sent direct/);
  });
});
