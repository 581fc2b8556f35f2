import { describe, expect, it } from 'vitest';
import { ConfigError, bool, encryptionKey, loadConfig, port, z } from './index.js';

const schema = z.object({
  DATABASE_URL: z.string().min(1),
  GRPC_PORT: port(50051),
  VERBOSE: bool(false),
  KEY: encryptionKey(),
});

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const cfg = loadConfig(schema, { DATABASE_URL: 'mysql://x', KEY: 'a'.repeat(64), VERBOSE: 'yes' });
    expect(cfg.GRPC_PORT).toBe(50051);
    expect(cfg.VERBOSE).toBe(true);
    expect(cfg.KEY.length).toBe(32);
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig(schema, { GRPC_PORT: 'abc', KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('DATABASE_URL: missing');
      expect(problems).toContain('GRPC_PORT');
      expect(problems).toContain('KEY');
    }
  });
});
