import { describe, expect, it } from 'vitest';
import { clientRequestIdOf, newRequestId } from './request-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRequestId', () => {
  it('is a fresh UUIDv7 every time, across several refills of its random pool, ordered by millisecond', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, newRequestId);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    // The random halves differ too: the pool is refilled, not reused.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
    const msOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    const ms = ids.map(msOf);
    expect([...ms].sort((a, b) => a - b)).toEqual(ms);
    expect(ms[0]).toBeGreaterThanOrEqual(before);
    expect(ms.at(-1)).toBeLessThanOrEqual(Date.now());
  });
});

describe('clientRequestIdOf', () => {
  it('keeps a safe x-request-id as the client id', () => {
    expect(clientRequestIdOf({ 'x-request-id': 'req_01.AB-9' })).toBe('req_01.AB-9');
    expect(clientRequestIdOf({ 'x-request-id': 'a'.repeat(64) })).toBe('a'.repeat(64));
  });

  it("takes x-client-request-id (Codex CLI's session id) when there is no usable x-request-id", () => {
    const codex = '01a25057-6f66-7f52-b86e-92c8830c14b9';
    expect(clientRequestIdOf({ 'x-client-request-id': codex })).toBe(codex);
    expect(clientRequestIdOf({ 'x-request-id': 'has space', 'x-client-request-id': codex })).toBe(codex);
    expect(clientRequestIdOf({ 'x-request-id': 'mine', 'x-client-request-id': codex })).toBe('mine');
  });

  it('keeps nothing from a missing, long or unsafe header', () => {
    for (const header of [undefined, '', 'a'.repeat(65), 'has space', 'new\nline', 'a, b', 'ünï', '<script>']) {
      expect(clientRequestIdOf({ 'x-request-id': header, 'x-client-request-id': header })).toBe('');
    }
  });
});
