import { describe, expect, it } from 'vitest';
import { ownerOf, profileSummaryMarkdown, summariseProfile, type CpuProfile } from './profile-summary.js';

const frame = (id: number, functionName: string, url: string, lineNumber = 0) => ({ id, callFrame: { functionName, url, lineNumber } });

// 1000 µs idle, 600 in undici, 300 in our ingress code, 100 in the garbage collector.
const profile: CpuProfile = {
  nodes: [
    frame(1, '(idle)', ''),
    frame(2, 'request', 'file:///app/node_modules/undici/lib/api/api-request.js', 189),
    frame(3, 'chatHandler', 'file:///app/services/ingress/dist/http/chat-handler.js', 21),
    frame(4, '(garbage collector)', ''),
  ],
  samples: [1, 2, 2, 3, 4, 2],
  timeDeltas: [1000, 200, 200, 300, 100, 200],
};

describe('summariseProfile', () => {
  it('gives each owner and function its share of the busy time, idle excluded', () => {
    const summary = summariseProfile(profile);
    expect(summary.totalMs).toBe(2);
    expect(summary.busyMs).toBe(1);
    expect(summary.byOwner).toEqual([
      { name: 'undici', percent: 60 },
      { name: 'services/ingress', percent: 30 },
      { name: 'native (garbage collector)', percent: 10 },
    ]);
    expect(summary.byFunction[0]).toEqual({ name: 'request api/api-request.js:190', percent: 60 });
  });

  it('names owners by package, workspace, Node module or native frame', () => {
    expect(ownerOf('file:///r/node_modules/@grpc/grpc-js/build/src/call.js', 'x')).toBe('@grpc/grpc-js');
    expect(ownerOf('file:///r/libs/grpc/dist/mux-lane.js', 'send')).toBe('libs/grpc');
    expect(ownerOf('node:internal/streams/writable', 'write')).toBe('node:streams');
    expect(ownerOf('node:events', 'emit')).toBe('node:events');
    expect(ownerOf('', 'writev')).toBe('native writev');
  });

  it('renders one table per service', () => {
    const text = profileSummaryMarkdown([{ service: 'ingress', file: 'CPU.1.cpuprofile', summary: summariseProfile(profile) }]);
    expect(text).toContain('## ingress');
    expect(text).toContain('| undici | 60.0 | request api/api-request.js:190 | 60.0 |');
  });
});
