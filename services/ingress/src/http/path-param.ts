import type { Request } from 'express';

/** A route parameter as one string; a `*name` wildcard arrives as its path segments, joined back with `/`. */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
