import { describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { WholeAnswer, type WholeAnswerResult } from './whole-answer.js';

function controller(): Dispatcher.DispatchController & { abortedWith: Error | undefined } {
  return {
    abortedWith: undefined,
    get aborted() {
      return this.abortedWith !== undefined;
    },
    get paused() {
      return false;
    },
    get reason() {
      return this.abortedWith ?? null;
    },
    abort(reason: Error) {
      this.abortedWith = reason;
    },
    pause() {},
    resume() {},
  };
}

function run(steps: (handler: WholeAnswer, c: ReturnType<typeof controller>) => void): WholeAnswerResult[] {
  const results: WholeAnswerResult[] = [];
  const handler = new WholeAnswer((result) => results.push(result));
  steps(handler, controller());
  return results;
}

describe('WholeAnswer', () => {
  it('gives the status, headers and the body joined from its chunks, once', () => {
    const results = run((h, c) => {
      h.onRequestStart(c);
      h.onResponseStart(c, 100, {});
      h.onResponseStart(c, 200, { 'retry-after': '3' });
      h.onResponseData(c, Buffer.from('{"a":'));
      h.onResponseData(c, Buffer.from('1}'));
      h.onResponseEnd();
      h.onResponseError(c, new Error('late'));
    });
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result).toMatchObject({ kind: 'answer', status: 200, headers: { 'retry-after': '3' } });
    expect(result?.kind === 'answer' && result.body.toString()).toBe('{"a":1}');
  });

  it('tells a failure before the headers from one after them', () => {
    const before = run((h, c) => {
      h.onRequestStart(c);
      h.onResponseError(c, new Error('ECONNREFUSED'));
    });
    expect(before).toEqual([{ kind: 'failed', error: new Error('ECONNREFUSED'), headersAt: undefined }]);
    const after = run((h, c) => {
      h.onRequestStart(c);
      h.onResponseStart(c, 200, {});
      h.onResponseData(c, Buffer.from('{"a"'));
      h.onResponseError(c, new Error('other side closed'));
    });
    expect(after[0]).toMatchObject({ kind: 'failed', error: new Error('other side closed') });
    expect(after[0]?.headersAt).toBeTypeOf('number');
  });

  it('aborts a request that undici starts after abort() was called', () => {
    const handler = new WholeAnswer(() => undefined);
    const c = controller();
    handler.abort(new Error('caller cancelled'));
    expect(c.abortedWith).toBeUndefined();
    handler.onRequestStart(c);
    expect(c.abortedWith).toEqual(new Error('caller cancelled'));
  });

  it('aborts a started request at once', () => {
    const handler = new WholeAnswer(() => undefined);
    const c = controller();
    handler.onRequestStart(c);
    handler.abort(new Error('upstream timeout'));
    expect(c.abortedWith).toEqual(new Error('upstream timeout'));
  });
});
