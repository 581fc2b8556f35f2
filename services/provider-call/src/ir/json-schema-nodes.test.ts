import { describe, expect, it } from 'vitest';
import { everySchemaNode, mapSchemaNodes, withoutDialect } from './json-schema-nodes.js';

describe('mapSchemaNodes', () => {
  it('rewrites every node, whatever keyword holds it, children before parents', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'integer' } } },
      $defs: { d: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      additionalProperties: { type: 'number' },
    };
    const seen: string[] = [];
    const out = mapSchemaNodes(schema, (node) => {
      seen.push(JSON.stringify(node.type ?? 'any'));
      return { ...node, visited: true };
    });
    expect(seen.at(-1)).toBe('"object"');
    expect(seen).toHaveLength(8);
    expect(out).toMatchObject({
      visited: true,
      properties: { a: { visited: true }, b: { visited: true, items: { visited: true } } },
      $defs: { d: { visited: true, anyOf: [{ visited: true }, { visited: true }] } },
      additionalProperties: { visited: true },
    });
  });

  it('keeps boolean schemas and cuts a hostile nesting instead of overflowing the stack', () => {
    expect(mapSchemaNodes(true, (n) => n)).toBe(true);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'array', items: deep };
    expect(() => mapSchemaNodes(deep, (n) => n)).not.toThrow();
  });
});

describe('everySchemaNode and withoutDialect', () => {
  it('tests every node and drops only $schema', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: { type: 'string', minLength: 2 } } };
    expect(everySchemaNode(schema, (n) => n.minLength === undefined)).toBe(false);
    expect(everySchemaNode(schema, (n) => n.type !== undefined)).toBe(true);
    expect(withoutDialect(schema)).toEqual({ type: 'object', properties: { a: { type: 'string', minLength: 2 } } });
  });
});
