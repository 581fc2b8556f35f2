import { createClient, MuxClient } from '@aigw/grpc';
import { SelectorServiceClient } from '@aigw/proto';
const selector = createClient(SelectorServiceClient, '127.0.0.1:50051', 'aigw.selector.v1.SelectorService');
const mux = new MuxClient<any, any>({ label: 'selector', open: () => (selector as any).mux(), streams: 2, onStreamError: () => undefined });
const pct = (a: number[], p: number) => a.sort((x, y) => x - y)[Math.floor(a.length * p)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (const gap of [0, 10, 50, 250]) {
  const t: number[] = [];
  for (let i = 0; i < (gap ? 40 : 2000); i++) { if (gap) await sleep(gap); const s = performance.now(); await mux.call({ select: { providerId: 2, model: 'gpt-4o', excludeAccountIds: [], affinityKey: '' } }, Date.now() + 2000, { idempotent: true }); t.push(performance.now() - s); }
  console.log('gap', gap, 'p50', pct(t, 0.5).toFixed(3), 'p90', pct(t, 0.9).toFixed(3));
}
mux.close(); selector.close();
