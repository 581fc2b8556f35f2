import { AppError } from '@aigw/errors';
import type { IrResponse, IrResponsePart } from '../../ir/chat-ir.js';
import { asArray, asRecord, asString, type JsonRecord } from '../../ir/json-shape.js';
import { anthropicUsageToIr, STOP_REASON_TO_IR } from './anthropic-usage.js';

// A Messages API answer (provider side) → IR.

/** One content block → an IR part; server-tool blocks and unknown types have no IR part. */
export function anthropicBlockToIr(block: JsonRecord): IrResponsePart | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: asString(block.text) ?? '' };
    case 'thinking': {
      const signature = asString(block.signature);
      const text = asString(block.thinking) ?? '';
      return signature ? { type: 'reasoning', text, signature } : { type: 'reasoning', text };
    }
    case 'redacted_thinking':
      return { type: 'redacted_reasoning', data: asString(block.data) ?? '' };
    case 'tool_use': {
      const name = asString(block.name);
      if (name === undefined) return undefined;
      return { type: 'tool_call', id: asString(block.id) ?? '', name, arguments: JSON.stringify(block.input ?? {}) };
    }
    default:
      return undefined;
  }
}

/** A `message` body → IR; throws AppError UPSTREAM_ERROR when it has no content array. */
export function anthropicResponseToIr(body: unknown): IrResponse {
  const root = asRecord(body);
  const content = asArray(root?.content);
  if (root === undefined || content === undefined) throw new AppError('UPSTREAM_ERROR', 'upstream answer has no content');
  const parts: IrResponsePart[] = [];
  for (const raw of content) {
    const block = asRecord(raw);
    const part = block === undefined ? undefined : anthropicBlockToIr(block);
    if (part !== undefined) parts.push(part);
  }
  const stop = asString(root.stop_reason);
  const response: IrResponse = {
    parts,
    stopReason: (stop === undefined ? undefined : STOP_REASON_TO_IR[stop]) ?? 'end_turn',
    usage: anthropicUsageToIr(root.usage),
  };
  const sequence = asString(root.stop_sequence);
  if (sequence !== undefined) response.stopSequence = sequence;
  const model = asString(root.model);
  if (model !== undefined) response.model = model;
  return response;
}
