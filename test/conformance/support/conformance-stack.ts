import { randomBytes } from 'node:crypto';
import type { RecordedRequest } from '@aigw/emulators';
import { startE2eStack, type E2eContext } from '../../e2e/support/e2e-stack.js';
import { eventually } from '../../e2e/support/eventually.js';
import { admin, chat, ok, type HttpResult } from '../../e2e/support/http.js';

// One running gateway per test file with every provider kind behind it, all at the upstream emulator:
// providers, accounts and routes are made through the admin API as an operator would make them; the
// antigravity route uses the seeded OAuth accounts (token endpoint emulator, forward proxies).
// `openai-responses` is an openai-kind provider set to speak the Responses API upstream (`wire: responses`).

export const PROVIDERS = ['openai', 'openai-responses', 'anthropic', 'gemini', 'antigravity'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** How each provider is made through the admin API (antigravity is the demo's, with its OAuth accounts). */
const CREATED: Record<Exclude<ProviderName, 'antigravity'>, { kind: string; wire?: string }> = {
  openai: { kind: 'openai' },
  'openai-responses': { kind: 'openai', wire: 'responses' },
  anthropic: { kind: 'anthropic' },
  gemini: { kind: 'gemini' },
};

/** The upstream emulator's name for the wire each provider speaks (what RecordedRequest.format says). */
export const UPSTREAM_FORMAT: Record<ProviderName, string> = {
  openai: 'openai',
  'openai-responses': 'responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
  antigravity: 'antigravity',
};

export interface ConformanceStack {
  ctx: E2eContext;
  ingressUrl: string;
  /** The demo client key, as a user of the gateway holds it. */
  clientKey: string;
  /** What the upstream emulator received for a model, oldest first. */
  upstreamRequests(model: string): RecordedRequest[];
  teardown(): Promise<void>;
}

/** The route pattern of a provider: every model named `conf-<provider>-…` goes to it. */
export const modelPrefix = (provider: ProviderName) => `conf-${provider}-`;

/** Base URL of each provider the way an operator would enter it for the real API. */
function providerBaseUrl(provider: Exclude<ProviderName, 'antigravity'>, upstream: string): string {
  return CREATED[provider].kind === 'openai' ? `${upstream}/v1` : upstream;
}

/** Starts a stack and adds the conformance providers, accounts and routes; resolves once every route answers. */
export async function startConformanceStack(name: string): Promise<ConformanceStack> {
  const ctx = await startE2eStack(`conf_${name}`);
  try {
    const { stack } = ctx;
    const upstream = stack.emulators.upstream.url.replace(/\/+$/, '');
    for (const provider of ['openai', 'openai-responses', 'anthropic', 'gemini'] as const) {
      const providerName = `conf-${provider}`;
      const { kind, wire } = CREATED[provider];
      ok(
        await admin(stack, 'POST', '/providers', { name: providerName, kind, ...(wire === undefined ? {} : { wire }), baseUrl: providerBaseUrl(provider, upstream) }),
        `create provider ${providerName}`,
      );
      ok(
        await admin(stack, 'POST', '/accounts', {
          provider: providerName,
          label: `${providerName}-1`,
          authType: 'api_key',
          credentials: { apiKey: `conf-${randomBytes(18).toString('base64url')}` },
          // The demo proxies are full (the seed fills them): this account goes out directly, by choice.
          egress: 'direct',
        }),
        `create account of ${providerName}`,
      );
      ok(await admin(stack, 'POST', '/routes', { provider: providerName, pattern: `${modelPrefix(provider)}*` }), `create route ${providerName}`);
    }
    ok(await admin(stack, 'POST', '/routes', { provider: 'antigravity', pattern: `${modelPrefix('antigravity')}*` }), 'create route antigravity');
    // Routes and accounts reach ingress and selector through config-change events: wait until each answers
    // (`conf-openai-responses-*` is longer than `conf-openai-*`, so it wins for its models).
    await Promise.all(
      PROVIDERS.map((provider) =>
        eventually(async () => {
          const model = `${modelPrefix(provider)}warm-up`;
          ok(await chat(stack, { model, messages: [{ role: 'user', content: 'warm up' }] }), `warm-up of ${provider}`);
          const seen = stack.emulators.upstream.requests().filter((r) => r.model === model);
          if (!seen.some((r) => r.format === UPSTREAM_FORMAT[provider])) throw new Error(`${model} did not reach the ${UPSTREAM_FORMAT[provider]} upstream`);
        }),
      ),
    );
    return {
      ctx,
      ingressUrl: stack.ingressUrl,
      clientKey: stack.demoKey,
      upstreamRequests: (model) => stack.emulators.upstream.requests().filter((r) => r.model === model),
      teardown: () => ctx.teardown(),
    };
  } catch (error) {
    await ctx.teardown();
    throw error;
  }
}
