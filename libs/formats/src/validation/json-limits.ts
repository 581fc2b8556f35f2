import { AppError } from '@aigw/errors';

// Client bodies are untrusted. JSON.parse accepts any nesting, but much of what follows (schema
// rewriting, JSON.stringify of tool arguments) recurses, so a body nested deeply enough would end in
// a stack overflow instead of a clear 400. The check itself recurses at most `maxDepth` frames deep:
// it gives up at the limit instead of walking further down.

/** Deepest nesting a client body may have; real requests (tool schemas included) stay far below. */
export const MAX_JSON_DEPTH = 128;

function within(node: unknown, remaining: number): boolean {
  if (typeof node !== 'object' || node === null) return true;
  if (remaining === 0) return false;
  if (Array.isArray(node)) {
    for (const child of node) if (!within(child, remaining - 1)) return false;
  } else {
    for (const key in node) if (!within((node as Record<string, unknown>)[key], remaining - 1)) return false;
  }
  return true;
}

/** True when `value` nests objects/arrays at most `maxDepth` levels deep (keep maxDepth in the hundreds). */
export function jsonDepthWithin(value: unknown, maxDepth: number): boolean {
  return within(value, maxDepth);
}

/** Throws AppError INVALID_REQUEST when `value` nests objects/arrays deeper than `maxDepth`. */
export function assertJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): void {
  if (!within(value, maxDepth)) throw new AppError('INVALID_REQUEST', `request body is nested deeper than ${maxDepth} levels`);
}
