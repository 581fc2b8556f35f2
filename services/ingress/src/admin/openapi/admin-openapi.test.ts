import { describe, expect, it } from 'vitest';
import type { Router } from 'express';
import type { AdminDeps } from '../admin-deps.js';
import { ADMIN_RESOURCES, adminOpenApiDocument } from '../admin-router.js';
import { openApiPath } from './admin-openapi.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every `METHOD path` an express router serves (routers build without touching their deps). */
function servedRoutes(router: Router): string[] {
  const routes: string[] = [];
  for (const layer of router.stack as Layer[]) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.push(`${method} ${layer.route.path}`);
  }
  return routes;
}

describe('the admin OpenAPI document', () => {
  const document = adminOpenApiDocument();
  const paths = document.paths as Record<string, Record<string, { requestBody?: unknown; security?: unknown[] }>>;

  it('lists every route that every admin resource serves, and nothing it does not serve', () => {
    const documented: string[] = [];
    const served: string[] = [];
    for (const resource of ADMIN_RESOURCES) {
      for (const route of servedRoutes(resource.router({} as AdminDeps))) {
        const [method, path] = route.split(' ') as [string, string];
        served.push(`${method} ${openApiPath(resource.mount, path)}`);
      }
      for (const route of resource.docs.routes) documented.push(`${route.method} ${openApiPath(resource.mount, route.path)}`);
      expect(served.length, resource.mount).toBeGreaterThan(0);
    }
    expect(documented.sort()).toEqual(served.sort());
    for (const route of served) {
      const [method, path] = route.split(' ') as [string, string];
      expect(paths[path]?.[method], route).toBeDefined();
    }
  });

  it('describes request bodies with the schemas that validate them', () => {
    const create = paths['/keys']?.post?.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown>; additionalProperties?: boolean } }> };
    const schema = create.content['application/json']!.schema;
    expect(schema.properties).toHaveProperty('name');
    expect(schema.additionalProperties).toBe(false);
    expect(paths['/providers/{id}']?.patch?.requestBody).toBeDefined();
  });

  it('is public only where the route is', () => {
    expect(paths['/openapi.json']?.get?.security).toEqual([]);
    expect(paths['/keys']?.get?.security).toBeUndefined();
    expect(document.security).toEqual([{ adminToken: [] }]);
  });
});
