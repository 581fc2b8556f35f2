import { setImmediate as turnEnd } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { MuxBatch } from './mux-envelope.js';
import { MuxWriter } from './mux-writer.js';

function recorder(open = () => true) {
  const sent: number[][] = [];
  const writer = new MuxWriter<number>({ write: (batch: MuxBatch<number>) => sent.push(batch.messages) }, open);
  return { sent, writer };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('MuxWriter', () => {
  it('sends what one callback and its continuations write as one message, right after them', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    await Promise.resolve();
    writer.write(2);
    expect(sent).toEqual([]);
    await nextTick();
    expect(sent).toEqual([[1, 2]]);
  });

  it('holds what later callbacks of the same turn write until the turn ends, in order', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    await nextTick();
    writer.write(2);
    await nextTick();
    writer.write(3);
    expect(sent).toEqual([[1]]);
    await turnEnd();
    expect(sent).toEqual([[1], [2, 3]]);
  });

  it('sends right after the callback again in the next turn', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    await turnEnd();
    await turnEnd();
    writer.write(2);
    await nextTick();
    expect(sent).toEqual([[1], [2]]);
  });

  it('sends what it holds on flush, and nothing twice', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    writer.write(2);
    writer.flush();
    expect(sent).toEqual([[1, 2]]);
    await turnEnd();
    expect(sent).toEqual([[1, 2]]);
  });

  it('drops what it holds once the stream no longer takes writes', async () => {
    let open = true;
    const { sent, writer } = recorder(() => open);
    writer.write(1);
    open = false;
    await turnEnd();
    expect(sent).toEqual([]);
  });
});
