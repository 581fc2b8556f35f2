import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamEmulator, type UpstreamEmulator } from './upstream-emulator.js';

let upstream: UpstreamEmulator;
beforeAll(async () => {
  upstream = await startUpstreamEmulator({ validateBearer: (token) => token.startsWith('good-') });
});
afterAll(() => upstream.close());

const metadata = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' };

async function call(method: string, token: string, body: object): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(`${upstream.url}/v1internal:${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('Cloud Code account setup', () => {
  it('onboards a new user to the free tier as a long-running operation, then loadCodeAssist names the project', async () => {
    const fresh = await call('loadCodeAssist', 'good-1', { metadata });
    expect(fresh.body).not.toHaveProperty('currentTier');
    expect(fresh.body).not.toHaveProperty('cloudaicompanionProject');
    expect(fresh.body.allowedTiers.find((t: { isDefault: boolean }) => t.isDefault)).toMatchObject({ id: 'free-tier', userDefinedCloudaicompanionProject: false });

    const started = await call('onboardUser', 'good-1', { tierId: 'free-tier', metadata });
    expect(started.body).toEqual({ name: expect.stringMatching(/^operations\//), done: false });
    const done = await call('onboardUser', 'good-1', { tierId: 'free-tier', metadata });
    expect(done.body).toMatchObject({ done: true, response: { cloudaicompanionProject: { id: expect.stringMatching(/^emu-project-/) } } });

    const loaded = await call('loadCodeAssist', 'good-1', { metadata });
    expect(loaded.body).toMatchObject({ currentTier: { id: 'free-tier' }, cloudaicompanionProject: done.body.response.cloudaicompanionProject.id });
  });

  it('answers Google errors for a bad token, a missing metadata and a tier needing its own project', async () => {
    expect((await call('loadCodeAssist', 'bad', { metadata })).status).toBe(401);
    expect((await call('loadCodeAssist', 'good-2', {})).body.error.status).toBe('INVALID_ARGUMENT');
    expect((await call('onboardUser', 'good-2', { tierId: 'standard-tier', metadata })).status).toBe(400);
    expect(upstream.requests().some((r) => r.path === '/v1internal:onboardUser')).toBe(true);
  });
});
