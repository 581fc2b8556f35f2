import { AppError } from '@aigw/errors';
import type { UpstreamModel } from '@aigw/proto';
import { asArray, asCount, asRecord, asString, type JsonRecord } from '../ir/json-shape.js';

// Readers shared by the model-list pages of every provider kind: each upstream names the same few facts
// (id, display name, token limits, creation time) in its own fields.

/** The page body as an object, or UPSTREAM_ERROR naming the provider kind. */
export function pageObject(body: unknown, kind: string): JsonRecord {
  const page = asRecord(body);
  if (page === undefined) throw new AppError('UPSTREAM_ERROR', `${kind} model list is not a JSON object`);
  return page;
}

/** The array under `field`, or UPSTREAM_ERROR. */
export function pageArray(page: JsonRecord, field: string, kind: string): unknown[] {
  const list = asArray(page[field]);
  if (list === undefined) throw new AppError('UPSTREAM_ERROR', `${kind} model list has no "${field}" array`);
  return list;
}

/** An ISO timestamp (Anthropic's created_at) as seconds since the epoch; 0 when absent or unreadable. */
export function isoSeconds(value: unknown): number {
  const text = asString(value);
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
}

/** One model in the proto's shape; the display name defaults to the id. */
export function upstreamModel(id: string, facts: { displayName?: unknown; inputTokenLimit?: unknown; outputTokenLimit?: unknown; createdAt?: number }): UpstreamModel {
  const displayName = asString(facts.displayName);
  return {
    id,
    displayName: displayName === undefined || displayName === '' ? id : displayName,
    inputTokenLimit: asCount(facts.inputTokenLimit),
    outputTokenLimit: asCount(facts.outputTokenLimit),
    createdAt: facts.createdAt ?? 0,
  };
}

/** A non-empty string id, trimmed; undefined otherwise (such entries are skipped, not fatal). */
export function modelId(value: unknown): string | undefined {
  const id = asString(value)?.trim();
  return id === undefined || id === '' ? undefined : id;
}
