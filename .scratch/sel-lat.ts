import { createClient, MuxClient } from '@aigw/grpc';
import { SelectorServiceClient } from '@aigw/proto';
const selector = createClient(SelectorServiceClient, '127.0.0.1:50051', 'aigw.selector.v1.SelectorService');
const mux = new MuxClient<any, any>({ label: 'selector', open: () => (selector as any).mux(), streams: 2, onStreamError: () => undefined });
const pct = (a: number[], p: number) => a.sort((x, y) => x - y)[Math.floor(a.length * p)]!;
async function run(name: string, fn: () => Promise<unknown>, n = 3000) {
  for (let i = 0; i < 300; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) { const s = performance.now(); await fn(); t.push(performance.now() - s); }
  console.log(name, 'p50', pct(t, 0.5).toFixed(3), 'p90', pct(t, 0.9).toFixed(3));
}
await run('select rr', () => mux.call({ select: { providerId: 2, model: 'gpt-4o', excludeAccountIds: [], affinityKey: '' } }, Date.now() + 2000, { idempotent: true }));
await run('select affinity', () => mux.call({ select: { providerId: 2, model: 'gpt-4o', excludeAccountIds: [], affinityKey: 'abc' + Math.floor(Math.random()*5) } }, Date.now() + 2000, { idempotent: true }));
mux.close(); selector.close();
