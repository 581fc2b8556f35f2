import type { ResponsesItem } from '@aigw/formats';

// The Responses API's stored responses (`store` not false), per client key: what `previous_response_id`,
// `item_reference`, GET, DELETE and input_items read. One client key never sees another's: every
// operation is scoped by the key id, so a foreign id is simply not there.

/** One stored response as it is written. */
export interface ResponseRecord {
  /** The response object as the client got it. */
  response: Record<string, unknown>;
  /** The input items that produced it: the whole conversation as sent upstream, `instructions` aside. */
  input: readonly ResponsesItem[];
  /** The conversation's session-affinity key, so a continuation stays on the conversation's account. */
  affinityKey: string;
  /** How many items of `input` came from the stored turn this one continues (the rest are new). */
  carried: number;
}

/** A stored response as a continuation or a listing reads it. */
export interface StoredTurnRecord {
  response: Record<string, unknown>;
  input: ResponsesItem[];
  affinityKey: string;
}

/** Why a response was not stored. */
export type SaveOutcome = 'stored' | 'too_large' | 'disabled';

/** Where responses are kept; errors (the store unreachable) are thrown as they come. */
export interface ResponseStore {
  /** The stored response object's JSON exactly as stored, or null. */
  responseJson(apiKeyId: number, responseId: string): Promise<string | null>;
  /** The response, its input items and its affinity key, or null. */
  turn(apiKeyId: number, responseId: string): Promise<StoredTurnRecord | null>;
  /** The input items of a stored response, or null when it is not stored. */
  input(apiKeyId: number, responseId: string): Promise<ResponsesItem[] | null>;
  /** Keeps a response (and indexes its items) for the store's time; 'too_large' when over its byte cap. */
  save(apiKeyId: number, responseId: string, record: ResponseRecord): Promise<SaveOutcome>;
  /** Deletes a stored response; false when there was none. */
  delete(apiKeyId: number, responseId: string): Promise<boolean>;
  /** The stored items of the key with these ids (those found). */
  items(apiKeyId: number, itemIds: readonly string[]): Promise<Map<string, ResponsesItem>>;
}

/** A store that keeps nothing (the store switched off): every id is unknown, nothing is saved. */
export const NO_RESPONSE_STORE: ResponseStore = {
  responseJson: async () => null,
  turn: async () => null,
  input: async () => null,
  save: async () => 'disabled',
  delete: async () => false,
  items: async () => new Map(),
};
