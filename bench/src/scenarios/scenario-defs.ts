import type { ScenarioId } from '../options/bench-options.js';

// The scenarios of the benchmark issue. Steering is an `[emu …]` directive in the user message (see
// targets/target.ts), identical for every target.

export interface LoadScenario {
  id: Extract<ScenarioId, 'S0' | 'S1' | 'S2' | 'S3' | 'S8'>;
  title: string;
  connections: number;
  upstreamDelayMs: number;
  /** The figure the issue compares this scenario by. */
  headline: 'p50' | 'throughput';
  /** What each request is: a small chat completion (default) or a streamed Responses call. */
  api?: 'chat' | 'responses';
}

export const LOAD_SCENARIOS: readonly LoadScenario[] = [
  { id: 'S0', title: '1 connection, upstream 0 ms', connections: 1, upstreamDelayMs: 0, headline: 'p50' },
  { id: 'S1', title: '50 connections, upstream 0 ms', connections: 50, upstreamDelayMs: 0, headline: 'throughput' },
  { id: 'S2', title: '200 connections, upstream 200 ms', connections: 200, upstreamDelayMs: 200, headline: 'throughput' },
  { id: 'S3', title: '1000 connections, upstream 200 ms', connections: 1000, upstreamDelayMs: 200, headline: 'throughput' },
];

export const STREAM_SCENARIO = {
  id: 'S4',
  title: 'streaming, 20 SSE chunks 10 ms apart',
  chunks: 20,
  chunkDelayMs: 10,
} as const;

export const AGENT_TURN_SCENARIO = {
  id: 'S7',
  title: 'agent turn: 100 KB Anthropic Messages body, 20 SSE chunks 10 ms apart',
  chunks: 20,
  chunkDelayMs: 10,
  connections: [1, 20],
} as const;

/** S8: S1's load (50 connections, upstream 0 ms) as streamed Responses API calls, through the load generator. */
export const RESPONSES_SCENARIO: LoadScenario = {
  id: 'S8',
  title: 'Responses API (POST /v1/responses, stream: true), 50 connections, upstream 0 ms',
  connections: 50,
  upstreamDelayMs: 0,
  headline: 'throughput',
  api: 'responses',
};

/** The `[emu …]` directive of an upstream delay ('' for none: the emulator then skips directive parsing). */
export function delayDirective(delayMs: number): string {
  return delayMs > 0 ? `[emu delay_ms=${delayMs}]` : '';
}

export function streamDirective(chunks: number, chunkDelayMs: number): string {
  return `[emu chunks=${chunks} chunk_delay_ms=${chunkDelayMs}]`;
}

/**
 * S7's directive: the stream shape, and `tool=none`. With tools declared the emulator would answer by calling the
 * first one, and a Gemini function call is a single part that cannot be split into chunks: the translated
 * route would stream one chunk where the Anthropic routes stream twenty. A text answer streams the same 20
 * chunks on every route.
 */
export function agentTurnDirective(): string {
  return `[emu chunks=${AGENT_TURN_SCENARIO.chunks} chunk_delay_ms=${AGENT_TURN_SCENARIO.chunkDelayMs} tool=none]`;
}
