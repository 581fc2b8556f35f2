import { describe, expect, it } from 'vitest';
import { startBanner } from './start-banner.js';

describe('startBanner', () => {
  const text = startBanner({
    ingressUrl: 'http://127.0.0.1:8080',
    demoKey: 'aigw-demo',
    adminToken: 'adm-token',
    encryptionKeySource: 'from AIGW_ENCRYPTION_KEY',
    seeded: true,
    metricsUrls: { selector: ['http://127.0.0.1:9101/metrics'], ingress: ['http://127.0.0.1:9105/metrics', 'http://127.0.0.1:9106/metrics'] },
  });

  it("lists every service's metrics endpoint, on ports of their own", () => {
    expect(text).toMatch(/^ {2}metrics +selector +http:\/\/127\.0\.0\.1:9101\/metrics$/m);
    expect(text).toMatch(/^ +ingress +http:\/\/127\.0\.0\.1:9105\/metrics http:\/\/127\.0\.0\.1:9106\/metrics$/m);
  });

  it('prints both client protocols with claude-sonnet-4-5, streaming and not, and an admin call', () => {
    const curls = text.split('\n').filter((line) => line.startsWith('curl'));
    expect(curls.filter((line) => line.includes('/v1/chat/completions'))).toHaveLength(2);
    expect(curls.filter((line) => line.includes('/v1/messages'))).toHaveLength(2);
    expect(curls.filter((line) => line.includes('"stream":true'))).toHaveLength(2);
    expect(curls.filter((line) => line.includes('/api/v1/'))).not.toHaveLength(0);
    for (const line of curls.filter((l) => l.includes('/v1/'))) expect(line).toContain('http://127.0.0.1:8080');
    expect(curls.filter((line) => line.includes('claude-sonnet-4-5'))).toHaveLength(4);
  });

  it('prints an embeddings call to a model the demo routes reach', () => {
    const [embeddings, ...more] = text.split('\n').filter((line) => line.includes('/v1/embeddings'));
    expect(more).toEqual([]);
    expect(embeddings).toContain('"model":"gemini-embedding-001"');
    expect(embeddings).toContain('Authorization: Bearer $AIGW_KEY');
  });

  it('gives the Anthropic calls max_tokens, which that API requires', () => {
    for (const line of text.split('\n').filter((l) => l.includes('/v1/messages'))) expect(line).toContain('"max_tokens":');
  });

  it('shows the demo key and admin token once, as shell variables the curl lines use', () => {
    expect(text).toContain("export AIGW_KEY='aigw-demo' AIGW_ADMIN='adm-token'");
  });
});
