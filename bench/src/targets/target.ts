import type { LabelledPid } from '../machine/infra-processes.js';
import type { TargetName } from '../options/bench-options.js';
import type { LoadRequest } from '../load/load-request.js';

/** Where a target serves one more API besides Chat Completions, and the headers it wants there. */
export interface Endpoint {
  url: string;
  headers: Record<string, string>;
}

/** Something that answers OpenAI Chat Completions in front of the shared upstream emulator. */
export interface Target {
  name: TargetName;
  /** Full URL of its /v1/chat/completions. */
  chatUrl: string;
  /** Headers every request to it carries (credentials, Portkey's routing headers). */
  headers: Record<string, string>;
  /** Anthropic Messages (S7): absent where the target does not speak it. */
  messages?: Endpoint;
  /** OpenAI Responses (S8). */
  responses?: Endpoint;
  /** Its own processes (empty for direct, whose only process is the shared emulator). */
  processes: LabelledPid[];
  /** A one-line account of what its own output says went wrong (after a failed probe). */
  diagnose?: () => string | undefined;
}

/** A target that could not be set up: the report keeps its column with this reason. */
export interface UnavailableTarget {
  name: TargetName;
  reason: string;
}

const PROMPT = 'Say hello to the benchmark';

/**
 * The request of a scenario: a small chat completion. Steering travels as an `[emu …]` directive in the
 * user message, never as headers, so that every target (the gateway forwards no client headers) sends
 * the upstream exactly the same thing.
 */
export function chatRequest(target: Target, model: string, directive: string, stream: boolean): LoadRequest {
  const content = directive === '' ? PROMPT : `${PROMPT} ${directive}`;
  const body: Record<string, unknown> = { model, messages: [{ role: 'user', content }], max_tokens: 32 };
  if (stream) body['stream'] = true;
  return {
    url: target.chatUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify(body),
  };
}

/**
 * S8's request: the same prompt as a streamed Responses API call (`input` as a message list, what Codex sends),
 * or why the target has no Responses endpoint.
 */
export function responsesRequest(target: Target, model: string, directive: string): LoadRequest | { unavailable: string } {
  if (target.responses === undefined) return { unavailable: 'does not serve the Responses API' };
  const text = directive === '' ? PROMPT : `${PROMPT} ${directive}`;
  const body = { model, input: [{ role: 'user', content: [{ type: 'input_text', text }] }], max_output_tokens: 32, stream: true };
  return endpointRequest(target.responses, JSON.stringify(body));
}

/** A request of its own body (S7's agent turn, S8's Responses call) to one of the target's endpoints. */
export function endpointRequest(endpoint: Endpoint, body: string): LoadRequest {
  return { url: endpoint.url, method: 'POST', headers: { 'content-type': 'application/json', ...endpoint.headers }, body };
}

/**
 * Probes the target; undefined when it answered 2xx (and, for a stream, ended with `completeMarker`), else the
 * reason, with the target's own diagnosis.
 */
export async function probeTarget(target: Target, request: LoadRequest, completeMarker?: string): Promise<string | undefined> {
  const failure = await probe(request, completeMarker);
  if (failure === undefined) return undefined;
  // Give the process a moment to write its error out.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const diagnosis = target.diagnose?.();
  return diagnosis === undefined ? failure : `${failure}; ${target.name} logged: ${diagnosis}`;
}

/** Sends the request once; resolves with undefined when it got a 2xx, else with a short reason. */
export async function probe(request: LoadRequest, completeMarker?: string): Promise<string | undefined> {
  try {
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(15_000) });
    const text = await response.text();
    if (!response.ok) return `answered ${response.status}: ${text.slice(0, 200)}`;
    if (completeMarker !== undefined && !text.includes(completeMarker)) return `the stream ended without ${JSON.stringify(completeMarker)}: …${text.slice(-300)}`;
    return undefined;
  } catch (error) {
    return `request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
