import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { MuxBatch } from './mux-envelope.js';
import { MuxWriter } from './mux-writer.js';

function recorder(open = () => true) {
  const sent: number[][] = [];
  const writer = new MuxWriter<number>({ write: (batch: MuxBatch<number>) => sent.push(batch.messages) }, open);
  return { sent, writer };
}

describe('MuxWriter', () => {
  it('sends a lone message at once', () => {
    const { sent, writer } = recorder();
    writer.write(1);
    expect(sent).toEqual([[1]]);
  });

  it('sends the messages that follow in the same turn together, in order, when the turn ends', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    writer.write(2);
    writer.write(3);
    expect(sent).toEqual([[1]]);
    await nextTurn();
    expect(sent).toEqual([[1], [2, 3]]);
  });

  it('sends the first message of the next turn at once again', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    await nextTurn();
    writer.write(2);
    expect(sent).toEqual([[1], [2]]);
  });

  it('sends what it holds on flush, before the turn ends, and nothing twice', async () => {
    const { sent, writer } = recorder();
    writer.write(1);
    writer.write(2);
    writer.flush();
    expect(sent).toEqual([[1], [2]]);
    writer.write(3);
    await nextTurn();
    expect(sent).toEqual([[1], [2], [3]]);
  });

  it('drops what it holds once the stream no longer takes writes', async () => {
    let open = true;
    const { sent, writer } = recorder(() => open);
    writer.write(1);
    writer.write(2);
    open = false;
    await nextTurn();
    expect(sent).toEqual([[1]]);
  });
});
