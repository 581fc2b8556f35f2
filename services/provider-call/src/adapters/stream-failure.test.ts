import { describe, expect, it } from 'vitest';
import { AppError } from '@aigw/errors';
import { detachedSignature, midStreamError, streamFailure, truncatedStream } from './stream-failure.js';

describe('stream failures', () => {
  it('keeps the upstream status of an in-stream error for the client event', () => {
    expect(streamFailure(midStreamError('Overloaded', 529))).toEqual({ status: 529, message: 'Overloaded' });
    expect(streamFailure(midStreamError('broken'))).toEqual({ status: 502, message: 'broken' });
    expect(streamFailure(new AppError('UPSTREAM_TIMEOUT', 'too slow'))).toEqual({ status: 504, message: 'too slow' });
    expect(truncatedStream()).toMatchObject({ code: 'UPSTREAM_ERROR', message: 'upstream stream ended before its final event' });
  });

  it('closes open reasoning before a signature that belongs to the next part', () => {
    expect(detachedSignature('sig')).toEqual([{ type: 'reasoning_end' }, { type: 'reasoning_end', signature: 'sig' }]);
  });
});
