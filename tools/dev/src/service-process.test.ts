import { describe, expect, it } from 'vitest';
import { isReadyLine } from './service-process.js';

describe('isReadyLine', () => {
  it('accepts the pino line whose msg is "ready"', () => {
    expect(isReadyLine('{"level":"info","service":"auth","port":50052,"msg":"ready"}')).toBe(true);
  });

  it('rejects other messages, "ready" elsewhere in the line, and non-JSON output', () => {
    expect(isReadyLine('{"level":"info","msg":"not ready yet"}')).toBe(false);
    expect(isReadyLine('{"level":"info","state":"ready","msg":"starting"}')).toBe(false);
    expect(isReadyLine('ready')).toBe(false);
    expect(isReadyLine('{"msg":"ready"')).toBe(false);
  });
});
