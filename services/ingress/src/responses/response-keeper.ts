import { finalResponseOfEvent, isResponseId, parseJsonBytes, responseObjectOf, SseParser, type ResponsesItem } from '@aigw/formats';
import type { Logger } from '@aigw/logger';
import type { StreamSink } from '../proxying/backends.js';
import type { ResponseStore } from './response-store.js';
import type { ResponseStoreMetrics } from './response-store-metrics.js';
import { dependencyError } from '@aigw/logger';

// Keeps the answer of one Responses request that asked to be stored. It is written before the client
// can see the end of the answer (before a whole body is sent, before the chunk with the stream's final
// event is passed on), so that a client that continues the moment it has the answer finds it stored.
// A store failure never fails the request: it is logged and counted, and the answer goes out as it is.

export interface KeeperDeps {
  store: ResponseStore;
  metrics: ResponseStoreMetrics;
  logger: Logger;
}

export interface KeptTurn {
  apiKeyId: number;
  /** The id ingress chose for the answer. */
  responseId: string;
  /** The input items that went upstream (after continuation and item references). */
  input: readonly ResponsesItem[];
  /** How many of them came from the continued turn. */
  carried: number;
  /** The request's `previous_response_id`: the upstream never saw it, the stored response names it. */
  previousResponseId: string | undefined;
}

/** Stores one request's answer. */
export class ResponseKeeper {
  #kept = false;

  constructor(
    private readonly deps: KeeperDeps,
    private readonly turn: KeptTurn,
  ) {}

  /** Stores a whole answer (only a 2xx response object is kept). */
  async keepBody(status: number, body: Buffer, affinityKey: () => string): Promise<void> {
    if (status < 200 || status >= 300) return;
    let parsed: unknown;
    try {
      parsed = parseJsonBytes(body);
    } catch {
      parsed = undefined;
    }
    const response = responseObjectOf(parsed);
    if (response === undefined) {
      this.deps.metrics.notStored('no_response');
      return;
    }
    await this.keep(response, affinityKey);
  }

  /**
   * The sink a streamed answer goes through: its SSE events are read as they pass, and the response of
   * the final event (`response.completed` / `response.incomplete`) is stored before that chunk moves on.
   */
  watch(sink: StreamSink, affinityKey: () => string): StreamSink {
    const parser = new SseParser();
    return {
      begin: (droppedFields) => sink.begin(droppedFields),
      write: async (chunk) => {
        if (!this.#kept) {
          for (const event of parser.push(chunk)) {
            const final = finalResponseOfEvent(event);
            if (final !== undefined) {
              await this.keep(final, affinityKey);
              break;
            }
          }
        }
        return sink.write(chunk);
      },
      writeEvent: (event) => sink.writeEvent(event),
      end: () => sink.end(),
    };
  }

  private async keep(answer: Record<string, unknown>, affinityKey: () => string): Promise<void> {
    if (this.#kept) return;
    this.#kept = true;
    const { apiKeyId, responseId, input, carried, previousResponseId } = this.turn;
    // The id the client saw is the one it will continue by; provider-call names the answer by ours.
    const id = typeof answer.id === 'string' && isResponseId(answer.id) ? answer.id : responseId;
    if (id !== responseId) this.deps.logger.warn({ responseId, answerId: id }, 'answer names itself by another id than the one chosen');
    const response = previousResponseId === undefined ? answer : { ...answer, previous_response_id: previousResponseId };
    try {
      const outcome = await this.deps.store.save(apiKeyId, id, { response, input, carried, affinityKey: affinityKey() });
      if (outcome === 'too_large') {
        this.deps.metrics.notStored(outcome);
        this.deps.logger.warn({ responseId: id, reason: outcome }, 'response not stored');
      }
    } catch (thrown) {
      this.deps.metrics.failed('save');
      this.deps.logger.warn({ err: dependencyError(thrown), responseId: id }, 'storing the response failed; it cannot be continued');
    }
  }
}
