import { AppError } from '@aigw/errors';
import { ClientFormat } from '@aigw/proto';
import { anthropicClient } from '../wire/anthropic/anthropic-client.js';
import { anthropicProvider } from '../wire/anthropic/anthropic-provider.js';
import { antigravityProvider } from '../wire/antigravity/antigravity-provider.js';
import { geminiClient } from '../wire/google/gemini-client.js';
import { geminiProvider } from '../wire/google/gemini-provider.js';
import { openAiClient } from '../wire/openai/openai-client.js';
import { openAiProvider } from '../wire/openai/openai-provider.js';
import { responsesClient } from '../wire/responses/responses-client.js';
import { responsesProvider } from '../wire/responses/responses-provider.js';
import type { ClientCodec } from './client-codec.js';
import type { ProviderAdapter } from './provider-adapter.js';

// The support matrix: a new client format or provider is one entry here (plus its wire/ folder).

const CLIENT_CODECS: ReadonlyMap<ClientFormat, ClientCodec> = new Map([
  [ClientFormat.CLIENT_FORMAT_OPENAI, openAiClient],
  [ClientFormat.CLIENT_FORMAT_ANTHROPIC, anthropicClient],
  [ClientFormat.CLIENT_FORMAT_GEMINI, geminiClient],
  [ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, responsesClient],
]);

/** Adapters by provider kind, and by wire where a kind speaks more than one (`kind/wire`, providers.wire). */
const PROVIDERS: ReadonlyMap<string, ProviderAdapter> = new Map([
  ['openai', openAiProvider],
  ['openai/responses', responsesProvider],
  ['anthropic', anthropicProvider],
  ['gemini', geminiProvider],
  ['antigravity', antigravityProvider],
]);

/** The codec for a client format; INVALID_REQUEST for formats not served yet. */
export function clientCodecFor(format: ClientFormat): ClientCodec {
  const codec = CLIENT_CODECS.get(format);
  if (codec === undefined) throw new AppError('INVALID_REQUEST', `client format ${ClientFormat[format] ?? format} is not supported`);
  return codec;
}

/**
 * The adapter for a provider kind and its wire (Account.provider_wire: '' or absent = the kind's own); a kind
 * or wire without one is a gateway misconfiguration.
 */
export function providerAdapterFor(kind: string, wire = ''): ProviderAdapter {
  const adapter = PROVIDERS.get(wire === '' ? kind : `${kind}/${wire}`);
  if (adapter === undefined) {
    throw new AppError('UPSTREAM_ERROR', wire === '' ? `provider kind "${kind}" is not supported` : `provider kind "${kind}" has no wire "${wire}"`);
  }
  return adapter;
}

/** The wires a provider kind can be set to speak besides its own (what the admin API accepts for providers.wire). */
export function providerWires(kind: string): string[] {
  return [...PROVIDERS.keys()].flatMap((key) => (key.startsWith(`${kind}/`) ? [key.slice(kind.length + 1)] : []));
}
