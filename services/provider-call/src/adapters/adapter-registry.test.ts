import { describe, expect, it } from 'vitest';
import { providerAdapterFor, providerWires } from './adapter-registry.js';

describe('provider adapters by kind and wire', () => {
  it('speaks the kind’s own wire unless the provider names another one it has', () => {
    expect(providerAdapterFor('openai').format).toBe('openai');
    expect(providerAdapterFor('openai', '').format).toBe('openai');
    expect(providerAdapterFor('openai', 'responses').format).toBe('responses');
    expect(providerAdapterFor('openai', 'responses').passthrough?.format).toBe('responses');
  });

  it('refuses a wire the kind does not have', () => {
    expect(() => providerAdapterFor('anthropic', 'responses')).toThrow(/has no wire "responses"/);
    expect(() => providerAdapterFor('nope')).toThrow(/not supported/);
  });

  it('lists the wires a kind can be set to', () => {
    expect(providerWires('openai')).toEqual(['responses']);
    expect(providerWires('gemini')).toEqual([]);
  });
});
