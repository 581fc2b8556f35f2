import { randomBytes } from 'node:crypto';
import { InvokeRequest, type Account, type StreamChunk, type Usage } from '@aigw/proto';
import { PROTOCOLS, type Answer, type Conversation } from './client-protocols.js';
import { streamText, type TestStack } from './test-stack.js';

// One account per provider kind, all pointing at the upstream emulator (two of them through the
// forward proxies), and a call helper that runs a conversation from any client protocol to any of
// them, streamed or not, and reads the answer as the client would.

export type ClientName = keyof typeof PROTOCOLS;
/** Provider kinds, and `responses`: an `openai` provider set to the Responses API wire (providers.wire). */
export type ProviderName = 'openai' | 'responses' | 'anthropic' | 'gemini' | 'antigravity';

export const CLIENTS: readonly ClientName[] = ['openai', 'anthropic', 'gemini', 'responses'];
export const PROVIDERS: readonly ProviderName[] = ['openai', 'responses', 'anthropic', 'gemini', 'antigravity'];
export const UPSTREAM_MODEL = 'up-model';

/** The model each provider is called with: the Responses API (OpenAI's, emulated) answers only models it lists. */
export function upstreamModelOf(provider: ProviderName): string {
  return provider === 'responses' ? 'gpt-5.1-codex' : UPSTREAM_MODEL;
}

interface ProviderAccount {
  account: Partial<Account>;
  credential: { headerName: string; headerValue: string };
  /** The credential as the emulator records it. */
  secret: string;
  proxyName?: string;
}

export function providerAccounts(stack: TestStack): Record<ProviderName, ProviderAccount> {
  const emu = stack.emulator.url;
  return {
    openai: {
      account: { id: 61, providerKind: 'openai', baseUrl: `${emu}/v1` },
      credential: { headerName: 'authorization', headerValue: 'Bearer sk-openai' },
      secret: 'sk-openai',
    },
    responses: {
      account: { id: 65, providerKind: 'openai', providerWire: 'responses', baseUrl: `${emu}/v1` },
      credential: { headerName: 'authorization', headerValue: 'Bearer sk-responses' },
      secret: 'sk-responses',
    },
    anthropic: {
      account: { id: 62, providerKind: 'anthropic', baseUrl: emu, proxyId: stack.proxyIds.a },
      credential: { headerName: 'x-api-key', headerValue: 'sk-ant-test' },
      secret: 'sk-ant-test',
      proxyName: 'proxy-a',
    },
    gemini: {
      account: { id: 63, providerKind: 'gemini', baseUrl: emu, proxyId: stack.proxyIds.b },
      credential: { headerName: 'x-goog-api-key', headerValue: 'AIza-test' },
      secret: 'AIza-test',
      proxyName: 'proxy-b',
    },
    antigravity: {
      account: { id: 64, providerKind: 'antigravity', baseUrl: emu, settingsJson: '{"project":"proj-1"}' },
      credential: { headerName: 'authorization', headerValue: 'Bearer ya29.test' },
      secret: 'ya29.test',
    },
  };
}

export interface CallResult {
  status: number;
  answer: Answer;
  /** Usage provider-call reported to the caller (what the log records). */
  usage: Usage | undefined;
  dropped: string[];
  chunks: StreamChunk[];
  /** The answer body as the client got it (non-streaming calls). */
  body: string;
}

/** Runs `conversation` from `client` to `provider` through provider-call, as ingress would. */
export async function call(stack: TestStack, client: ClientName, provider: ProviderName, conversation: Conversation, stream: boolean): Promise<CallResult> {
  const protocol = PROTOCOLS[client];
  const target = providerAccounts(stack)[provider];
  const request = InvokeRequest.fromPartial({
    requestId: `req-${randomBytes(6).toString('hex')}`,
    clientFormat: protocol.format,
    body: Buffer.from(JSON.stringify(protocol.body(conversation, stream))),
    upstreamModel: upstreamModelOf(provider),
    account: { providerId: 1, label: provider, authType: 'api_key', ...target.account },
    credential: target.credential,
    stream,
  });
  if (!stream) {
    const response = await stack.invoke(request);
    const body = response.body.toString('utf8');
    const ok = response.status >= 200 && response.status < 300;
    const answer = ok ? protocol.answer(body) : { text: '', reasoning: '', signatures: [], toolCalls: [], stop: undefined, usage: undefined };
    return { status: response.status, answer, usage: response.usage, dropped: response.droppedFields, chunks: [], body };
  }
  const chunks = await stack.invokeStream(request);
  const start = chunks[0]?.start;
  return {
    status: start?.status ?? 0,
    answer: protocol.streamAnswer(streamText(chunks)),
    usage: chunks.find((c) => c.usage !== undefined)?.usage,
    dropped: start?.droppedFields ?? [],
    chunks,
    body: chunks.find((c) => c.error !== undefined)?.error?.body.toString('utf8') ?? '',
  };
}

/** The conversation of one user question, optionally after a system prompt. */
export function ask(text: string, extra: Partial<Conversation> = {}): Conversation {
  return { system: 'You are terse.', turns: [{ role: 'user', text }], ...extra };
}
