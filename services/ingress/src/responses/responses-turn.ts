import { AppError } from '@aigw/errors';
import {
  continuedBody,
  continuedInput,
  inputItems,
  isResponseId,
  itemNotFound,
  newResponsesId,
  outputItemsOf,
  previousResponseNotFound,
  referencedItemIds,
  resolveItemReferences,
  type ResponsesErrorAnswer,
  type ResponsesItem,
} from '@aigw/formats';
import type { Logger } from '@aigw/logger';
import { RenderedError } from '../protocol/error-shape.js';
import type { JsonBody } from '../http/read-json-body.js';
import { NO_RESPONSE_STORE, type ResponseStore, type StoredTurnRecord } from './response-store.js';
import type { ResponseStoreMetrics } from './response-store-metrics.js';
import { ResponseKeeper } from './response-keeper.js';
import { dependencyError } from '@aigw/logger';

// One Responses API request around its upstream call: before it, the response id is chosen, the stored
// turn that `previous_response_id` names is merged into `input` and `item_reference` items are replaced
// by the items they name (the body is serialized again only then); after it, the answer is stored
// (ResponseKeeper) when the request did not say `store: false`.

export interface ResponsesTurnsDeps {
  store: ResponseStore;
  metrics: ResponseStoreMetrics;
  logger: Logger;
}

/** What the chat handler uses of one Responses request. */
export interface ResponsesTurn {
  /** The id the answer names itself by (InvokeRequest.response_id). */
  responseId: string;
  /** The body that goes upstream: the client's, or the continued one. */
  body: JsonBody;
  /** The stored conversation's affinity key, when this turn continues one. */
  continuedAffinityKey: string | undefined;
  /** Keeps the answer, or undefined when the request said `store: false`. */
  keeper: ResponseKeeper | undefined;
}

/** The error OpenAI answers, as an error of the request. */
function rendered(answer: ResponsesErrorAnswer): RenderedError {
  return new RenderedError(answer.status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', answer.body.error.message, answer.body);
}

const fieldsOf = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Starts Responses requests against one response store. */
export class ResponsesTurns {
  constructor(private readonly deps: ResponsesTurnsDeps) {}

  /** Prepares one request of client key `apiKeyId`; throws the OpenAI error for an id that is not stored. */
  async begin(apiKeyId: number, body: JsonBody): Promise<ResponsesTurn> {
    const fields = fieldsOf(body.value);
    const responseId = newResponsesId('resp');
    const previousId = fields.previous_response_id;
    const references = referencedItemIds(fields.input);
    const previous = previousId == null ? undefined : await this.previousTurn(apiKeyId, previousId);
    let input = inputItems(fields.input);
    let upstream = body;
    let carriedCount = 0;
    if (previous !== undefined || references.length > 0) {
      if (references.length > 0) input = await this.resolved(apiKeyId, input, references);
      if (previous !== undefined) {
        const turn = { input: previous.input, output: outputItemsOf(previous.response) };
        carriedCount = turn.input.length + turn.output.length;
        input = continuedInput(turn, input);
      }
      // Serialized again only when rewritten: otherwise the client's bytes travel on untouched.
      const value = continuedBody(fields, input);
      upstream = { value, raw: Buffer.from(JSON.stringify(value)) };
    }
    const keeper =
      fields.store === false || this.deps.store === NO_RESPONSE_STORE
        ? undefined
        : new ResponseKeeper(this.deps, {
            apiKeyId,
            responseId,
            input,
            carried: carriedCount,
            previousResponseId: typeof previousId === 'string' ? previousId : undefined,
          });
    return { responseId, body: upstream, continuedAffinityKey: previous?.affinityKey || undefined, keeper };
  }

  /** The stored turn `previous_response_id` names: OpenAI's 400 when this key has none by that id. */
  private async previousTurn(apiKeyId: number, previousId: unknown): Promise<StoredTurnRecord> {
    const id = typeof previousId === 'string' ? previousId : String(previousId);
    if (!isResponseId(id)) throw rendered(previousResponseNotFound(id));
    const turn = await this.load('load', () => this.deps.store.turn(apiKeyId, id));
    if (turn === null) throw rendered(previousResponseNotFound(id));
    return turn;
  }

  /** The input with its `item_reference` items replaced: OpenAI's 404 for an item this key has not stored. */
  private async resolved(apiKeyId: number, input: ResponsesItem[], ids: string[]): Promise<ResponsesItem[]> {
    const found = await this.load('items', () => this.deps.store.items(apiKeyId, ids));
    const result = resolveItemReferences(input, found);
    if ('missing' in result) throw rendered(itemNotFound(result.missing));
    return result.items;
  }

  /** A store read; an unreachable store is UNAVAILABLE (503), never passed off as "not found". */
  private async load<T>(operation: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (thrown) {
      this.deps.metrics.failed(operation);
      this.deps.logger.warn({ err: dependencyError(thrown), operation }, 'response store read failed');
      throw new AppError('UNAVAILABLE', 'the response store is unavailable; retry shortly', { cause: thrown, retryAfterMs: 1_000 });
    }
  }
}
