// The errors OpenAI answers when a stored response or item is not there (unknown, expired, deleted, or
// another API key's: OpenAI does not tell those apart, and neither does the gateway). Status and body
// as OpenAI sends them, so SDKs and agents that match on `code` (Codex, the Agents SDK) react as they do
// against OpenAI:
// - `previous_response_id` naming no stored response: 400, invalid_request_error, param
//   previous_response_id, code previous_response_not_found;
// - GET / DELETE / input_items of an unknown response: 404, "Response with id '…' not found.";
// - an `item_reference` naming no stored item: 404, "Item with id '…' not found.", param input.

/** An error answer of the Responses API: HTTP status and OpenAI's error JSON. */
export interface ResponsesErrorAnswer {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

function answer(status: number, message: string, param: string | null, code: string | null): ResponsesErrorAnswer {
  return { status, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

/** `previous_response_id` names no response this key may continue. */
export function previousResponseNotFound(id: string): ResponsesErrorAnswer {
  return answer(400, `Previous response with id '${id}' not found.`, 'previous_response_id', 'previous_response_not_found');
}

/** GET, DELETE or input_items of a response this key has not stored. */
export function responseNotFound(id: string): ResponsesErrorAnswer {
  return answer(404, `Response with id '${id}' not found.`, null, null);
}

/** An `item_reference` names no item this key has stored. */
export function itemNotFound(id: string): ResponsesErrorAnswer {
  return answer(404, `Item with id '${id}' not found.`, 'input', null);
}
