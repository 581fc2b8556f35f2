import { randomBytes } from 'node:crypto';
import type { RecordedRequest } from '@aigw/emulators';
import { startE2eStack, type E2eContext } from '../../e2e/support/e2e-stack.js';
import { eventually } from '../../e2e/support/eventually.js';
import { admin, chat, ok, type HttpResult } from '../../e2e/support/http.js';

// The gateway as `npm start` runs it (tools/dev stack + demo seed, on free ports, its own database,
// Redis prefix and NATS stream), reached through the demo routes: gpt-* → openai, gpt-5*-codex* →
// openai-responses (an openai-kind provider that speaks the Responses API upstream), glm-* → glm
// (OpenAI-compatible), claude-* and gemini-* → antigravity. The demo routes no chat model to an Anthropic
// or Gemini provider, so the stack adds one of each the way an operator would (admin API), on more
// specific patterns than the demo's wildcards (the longest pattern wins), to reach every provider kind.

/** The upstream emulator's name for the Responses API wire (an openai-kind provider with wire "responses"). */
export const RESPONSES_WIRE = 'responses';

/** A target of the suite: a model name and the provider (and kind) its route reaches. */
export interface Target {
  /** Row label in the report: the provider kind, and which demo provider it is. */
  label: string;
  kind: 'openai' | 'anthropic' | 'gemini' | 'antigravity';
  model: string;
  /** The wire the upstream emulator sees the request in: the kind's own, or the Responses API. */
  wire: string;
}

export const TARGETS: readonly Target[] = [
  { label: 'openai', kind: 'openai', model: 'gpt-4o-mini', wire: 'openai' },
  { label: 'openai-responses (Responses wire)', kind: 'openai', model: 'gpt-5.1-codex', wire: RESPONSES_WIRE },
  { label: 'glm (openai-compatible)', kind: 'openai', model: 'glm-4.6', wire: 'openai' },
  { label: 'anthropic', kind: 'anthropic', model: 'claude-haiku-4-5', wire: 'anthropic' },
  { label: 'gemini', kind: 'gemini', model: 'gemini-2.5-flash', wire: 'gemini' },
  { label: 'antigravity (claude)', kind: 'antigravity', model: 'claude-sonnet-4-5', wire: 'antigravity' },
  { label: 'antigravity (gemini)', kind: 'antigravity', model: 'gemini-2.5-pro', wire: 'antigravity' },
];

/**
 * One target per provider kind, for the command-line agents (each run starts a whole CLI, seconds of
 * CPU): the SDK suites cover every target, these the four kinds, with the antigravity model family the
 * agent is made for; `withResponsesWire` adds the Responses-wire provider (Codex's own upstream).
 */
export function oneTargetPerKind(antigravityModel: 'claude' | 'gemini', withResponsesWire = false): Target[] {
  return TARGETS.filter(
    (t) =>
      t.label !== 'glm (openai-compatible)' &&
      (t.wire !== RESPONSES_WIRE || withResponsesWire) &&
      (t.kind !== 'antigravity' || t.label === `antigravity (${antigravityModel})`),
  );
}

/** Routes the stack adds on top of the demo ones; the demo seeds the gemini provider (for embeddings) with its account. */
const EXTRA_PROVIDERS = [
  { name: 'anthropic', kind: 'anthropic', pattern: 'claude-haiku-4-5*', seeded: false },
  { name: 'gemini', kind: 'gemini', pattern: 'gemini-2.5-flash*', seeded: true },
] as const;

export interface ClientsStack {
  ctx: E2eContext;
  ingressUrl: string;
  /** The demo client key, as a user of the gateway holds it. */
  clientKey: string;
  /** What the upstream emulator received for a model, oldest first. */
  upstreamRequests(model: string): RecordedRequest[];
  teardown(): Promise<void>;
}

/** Starts the stack, adds the Anthropic and Gemini providers, and resolves once every target answers. */
export async function startClientsStack(name: string): Promise<ClientsStack> {
  const ctx = await startE2eStack(`cli_${name}`);
  try {
    const { stack } = ctx;
    const upstream = stack.emulators.upstream.url.replace(/\/+$/, '');
    for (const p of EXTRA_PROVIDERS) {
      if (!p.seeded) {
        ok(await admin(stack, 'POST', '/providers', { name: p.name, kind: p.kind, baseUrl: upstream }), `create provider ${p.name}`);
        ok(
          await admin(stack, 'POST', '/accounts', {
            provider: p.name,
            label: `${p.name}-1`,
            authType: 'api_key',
            credentials: { apiKey: `clients-${randomBytes(18).toString('base64url')}` },
            // The demo proxies are full (the seed fills them): this account goes out directly, by choice.
            egress: 'direct',
          }),
          `create account of ${p.name}`,
        );
      }
      ok(await admin(stack, 'POST', '/routes', { provider: p.name, pattern: p.pattern }), `create route ${p.pattern}`);
    }
    // Routes reach ingress and selector through config-change events: wait until each target lands on its kind.
    await Promise.all(
      TARGETS.map((target) =>
        eventually(async () => {
          ok(await chat(stack, { model: target.model, messages: [{ role: 'user', content: 'warm up' }] }), `warm-up of ${target.model}`);
          const seen = stack.emulators.upstream.requests().filter((r) => r.model === target.model);
          if (!seen.some((r) => r.format === target.wire)) throw new Error(`${target.model} did not reach the ${target.wire} upstream`);
        }),
      ),
    );
    stack.emulators.upstream.clearRequests();
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
