import { z } from 'zod';
import { validateBody } from '../validation/validate-body.js';
import { itemIdOf, type ResponsesItem } from './responses-continuation.js';

// GET /v1/responses/{id}/input_items: OpenAI's cursor list of the items that produced a response.

/** The query as OpenAI takes it: `limit` 1–100 (default 20), `order` asc|desc (default desc), `after` an item id. */
export const inputItemsQuerySchema = z.looseObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).optional(),
});

export type InputItemsQuery = z.infer<typeof inputItemsQuerySchema>;

/** The query of an input_items request, checked; AppError INVALID_REQUEST naming the parameter. */
export function checkInputItemsQuery(query: unknown): InputItemsQuery {
  return validateBody(inputItemsQuerySchema, query ?? {}, false);
}

/** One page of a response's input items, `{object:"list", data, first_id, last_id, has_more}`. */
export function inputItemsPage(responseId: string, input: readonly ResponsesItem[], query: InputItemsQuery): Record<string, unknown> {
  const listed = input.map((item, position) => ({ ...item, id: itemIdOf(item, responseId, position) }));
  if (query.order === 'desc') listed.reverse();
  // An `after` that names no item of this response ends the list (a client paging on never loops).
  const cursor = query.after === undefined ? -1 : listed.findIndex((item) => item.id === query.after);
  const from = query.after === undefined ? 0 : cursor < 0 ? listed.length : cursor + 1;
  const data = listed.slice(from, from + query.limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: from + data.length < listed.length,
  };
}
