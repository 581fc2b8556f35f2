import type { z } from '@aigw/config';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One admin route as the OpenAPI document describes it; the schemas are the ones the handler validates with. */
export interface RouteDoc {
  method: HttpMethod;
  /** Express path relative to the resource's mount point: `/`, `/:id`, `/:id/state`. */
  path: string;
  summary: string;
  /** The JSON body's schema (the same object the handler parses with). */
  body?: z.ZodType;
  /** The query string's schema (an object schema; each property becomes a parameter). */
  query?: z.ZodObject;
  /** What a 2xx answer holds; omitted = an untyped JSON object. */
  response?: z.ZodType;
  /** 201 for creations; default 200. */
  status?: number;
  /** Served without the admin token (the OAuth callback, the document itself). */
  public?: boolean;
}

/** The routes of one resource (`/providers`, `/keys`, …), declared beside its router in `*-api.ts`. */
export interface ResourceDocs {
  tag: string;
  routes: readonly RouteDoc[];
}

export function resourceDocs(tag: string, routes: readonly RouteDoc[]): ResourceDocs {
  return { tag, routes };
}
