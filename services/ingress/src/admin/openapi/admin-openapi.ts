import { z } from '@aigw/config';
import type { ResourceDocs, RouteDoc } from './route-docs.js';

/** A mounted resource: where it lives under /api/v1 and what its routes are. */
export interface DocumentedResource {
  mount: string;
  docs: ResourceDocs;
}

type JsonSchema = Record<string, unknown>;

/** Input-side JSON Schema of a zod schema (coercions and defaults as the caller sends them). */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function outputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/keys` + `/:id/usage` → `/keys/{id}/usage`. */
export function openApiPath(mount: string, path: string): string {
  const joined = `${mount}${path === '/' ? '' : path}` || '/';
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

const ERROR = {
  description: 'An error: `{error:{message,type,code,fields?}}`',
  content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'object' } }, required: ['error'] } } },
};

function operation(tag: string, fullPath: string, route: RouteDoc) {
  const pathParams = [...fullPath.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = route.query
    ? Object.entries((inputSchema(route.query).properties ?? {}) as Record<string, JsonSchema>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }))
    : [];
  return {
    tags: [tag],
    summary: route.summary,
    operationId: `${route.method}${fullPath.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(route.public ? { security: [] } : {}),
    ...(pathParams.length + query.length > 0 ? { parameters: [...pathParams, ...query] } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(route.body) } } } } : {}),
    responses: {
      [String(route.status ?? 200)]: {
        description: 'OK',
        content: { 'application/json': { schema: route.response ? outputSchema(route.response) : { type: 'object' } } },
      },
      '4XX': ERROR,
    },
  };
}

/** The admin API's OpenAPI 3.1 document, built from the resources' declared routes and validation schemas. */
export function adminOpenApi(resources: readonly DocumentedResource[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { mount, docs } of resources) {
    for (const route of docs.routes) {
      const full = openApiPath(mount, route.path);
      (paths[full] ??= {})[route.method] = operation(docs.tag, full, route);
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'AIGateway admin API', version },
    servers: [{ url: '/api/v1' }],
    security: [{ adminToken: [] }],
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'AIGW_ADMIN_TOKEN' } } },
    tags: [...new Set(resources.map((r) => r.docs.tag))].map((name) => ({ name })),
    paths,
  };
}
