import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_MODELS, CLOUD_CODE_MODELS, GEMINI_MODELS, OPENAI_MODELS } from '@aigw/emulators';
import { callUnary } from '@aigw/grpc';
import { ListModelsRequest } from '@aigw/proto';
import { providerAccounts, type ProviderName } from './matrix-stack.js';
import { startTestStack, type TestStack } from './test-stack.js';

// ListModels over real gRPC against the upstream emulator, for every provider kind: each upstream's own list,
// read in full, without the entries a client cannot call, through the account's proxy.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

function listModels(provider: ProviderName, credential?: { headerName: string; headerValue: string }) {
  const target = providerAccounts(stack)[provider];
  const request = ListModelsRequest.fromPartial({
    requestId: `list-${provider}`,
    account: { providerId: 1, label: provider, authType: 'api_key', ...target.account },
    credential: credential ?? target.credential,
  });
  return callUnary(stack.client.listModels, stack.client, request, Date.now() + 10_000);
}

const EXPECTED: Record<ProviderName, string[]> = {
  openai: OPENAI_MODELS.map((m) => m.id),
  responses: OPENAI_MODELS.map((m) => m.id),
  anthropic: ANTHROPIC_MODELS.map((m) => m.id),
  gemini: GEMINI_MODELS.filter((m) => m.methods?.includes('generateContent') || m.methods?.includes('embedContent')).map((m) => m.id),
  antigravity: CLOUD_CODE_MODELS.filter((m) => !/^(tab_|chat_\d+$)/.test(m.id)).map((m) => m.id),
};

describe('ListModels', () => {
  it.each(['openai', 'responses', 'anthropic', 'gemini', 'antigravity'] as const)('reads the whole %s model list through the account’s proxy', async (provider) => {
    stack.emulator.clearRequests();
    const { models } = await listModels(provider);
    expect(models.map((m) => m.id)).toEqual(EXPECTED[provider]);
    const expectedProxy = providerAccounts(stack)[provider].proxyName;
    for (const request of stack.emulator.requests()) expect([request.status, request.viaProxy]).toEqual([200, expectedProxy]);
  });

  it('carries what each upstream says about a model', async () => {
    const gemini = (await listModels('gemini')).models.find((m) => m.id === 'gemini-2.5-pro');
    expect(gemini).toEqual({ id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, createdAt: 0 });
    const claude = (await listModels('anthropic')).models.find((m) => m.id === 'claude-sonnet-4-5-20250929');
    expect([claude?.displayName, claude?.createdAt]).toEqual(['Claude Sonnet 4.5', Date.UTC(2025, 8, 29) / 1000]);
  });

  it('answers an upstream refusal of the credential as UNAUTHENTICATED', async () => {
    // Without a credential every emulated upstream answers 401, as the real ones do.
    for (const provider of ['openai', 'anthropic', 'gemini', 'antigravity'] as const) {
      await expect(listModels(provider, { headerName: '', headerValue: '' }), provider).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
