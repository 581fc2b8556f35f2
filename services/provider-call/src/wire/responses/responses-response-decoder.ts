import { AppError } from '@aigw/errors';
import type { IrResponse, IrResponsePart, IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString, type JsonRecord } from '../../ir/json-shape.js';

// A Responses API `response` object (from an upstream that speaks it) → the IR. The answer is a list of
// output items: `message` (output_text / refusal parts), `function_call`, `reasoning` (summary text, and
// the encrypted reasoning that makes it round-trip without upstream state, which the IR keeps as the
// reasoning part's signature). Other item kinds (built-in tool calls) cannot be requested through the IR.

/** Responses usage → IR (input_tokens include the cached ones, output_tokens the reasoning ones). */
export function responsesUsageToIr(usage: unknown): IrUsage {
  const u = asRecord(usage);
  const ir: IrUsage = {
    inputTokens: asCount(u?.input_tokens),
    outputTokens: asCount(u?.output_tokens),
    cachedInputTokens: asCount(asRecord(u?.input_tokens_details)?.cached_tokens),
  };
  const reasoning = asCount(asRecord(u?.output_tokens_details)?.reasoning_tokens);
  if (reasoning > 0) ir.reasoningTokens = reasoning;
  return ir;
}

/** The stop reason of a finished response: a function call ends the turn for the tool; `incomplete` names why it stopped. */
export function responsesStopReason(response: JsonRecord, calledTool: boolean): IrStopReason {
  if (asString(response.status) === 'incomplete') {
    const reason = asString(asRecord(response.incomplete_details)?.reason);
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens';
  }
  return calledTool ? 'tool_use' : 'end_turn';
}

/** The text of a reasoning item: its summary parts (blank-line separated), else its raw reasoning text (open-weight servers). */
export function reasoningItemText(item: JsonRecord): string {
  const texts = (list: unknown) => (asArray(list) ?? []).flatMap((p) => asString(asRecord(p)?.text) ?? []);
  const summary = texts(item.summary);
  return (summary.length > 0 ? summary : texts(item.content)).join('\n\n');
}

/** One output item → IR parts (none for items the IR has no place for). */
function itemParts(item: JsonRecord): IrResponsePart[] {
  switch (item.type) {
    case 'message':
      return (asArray(item.content) ?? []).flatMap((raw): IrResponsePart[] => {
        const part = asRecord(raw);
        const text = part?.type === 'refusal' ? asString(part.refusal) : asString(part?.text);
        return text === undefined || text === '' ? [] : [{ type: 'text', text }];
      });
    case 'function_call': {
      const name = asString(item.name);
      if (name === undefined) return [];
      return [{ type: 'tool_call', id: asString(item.call_id) ?? asString(item.id) ?? '', name, arguments: asString(item.arguments) ?? '{}' }];
    }
    case 'reasoning': {
      const text = reasoningItemText(item);
      const signature = asString(item.encrypted_content);
      if (text === '' && (signature === undefined || signature === '')) return [];
      return [{ type: 'reasoning', text, ...(signature === undefined || signature === '' ? {} : { signature }) }];
    }
    default:
      return [];
  }
}

/** A response body → IR; throws AppError UPSTREAM_ERROR when it is not a response or the response failed. */
export function responsesResponseToIr(body: unknown): IrResponse {
  const root = asRecord(body);
  const output = asArray(root?.output);
  if (root === undefined || output === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer is not a response object (no output)');
  if (asString(root.status) === 'failed') {
    throw new AppError('UPSTREAM_ERROR', asString(asRecord(root.error)?.message) ?? 'upstream response failed');
  }
  const parts = output.flatMap((item) => {
    const record = asRecord(item);
    return record === undefined ? [] : itemParts(record);
  });
  const response: IrResponse = {
    parts,
    stopReason: responsesStopReason(root, parts.some((p) => p.type === 'tool_call')),
    usage: responsesUsageToIr(root.usage),
  };
  const model = asString(root.model);
  if (model !== undefined) response.model = model;
  return response;
}
