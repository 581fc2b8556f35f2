// The responses the Responses endpoint kept (store, the default), so that `previous_response_id` continues
// one of them and any other id is refused as OpenAI refuses it. Bounded: the oldest is forgotten first.

/** A kept response: the conversation it answered (its own input after any it continued) and its output items. */
export interface KeptResponse {
  items: readonly unknown[];
  output: readonly unknown[];
}

export class KeptResponses {
  readonly #byId = new Map<string, KeptResponse>();
  /** Output items of the kept responses by their own ids (what `item_reference` and stored reasoning name). */
  readonly #items = new Map<string, unknown>();

  // A kept response holds its whole conversation (tens of KB for an agent), so the bound stays small.
  constructor(private readonly limit = 500) {}

  keep(id: string, response: KeptResponse): void {
    this.#byId.set(id, response);
    for (const item of response.output) {
      const itemId = (item as { id?: unknown }).id;
      if (typeof itemId === 'string') this.#items.set(itemId, item);
    }
    while (this.#byId.size > this.limit) this.#byId.delete(this.#byId.keys().next().value as string);
    while (this.#items.size > this.limit * 4) this.#items.delete(this.#items.keys().next().value as string);
  }

  get(id: string): KeptResponse | undefined {
    return this.#byId.get(id);
  }

  item(id: string): unknown {
    return this.#items.get(id);
  }
}

/** Shared by every emulator in the process: response ids are unique per emulator instance anyway. */
export const KEPT_RESPONSES = new KeptResponses();
