// How a Responses conversation continues: what of a stored response becomes the next turn's input
// (`previous_response_id`), and how `item_reference` input items are replaced by the items they name.
// OpenAI carries over the previous input and output items, never `instructions` (nor tools, model or
// any other request field): the new request states those itself.

/** One Responses item (input or output), as JSON. */
export type ResponsesItem = Record<string, unknown>;

/** A stored turn, as a continuation reads it: the input that produced a response, and its output. */
export interface StoredTurn {
  input: readonly ResponsesItem[];
  output: readonly ResponsesItem[];
}

const isObject = (value: unknown): value is ResponsesItem => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A request's `input` as items: a string is one user message (in the part form OpenAI lists it in);
 * anything that is not an object in an array is kept as it is, for the upstream to judge.
 */
export function inputItems(input: unknown): ResponsesItem[] {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  return Array.isArray(input) ? (input as ResponsesItem[]) : [];
}

/** True for an `{type:"item_reference", id}` input item. */
export function isItemReference(item: unknown): item is { type: 'item_reference'; id: string } {
  return isObject(item) && item.type === 'item_reference' && typeof item.id === 'string';
}

/** The ids the input names by `item_reference`, each once, in order. */
export function referencedItemIds(input: unknown): string[] {
  if (!Array.isArray(input)) return [];
  const ids = new Set<string>();
  for (const item of input) if (isItemReference(item)) ids.add(item.id);
  return [...ids];
}

/**
 * The items with every `item_reference` replaced by the item it names (`found`, by id). Returns the id
 * of the first reference `found` does not hold instead, for the caller's not-found error.
 */
export function resolveItemReferences(
  items: readonly ResponsesItem[],
  found: ReadonlyMap<string, ResponsesItem>,
): { items: ResponsesItem[] } | { missing: string } {
  const resolved: ResponsesItem[] = [];
  for (const item of items) {
    if (!isItemReference(item)) {
      resolved.push(item);
      continue;
    }
    const named = found.get(item.id);
    if (named === undefined) return { missing: item.id };
    resolved.push(named);
  }
  return { items: resolved };
}

/** The output items of a response object (what the next turn carries over), [] when it has none. */
export function outputItemsOf(response: unknown): ResponsesItem[] {
  const output = isObject(response) ? response.output : undefined;
  return Array.isArray(output) ? output.filter(isObject) : [];
}

/** The next turn's input: the previous turn's input and output, then the new input items. */
export function continuedInput(previous: StoredTurn, next: readonly ResponsesItem[]): ResponsesItem[] {
  return [...previous.input, ...previous.output, ...next];
}

/**
 * The request body that goes upstream for a continuation or a resolved reference: `input` replaced,
 * `previous_response_id` gone (the upstream never saw the stored response), every other field kept.
 */
export function continuedBody(body: Record<string, unknown>, input: readonly ResponsesItem[]): Record<string, unknown> {
  const { previous_response_id: _dropped, ...rest } = body;
  return { ...rest, input };
}

/** Where a stored item without an id of its own is found again: a stable id derived from its place. */
const DERIVED_PREFIX: Readonly<Record<string, string>> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  reasoning: 'rs',
};

/**
 * The id an item is listed and referenced by: its own, or (for an input item the client sent without
 * one, e.g. a plain message) one derived from the response id and the item's position, so the same
 * item has the same id in every listing and an `item_reference` to it resolves.
 */
export function itemIdOf(item: ResponsesItem, responseId: string, position: number): string {
  if (typeof item.id === 'string' && item.id !== '') return item.id;
  const type = typeof item.type === 'string' ? item.type : 'message';
  const prefix = DERIVED_PREFIX[type] ?? 'item';
  return `${prefix}_${responseId.slice('resp_'.length)}_${position}`;
}

/** The items of a stored turn by the id each is listed under (input items first, then output). */
export function itemsById(responseId: string, turn: StoredTurn): Map<string, ResponsesItem> {
  const byId = new Map<string, ResponsesItem>();
  turn.input.forEach((item, position) => byId.set(itemIdOf(item, responseId, position), item));
  for (const item of turn.output) if (typeof item.id === 'string') byId.set(item.id, item);
  return byId;
}

/**
 * What opens a conversation, in one form whatever way it was written: `instructions` and the first input
 * item, a message in part form without its id or status. A first turn's `input: "hi"` and the same turn
 * carried into a continuation (`{type:"message", role:"user", content:[{type:"input_text", text:"hi"}]}`,
 * maybe with an id) come out alike, so both turns get the same session-affinity digest.
 */
export function conversationOpening(body: unknown): [instructions: unknown, first: unknown] {
  if (!isObject(body)) return [undefined, undefined];
  const first = inputItems(body.input)[0];
  if (!isObject(first) || (first.type !== undefined && first.type !== 'message')) return [body.instructions, first];
  const content = typeof first.content === 'string' ? [{ type: 'input_text', text: first.content }] : first.content;
  return [body.instructions, { type: 'message', role: first.role, content }];
}
