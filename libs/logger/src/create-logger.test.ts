import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.js';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  return { stream, lines };
}

describe('createLogger', () => {
  it('redacts credentials at the top level, nested, and in headers', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ service: 'test', destination: stream });
    log.info(
      {
        apiKey: 'sk-top',
        account: { refresh_token: 'rt-nested', label: 'a1' },
        headers: { authorization: 'Bearer tok', 'x-api-key': 'k-1' },
      },
      'hello',
    );
    await new Promise((r) => setImmediate(r));
    const out = lines.join('\n');
    for (const secret of ['sk-top', 'rt-nested', 'Bearer tok', 'k-1']) expect(out).not.toContain(secret);
    expect(out).toContain('"label":"a1"');
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'test', level: 'info', msg: 'hello' });
  });
});
