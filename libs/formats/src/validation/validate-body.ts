import { AppError } from '@aigw/errors';
import type { z } from 'zod';
import { assertJsonDepth } from './json-limits.js';

type Issue = z.core.$ZodIssue;

// Missing fields read "Field required", as Anthropic and OpenAI phrase it, instead of zod's type message.
const requiredMessage = (issue: { input?: unknown; code: string }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Field required' : undefined;

/** A readable path: ['messages', 0, 'content'] → `messages[0].content`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out || 'body';
}

/**
 * zod reports a failed union as "Invalid input" with every branch's issues. The client learns more from
 * the branch that got furthest (say, the array branch of `string | array` when the array was sent), or,
 * when every branch failed at the value itself, from the list of types that would have been accepted.
 */
export function explainIssue(issue: Issue, base: ReadonlyArray<PropertyKey> = []): { path: PropertyKey[]; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  const branches = issue.errors.filter((branch) => branch.length > 0);
  const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
  const deepest = branches.reduce<Issue[] | undefined>((best, b) => (best === undefined || depth(b) > depth(best) ? b : best), undefined);
  if (deepest !== undefined && depth(deepest) > 0) return explainIssue(deepest[0] as Issue, path);
  const expected = [...new Set(branches.flatMap((b) => b.map((i) => (i.code === 'invalid_type' ? String(i.expected) : undefined))))];
  if (expected.every((e) => e !== undefined) && expected.length > 0) return { path, message: `Invalid input: expected ${expected.join(' or ')}` };
  return { path, message: issue.message };
}

/** The body's fields, when it is a JSON object; AppError INVALID_REQUEST otherwise. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('INVALID_REQUEST', 'request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/**
 * Parses a client body with `schema`; a mismatch is AppError INVALID_REQUEST naming each bad field.
 * Bodies are checked for nesting depth first (what follows may recurse), unless `checkDepth` is false
 * because the schema reads only the top of the body.
 */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown, checkDepth = true): z.infer<S> {
  objectBody(body);
  if (checkDepth) assertJsonDepth(body);
  // A per-call error map takes zod off its fast path (about 8 µs a parse), so only a body that already
  // failed is parsed again with it, for the messages.
  const fast = schema.safeParse(body);
  if (fast.success) return fast.data;
  const result = schema.safeParse(body, { error: requiredMessage });
  if (result.success) return result.data;
  const explained = result.error.issues.slice(0, 5).map((issue) => explainIssue(issue));
  const first = explained[0];
  throw new AppError('INVALID_REQUEST', explained.map((e) => `${formatPath(e.path)}: ${e.message}`).join('; '), {
    details: first === undefined ? {} : { param: formatPath(first.path) },
  });
}

/**
 * Maps objects whose `type` is not one of `known` to `{type: 'unsupported', name}` before a
 * discriminated union sees them: such parts are accepted and reported as dropped instead of failing.
 */
export function markUnsupported(known: ReadonlySet<string>): (value: unknown) => unknown {
  return (value) => {
    if (typeof value !== 'object' || value === null) return value;
    const type = (value as { type?: unknown }).type;
    return typeof type === 'string' && !known.has(type) ? { type: 'unsupported', name: type } : value;
  };
}

/** Top-level fields the client set (non-null) that a translation does not carry. */
export function uncarriedFields(body: object, carried: ReadonlySet<string>): string[] {
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (value !== null && value !== undefined && !carried.has(key)) dropped.push(key);
  }
  return dropped;
}
