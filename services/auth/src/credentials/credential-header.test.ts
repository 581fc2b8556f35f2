import { describe, expect, it } from 'vitest';
import { apiKeyHeader, bearerHeader } from './credential-header.js';

describe('apiKeyHeader', () => {
  it('sends the key where each provider kind expects it', () => {
    expect(apiKeyHeader('openai', 'sk-1')).toEqual({ headerName: 'authorization', headerValue: 'Bearer sk-1' });
    expect(apiKeyHeader('antigravity', 'k')).toEqual({ headerName: 'authorization', headerValue: 'Bearer k' });
    expect(apiKeyHeader('anthropic', 'sk-ant')).toEqual({ headerName: 'x-api-key', headerValue: 'sk-ant' });
    expect(apiKeyHeader('gemini', 'AIza')).toEqual({ headerName: 'x-goog-api-key', headerValue: 'AIza' });
  });
});

describe('bearerHeader', () => {
  it('builds an authorization header', () => {
    expect(bearerHeader('tok')).toEqual({ headerName: 'authorization', headerValue: 'Bearer tok' });
  });
});
